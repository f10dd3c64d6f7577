package io.tickgrad.train;

import io.tickgrad.nativeio.Abi;
import io.tickgrad.nn.Activation;
import io.tickgrad.nn.ActivationLayer;
import io.tickgrad.nn.Backend;
import io.tickgrad.nn.Layer;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.Softmax;
import io.tickgrad.tensor.ParamEntry;
import io.tickgrad.tensor.Slab;
import java.util.List;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Trains a {@link Network}: forward, loss, backward, optional global gradient-norm clipping, optimizer step,
 * over the trainable tensors only. A step whose loss or gradient norm is not finite is not applied and is
 * counted in {@link #rejectedSteps()}.
 *
 * <p>A final softmax layer with {@link Loss#softmaxCrossEntropy()}, or a final sigmoid with
 * {@link Loss#binaryCrossEntropyWithLogits()}, is fused with the loss: the loss reads the logits before the
 * last layer, which is both cheaper and numerically stable. After warm-up a step allocates nothing.
 *
 * <p>Weighting: built with {@link Builder#lossWeights(LossWeights)}, every step and {@link #evaluateLoss} use
 * PyTorch's weighted mean (class weights, a positive-class weight, and with {@code step(batch, true)} the
 * {@link #sampleWeights()}; see {@link LossWeights}). Without it, {@code step(batch, true)} keeps Keras'
 * sample_weight semantics, {@code (1/B) sum_b w_b loss_b}.
 *
 * <p>Threads: one thread at a time, and not while another thread uses the same {@link Network} (not detected).
 * Memory: the trainer owns its target and weight slabs and the optimizer's state, all freed by {@link #close()};
 * the network is borrowed.
 */
public final class Trainer implements AutoCloseable {
    private final Network net;
    private final Loss loss;
    private final Optimizer optimizer;
    private final LearningRateSchedule schedule;
    private final float clipNorm;
    private final long seed;
    private final Slab targets;
    private final Slab sampleWeights;
    private final LossWeights lossWeights;   // null: Keras-style unweighted mean
    private final Slab columnWeights;        // null: none
    private final UnsafeBuffer targetView;
    private final UnsafeBuffer weightView;
    private final int lossLayer;      // index of the layer whose output the loss reads; -1 = the input
    private final int lossColumns;
    private long step;
    private long rejected;
    private double lastGradientNorm;
    private boolean closed;

    private Trainer(Builder b) {
        this.net = b.net;
        this.loss = b.loss;
        this.optimizer = b.optimizer;
        this.schedule = b.schedule;
        this.clipNorm = b.clipNorm;
        this.seed = b.seed;
        int last = net.layers().size() - 1;
        Layer lastLayer = net.layers().get(last);
        boolean fused = (loss.kind() == Abi.LOSS_SOFTMAX_XENT && lastLayer instanceof Softmax)
            || (loss.kind() == Abi.LOSS_BCE_LOGITS && lastLayer instanceof ActivationLayer
                && ((ActivationLayer) lastLayer).activation() == Activation.SIGMOID);
        this.lossLayer = fused ? last - 1 : last;
        this.lossColumns = net.outputs();
        this.targets = Slab.ofFloats("targets", (long) net.maxBatch() * net.outputs());
        this.sampleWeights = Slab.ofFloats("sample-weights", net.maxBatch());
        this.targetView = new UnsafeBuffer(targets.address(), targets.byteLength());
        this.weightView = new UnsafeBuffer(sampleWeights.address(), sampleWeights.byteLength());
        this.lossWeights = b.lossWeights;
        Slab cw = null;
        try {
            float[] perColumn = lossWeights == null ? null : lossWeights.columnWeightsFor(loss, lossColumns);
            if (perColumn != null) {
                cw = Slab.ofFloats("column-weights", perColumn.length);
                cw.putFloats(0, perColumn, 0, perColumn.length);
            }
            this.columnWeights = cw;
            optimizer.bind(net.parameters());
        } catch (RuntimeException | Error e) {
            targets.close();
            sampleWeights.close();
            if (cw != null) {
                cw.close();
            }
            throw e;
        }
    }

    /**
     * Starts configuring a trainer of {@code net}: by default mean squared error, Adam at 1e-3, a constant learning
     * rate, no clipping, seed 42.
     *
     * @param net the network to train; borrowed (the trainer never closes it)
     * @return the builder
     */
    public static Builder builder(Network net) {
        return new Builder(net);
    }

    /**
     * Target rows, [maxBatch, outputs] float32: write them here before {@link #step(int)}.
     *
     * @return a view of the trainer's off-heap target slab, valid until {@link #close()}
     * @throws IllegalStateException after {@link #close()}
     */
    public MutableDirectBuffer targets() {
        ensureOpen();
        return targetView;
    }

    /**
     * Per-sample weights, [maxBatch] float32, used when a step is called with {@code weighted = true}.
     *
     * @return a view of the trainer's off-heap weight slab, valid until {@link #close()}
     * @throws IllegalStateException after {@link #close()}
     */
    public MutableDirectBuffer sampleWeights() {
        ensureOpen();
        return weightView;
    }

    /**
     * One training step on {@code batch} rows already in {@code net.input()} and {@link #targets()}.
     *
     * @param batch rows, in [1, net.maxBatch()]
     * @return the loss of the batch before the update (a mean over the batch); not finite when the step was rejected
     */
    public float step(int batch) {
        return step(batch, false);
    }

    /**
     * One training step; with {@code weighted}, each sample's loss is scaled by {@link #sampleWeights()} (each
     * finite and >= 0): the weighted mean with {@link LossWeights}, else {@code (1/B) sum_b w_b loss_b}.
     *
     * @param batch    rows already written to the network's input and {@link #targets()}, in [1, net.maxBatch()]
     * @param weighted whether to scale each sample's loss by {@link #sampleWeights()}
     * @return the loss of the batch before the update; when it or the gradient norm is not finite the step is not
     *         applied and is counted in {@link #rejectedSteps()}
     * @throws IllegalStateException after {@link #close()}
     */
    public float step(int batch, boolean weighted) {
        ensureOpen();
        Backend backend = net.backend();
        net.zeroGradients();
        net.forward(batch, true, seed + step * 0x9E3779B97F4A7C15L, lossLayer);
        long pred = lossLayer < 0 ? net.inputAddress() : net.layerOutputAddress(lossLayer);
        long w = weighted ? sampleWeights.address() : 0;
        float value = lossWeights == null
            ? backend.loss(net.outputGradientAddress(), pred, targets.address(), w, batch, lossColumns, loss.kind(),
                loss.param())
            : backend.weightedLoss(net.outputGradientAddress(), pred, targets.address(), w, columnWeightAddress(),
                batch, lossColumns, loss.kind(), loss.param());
        if (lossLayer >= 0) {
            net.backward(batch, lossLayer);
        }
        double norm = gradientNorm();
        lastGradientNorm = norm;
        float lr = (float) schedule.rate(step, optimizer.learningRate());
        step++;
        if (!Float.isFinite(value) || !Double.isFinite(norm)) {
            rejected++;
            return value;
        }
        if (clipNorm > 0 && norm > clipNorm) {
            scaleGradients((float) (clipNorm / norm));
        }
        optimizer.step(backend, net.parameters(), net.parameterSlab(), net.gradientSlab(), lr);
        return value;
    }

    /**
     * Copies {@code batch} rows of inputs and targets in, then runs {@link #step(int)}.
     *
     * @param x     inputs, batch x inputs floats, row-major
     * @param y     targets, batch x outputs floats, row-major
     * @param batch rows
     * @return the loss of the batch before the update
     */
    public float step(float[] x, float[] y, int batch) {
        net.writeInput(x, batch);
        writeTargets(y, batch);
        return step(batch);
    }

    /**
     * Copies {@code batch} target rows into {@link #targets()}.
     *
     * @param y     targets, at least batch x outputs floats, row-major
     * @param batch rows, in [1, net.maxBatch()]
     */
    public void writeTargets(float[] y, int batch) {
        ensureOpen();
        int n = batch * net.outputs();
        if (batch < 1 || batch > net.maxBatch() || y.length < n) {
            throw new IllegalArgumentException("targets: need " + n + " floats for batch " + batch + " (max batch "
                + net.maxBatch() + "), got " + y.length);
        }
        for (int i = 0; i < n; i++) {
            targetView.putFloat(i * Float.BYTES, y[i]);
        }
    }

    /**
     * The loss on {@code batch} rows in predict mode (dropout off), without touching gradients; with
     * {@link LossWeights}, under its class or positive-class weights (not the sample weights).
     *
     * @param batch rows already written to the network's input and {@link #targets()}
     * @return the mean loss of those rows
     */
    public float evaluateLoss(int batch) {
        ensureOpen();
        net.forward(batch, false, 0, lossLayer);
        long pred = lossLayer < 0 ? net.inputAddress() : net.layerOutputAddress(lossLayer);
        return lossWeights == null
            ? net.backend().loss(0, pred, targets.address(), 0, batch, lossColumns, loss.kind(), loss.param())
            : net.backend().weightedLoss(0, pred, targets.address(), 0, columnWeightAddress(), batch, lossColumns,
                loss.kind(), loss.param());
    }

    private long columnWeightAddress() {
        return columnWeights == null ? 0 : columnWeights.address();
    }

    /**
     * The loss weighting, or null for the plain (Keras-style) mean.
     *
     * @return the weights the builder was given
     */
    public LossWeights lossWeights() {
        return lossWeights;
    }

    private double gradientNorm() {
        Backend backend = net.backend();
        long g = net.gradientSlab().address();
        double sum = 0;
        List<ParamEntry> entries = net.parameters().entries();
        for (int i = 0; i < entries.size(); i++) {   // indexed: no iterator on the hot path
            ParamEntry e = entries.get(i);
            if (e.trainable()) {
                sum += backend.sumSquares(g + e.offset() * Float.BYTES, e.length());
            }
        }
        return Math.sqrt(sum);
    }

    private void scaleGradients(float factor) {
        Backend backend = net.backend();
        long g = net.gradientSlab().address();
        List<ParamEntry> entries = net.parameters().entries();
        for (int i = 0; i < entries.size(); i++) {
            ParamEntry e = entries.get(i);
            if (e.trainable()) {
                backend.scale(g + e.offset() * Float.BYTES, e.length(), factor);
            }
        }
    }

    /**
     * The network this trainer updates.
     *
     * @return the borrowed network
     */
    public Network network() {
        return net;
    }

    /**
     * The loss being minimised.
     *
     * @return the loss
     */
    public Loss loss() {
        return loss;
    }

    /**
     * The optimizer, owned by the trainer (its state is freed by {@link #close()}).
     *
     * @return the optimizer
     */
    public Optimizer optimizer() {
        return optimizer;
    }

    /**
     * Steps taken, rejected ones included.
     *
     * @return the number of calls to step since construction; the learning-rate schedule's step index
     */
    public long steps() {
        return step;
    }

    /**
     * Steps not applied because the loss or the gradient norm was not finite.
     *
     * @return the count of rejected steps
     */
    public long rejectedSteps() {
        return rejected;
    }

    /**
     * The global gradient norm of the last step, before clipping.
     *
     * @return the L2 norm over every trainable gradient of the last step (NaN or infinite when it was rejected)
     */
    public double lastGradientNorm() {
        return lastGradientNorm;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("trainer is closed");
        }
    }

    /** Frees the trainer's slabs and the optimizer state (not the network). */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            targetView.wrap(new byte[0]);
            weightView.wrap(new byte[0]);
            targets.close();
            sampleWeights.close();
            if (columnWeights != null) {
                columnWeights.close();
            }
            optimizer.close();
        }
    }

    /** Configures a {@link Trainer}. */
    public static final class Builder {
        private final Network net;
        private Loss loss = Loss.meanSquaredError();
        private Optimizer optimizer;
        private LearningRateSchedule schedule = LearningRateSchedule.constant();
        private float clipNorm;
        private long seed = 42;
        private LossWeights lossWeights;

        private Builder(Network net) {
            this.net = net;
        }

        /**
         * The loss to minimise (default mean squared error).
         *
         * @param value the loss
         * @return this builder
         */
        public Builder loss(Loss value) {
            this.loss = value;
            return this;
        }

        /**
         * The optimizer (default Adam at 1e-3). The trainer takes ownership: its {@link #close()} closes the optimizer.
         *
         * @param value the optimizer, not shared with another trainer
         * @return this builder
         */
        public Builder optimizer(Optimizer value) {
            this.optimizer = value;
            return this;
        }

        /**
         * The learning rate per step, as a function of the optimizer's base rate (default constant).
         *
         * @param value the schedule
         * @return this builder
         */
        public Builder schedule(LearningRateSchedule value) {
            this.schedule = value;
            return this;
        }

        /**
         * Global gradient-norm clipping threshold; 0 turns it off.
         *
         * @param value the largest global L2 norm of the gradients, finite and &gt;= 0; larger gradients are scaled
         *              down
         * @return this builder
         * @throws IllegalArgumentException when value is negative or not finite
         */
        public Builder clipGradientNorm(float value) {
            if (!(value >= 0 && Float.isFinite(value))) {
                throw new IllegalArgumentException("clip norm must be finite and >= 0, got " + value);
            }
            this.clipNorm = value;
            return this;
        }

        /**
         * PyTorch's weighted mean: class weights, a positive-class weight or sample weights alone (see
         * {@link LossWeights}). {@link #build()} refuses weights that do not fit the loss or the outputs.
         *
         * @param value the weights, or null for the plain mean
         * @return this builder
         */
        public Builder lossWeights(LossWeights value) {
            this.lossWeights = value;
            return this;
        }

        /**
         * Seed of the dropout masks.
         *
         * @param value the seed; step k uses a seed derived from it and k, so a run can be repeated exactly
         * @return this builder
         */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /**
         * Builds the trainer and allocates its target and weight slabs (off-heap, owned by the trainer, freed by
         * {@link Trainer#close()}).
         *
         * @return the trainer; one thread at a time, and not while another thread uses the same network
         * @throws IllegalArgumentException when the loss weights do not fit the loss or the network's outputs
         */
        public Trainer build() {
            if (optimizer == null) {
                optimizer = Adam.adam(1e-3f);
            }
            return new Trainer(this);
        }
    }
}
