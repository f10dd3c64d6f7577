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
 */
public abstract class Layer {
    private final String name;
    private int inFeatures = -1;
    private int outFeatures = -1;

    protected Layer(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a layer needs a non-empty name");
        }
        this.name = name;
    }

    public final String name() {
        return name;
    }

    /** Architecture type, as written in checkpoint metadata ("dense", "activation", ...). */
    public abstract String type();

    /** Type-specific configuration for checkpoint metadata (name and type excluded). */
    public abstract Map<String, Object> config();

    /** A fresh, unbound copy with the same architecture (weights live in the network, not here). */
    public abstract Layer copy();

    public final int inFeatures() {
        return inFeatures;
    }

    public final int outFeatures() {
        return outFeatures;
    }

    /** Whether this layer has parameters. */
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

    protected abstract int outputWidth(int in);

    /** Declares this layer's parameters, named {@code <layer>.<param>}. */
    protected void declareParameters(ParamTable.Builder table) {
    }

    /** Resolves parameter offsets after the table is built. */
    protected void resolveParameters(ParamTable table) {
    }

    /** Floats of per-layer scratch for the backward pass (dropout mask, layer-norm statistics). */
    protected long auxFloats(int maxBatch) {
        return 0;
    }

    /**
     * Training-mode forward: y[B,out] from x[B,in]. {@code params} is the parameter slab base address,
     * {@code aux} this layer's scratch, {@code seed} the per-step seed (dropout).
     */
    protected abstract void forward(Backend backend, long params, long x, long y, long aux, int batch,
                                    boolean training, long seed);

    /**
     * Backward: dx[B,in] (0 = not needed) from dy[B,out]; parameter gradients accumulate into the gradient
     * slab at {@code grads} for trainable tensors only (frozen ones are skipped).
     */
    protected abstract void backward(Backend backend, long params, long grads, long dx, long dy, long x, long y,
                                     long aux, int batch);

    /** Whether backward must be given a dx buffer even when the input gradient is not needed. */
    protected boolean writesInputGradientAlways() {
        return false;
    }

    /** Whether any of this layer's parameters is trainable. */
    public boolean isTrainable() {
        return false;
    }

    /**
     * Writes this layer's predict-time op into {@code plan} at entry {@code index} (TG_PLAN_WORDS words each),
     * reading x and writing y (float offsets into the activation slab). Returns false when the layer is the
     * identity at predict time and emits nothing (dropout); the network then aliases y to x.
     */
    protected abstract boolean writePlan(long[] plan, int index, long xOffset, long yOffset);

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
