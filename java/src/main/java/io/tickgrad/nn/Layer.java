package io.tickgrad.nn;

import io.tickgrad.tensor.ParamTable;
import java.util.Map;

/**
 * One layer of a sequential {@link Network}: its architecture (type, name, config) and how it runs
 * forward and backward on a {@link Backend}.
 *
 * <p>A layer instance is bound to one network: the network tells it its input width, lets it declare
 * its parameters in the shared {@link ParamTable}, and hands it raw addresses (activations, parameter
 * and gradient slab bases) on each call, so the same layer runs on any weight slot. Layers hold no
 * memory of their own.
 *
 * <p>Threads: a layer has no mutable state once bound, so it is as thread-safe as the network that calls it (one
 * thread at a time).
 */
public abstract class Layer {
    private final String name;
    private int inFeatures = -1;
    private int outFeatures = -1;

    /**
     * Creates an unbound layer.
     *
     * @param name the layer's name, unique within its network; its tensors are named {@code <name>.<param>}
     * @throws IllegalArgumentException when the name is null or empty
     */
    protected Layer(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a layer needs a non-empty name");
        }
        this.name = name;
    }

    /**
     * The layer's name, as in checkpoint metadata.
     *
     * @return the name given at construction
     */
    public final String name() {
        return name;
    }

    /**
     * Architecture type, as written in checkpoint metadata.
     *
     * @return "dense", "activation", "softmax", "layer_norm", "dropout", ...
     */
    public abstract String type();

    /**
     * Type-specific configuration for checkpoint metadata (name and type excluded).
     *
     * @return a new map of JSON-friendly values (numbers, strings, booleans)
     */
    public abstract Map<String, Object> config();

    /**
     * A fresh, unbound copy with the same architecture (weights live in the network, not here).
     *
     * @return the copy, ready to be bound to another network
     */
    public abstract Layer copy();

    /**
     * The input width this layer was bound to.
     *
     * @return features per input row, or -1 before the layer belongs to a network
     */
    public final int inFeatures() {
        return inFeatures;
    }

    /**
     * The output width, known once bound.
     *
     * @return features per output row, or -1 before the layer belongs to a network
     */
    public final int outFeatures() {
        return outFeatures;
    }

    /**
     * Whether this layer has parameters.
     *
     * @return true for dense and layer-norm layers
     */
    public boolean hasParameters() {
        return false;
    }

    /** Binds the layer to an input width; returns the output width. */
    final int bind(int in) {
        if (inFeatures != -1) {
            throw new IllegalStateException("layer '" + name + "' already belongs to a network; use copy()");
        }
        if (in < 1) {
            throw new IllegalArgumentException("layer '" + name + "': input width must be >= 1, got " + in);
        }
        inFeatures = in;
        outFeatures = outputWidth(in);
        return outFeatures;
    }

    /**
     * The output width for an input width.
     *
     * @param in features per input row, at least 1
     * @return features per output row
     */
    protected abstract int outputWidth(int in);

    /**
     * Declares this layer's parameters, named {@code <layer>.<param>}.
     *
     * @param table the network's table under construction
     */
    protected void declareParameters(ParamTable.Builder table) {
    }

    /**
     * Resolves parameter offsets after the table is built.
     *
     * @param table the network's finished table
     */
    protected void resolveParameters(ParamTable table) {
    }

    /**
     * Floats of per-layer scratch for the backward pass (dropout mask, layer-norm statistics).
     *
     * @param maxBatch the network's row capacity
     * @return floats of scratch the network reserves in its activation slab, 0 by default
     */
    protected long auxFloats(int maxBatch) {
        return 0;
    }

    /**
     * Training-mode forward: y[B,out] from x[B,in], all fp32 row-major at native addresses owned by the network.
     *
     * @param backend  the kernels
     * @param params   base address of the parameter slab (or of a weight slot laid out the same)
     * @param x        address of the input rows, batch x in floats
     * @param y        address of the output rows, batch x out floats (overwritten)
     * @param aux      address of this layer's scratch ({@link #auxFloats} floats)
     * @param batch    rows
     * @param training true in training mode (dropout active)
     * @param seed     the per-step seed of this layer (dropout)
     */
    protected abstract void forward(Backend backend, long params, long x, long y, long aux, int batch,
                                    boolean training, long seed);

    /**
     * Backward: dx[B,in] (0 = not needed) from dy[B,out]; parameter gradients accumulate into the gradient
     * slab at {@code grads} for trainable tensors only (frozen ones are skipped).
     *
     * @param backend the kernels
     * @param params  base address of the parameter slab
     * @param grads   base address of the gradient slab (same layout)
     * @param dx      address of the input gradient, batch x in floats (overwritten), or 0 when not needed
     * @param dy      address of the output gradient, batch x out floats
     * @param x       address of the forward input
     * @param y       address of the forward output
     * @param aux     address of this layer's scratch, as left by the forward pass
     * @param batch   rows
     */
    protected abstract void backward(Backend backend, long params, long grads, long dx, long dy, long x, long y,
                                     long aux, int batch);

    /**
     * Whether backward must be given a dx buffer even when the input gradient is not needed.
     *
     * @return true when the kernel cannot skip dx (layer norm)
     */
    protected boolean writesInputGradientAlways() {
        return false;
    }

    /**
     * Whether any of this layer's parameters is trainable.
     *
     * @return false for layers without parameters and for frozen layers
     */
    public boolean isTrainable() {
        return false;
    }

    /**
     * Writes this layer's predict-time op into {@code plan} at entry {@code index} (TG_PLAN_WORDS words each),
     * reading x and writing y (float offsets into the activation slab). Returns false when the layer is the
     * identity at predict time and emits nothing (dropout); the network then aliases y to x.
     *
     * @param plan    the plan words of the whole network
     * @param index   this layer's entry
     * @param xOffset float offset of the input rows in the activation slab
     * @param yOffset float offset of the output rows in the activation slab
     * @return whether an entry was written
     */
    protected abstract boolean writePlan(long[] plan, int index, long xOffset, long yOffset);

    /**
     * Fills one plan entry in the layout of tg_plan_forward.
     *
     * @param plan   the plan words
     * @param index  the entry
     * @param op     a TG_OP_* code ({@code Abi.OP_*})
     * @param in     input features
     * @param out    output features
     * @param p0     first parameter float offset (a dense weight, a layer-norm gamma)
     * @param p1     second parameter float offset, or -1 (bias, beta)
     * @param x      float offset of the input rows in the activation slab
     * @param y      float offset of the output rows
     * @param aux    the op's integer argument (an activation code)
     * @param fparam the op's float argument (leaky ReLU's alpha, layer norm's eps)
     */
    protected static void planEntry(long[] plan, int index, int op, int in, int out, long p0, long p1,
                                    long x, long y, int aux, float fparam) {
        int o = index * io.tickgrad.nativeio.Abi.PLAN_WORDS;
        plan[o] = op;
        plan[o + 1] = in;
        plan[o + 2] = out;
        plan[o + 3] = p0;
        plan[o + 4] = p1;
        plan[o + 5] = x;
        plan[o + 6] = y;
        plan[o + 7] = aux;
        plan[o + 8] = Float.floatToRawIntBits(fparam) & 0xFFFFFFFFL;
    }

    @Override
    public String toString() {
        return type() + " '" + name + "' " + config() + (inFeatures > 0 ? " " + inFeatures + "->" + outFeatures : "");
    }
}
