package io.tickgrad.nn;

import io.tickgrad.nativeio.Abi;
import io.tickgrad.tensor.ParamEntry;
import io.tickgrad.tensor.ParamTable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fully connected layer y = x W + b, with W stored [in, out] (Keras' kernel layout) as
 * {@code <name>.weight} and b as {@code <name>.bias}.
 */
public final class Dense extends Layer {
    private final int units;
    private final boolean useBias;
    private ParamEntry weight;
    private ParamEntry bias;

    /**
     * Creates an unbound dense layer.
     *
     * @param name    the layer's name
     * @param units   output features, at least 1
     * @param useBias whether to add a bias
     * @throws IllegalArgumentException when units is below 1
     */
    public Dense(String name, int units, boolean useBias) {
        super(name);
        if (units < 1) {
            throw new IllegalArgumentException("dense layer '" + name + "': units must be >= 1, got " + units);
        }
        this.units = units;
        this.useBias = useBias;
    }

    /**
     * The output width.
     *
     * @return output features
     */
    public int units() {
        return units;
    }

    /**
     * Whether the layer adds a bias.
     *
     * @return true with a bias tensor
     */
    public boolean useBias() {
        return useBias;
    }

    /**
     * The weight tensor, shape [in, out], row-major, in the network's parameter table.
     *
     * @return the entry, or null before the layer is bound to a network
     */
    public ParamEntry weight() {
        return weight;
    }

    /**
     * The bias tensor, shape [out].
     *
     * @return the entry, or null without bias or before binding
     */
    public ParamEntry bias() {
        return bias;
    }

    @Override
    public String type() {
        return "dense";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("units", units);
        c.put("use_bias", useBias);
        return c;
    }

    @Override
    public Layer copy() {
        return new Dense(name(), units, useBias);
    }

    @Override
    public boolean hasParameters() {
        return true;
    }

    @Override
    public boolean isTrainable() {
        return weight.trainable() || (bias != null && bias.trainable());
    }

    @Override
    protected int outputWidth(int in) {
        return units;
    }

    @Override
    protected void declareParameters(ParamTable.Builder table) {
        table.add(name() + ".weight", inFeatures(), units);
        if (useBias) {
            table.add(name() + ".bias", units);
        }
    }

    @Override
    protected void resolveParameters(ParamTable table) {
        weight = table.get(name() + ".weight");
        bias = useBias ? table.get(name() + ".bias") : null;
    }

    @Override
    protected void forward(Backend backend, long params, long x, long y, long aux, int batch, boolean training,
                           long seed) {
        long b = bias == null ? 0 : params + bias.offset() * Float.BYTES;
        backend.denseForward(y, x, params + weight.offset() * Float.BYTES, b, batch, inFeatures(), units);
    }

    @Override
    protected void backward(Backend backend, long params, long grads, long dx, long dy, long x, long y, long aux,
                            int batch) {
        long dw = weight.trainable() ? grads + weight.offset() * Float.BYTES : 0;
        long db = bias != null && bias.trainable() ? grads + bias.offset() * Float.BYTES : 0;
        if (dx == 0 && dw == 0 && db == 0) {
            return;
        }
        backend.denseBackward(dx, dw, db, dy, x, params + weight.offset() * Float.BYTES, batch, inFeatures(), units);
    }

    /** Forward of this layer and the activation after it in one backend call: y = x W + b, a = f(y). */
    void forwardWithActivation(Backend backend, long params, long x, long y, long a, int batch,
                               ActivationLayer activation) {
        long b = bias == null ? 0 : params + bias.offset() * Float.BYTES;
        backend.denseActivationForward(y, a, x, params + weight.offset() * Float.BYTES, b, batch, inFeatures(), units,
            activation.activation().code(), activation.alpha());
    }

    /**
     * Backward of this layer and of the activation before it in one backend call: dx is the gradient with respect to
     * that activation's input actX (its output actY is this layer's input x).
     */
    void backwardThroughActivation(Backend backend, long params, long grads, long dx, long dy, long x, long actX,
                                   int batch, ActivationLayer activation) {
        long dw = weight.trainable() ? grads + weight.offset() * Float.BYTES : 0;
        long db = bias != null && bias.trainable() ? grads + bias.offset() * Float.BYTES : 0;
        backend.denseActivationBackward(dx, dw, db, dy, x, params + weight.offset() * Float.BYTES, actX, x, batch,
            inFeatures(), units, activation.activation().code(), activation.alpha());
    }

    @Override
    protected boolean writePlan(long[] plan, int index, long xOffset, long yOffset) {
        planEntry(plan, index, Abi.OP_DENSE, inFeatures(), units, weight.offset(),
            bias == null ? -1 : bias.offset(), xOffset, yOffset, 0, 0f);
        return true;
    }
}
