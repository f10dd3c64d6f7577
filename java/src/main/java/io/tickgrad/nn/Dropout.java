package io.tickgrad.nn;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Inverted dropout: in training, each value is zeroed with probability {@code rate} and the rest scaled by
 * 1/(1-rate), with a mask drawn from a counter-based hash of the step seed (the same in every backend);
 * when predicting it is the identity and costs nothing.
 */
public final class Dropout extends Layer {
    private final float rate;

    /**
     * Creates an unbound dropout layer.
     *
     * @param name the layer's name
     * @param rate the probability of dropping a value, in [0, 1)
     * @throws IllegalArgumentException when the rate is outside [0, 1)
     */
    public Dropout(String name, float rate) {
        super(name);
        if (!(rate >= 0f && rate < 1f)) {
            throw new IllegalArgumentException("dropout '" + name + "': rate must be in [0, 1), got " + rate);
        }
        this.rate = rate;
    }

    /**
     * The drop probability.
     *
     * @return the rate, in [0, 1)
     */
    public float rate() {
        return rate;
    }

    @Override
    public String type() {
        return "dropout";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("rate", (double) rate);
        return c;
    }

    @Override
    public Layer copy() {
        return new Dropout(name(), rate);
    }

    @Override
    protected int outputWidth(int in) {
        return in;
    }

    /** The mask, one float per value. */
    @Override
    protected long auxFloats(int maxBatch) {
        return (long) maxBatch * inFeatures();
    }

    @Override
    protected void forward(Backend backend, long params, long x, long y, long aux, int batch, boolean training,
                           long seed) {
        long n = (long) batch * inFeatures();
        if (training && rate > 0f) {
            backend.dropoutForward(y, aux, x, n, rate, seed);
        } else {
            // identity: the mask of ones keeps backward correct even if called after a non-training forward
            backend.dropoutForward(y, aux, x, n, 0f, seed);
        }
    }

    @Override
    protected void backward(Backend backend, long params, long grads, long dx, long dy, long x, long y, long aux,
                            int batch) {
        if (dx != 0) {
            backend.dropoutBackward(dx, dy, aux, (long) batch * inFeatures());
        }
    }

    @Override
    protected boolean writePlan(long[] plan, int index, long xOffset, long yOffset) {
        return false;
    }
}
