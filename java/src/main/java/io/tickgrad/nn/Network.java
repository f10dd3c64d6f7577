package io.tickgrad.nn;

import io.tickgrad.JvmFlags;
import io.tickgrad.nativeio.Abi;
import io.tickgrad.tensor.ParamEntry;
import io.tickgrad.tensor.ParamTable;
import io.tickgrad.tensor.Slab;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A sequential network with all of its memory off-heap: one parameter slab and one gradient slab laid
 * out by a {@link ParamTable}, one activation slab sized for {@code maxBatch} rows, and a forward plan
 * so that predicting is a single native call.
 *
 * <p>Predicting ({@link #predict(int)}) allocates nothing, takes no lock and runs on the caller's thread.
 * A network is used by one thread at a time. {@link #close()} frees everything; a second close is
 * harmless and any use after close throws {@link IllegalStateException}.
 */
public final class Network implements AutoCloseable {
    private final int inputs;
    private final int outputs;
    private final int maxBatch;
    private final List<Layer> layers;
    private final ParamTable table;
    private final Backend backend;
    private final Slab params;
    private final Slab grads;
    private final Slab activations;
    private final Slab plan;
    private final int planOps;
    private final long[] layerX;   // float offsets in the activation slab, per layer
    private final long[] layerY;
    private final long[] layerAux;
    private final long gradA;
    private final long gradB;
    private final long predictOutput;
    private final long[] predictY;   // where predict() leaves layer i's output (dropouts alias their input)
    private final boolean[] denseThenActivation;   // layer i is a Dense, layer i + 1 an ActivationLayer: fused forward
    private final boolean[] activationThenDense;   // layer i is a Dense, layer i - 1 an ActivationLayer: fused backward
    private final UnsafeBuffer inputView;
    private final UnsafeBuffer outputView;
    /**
     * The fp32 weight bytes up to which {@link #setPrecision(Precision)} leaves a dense layer in fp32: 32 KiB, the L1
     * data cache of the x86 cores this targets, where a small layer's weights stay between predictions.
     */
    public static final long CACHE_RESIDENT_WEIGHT_BYTES = 32 * 1024;
    private final long[] planWords;   // the fp32 plan, kept to derive reduced-precision plans from
    private ReducedPrecisionCopy reduced;   // null: predict with the fp32 weights
    private boolean closed;

    private Network(int inputs, List<Layer> layers, Backend backend, int maxBatch) {
        if (inputs < 1) {
            throw new IllegalArgumentException("a network needs at least one input, got " + inputs);
        }
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a network needs at least one layer");
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
        }
        this.inputs = inputs;
        this.maxBatch = maxBatch;
        this.layers = Collections.unmodifiableList(new ArrayList<>(layers));
        this.backend = backend;

        List<String> names = new ArrayList<>();
        int width = inputs;
        int maxWidth = inputs;
        ParamTable.Builder tb = ParamTable.builder();
        for (Layer layer : layers) {
            if (names.contains(layer.name())) {
                throw new IllegalArgumentException("duplicate layer name '" + layer.name() + "'");
            }
            names.add(layer.name());
            width = layer.bind(width);
            maxWidth = Math.max(maxWidth, width);
            layer.declareParameters(tb);
            if (layer instanceof LayerNorm) {
                ((LayerNorm) layer).setMaxBatch(maxBatch);
            }
        }
        this.outputs = width;
        this.table = tb.build();
        for (Layer layer : layers) {
            layer.resolveParameters(table);
        }

        // activation layout: x0, then per layer y_i and its scratch, then two gradient ping-pong buffers
        int n = layers.size();
        denseThenActivation = new boolean[n];
        activationThenDense = new boolean[n];
        for (int i = 0; i + 1 < n; i++) {
            denseThenActivation[i] = layers.get(i) instanceof Dense && layers.get(i + 1) instanceof ActivationLayer;
            activationThenDense[i + 1] = layers.get(i) instanceof ActivationLayer && layers.get(i + 1) instanceof Dense;
        }
        layerX = new long[n];
        layerY = new long[n];
        layerAux = new long[n];
        long cursor = 0;
        long x = cursor;
        cursor = Slab.alignFloats(cursor + (long) maxBatch * inputs);
        for (int i = 0; i < n; i++) {
            Layer layer = layers.get(i);
            layerX[i] = x;
            layerY[i] = cursor;
            cursor = Slab.alignFloats(cursor + (long) maxBatch * layer.outFeatures());
            layerAux[i] = cursor;
            cursor = Slab.alignFloats(cursor + layer.auxFloats(maxBatch));
            x = layerY[i];
        }
        gradA = cursor;
        cursor = Slab.alignFloats(cursor + (long) maxBatch * maxWidth);
        gradB = cursor;
        cursor = Slab.alignFloats(cursor + (long) maxBatch * maxWidth);

        // the predict plan; dropout emits nothing, so its output aliases its input
        long[] words = new long[n * Abi.PLAN_WORDS];
        int ops = 0;
        long current = 0;
        predictY = new long[n];
        for (int i = 0; i < n; i++) {
            if (layers.get(i).writePlan(words, ops, current, layerY[i])) {
                ops++;
                current = layerY[i];
            }
            predictY[i] = current;
        }
        if (ops == 0) {
            // a network of dropouts only: still give predict one op so its output is written
            Layer.planEntry(words, 0, Abi.OP_COPY, inputs, inputs, -1, -1, 0, layerY[n - 1], 0, 0f);
            ops = 1;
            current = layerY[n - 1];
            predictY[n - 1] = current;
        }
        this.planOps = ops;
        this.planWords = java.util.Arrays.copyOf(words, ops * Abi.PLAN_WORDS);
        this.predictOutput = current;

        Slab p = null;
        Slab g = null;
        Slab a = null;
        Slab pl = null;
        try {
            p = table.allocate("parameters");
            g = table.allocate("gradients");
            a = Slab.ofFloats("activations", cursor);
            pl = Slab.ofBytes("plan", (long) ops * Abi.PLAN_WORDS * Long.BYTES);
            for (int i = 0; i < ops * Abi.PLAN_WORDS; i++) {
                pl.buffer().putLong(i * Long.BYTES, words[i]);
            }
        } catch (RuntimeException | Error e) {
            closeQuietly(p, g, a, pl);
            throw e;
        }
        this.params = p;
        this.grads = g;
        this.activations = a;
        this.plan = pl;
        this.inputView = new UnsafeBuffer(activations.address(), maxBatch * inputs * Float.BYTES);
        this.outputView = new UnsafeBuffer(activations.address() + predictOutput * Float.BYTES,
            maxBatch * outputs * Float.BYTES);
    }

    /**
     * Starts a sequential network with {@code inputs} features per sample. Checks the JVM flags the off-heap
     * memory needs first.
     *
     * @param inputs features per input row, at least 1
     * @return a builder to add layers to and then {@link NetworkBuilder#build build}
     * @throws IllegalStateException when a required JVM flag is missing (the message names the flag to add)
     */
    public static NetworkBuilder builder(int inputs) {
        JvmFlags.requireCore();
        return new NetworkBuilder(inputs);
    }

    /**
     * Builds a network from unbound layers (copies are bound, so the given layers stay reusable): the way to give a
     * second thread its own network over the same architecture (then {@link #copyParametersFrom}). Allocates the slabs;
     * the parameters are not initialised (zero until {@link #initialize} or {@link #setParameter}).
     *
     * @param inputs   features per input row, at least 1
     * @param layers   the layers in order; each must accept the previous one's output width
     * @param backend  the kernels to run on; borrowed, not closed by {@link #close()}
     * @param maxBatch the most rows one call may process, at least 1; sizes the activation slab
     * @return the network; the caller owns it and frees its native memory with {@link #close()}
     * @throws IllegalArgumentException when inputs, maxBatch or a layer's width does not fit
     */
    public static Network create(int inputs, List<Layer> layers, Backend backend, int maxBatch) {
        List<Layer> copies = new ArrayList<>(layers.size());
        for (Layer l : layers) {
            copies.add(l.copy());
        }
        return new Network(inputs, copies, backend, maxBatch);
    }

    /**
     * The width of an input row.
     *
     * @return features per input row
     */
    public int inputs() {
        return inputs;
    }

    /**
     * The width of an output row (the last layer's width).
     *
     * @return floats per output row
     */
    public int outputs() {
        return outputs;
    }

    /**
     * The most rows one call may process, fixed at construction.
     *
     * @return the row capacity of {@link #input()} and {@link #output()}
     */
    public int maxBatch() {
        return maxBatch;
    }

    /**
     * The layers in order, bound to this network's parameter table.
     *
     * @return an unmodifiable list
     */
    public List<Layer> layers() {
        return layers;
    }

    /**
     * The layout of the parameter slab (and of the gradient slab): every tensor's name, shape, float offset and
     * trainable flag.
     *
     * @return the table; freezing a tensor through it changes what training updates
     */
    public ParamTable parameters() {
        return table;
    }

    /**
     * The kernels this network runs on.
     *
     * @return the backend, borrowed: the network does not close it
     */
    public Backend backend() {
        return backend;
    }

    /**
     * The parameter slab, fp32, laid out by {@link #parameters()}. Owned by the network and freed by its
     * {@link #close()}; do not close it yourself.
     *
     * @return the slab
     * @throws IllegalStateException after {@link #close()}
     */
    public Slab parameterSlab() {
        ensureOpen();
        return params;
    }

    /**
     * The gradient slab, fp32, with the same layout as the parameters. Owned and freed as {@link #parameterSlab()}.
     *
     * @return the slab
     * @throws IllegalStateException after {@link #close()}
     */
    public Slab gradientSlab() {
        ensureOpen();
        return grads;
    }

    /**
     * Input rows, [maxBatch, inputs] float32, row-major; write features here, then call {@link #predict(int)}. A view
     * of the activation slab, valid until {@link #close()} (afterwards it wraps an empty array and throws on use).
     *
     * @return the input view; allocated once, the same object on every call
     * @throws IllegalStateException after {@link #close()}
     */
    public MutableDirectBuffer input() {
        ensureOpen();
        return inputView;
    }

    /**
     * Output rows of the last {@link #predict(int)}, [maxBatch, outputs] float32, row-major. A view valid until
     * {@link #close()}; overwritten by the next predict.
     *
     * @return the output view; the same object on every call
     * @throws IllegalStateException after {@link #close()}
     */
    public DirectBuffer output() {
        ensureOpen();
        return outputView;
    }

    /**
     * Runs the forward pass in predict mode (dropout off) on the first {@code batch} rows of {@link #input()},
     * in one native call, and leaves the result in {@link #output()}. Allocates nothing, takes no lock; one thread at a
     * time (not checked).
     *
     * @param batch rows to predict, in [1, maxBatch]
     * @throws IllegalArgumentException when batch is out of range
     * @throws IllegalStateException after {@link #close()}
     */
    public void predict(int batch) {
        ensureOpen();
        checkBatch(batch);
        if (reduced != null && reduced.reducedLayers() > 0) {
            reduced.predict(activations.address(), params.address(), batch);
        } else {
            backend.planForward(activations.address(), params.address(), plan.address(), planOps, batch);
        }
    }

    /**
     * Chooses the precision of the weights {@link #predict} uses from now on (cold path: allocates and packs). At
     * bf16 or int8 a packed copy of the current dense weights is made; training still reads and writes the fp32
     * weights, and {@link #refreshPrecision()} (called by {@link #copyParametersFrom}) packs them again. Needs a
     * backend that {@link Backend#supportsPrecision supports} it; otherwise throws {@link IllegalArgumentException}.
     *
     * <p>Only dense layers whose fp32 weights exceed {@link #CACHE_RESIDENT_WEIGHT_BYTES} are packed: smaller ones
     * stay in the L1 cache between predictions, where fewer bytes save nothing and the conversion costs time (the
     * 32-64-64-1 network predicts faster in fp32 than packed). {@link #reducedLayers()} tells how many were packed;
     * {@link #setPrecision(Precision, long)} sets the size limit (0 packs every dense layer). The packed copy is native
     * memory owned by the network and freed by {@link #close()} or by the next call.
     *
     * @param precision the weight precision for predict; {@link Precision#FP32} drops any packed copy
     */
    public void setPrecision(Precision precision) {
        setPrecision(precision, CACHE_RESIDENT_WEIGHT_BYTES);
    }

    /**
     * As {@link #setPrecision(Precision)}, packing only the dense layers whose fp32 weights take more than
     * {@code smallestReducedBytes} bytes (0: every dense layer).
     *
     * @param precision            the weight precision for predict
     * @param smallestReducedBytes fp32 weight bytes up to which a dense layer stays fp32, at least 0
     * @throws IllegalArgumentException when smallestReducedBytes is negative or the backend does not support the
     *                                  precision
     */
    public void setPrecision(Precision precision, long smallestReducedBytes) {
        ensureOpen();
        if (smallestReducedBytes < 0) {
            throw new IllegalArgumentException("smallestReducedBytes must be >= 0, got " + smallestReducedBytes);
        }
        if (precision == precision() && (reduced == null || reduced.smallestReducedBytes() == smallestReducedBytes)) {
            return;
        }
        ReducedPrecisionCopy next = precision == Precision.FP32 ? null
            : new ReducedPrecisionCopy(precision, backend, planWords, planOps, params, smallestReducedBytes);
        ReducedPrecisionCopy old = reduced;
        reduced = next;
        if (old != null) {
            old.close();
        }
    }

    /**
     * How many dense layers {@link #predict} runs with reduced-precision weights.
     *
     * @return the number of packed layers, 0 at fp32
     */
    public int reducedLayers() {
        return reduced == null ? 0 : reduced.reducedLayers();
    }

    /**
     * The precision {@link #predict} uses.
     *
     * @return fp32 unless {@link #setPrecision} chose another
     */
    public Precision precision() {
        return reduced == null ? Precision.FP32 : reduced.precision();
    }

    /** Packs the current fp32 weights into the reduced-precision copy again (nothing at fp32); allocates nothing. */
    public void refreshPrecision() {
        ensureOpen();
        if (reduced != null) {
            reduced.refresh(params);
        }
    }

    /**
     * Predicts one sample: copies {@code x} into {@link #input()}, predicts and copies the outputs to {@code y}.
     * Allocates nothing; a convenience for tests and cold paths (the hot path writes {@link #input()} directly).
     *
     * @param x the features, at least {@link #inputs()} floats
     * @param y receives the outputs, at least {@link #outputs()} floats
     * @throws IllegalArgumentException when an array is null or too short
     */
    public void predict(float[] x, float[] y) {
        predict(x, 1, y);
    }

    /**
     * Predicts {@code batch} samples stored row-major in {@code x}; writes [batch, outputs] to {@code y}.
     *
     * @param x     the features, batch x inputs floats, row-major
     * @param batch rows, in [1, maxBatch]
     * @param y     receives the outputs, batch x outputs floats, row-major
     * @throws IllegalArgumentException when batch is out of range or an array is null or too short
     */
    public void predict(float[] x, int batch, float[] y) {
        ensureOpen();
        checkBatch(batch);
        checkLength("x", x, batch * inputs);
        checkLength("y", y, batch * outputs);
        writeInput(x, batch);
        predict(batch);
        for (int i = 0; i < batch * outputs; i++) {
            y[i] = outputView.getFloat(i * Float.BYTES);
        }
    }

    /**
     * Copies {@code batch} rows from {@code x} into {@link #input()}.
     *
     * @param x     the features, batch x inputs floats, row-major
     * @param batch rows, in [1, maxBatch]
     * @throws IllegalArgumentException when batch is out of range or x is null or too short
     */
    public void writeInput(float[] x, int batch) {
        ensureOpen();
        checkBatch(batch);
        checkLength("x", x, batch * inputs);
        for (int i = 0; i < batch * inputs; i++) {
            inputView.putFloat(i * Float.BYTES, x[i]);
        }
    }

    // ---- training support (used by io.tickgrad.train) ----

    /**
     * Runs every layer forward, keeping each layer's output for backward. A dense layer and the activation after it
     * run as one backend call (both outputs are still written). Used by the trainer; same thread rules as predict.
     *
     * @param batch    rows of {@link #input()} to process, in [1, maxBatch]
     * @param training true to apply dropout (training mode), false for predict mode
     * @param seed     the dropout seed of this step (each layer derives its own from it)
     */
    public void forward(int batch, boolean training, long seed) {
        forward(batch, training, seed, layers.size() - 1);
    }

    /**
     * Runs layers 0 to {@code lastLayer} forward (none when it is -1), like {@link #forward(int, boolean, long)}: a
     * trainer whose loss reads an earlier layer's output (softmax fused into the loss) skips what comes after it.
     *
     * @param batch     rows of {@link #input()} to process, in [1, maxBatch]
     * @param training  true to apply dropout
     * @param seed      the dropout seed of this step
     * @param lastLayer index of the last layer to run, in [-1, layers)
     * @throws IllegalArgumentException when batch or lastLayer is out of range
     */
    public void forward(int batch, boolean training, long seed, int lastLayer) {
        ensureOpen();
        checkBatch(batch);
        if (lastLayer < -1 || lastLayer >= layers.size()) {
            throw new IllegalArgumentException("last layer must be in [-1, " + layers.size() + "), got " + lastLayer);
        }
        long base = activations.address();
        long p = params.address();
        for (int i = 0; i <= lastLayer; i++) {
            if (denseThenActivation[i]) {
                ((Dense) layers.get(i)).forwardWithActivation(backend, p, base + layerX[i] * Float.BYTES,
                    base + layerY[i] * Float.BYTES, base + layerY[i + 1] * Float.BYTES, batch,
                    (ActivationLayer) layers.get(i + 1));
                i++;
                continue;
            }
            layers.get(i).forward(backend, p, base + layerX[i] * Float.BYTES, base + layerY[i] * Float.BYTES,
                base + layerAux[i] * Float.BYTES, batch, training, seed + i * 0x632BE59BD9B4E019L);
        }
    }

    /**
     * The address of layer {@code i}'s output after {@link #forward}: [maxBatch, layer.outFeatures()] float32,
     * row-major, inside the activation slab (owned by the network; valid until {@link #close()}).
     *
     * @param i the layer index
     * @return the native address of the output rows
     */
    public long layerOutputAddress(int i) {
        ensureOpen();
        return activations.address() + layerY[i] * Float.BYTES;
    }

    /**
     * Address of layer {@code i}'s output rows after {@link #predict(int)}, [maxBatch, layer.outFeatures()]
     * (a dropout's output is its input, since predict skips it). Lets a server keep a frozen trunk's output. Inside
     * the activation slab, valid until {@link #close()}.
     *
     * @param i the layer index, in [0, layers)
     * @return the native address of the output rows
     * @throws IllegalArgumentException when i is out of range
     */
    public long predictOutputAddress(int i) {
        ensureOpen();
        if (i < 0 || i >= layers.size()) {
            throw new IllegalArgumentException("layer index must be in [0, " + layers.size() + "), got " + i);
        }
        return activations.address() + predictY[i] * Float.BYTES;
    }

    /**
     * The address of the input rows, the same memory as {@link #input()}: [maxBatch, inputs] float32.
     *
     * @return the native address, valid until {@link #close()}
     */
    public long inputAddress() {
        ensureOpen();
        return activations.address();
    }

    /**
     * Scratch for the gradient of the loss w.r.t. a layer output: write it here ([batch, that layer's width] float32)
     * before {@link #backward}. Inside the activation slab, valid until {@link #close()}.
     *
     * @return the native address
     */
    public long outputGradientAddress() {
        ensureOpen();
        return activations.address() + gradA * Float.BYTES;
    }

    /** Zeroes the gradients of the trainable tensors. */
    public void zeroGradients() {
        ensureOpen();
        List<ParamEntry> entries = table.entries();
        for (int i = 0; i < entries.size(); i++) {   // indexed: no iterator on the training hot path
            ParamEntry e = entries.get(i);
            if (e.trainable()) {
                grads.zero(e.offset(), e.length());
            }
        }
    }

    /**
     * Backpropagates from the output of layer {@code fromLayer} (its gradient at {@link #outputGradientAddress()})
     * down to the first trainable layer, accumulating (+=) the gradients of trainable tensors into
     * {@link #gradientSlab()}. Needs the activations of a {@link #forward} over the same batch.
     *
     * @param batch     rows, as in the forward pass
     * @param fromLayer index of the layer whose output gradient was written
     * @throws IndexOutOfBoundsException when fromLayer is not a layer index
     */
    public void backward(int batch, int fromLayer) {
        ensureOpen();
        checkBatch(batch);
        if (fromLayer < 0 || fromLayer >= layers.size()) {
            throw new IndexOutOfBoundsException("layer " + fromLayer + " of " + layers.size());
        }
        int first = firstTrainableLayer();
        long base = activations.address();
        long p = params.address();
        long g = grads.address();
        long dy = base + gradA * Float.BYTES;
        long other = base + gradB * Float.BYTES;
        for (int i = fromLayer; i >= 0 && i >= first; i--) {
            Layer layer = layers.get(i);
            boolean needDx = i > first || layer.writesInputGradientAlways();
            if (needDx && i - 1 >= first && activationThenDense[i]) {
                // a dense layer's dx goes straight through the activation before it, in one backend call
                ((Dense) layer).backwardThroughActivation(backend, p, g, other, dy, base + layerX[i] * Float.BYTES,
                    base + layerX[i - 1] * Float.BYTES, batch, (ActivationLayer) layers.get(i - 1));
                long done = other;
                other = dy;
                dy = done;
                i--;
                continue;
            }
            long dx = needDx ? other : 0;
            layer.backward(backend, p, g, dx, dy, base + layerX[i] * Float.BYTES, base + layerY[i] * Float.BYTES,
                base + layerAux[i] * Float.BYTES, batch);
            other = dy;
            dy = dx;
        }
    }

    /**
     * Index of the first layer with a trainable tensor: backward stops there.
     *
     * @return the index, or {@code layers().size()} when all are frozen
     */
    public int firstTrainableLayer() {
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            if (l.hasParameters() && l.isTrainable()) {
                return i;
            }
        }
        return layers.size();
    }

    // ---- parameters ----

    /**
     * Initialises the parameters as Keras does by default: Glorot-uniform dense kernels, zero biases,
     * layer-norm gamma 1 and beta 0.
     *
     * @param seed the seed of the random draw; the same seed gives the same weights
     */
    public void initialize(long seed) {
        ensureOpen();
        SplittableRandom random = new SplittableRandom(seed);
        for (Layer layer : layers) {
            if (layer instanceof Dense) {
                Dense d = (Dense) layer;
                double limit = Math.sqrt(6.0 / (d.inFeatures() + d.units()));
                ParamEntry w = d.weight();
                for (long i = 0; i < w.length(); i++) {
                    params.putFloat(w.offset() + i, (float) ((random.nextDouble() * 2 - 1) * limit));
                }
                if (d.bias() != null) {
                    params.zero(d.bias().offset(), d.bias().length());
                }
            } else if (layer instanceof LayerNorm) {
                LayerNorm ln = (LayerNorm) layer;
                for (long i = 0; i < ln.gamma().length(); i++) {
                    params.putFloat(ln.gamma().offset() + i, 1f);
                }
                params.zero(ln.beta().offset(), ln.beta().length());
            }
        }
    }

    /**
     * Copies a tensor's values into the parameter slab; the length must match the entry exactly. Does not repack
     * reduced-precision weights (call {@link #refreshPrecision()}).
     *
     * @param name   the tensor's name in {@link #parameters()}, e.g. {@code dense_0.weight}
     * @param values the values in the tensor's row-major layout
     * @throws IllegalArgumentException when no tensor has that name or the length differs
     */
    public void setParameter(String name, float[] values) {
        ParamEntry e = requireEntry(name);
        if (values.length != e.length()) {
            throw new IllegalArgumentException("parameter '" + name + "' has " + e.length() + " values, got "
                + values.length);
        }
        params.putFloats(e.offset(), values, 0, values.length);
    }

    /**
     * A copy of a tensor's values (allocates: a cold-path call).
     *
     * @param name the tensor's name in {@link #parameters()}
     * @return the values, row-major
     * @throws IllegalArgumentException when no tensor has that name
     */
    public float[] getParameter(String name) {
        ParamEntry e = requireEntry(name);
        float[] v = new float[(int) e.length()];
        params.getFloats(e.offset(), v, 0, v.length);
        return v;
    }

    /**
     * A copy of a tensor's accumulated gradient (allocates).
     *
     * @param name the tensor's name in {@link #parameters()}
     * @return the gradient values, row-major
     * @throws IllegalArgumentException when no tensor has that name
     */
    public float[] getGradient(String name) {
        ParamEntry e = requireEntry(name);
        float[] v = new float[(int) e.length()];
        grads.getFloats(e.offset(), v, 0, v.length);
        return v;
    }

    /**
     * Copies every parameter from a network with the same architecture, then repacks the reduced-precision weights.
     * Neither network may be in use by another thread meanwhile.
     *
     * @param other the source; its parameter slab must have the same size
     */
    public void copyParametersFrom(Network other) {
        ensureOpen();
        params.copyFrom(other.parameterSlab());
        refreshPrecision();
    }

    /**
     * Freezes the first {@code n} layers that have parameters (a feature extractor) and makes the rest
     * trainable.
     *
     * @param n the number of parameterised layers to freeze, counted from the input
     */
    public void freezeFirst(int n) {
        int seen = 0;
        for (Layer layer : layers) {
            if (!layer.hasParameters()) {
                continue;
            }
            boolean trainable = seen >= n;
            seen++;
            setTrainable(layer.name(), trainable);
        }
    }

    /**
     * Sets every tensor of the named layer trainable or frozen.
     *
     * @param layerName the layer's name (its tensors are named {@code layerName.*})
     * @param trainable true to train the layer, false to freeze it
     * @throws IllegalArgumentException when no layer with parameters has that name
     */
    public void setTrainable(String layerName, boolean trainable) {
        boolean found = false;
        for (ParamEntry e : table.entries()) {
            if (e.name().startsWith(layerName + ".")) {
                e.setTrainable(trainable);
                found = true;
            }
        }
        if (!found) {
            throw new IllegalArgumentException("no layer with parameters named '" + layerName + "'");
        }
    }

    private ParamEntry requireEntry(String name) {
        ensureOpen();
        ParamEntry e = table.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no parameter named '" + name + "'; the network has "
                + table.entries().stream().map(ParamEntry::name).toList());
        }
        return e;
    }

    private void checkBatch(int batch) {
        if (batch < 1 || batch > maxBatch) {
            throw new IllegalArgumentException("batch must be in [1, " + maxBatch + "], got " + batch);
        }
    }

    private static void checkLength(String what, float[] a, int expected) {
        if (a == null || a.length < expected) {
            throw new IllegalArgumentException(what + " must hold at least " + expected + " floats, got "
                + (a == null ? "null" : a.length));
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("network is closed");
        }
    }

    /**
     * Whether {@link #close()} was called; readable from any thread only as a hint (not volatile).
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Frees every slab (parameters, gradients, activations, plan, packed weights); a second call does nothing. The
     * backend is not closed (it may be shared). Views from {@link #input()} and {@link #output()} then throw instead of
     * touching freed memory. Call from the thread that uses the network, after its last use.
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            // views a caller kept from input()/output() now throw instead of touching freed memory
            inputView.wrap(new byte[0]);
            outputView.wrap(new byte[0]);
            closeQuietly(params, grads, activations, plan);
            if (reduced != null) {
                reduced.close();
                reduced = null;
            }
        }
    }

    private static void closeQuietly(Slab... slabs) {
        for (Slab s : slabs) {
            if (s != null) {
                s.close();
            }
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Network(").append(inputs).append(" inputs");
        for (Layer l : layers) {
            sb.append(", ").append(l);
        }
        return sb.append(") ").append(table.parameterCount()).append(" parameters").toString();
    }
}
