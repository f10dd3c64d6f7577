package io.tickgrad.serve;

import io.tickgrad.market.LabelSpec;
import io.tickgrad.market.PredictionSink;
import io.tickgrad.nn.Network;
import io.tickgrad.online.OnlineCheckpoints;
import io.tickgrad.online.OnlineConfig;
import io.tickgrad.online.OnlineLearner;
import io.tickgrad.online.SampleChannel;
import io.tickgrad.online.SampleCollector;
import io.tickgrad.online.TrainerAgent;
import io.tickgrad.online.WeightSlots;
import io.tickgrad.train.TransferLearning;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

/**
 * Online learning wired up for one served model: two weight slots, the inference service with its sample
 * collector, the ring buffer between them, the learner and the trainer agent. Run {@link #service()} on the
 * inference thread and {@link #trainer()} on its own thread (an {@code AgentRunner}), or both on one thread, tick
 * by tick, for a deterministic replay. {@link #close()} frees everything native.
 */
public final class OnlineLearning implements AutoCloseable {
    /** Samples the ring buffer holds before the collector starts dropping them. */
    public static final int CHANNEL_SAMPLES = 8192;
    /**
     * The most samples awaiting their label (a tick horizon h needs h + 1; a time horizon as many as there are
     * predictions in it): beyond this the newest are dropped and counted. 16,384 rows of a 256-wide trunk are
     * 17 MB.
     */
    public static final int PENDING_SAMPLES_TIME_HORIZON = 16_384;

    private final WeightSlots slots;
    private final SampleChannel channel;
    private final SampleCollector collector;
    private final OnlineLearner learner;
    private final TrainerAgent trainer;
    private final InferenceService service;

    private OnlineLearning(WeightSlots slots, SampleChannel channel, SampleCollector collector, OnlineLearner learner,
                           TrainerAgent trainer, InferenceService service) {
        this.slots = slots;
        this.channel = channel;
        this.collector = collector;
        this.learner = learner;
        this.trainer = trainer;
        this.service = service;
    }

    /**
     * Sets it up for {@code model} (whose network's weights and trainable flags are the starting point; it is not
     * modified). Predictions go to {@code sink}; checkpoints to {@code checkpoints} (null: none). The round time
     * budget reads the system's monotonic clock. Cold path: allocates the two weight slots, the learner, the ring
     * buffer and the collector (native memory, freed by {@link #close()}).
     *
     * @param model       the served model; its network is copied, never modified; stays the caller's
     * @param config      the online-learning settings
     * @param checkpoints where the trainer writes checkpoints, or null for none
     * @param sink        receives each prediction on the inference thread (a flyweight valid during the call)
     * @param clock       the decision timestamps' clock, epoch ns
     * @param latency     records tick receive to prediction complete, ns, or null
     * @return the wired-up learning; the caller closes it
     * @throws IllegalArgumentException when the model has no label spec, every layer is frozen, or it is not a
     *                                  binary classifier
     */
    public static OnlineLearning start(ServingModel model, OnlineConfig config, OnlineCheckpoints checkpoints,
                                       PredictionSink sink, EpochNanoClock clock, Histogram latency) {
        return start(model, config, checkpoints, sink, clock, latency, null);
    }

    /**
     * As above, with the distance bound measured from {@code anchor}'s weights (null: from {@code model}'s): the base
     * model, when {@code model} is a checkpoint a restart resumes from.
     *
     * @param model       the served model; its network is copied, never modified; stays the caller's
     * @param config      the online-learning settings
     * @param checkpoints where the trainer writes checkpoints, or null for none
     * @param sink        receives each prediction on the inference thread (a flyweight valid during the call)
     * @param clock       the decision timestamps' clock, epoch ns
     * @param latency     records tick receive to prediction complete, ns, or null
     * @param anchor      the network the distance bound is measured from (same layout as the model's), or null;
     *                    stays the caller's and must stay open until {@link #close()}
     * @return the wired-up learning; the caller closes it
     * @throws IllegalArgumentException as {@link #start(ServingModel, OnlineConfig, OnlineCheckpoints, PredictionSink,
     *                                  EpochNanoClock, Histogram)}
     */
    public static OnlineLearning start(ServingModel model, OnlineConfig config, OnlineCheckpoints checkpoints,
                                       PredictionSink sink, EpochNanoClock clock, Histogram latency, Network anchor) {
        return start(model, config, checkpoints, sink, clock, latency, anchor, SystemNanoClock.INSTANCE);
    }

    /**
     * As above, with the clock of the round time budget and the checkpoint interval: the wall clock when serving, a
     * replay clock in a replay (every clock is injected, so a replay runs the serving code path deterministically).
     *
     * @param model        the served model; its network is copied, never modified; stays the caller's
     * @param config       the online-learning settings
     * @param checkpoints  where the trainer writes checkpoints, or null for none
     * @param sink         receives each prediction on the inference thread (a flyweight valid during the call)
     * @param clock        the decision timestamps' clock, epoch ns
     * @param latency      records tick receive to prediction complete, ns, or null
     * @param anchor       the network the distance bound is measured from, or null for the model's own weights
     * @param trainerClock the monotonic clock of the round time budget and the checkpoint interval, ns; read on the
     *                     trainer thread
     * @return the wired-up learning; the caller closes it
     * @throws IllegalArgumentException when the model has no label spec, a real-valued label, every layer frozen,
     *                                  or is not a binary classifier
     */
    public static OnlineLearning start(ServingModel model, OnlineConfig config, OnlineCheckpoints checkpoints,
                                       PredictionSink sink, EpochNanoClock clock, Histogram latency, Network anchor,
                                       NanoClock trainerClock) {
        LabelSpec label = model.features().label();
        if (label == null) {
            throw new IllegalArgumentException((model.file() == null ? "the model" : model.file().toString())
                + ": online learning needs a label in the feature spec (tickgrad.features.label)");
        }
        if (label.realValued()) {
            throw new IllegalArgumentException((model.file() == null ? "the model" : model.file().toString())
                + ": online learning trains on class labels (direction, large_move); this model's label is the "
                + "real-valued " + label.target().key() + ": serve or replay it without online learning");
        }
        Network source = model.network();
        WeightSlots slots = null;
        SampleChannel channel = null;
        SampleCollector collector = null;
        OnlineLearner learner = null;
        try {
            slots = WeightSlots.of(copyOf(source), copyOf(source), model.version(), 0);
            learner = new OnlineLearner(source, config, anchor, trainerClock);
            channel = SampleChannel.forSamples(CHANNEL_SAMPLES, learner.sampleWidth());
            int pending = label.horizonTicks() > 0 ? Math.min(label.horizonTicks() + 1, PENDING_SAMPLES_TIME_HORIZON)
                : PENDING_SAMPLES_TIME_HORIZON;
            collector = new SampleCollector(label, learner.sampleWidth(), pending, channel);
            TrainerAgent trainer = new TrainerAgent(channel.ring(), learner, slots, checkpoints, 1024, trainerClock);
            InferenceService service = new InferenceService(model, slots, sink, clock, latency);
            service.attachLearning(collector, learner.splitLayer());
            return new OnlineLearning(slots, channel, collector, learner, trainer, service);
        } catch (RuntimeException | Error e) {
            if (collector != null) {
                collector.close();
            }
            if (channel != null) {
                channel.close();
            }
            if (learner != null) {
                learner.close();
            }
            if (slots != null) {
                slots.close();
            }
            throw e;
        }
    }

    /** A batch-1 copy of {@code net}: same layers, weights, trainable flags and learning-rate scales. */
    private static Network copyOf(Network net) {
        Network copy = Network.create(net.inputs(), net.layers(), net.backend(), 1);
        TransferLearning.copyMatchingParameters(net, copy);
        copy.setPrecision(net.precision());   // the served slots predict at the loaded model's precision
        return copy;
    }

    /** @return the inference side: hand it ticks on the inference thread only */
    public InferenceService service() {
        return service;
    }

    /**
     * @return the trainer side: run it on its own thread, or call doWork() after each tick for a deterministic
     *         replay; never on two threads at once
     */
    public TrainerAgent trainer() {
        return trainer;
    }

    /**
     * @return the learner (sample window, round guard, distance bound, optimizer); touched by the trainer thread
     *         only, except {@link OnlineLearner#pause()}/{@link OnlineLearner#resume()} and its counters
     */
    public OnlineLearner learner() {
        return learner;
    }

    /** @return the two weight slots: published by the trainer thread, taken up by the inference thread */
    public WeightSlots slots() {
        return slots;
    }

    /** @return the collector that turns served ticks into samples; driven by the inference thread */
    public SampleCollector collector() {
        return collector;
    }

    /**
     * @return a one-paragraph account: samples, rounds, rejections, publications, drops; a recent value when read
     *         while the threads run
     */
    public String report() {
        return String.format(java.util.Locale.ROOT, "online learning: %d samples (%d in the dead zone, %d dropped: "
                + "%d pending full, %d ring full), %d skipped as already trained; %d rounds, %d accepted, %d rejected "
                + "(%d loss spikes), %d pulled back to the distance bound; %d publications (%d attempts put off because "
                + "the inference thread had not yet taken up the previous one: it takes them up on its next tick); "
                + "last batch loss %.4f, typical %.4f; %s",
            learner.samples(), collector.deadZone(), collector.droppedPendingFull() + collector.droppedRingFull(),
            collector.droppedPendingFull(), collector.droppedRingFull(), learner.skipped(), learner.rounds(),
            learner.acceptedRounds(), learner.rejectedRounds(), learner.rejectedSpikes(), learner.projected(),
            trainer.publications(), slots.refusals(), learner.lastLoss(), learner.typicalLoss(),
            learner.isPaused() ? "paused" : "learning");
    }

    /** Frees every native buffer; stop both threads first. */
    @Override
    public void close() {
        collector.close();
        channel.close();
        learner.close();
        slots.close();
    }
}
