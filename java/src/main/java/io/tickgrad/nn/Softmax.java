package io.tickgrad.nn;

import io.tickgrad.nativeio.Abi;
import java.util.Map;

/** Softmax over the features of each row. */
public final class Softmax extends Layer {
    /**
     * Creates an unbound softmax layer.
     *
     * @param name the layer's name
     */
    public Softmax(String name) {
        super(name);
    }

    @Override
    public String type() {
        return "softmax";
    }

    @Override
    public Map<String, Object> config() {
        return Map.of();
    }

    @Override
    public Layer copy() {
        return new Softmax(name());
    }

    @Override
    protected int outputWidth(int in) {
        return in;
    }

    @Override
    protected void forward(Backend backend, long params, long x, long y, long aux, int batch, boolean training,
                           long seed) {
        backend.softmaxForward(y, x, batch, inFeatures());
    }

    @Override
    protected void backward(Backend backend, long params, long grads, long dx, long dy, long x, long y, long aux,
                            int batch) {
        if (dx != 0) {
            backend.softmaxBackward(dx, dy, y, batch, inFeatures());
        }
    }

    @Override
    protected boolean writePlan(long[] plan, int index, long xOffset, long yOffset) {
        planEntry(plan, index, Abi.OP_SOFTMAX, inFeatures(), inFeatures(), -1, -1, xOffset, yOffset, 0, 0f);
        return true;
    }
}
