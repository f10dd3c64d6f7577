package io.tickgrad.online;

import io.tickgrad.nn.Network;
import io.tickgrad.tensor.ParamCopy;
import io.tickgrad.train.TransferLearning;
import java.util.List;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * The trainer thread's duty cycle: drain matured samples from the ring buffer into the {@link OnlineLearner}
 * (which trains a round every {@code cadence} samples), publish accepted weights into the idle
 * {@link WeightSlots} slot, and checkpoint the published weights on schedule. Nothing here can block or slow the
 * inference thread: a refused publication is retried on a later cycle.
 */
public final class TrainerAgent implements Agent {
    private final RingBuffer ring;
    private final OnlineLearner learner;
    private final WeightSlots slots;
    private final ParamCopy publishCopy;
    private final OnlineCheckpoints checkpoints;
    private final MessageHandler handler = this::onSample;
    private final MaturedSample sample = new MaturedSample();
    private final NanoClock clock;
    private final int drainLimit;
    private boolean unpublished;
    private long acceptedThrough = Long.MIN_VALUE;       // newest sample of the last accepted round
    private long acceptedResumeIndex = -1;
    private long publishedThrough = Long.MIN_VALUE;      // ... of the last published round
    private long publishedResumeIndex = -1;
    private long checkpointedRevision;
    private long publications;

    /**
     * A trainer timing checkpoints with the system's monotonic clock.
     *
     * @param ring        the ring of matured samples the inference thread writes; read here only
     * @param learner     the learner it feeds and runs rounds of; only this agent's thread drives it
     * @param slots       where accepted weights are published; this agent is their one publisher
     * @param checkpoints where published weights are checkpointed, or null for none
     * @param drainLimit  the most samples taken per duty cycle
     */
    public TrainerAgent(RingBuffer ring, OnlineLearner learner, WeightSlots slots, OnlineCheckpoints checkpoints,
                        int drainLimit) {
        this(ring, learner, slots, checkpoints, drainLimit, SystemNanoClock.INSTANCE);
    }

    /**
     * As above, with the clock that times checkpoints: the wall clock when serving, a replay clock in a replay.
     *
     * @param ring        the ring of matured samples; read here only
     * @param learner     the learner it feeds and runs rounds of
     * @param slots       where accepted weights are published; this agent is their one publisher
     * @param checkpoints where published weights are checkpointed, or null for none
     * @param drainLimit  the most samples taken per duty cycle
     * @param clock       monotonic ns, read on the trainer thread
     */
    public TrainerAgent(RingBuffer ring, OnlineLearner learner, WeightSlots slots, OnlineCheckpoints checkpoints,
                        int drainLimit, NanoClock clock) {
        this.clock = clock;
        this.ring = ring;
        this.learner = learner;
        this.slots = slots;
        this.publishCopy = ParamCopy.trainable(learner.network().parameters(), slots.slot(0).parameters());
        this.checkpoints = checkpoints;
        this.drainLimit = drainLimit;
        this.checkpointedRevision = slots.publishedRevision();
    }

    @Override
    public int doWork() {
        int work = ring.read(handler, drainLimit);
        if (unpublished && slots.tryPublish(publishCopy, learner.network().parameterSlab())) {
            unpublished = false;
            publications++;
            publishedThrough = acceptedThrough;
            publishedResumeIndex = acceptedResumeIndex;
            work++;
        }
        if (checkpoints != null && slots.publishedRevision() != checkpointedRevision
            && checkpoints.due(clock.nanoTime())) {
            checkpointPublished();
            work++;
        }
        return work;
    }

    /**
     * On a graceful stop, checkpoints the newest accepted weights: those still waiting to be published (never served,
     * but trained on samples a restart will not re-read), else the published ones if newer than the last checkpoint.
     */
    @Override
    public void onClose() {
        if (checkpoints == null) {
            return;
        }
        if (unpublished) {
            checkpointUnpublished();
        } else if (slots.publishedRevision() != checkpointedRevision) {
            checkpointPublished();
        }
    }

    /** The learner's newest weights in a copy of the published network, checkpointed with the optimizer's moments. */
    private void checkpointUnpublished() {
        long revision = slots.publishedRevision();
        Network published = slots.slot((int) (revision & 1));
        try (Network latest = Network.create(published.inputs(), published.layers(), published.backend(), 1)) {
            TransferLearning.copyMatchingParameters(published, latest);   // the frozen part, flags and scales
            publishCopy.copy(learner.network().parameterSlab(), latest.parameterSlab());
            checkpoints.save(latest, revision + 1, acceptedThrough, acceptedResumeIndex, clock.nanoTime(),
                learner.optimizerState(), learner.optimizerSteps());
        }
        unpublished = false;
    }

    private void checkpointPublished() {
        long revision = slots.publishedRevision();
        // the slot of the published revision is only read by the inference thread until the next publication,
        // which only this thread makes: saving from it needs no copy and no lock
        Network published = slots.slot((int) (revision & 1));
        // the optimizer's moments belong to the learner's weights: saved only while those are the published ones
        checkpoints.save(published, revision, publishedThrough, publishedResumeIndex, clock.nanoTime(),
            unpublished ? List.of() : learner.optimizerState(), learner.optimizerSteps());
        checkpointedRevision = revision;
    }

    private void onSample(int type, MutableDirectBuffer buffer, int index, int length) {
        if (type != MaturedSample.MESSAGE_TYPE || length < MaturedSample.VALUES_OFFSET) {
            return;
        }
        MaturedSample s = sample.wrap(buffer, index);
        if (MaturedSample.length(s.width()) != length) {
            return;
        }
        learner.offer(s);
        if (learner.maybeTrain() > 0) {
            unpublished = true;
            acceptedThrough = learner.lastSequence();
            acceptedResumeIndex = learner.lastResumeIndex();
        }
    }

    /** @return weights published so far */
    public long publications() {
        return publications;
    }

    /** @return whether accepted weights are waiting for the inference thread to take up the previous revision */
    public boolean hasUnpublished() {
        return unpublished;
    }

    /** @return the learner this agent drives (from its thread only, bar pause/resume and the counters) */
    public OnlineLearner learner() {
        return learner;
    }

    @Override
    public String roleName() {
        return "tickgrad-trainer";
    }
}
