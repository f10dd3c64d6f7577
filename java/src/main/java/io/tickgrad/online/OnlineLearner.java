package io.tickgrad.online;

import io.tickgrad.model.TensorEntry;
import io.tickgrad.nn.Activation;
import io.tickgrad.nn.ActivationLayer;
import io.tickgrad.nn.Layer;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.Softmax;
import io.tickgrad.train.Adam;
import io.tickgrad.train.LearningCurve;
import io.tickgrad.train.Loss;
import io.tickgrad.train.Trainer;
import io.tickgrad.train.TransferLearning;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

/**
 * Fine-tunes a serving network from its own matured samples, one round at a time, with a guard. No threads here:
 * the trainer agent feeds it ({@link #offer}), runs it ({@link #maybeTrain}) and publishes what it accepted.
 *
 * <p>What is trained is the part of the serving network from its first trainable layer on. When layers before that
 * are frozen (a pretrained trunk), samples carry the trunk's output, computed once by the inference pass, and only
 * the head runs forward and backward here (Deeplearning4j's "featurize"); otherwise samples carry the features and
 * the whole network trains. The network must be a binary classifier: one sigmoid output (binary cross-entropy) or
 * two softmax outputs (cross-entropy on [down, up]).
 *
 * <p>It puts together one part per job: the {@link SampleWindow} that batches are drawn from, the
 * {@link RoundGuard} (typical loss, spike check, rollback to the last accepted round), the {@link DistanceBound}
 * (with {@code maxDistance}, accepted weights farther than that from the starting weights, or from an anchor's,
 * the base model a restart began from, are pulled back onto that sphere; counted in {@link #projected()}), and the
 * optimizer's state as checkpoint tensors ({@link OptimizerTensors}).
 *
 * <p>Threads: single-threaded. Construct it, feed it and train it on one thread (the trainer agent's); only
 * {@link #pause()}, {@link #resume()} and {@link #isPaused()} may be called from any thread, and the counters read
 * from another thread give a recent value. It does not detect misuse: two threads training it at once corrupt its
 * weights. After construction nothing here allocates except the learning curve's arrays as they grow; native memory
 * (the trained network, window, snapshot, start weights) is freed by {@link #close()}.
 */
public final class OnlineLearner implements AutoCloseable {
    /** Why the last round was rejected: it was not ({@link RoundGuard#NONE}). */
    public static final int REJECTED_NONE = RoundGuard.NONE;
    /** A step's loss or gradient norm was not finite. */
    public static final int REJECTED_NOT_FINITE = RoundGuard.NOT_FINITE;
    /** A step's loss exceeded spikeFactor times the typical loss. */
    public static final int REJECTED_SPIKE = RoundGuard.SPIKE;

    private final NanoClock clock;
    private final OnlineConfig config;
    private final Network net;
    private final Trainer trainer;
    private final RoundGuard guard;
    private final DistanceBound bound;
    private final SampleWindow window;
    private final int split;
    private final int width;
    private final boolean twoClassSoftmax;
    private final SplittableRandom random;
    private final LearningCurve curve = new LearningCurve();
    private volatile boolean paused;

    private long samples;
    private long skipped;
    private long sinceRound;
    private long rounds;
    private long steps;
    private double lastLoss = Double.NaN;
    private long skipThrough = Long.MIN_VALUE;
    private long lastSequence = Long.MIN_VALUE;
    private long lastResumeIndex = -1;

    /**
     * Builds the learner for {@code serving} (its current weights are the starting point, and the distance bound is
     * measured from them; it is only read here). The round budget reads the system's monotonic clock. Allocates the
     * trained network, its slabs and the optimizer state (native memory, freed by {@link #close()}).
     *
     * @param serving the served network; only read, stays the caller's
     * @param config  how to train
     * @throws IllegalArgumentException when every layer is frozen or the network is not a binary classifier
     */
    public OnlineLearner(Network serving, OnlineConfig config) {
        this(serving, config, null);
    }

    /**
     * As {@link #OnlineLearner(Network, OnlineConfig)}, but the distance bound is measured from {@code anchor}'s
     * weights (null: from {@code serving}'s): a restart from a checkpoint keeps the bound around the base model it
     * was deployed with, so restarts cannot add up to more drift than the bound allows. {@code anchor} is only read.
     *
     * @param serving the served network; only read
     * @param config  how to train
     * @param anchor  the base network the distance bound is measured from, or null; only read
     * @throws IllegalArgumentException also when {@code anchor} lacks a tensor of the trained part, by name and shape
     */
    public OnlineLearner(Network serving, OnlineConfig config, Network anchor) {
        this(serving, config, anchor, SystemNanoClock.INSTANCE);
    }

    /**
     * As {@link #OnlineLearner(Network, OnlineConfig, Network)}, with the clock that bounds a round's time budget:
     * the wall clock when serving; a replay clock in a replay, which does not move during a round, so every round
     * runs all its steps and the replay is deterministic on the same code path.
     *
     * @param serving the served network; only read
     * @param config  how to train
     * @param anchor  the base network the distance bound is measured from, or null; only read
     * @param clock   monotonic ns, read on the trainer thread at each step
     * @throws IllegalArgumentException as the other constructors
     */
    public OnlineLearner(Network serving, OnlineConfig config, Network anchor, NanoClock clock) {
        this.clock = clock;
        this.config = config;
        this.split = serving.firstTrainableLayer();
        List<Layer> layers = serving.layers();
        if (split >= layers.size()) {
            throw new IllegalArgumentException("online learning: every layer of " + serving + " is frozen");
        }
        Layer last = layers.get(layers.size() - 1);
        Loss loss;
        if (serving.outputs() == 1 && last instanceof ActivationLayer a && a.activation() == Activation.SIGMOID) {
            loss = Loss.binaryCrossEntropyWithLogits();
            twoClassSoftmax = false;
        } else if (serving.outputs() == 2 && last instanceof Softmax) {
            loss = Loss.softmaxCrossEntropy();
            twoClassSoftmax = true;
        } else {
            throw new IllegalArgumentException("online learning needs a binary classifier ending in a 1-unit sigmoid "
                + "or a 2-unit softmax; " + serving + " ends in " + last + " with " + serving.outputs() + " outputs");
        }
        this.width = split == 0 ? serving.inputs() : layers.get(split - 1).outFeatures();
        List<Layer> trained = new ArrayList<>(layers.subList(split, layers.size()));
        Network n = Network.create(width, trained, serving.backend(), config.batch());
        Trainer t = null;
        RoundGuard g = null;
        DistanceBound b = null;
        SampleWindow w = null;
        try {
            TransferLearning.copyMatchingParameters(serving, n);   // weights, trainable flags, learning-rate scales
            t = Trainer.builder(n).loss(loss).optimizer(Adam.adam(config.learningRate())).seed(config.seed()).build();
            g = new RoundGuard(n, t.optimizer(), config.spikeFactor());
            b = DistanceBound.around(n, serving, anchor, config.maxDistance());
            w = new SampleWindow(width, config.window());
        } catch (RuntimeException | Error e) {
            for (AutoCloseable c : new AutoCloseable[] {w, b, g, t, n}) {
                closeQuietly(c);
            }
            throw e;
        }
        this.net = n;
        this.trainer = t;
        this.guard = g;
        this.bound = b;
        this.window = w;
        this.random = new SplittableRandom(config.seed());
    }

    /** @return floats per sample: the features, or the frozen trunk's output */
    public int sampleWidth() {
        return width;
    }

    /** @return index of the first trained layer of the serving network (0: the whole network trains) */
    public int splitLayer() {
        return split;
    }

    /** @return what is trained: the head network (or a copy of the whole network), with the trained weights */
    public Network network() {
        return net;
    }

    /**
     * Samples with a tick sequence at or below {@code tickSequence} are ignored: a restart has already trained on
     * them. Cold path, before the trainer runs.
     *
     * @param tickSequence the last tick sequence a resumed checkpoint covers
     */
    public void skipThrough(long tickSequence) {
        this.skipThrough = tickSequence;
    }

    /**
     * Takes one matured sample: {@code width} floats at {@code values[offset..]}, label 1 (up) or 0 (down). Returns
     * false, keeping nothing, for a sample a restart already covered or a malformed one. Trainer thread; allocates
     * nothing.
     *
     * @param tickSequence the sequence of the tick the sample was served at
     * @param resumeIndex  the source index a restart re-reads from to rebuild it
     * @param label        1 (up) or 0 (down)
     * @param values       the buffer holding the sample's floats
     * @param offset       the byte offset of the first float in {@code values}
     * @param valuesWidth  floats in the sample; must be {@link #sampleWidth()}
     * @return whether the sample was taken into the window
     */
    public boolean offer(long tickSequence, long resumeIndex, int label, DirectBuffer values, int offset,
                         int valuesWidth) {
        if (tickSequence <= skipThrough || valuesWidth != width || (label != 0 && label != 1)) {
            skipped++;
            return false;
        }
        window.add(values, offset, label);
        samples++;
        sinceRound++;
        lastSequence = tickSequence;
        lastResumeIndex = resumeIndex;
        return true;
    }

    /**
     * Takes one matured sample through its flyweight, as {@link #offer(long, long, int, DirectBuffer, int, int)}.
     *
     * @param sample the sample, read during the call only
     * @return whether it was kept
     */
    public boolean offer(MaturedSample sample) {
        return offer(sample.tickSequence(), sample.resumeIndex(), sample.label(), sample.buffer(),
            sample.valuesOffset(), sample.width());
    }

    /**
     * Runs a round when {@code cadence} samples have come in since the last one (and a batch is available and
     * learning is not paused). Trainer thread.
     *
     * @return 1 for an accepted round, -1 for a rejected one (rolled back), 0 when none was due
     */
    public int maybeTrain() {
        if (paused || sinceRound < config.cadence() || window.filled() < config.batch()) {
            return 0;
        }
        sinceRound = 0;
        rounds++;
        long deadline = config.roundBudgetNs() > 0 ? clock.nanoTime() + config.roundBudgetNs() : Long.MAX_VALUE;
        double sum = 0;
        int taken = 0;
        for (int s = 0; s < config.stepsPerRound() && (s == 0 || clock.nanoTime() < deadline); s++) {
            window.drawBatch(random, config.batch(), net.input(), trainer.targets(), twoClassSoftmax);
            long rejectedBefore = trainer.rejectedSteps();
            float loss = trainer.step(config.batch());
            steps++;
            lastLoss = loss;
            int verdict = guard.judge(loss, trainer.rejectedSteps() != rejectedBefore);
            if (verdict != RoundGuard.NONE) {
                guard.rollBack(verdict);
                return -1;
            }
            sum += loss;
            taken++;
        }
        bound.apply();
        guard.accept();
        curve.add(samples, sum / taken);
        return 1;
    }

    /** @return l2 distance of the trainable weights from where learning started (the anchor's weights, when given) */
    public double distanceFromStart() {
        return bound.distance();
    }

    /** Stops training rounds (samples still come in); any thread. */
    public void pause() {
        paused = true;
    }

    /** Resumes training rounds; any thread. */
    public void resume() {
        paused = false;
    }

    /** @return whether training rounds are paused; any thread */
    public boolean isPaused() {
        return paused;
    }

    /** @return samples taken into the window */
    public long samples() {
        return samples;
    }

    /** @return samples ignored: already covered by a checkpoint, or malformed */
    public long skipped() {
        return skipped;
    }

    /** @return rounds run, accepted or not */
    public long rounds() {
        return rounds;
    }

    /** @return rounds accepted */
    public long acceptedRounds() {
        return guard.accepted();
    }

    /** @return rounds rejected and rolled back, for any reason */
    public long rejectedRounds() {
        return guard.rejected();
    }

    /** @return rounds rejected for a loss spike */
    public long rejectedSpikes() {
        return guard.rejectedSpikes();
    }

    /** @return reason of the last round: {@link #REJECTED_NONE} when it was accepted */
    public int lastRejection() {
        return guard.lastRejection();
    }

    /** @return accepted rounds whose weights were pulled back to maxDistance */
    public long projected() {
        return bound.projected();
    }

    /** @return training steps taken, rolled-back ones included */
    public long steps() {
        return steps;
    }

    /** @return steps the optimizer has applied and kept (rolled-back ones are taken back) */
    public long optimizerSteps() {
        return trainer.optimizer().steps();
    }

    /**
     * The optimizer's state of every trained tensor, named by the optimizer ({@code optimizer.adam.m.<tensor>} and
     * {@code optimizer.adam.v.<tensor>}; see {@link OptimizerTensors}), to checkpoint beside the weights they belong
     * to. Allocates (checkpoints only). Trainer thread.
     *
     * @return on-heap copies of the state tensors; empty for a stateless optimizer
     */
    public List<TensorEntry> optimizerState() {
        return OptimizerTensors.save(trainer.optimizer(), bound.trainable());
    }

    /**
     * Puts back state saved by {@link #optimizerState()} and the optimizer's step count, so that learning after a
     * restart goes on where it stopped instead of taking the large first steps of fresh moments. Changes nothing and
     * returns false unless every state tensor of every trained tensor is there with its length. Cold path.
     *
     * @param saved the checkpoint's tensors by name (the weights' names are ignored)
     * @param steps the optimizer's step count the state belongs to
     * @return whether the state was restored
     */
    public boolean restoreOptimizerState(Map<String, TensorEntry> saved, long steps) {
        if (!OptimizerTensors.restore(trainer.optimizer(), bound.trainable(), saved, steps)) {
            return false;
        }
        guard.rebase();   // a rejected round rolls back to the restored state
        return true;
    }

    /** @return batch loss of the last step */
    public double lastLoss() {
        return lastLoss;
    }

    /** @return the typical batch loss the spike test compares against (NaN before the first step) */
    public double typicalLoss() {
        return guard.typicalLoss();
    }

    /** @return tick sequence of the newest sample taken (what a checkpoint covers) */
    public long lastSequence() {
        return lastSequence;
    }

    /** @return resume index of the newest sample taken */
    public long lastResumeIndex() {
        return lastResumeIndex;
    }

    /** @return mean batch loss of each accepted round against the samples seen by then */
    public LearningCurve curve() {
        return curve;
    }

    /** @return how it trains */
    public OnlineConfig config() {
        return config;
    }

    @Override
    public void close() {
        closeQuietly(window);
        closeQuietly(bound);
        closeQuietly(guard);
        closeQuietly(trainer);
        closeQuietly(net);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
