package io.tickgrad.nn;

import io.tickgrad.nativeio.Abi;
import java.util.LinkedHashMap;
import java.util.Map;

/** An elementwise activation (ReLU, LeakyReLU, GELU, Tanh, Sigmoid, identity) as a layer of its own. */
public final class ActivationLayer extends Layer {
    /** Keras' default negative slope of LeakyReLU. */
    public static final float DEFAULT_LEAKY_ALPHA = 0.3f;

    private final Activation activation;
    private final float alpha;

    /**
     * Creates an unbound activation layer.
     *
     * @param name       the layer's name
     * @param activation the function
     * @param alpha      the negative slope for leaky ReLU (must be finite); ignored by the other functions
     * @throws IllegalArgumentException when a leaky ReLU's alpha is not finite
     */
    public ActivationLayer(String name, Activation activation, float alpha) {
        super(name);
        if (activation == Activation.LEAKY_RELU && !Float.isFinite(alpha)) {
            throw new IllegalArgumentException("leaky relu '" + name + "': alpha must be finite, got " + alpha);
        }
        this.activation = activation;
        this.alpha = alpha;
    }

    /**
     * Creates an unbound activation layer with Keras' default slope for leaky ReLU ({@link #DEFAULT_LEAKY_ALPHA}).
     *
     * @param name       the layer's name
     * @param activation the function
     */
    public ActivationLayer(String name, Activation activation) {
        this(name, activation, activation == Activation.LEAKY_RELU ? DEFAULT_LEAKY_ALPHA : 0f);
    }

    /**
     * The function.
     *
     * @return the activation
     */
    public Activation activation() {
        return activation;
    }

    /**
     * The function's parameter.
     *
     * @return the negative slope of leaky ReLU, 0 for the others
     */
    public float alpha() {
        return alpha;
    }

    @Override
    public String type() {
        return "activation";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("activation", activation.configName());
        if (activation == Activation.LEAKY_RELU) {
            c.put("alpha", (double) alpha);
        }
        return c;
    }

    @Override
    public Layer copy() {
        return new ActivationLayer(name(), activation, alpha);
    }

    @Override
    protected int outputWidth(int in) {
        return in;
    }

    @Override
    protected void forward(Backend backend, long params, long x, long y, long aux, int batch, boolean training,
                           long seed) {
        backend.activationForward(y, x, (long) batch * inFeatures(), activation.code(), alpha);
    }

    @Override
    protected void backward(Backend backend, long params, long grads, long dx, long dy, long x, long y, long aux,
                            int batch) {
        if (dx != 0) {
            backend.activationBackward(dx, dy, x, y, (long) batch * inFeatures(), activation.code(), alpha);
        }
    }

    @Override
    protected boolean writePlan(long[] plan, int index, long xOffset, long yOffset) {
        planEntry(plan, index, Abi.OP_ACTIVATION, inFeatures(), inFeatures(), -1, -1, xOffset, yOffset,
            activation.code(), alpha);
        return true;
    }
}
