package io.tickgrad.train;

import io.tickgrad.model.TensorEntry;
import io.tickgrad.nn.Activation;
import io.tickgrad.nn.ActivationLayer;
import io.tickgrad.nn.Layer;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.Softmax;
import io.tickgrad.tensor.ParamEntry;
import io.tickgrad.tensor.Slab;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

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
 * <p>The guard: a round is rejected, and the weights and optimizer state rolled back to the last accepted round,
 * when a step's loss or gradient norm is not finite, or a step's batch loss exceeds {@code spikeFactor} times the
 * typical loss (an exponential average of recent batch losses, rejected ones included, so a lasting change of regime
 * raises it within a few rounds instead of stopping learning for good). With {@code maxDistance}, accepted weights
 * farther than that from the starting weights (or from an anchor's, the base model a restart began from) are pulled
 * back onto that sphere (counted in {@link #projected()}).
 *
 * <p>After construction nothing here allocates except the learning curve's arrays as they grow.
 */
public final class OnlineLearner implements AutoCloseable {
    private final NanoClock clock;
    /** Why the last round was rejected. */
    public static final int REJECTED_NONE = 0;
    public static final int REJECTED_NOT_FINITE = 1;
    public static final int REJECTED_SPIKE = 2;
    private static final double TYPICAL_LOSS_WEIGHT = 0.05;
    private static final int SPIKE_WARMUP_STEPS = 20;
    /** Name prefixes of Adam's state slabs, in {@code Adam.state()} order, in a checkpoint. */
    private static final String[] MOMENTS = {"optimizer.adam.m.", "optimizer.adam.v."};

    private final OnlineConfig config;
    private final Network net;
    private final Trainer trainer;
    private final TrainingSnapshot lastGood;
    private final Slab startWeights;
    private final int split;
    private final int width;
    private final boolean twoClassSoftmax;
    private final Slab window;
    private final UnsafeBuffer windowRows;
    private final float[] labels;
    private final SplittableRandom random;
    private final LearningCurve curve = new LearningCurve();
    private final List<ParamEntry> trainable;
    private volatile boolean paused;

    private int filled;
    private int head;
    private long samples;
    private long skipped;
    private long sinceRound;
    private long rounds;
    private long accepted;
    private long rejected;
    private long rejectedSpike;
    private long projected;
    private long steps;
    private int lastRejection = REJECTED_NONE;
    private double lastLoss = Double.NaN;
    private double typicalLoss = Double.NaN;
    private long lossObservations;
    private long skipThrough = Long.MIN_VALUE;
    private long lastSequence = Long.MIN_VALUE;
    private long lastResumeIndex = -1;

    /**
     * Builds the learner for {@code serving} (its current weights are the starting point, and the distance bound is
     * measured from them; it is only read here).
     *
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
        TrainingSnapshot snap = null;
        Slab start = null;
        Slab rows = null;
        try {
            TransferLearning.copyMatchingParameters(serving, n);   // weights, trainable flags, learning-rate scales
            t = Trainer.builder(n).loss(loss).optimizer(Adam.adam(config.learningRate())).seed(config.seed()).build();
            snap = new TrainingSnapshot(n, t.optimizer());
            start = n.parameters().allocate("online-start");
            if (anchor != null) {
                // the anchor's weights pass through the trained network once, then the serving weights return
                int copied = TransferLearning.copyMatchingParameters(anchor, n);
                if (copied != n.parameters().entries().size()) {
                    throw new IllegalArgumentException("online learning: the base model " + anchor + " lacks some of "
                        + "the trained tensors " + n.parameters().entries().stream().map(ParamEntry::name).toList()
                        + " (by name and shape); it must be the model the checkpoints were trained from");
                }
                start.copyFrom(n.parameterSlab());
                TransferLearning.copyMatchingParameters(serving, n);
            } else {
                start.copyFrom(n.parameterSlab());
            }
            rows = Slab.ofFloats("online-window", (long) config.window() * width);
        } catch (RuntimeException | Error e) {
            for (AutoCloseable c : new AutoCloseable[] {rows, start, snap, t, n}) {
                closeQuietly(c);
            }
            throw e;
        }
        this.net = n;
        this.trainer = t;
        this.lastGood = snap;
        this.startWeights = start;
        this.window = rows;
        this.windowRows = rows.buffer();
        this.labels = new float[config.window()];
        this.random = new SplittableRandom(config.seed());
        List<ParamEntry> tr = new ArrayList<>();
        for (ParamEntry e : n.parameters().entries()) {
            if (e.trainable()) {
                tr.add(e);
            }
        }
        this.trainable = List.copyOf(tr);
    }

    /** Floats per sample: the features, or the frozen trunk's output. */
    public int sampleWidth() {
        return width;
    }

    /** Index of the first trained layer of the serving network (0: the whole network trains). */
    public int splitLayer() {
        return split;
    }

    /** What is trained: the head network (or a copy of the whole network), with the trained weights. */
    public Network network() {
        return net;
    }

    /** Samples with a tick sequence at or below this are ignored: a restart has already trained on them. */
    public void skipThrough(long tickSequence) {
        this.skipThrough = tickSequence;
    }

    /**
     * Takes one matured sample: {@code width} floats at {@code values[offset..]}, label 1 (up) or 0 (down). Returns
     * false, keeping nothing, for a sample a restart already covered or a malformed one.
     */
    public boolean offer(long tickSequence, long resumeIndex, int label, DirectBuffer values, int offset,
                         int valuesWidth) {
        if (tickSequence <= skipThrough || valuesWidth != width || (label != 0 && label != 1)) {
            skipped++;
            return false;
        }
        windowRows.putBytes(head * width * Float.BYTES, values, offset, width * Float.BYTES);
        labels[head] = label;
        head = head + 1 == labels.length ? 0 : head + 1;
        filled = Math.min(filled + 1, labels.length);
        samples++;
        sinceRound++;
        lastSequence = tickSequence;
        lastResumeIndex = resumeIndex;
        return true;
    }

    /**
     * Runs a round when {@code cadence} samples have come in since the last one (and a batch is available and
     * learning is not paused). Returns 1 for an accepted round, -1 for a rejected one, 0 when none was due.
     */
    public int maybeTrain() {
        if (paused || sinceRound < config.cadence() || filled < config.batch()) {
            return 0;
        }
        sinceRound = 0;
        rounds++;
        long deadline = config.roundBudgetNs() > 0 ? clock.nanoTime() + config.roundBudgetNs() : Long.MAX_VALUE;
        double sum = 0;
        int taken = 0;
        for (int s = 0; s < config.stepsPerRound() && (s == 0 || clock.nanoTime() < deadline); s++) {
            fillBatch();
            long rejectedBefore = trainer.rejectedSteps();
            float loss = trainer.step(config.batch());
            steps++;
            lastLoss = loss;
            if (trainer.rejectedSteps() != rejectedBefore || !Float.isFinite(loss)) {
                return reject(REJECTED_NOT_FINITE);
            }
            boolean spike = config.spikeFactor() > 0 && lossObservations >= SPIKE_WARMUP_STEPS
                && loss > config.spikeFactor() * typicalLoss;
            observeLoss(loss);
            if (spike) {
                return reject(REJECTED_SPIKE);
            }
            sum += loss;
            taken++;
        }
        if (config.maxDistance() > 0) {
            boundDistance();
        }
        lastGood.capture();
        accepted++;
        lastRejection = REJECTED_NONE;
        curve.add(samples, sum / taken);
        return 1;
    }

    private void observeLoss(double loss) {
        typicalLoss = lossObservations == 0 ? loss : typicalLoss + TYPICAL_LOSS_WEIGHT * (loss - typicalLoss);
        lossObservations++;
    }

    private int reject(int reason) {
        lastGood.restore();
        rejected++;
        if (reason == REJECTED_SPIKE) {
            rejectedSpike++;
        }
        lastRejection = reason;
        return -1;
    }

    private void fillBatch() {
        MutableDirectBuffer in = net.input();
        MutableDirectBuffer targets = trainer.targets();
        int rowBytes = width * Float.BYTES;
        for (int i = 0; i < config.batch(); i++) {
            int r = random.nextInt(filled);
            in.putBytes(i * rowBytes, windowRows, r * rowBytes, rowBytes);
            float y = labels[r];
            if (twoClassSoftmax) {
                targets.putFloat((2 * i) * Float.BYTES, 1f - y);
                targets.putFloat((2 * i + 1) * Float.BYTES, y);
            } else {
                targets.putFloat(i * Float.BYTES, y);
            }
        }
    }

    /** Pulls the trainable weights back within maxDistance (L2, over every trainable tensor) of the start. */
    private void boundDistance() {
        double distance = distanceFromStart();
        if (distance <= config.maxDistance()) {
            return;
        }
        UnsafeBuffer p = net.parameterSlab().buffer();
        UnsafeBuffer s = startWeights.buffer();
        double f = config.maxDistance() / distance;
        for (int k = 0; k < trainable.size(); k++) {
            ParamEntry e = trainable.get(k);
            int base = (int) (e.offset() * Float.BYTES);
            for (long i = 0; i < e.length(); i++) {
                int at = base + (int) i * Float.BYTES;
                float st = s.getFloat(at);
                p.putFloat(at, (float) (st + (p.getFloat(at) - st) * f));
            }
        }
        projected++;
    }

    /** L2 distance of the trainable weights from where learning started (the anchor's weights, when given). */
    public double distanceFromStart() {
        UnsafeBuffer p = net.parameterSlab().buffer();
        UnsafeBuffer s = startWeights.buffer();
        double sum = 0;
        for (int k = 0; k < trainable.size(); k++) {   // indexed: no iterator on the trainer's path
            ParamEntry e = trainable.get(k);
            int base = (int) (e.offset() * Float.BYTES);
            for (long i = 0; i < e.length(); i++) {
                int at = base + (int) i * Float.BYTES;
                double d = p.getFloat(at) - s.getFloat(at);
                sum += d * d;
            }
        }
        return Math.sqrt(sum);
    }

    /** Stops training rounds (samples still come in); any thread. */
    public void pause() {
        paused = true;
    }

    /** Resumes training rounds; any thread. */
    public void resume() {
        paused = false;
    }

    public boolean isPaused() {
        return paused;
    }

    /** Samples taken into the window. */
    public long samples() {
        return samples;
    }

    /** Samples ignored: already covered by a checkpoint, or malformed. */
    public long skipped() {
        return skipped;
    }

    public long rounds() {
        return rounds;
    }

    public long acceptedRounds() {
        return accepted;
    }

    /** Rounds rejected and rolled back, for any reason. */
    public long rejectedRounds() {
        return rejected;
    }

    /** Rounds rejected for a loss spike. */
    public long rejectedSpikes() {
        return rejectedSpike;
    }

    /** Reason of the last round: {@link #REJECTED_NONE} when it was accepted. */
    public int lastRejection() {
        return lastRejection;
    }

    /** Accepted rounds whose weights were pulled back to maxDistance. */
    public long projected() {
        return projected;
    }

    /** Training steps taken, rolled-back ones included. */
    public long steps() {
        return steps;
    }

    /** Steps the optimizer has applied and kept (rolled-back ones are taken back). */
    public long optimizerSteps() {
        return trainer.optimizer().steps();
    }

    /**
     * Adam's first and second moments of every trained tensor, named {@code optimizer.adam.m.<tensor>} and
     * {@code optimizer.adam.v.<tensor>}, to checkpoint beside the weights they belong to. Allocates (checkpoints only).
     */
    public List<TensorEntry> optimizerState() {
        List<Slab> state = trainer.optimizer().state();
        List<TensorEntry> tensors = new ArrayList<>();
        if (state.size() != MOMENTS.length) {
            return tensors;
        }
        for (ParamEntry e : trainable) {
            long[] shape = Arrays.stream(e.shape()).asLongStream().toArray();
            for (int k = 0; k < MOMENTS.length; k++) {
                float[] data = new float[(int) e.length()];
                UnsafeBuffer b = state.get(k).buffer();
                for (int i = 0; i < data.length; i++) {
                    data[i] = b.getFloat((int) ((e.offset() + i) * Float.BYTES));
                }
                tensors.add(TensorEntry.f32(MOMENTS[k] + e.name(), shape, data));
            }
        }
        return tensors;
    }

    /**
     * Puts back moments saved by {@link #optimizerState()} and the optimizer's step count, so that learning after a
     * restart goes on where it stopped instead of taking the large first steps of fresh moments. Changes nothing and
     * returns false unless both moments of every trained tensor are there with its length.
     */
    public boolean restoreOptimizerState(Map<String, TensorEntry> saved, long steps) {
        if (trainer.optimizer().state().size() != MOMENTS.length) {
            return false;
        }
        for (ParamEntry e : trainable) {
            for (String moment : MOMENTS) {
                TensorEntry t = saved.get(moment + e.name());
                if (t == null || t.data().length != e.length() || steps < 0) {
                    return false;
                }
            }
        }
        List<Slab> state = trainer.optimizer().state();
        for (ParamEntry e : trainable) {
            for (int k = 0; k < MOMENTS.length; k++) {
                float[] data = saved.get(MOMENTS[k] + e.name()).data();
                UnsafeBuffer b = state.get(k).buffer();
                for (int i = 0; i < data.length; i++) {
                    b.putFloat((int) ((e.offset() + i) * Float.BYTES), data[i]);
                }
            }
        }
        trainer.optimizer().restoreSteps(steps);
        lastGood.capture();   // a rejected round rolls back to the restored state
        return true;
    }

    /** Batch loss of the last step. */
    public double lastLoss() {
        return lastLoss;
    }

    /** The typical batch loss the spike test compares against (NaN before the first step). */
    public double typicalLoss() {
        return typicalLoss;
    }

    /** Tick sequence of the newest sample taken (what a checkpoint covers). */
    public long lastSequence() {
        return lastSequence;
    }

    /** Resume index of the newest sample taken. */
    public long lastResumeIndex() {
        return lastResumeIndex;
    }

    /** Mean batch loss of each accepted round against the samples seen by then. */
    public LearningCurve curve() {
        return curve;
    }

    public OnlineConfig config() {
        return config;
    }

    @Override
    public void close() {
        closeQuietly(window);
        closeQuietly(startWeights);
        closeQuietly(lastGood);
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
