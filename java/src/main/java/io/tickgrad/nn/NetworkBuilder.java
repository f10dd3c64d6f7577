package io.tickgrad.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * Fluent construction of a sequential {@link Network}; layer names default to {@code <type>_<index>}.
 *
 * <p>A builder holds only unbound layers on the Java heap; nothing native is allocated until {@link #build}. Not
 * thread-safe: one thread builds.
 */
public final class NetworkBuilder {
    private final int inputs;
    private final List<Layer> layers = new ArrayList<>();

    NetworkBuilder(int inputs) {
        this.inputs = inputs;
    }

    private String nextName(String type) {
        return type + "_" + layers.size();
    }

    /**
     * Appends a layer (for a name or option the shortcuts below do not give).
     *
     * @param layer an unbound layer; {@link #build} binds a copy, so the same layer may be added to several builders
     * @return this builder
     */
    public NetworkBuilder add(Layer layer) {
        layers.add(layer);
        return this;
    }

    /**
     * Appends a fully connected layer with a bias: y = x W + b, W of shape [previous width, units].
     *
     * @param units output features, at least 1
     * @return this builder
     */
    public NetworkBuilder dense(int units) {
        return add(new Dense(nextName("dense"), units, true));
    }

    /**
     * Appends a fully connected layer, with or without a bias.
     *
     * @param units   output features, at least 1
     * @param useBias whether the layer adds a bias of {@code units} floats
     * @return this builder
     */
    public NetworkBuilder dense(int units, boolean useBias) {
        return add(new Dense(nextName("dense"), units, useBias));
    }

    /**
     * Appends an elementwise activation (same width in and out), named after the activation.
     *
     * @param activation the function
     * @return this builder
     */
    public NetworkBuilder activation(Activation activation) {
        return add(new ActivationLayer(nextName(activation.configName()), activation));
    }

    /**
     * Appends a ReLU, max(x, 0).
     *
     * @return this builder
     */
    public NetworkBuilder relu() {
        return activation(Activation.RELU);
    }

    /**
     * Appends a leaky ReLU: x for x &gt;= 0, alpha x otherwise.
     *
     * @param alpha the negative slope (Keras' default is 0.3, PyTorch's 0.01)
     * @return this builder
     */
    public NetworkBuilder leakyRelu(float alpha) {
        return add(new ActivationLayer(nextName("leaky_relu"), Activation.LEAKY_RELU, alpha));
    }

    /**
     * Appends an exact GELU, 0.5 x (1 + erf(x / sqrt 2)) (the Keras and PyTorch default).
     *
     * @return this builder
     */
    public NetworkBuilder gelu() {
        return activation(Activation.GELU);
    }

    /**
     * Appends a hyperbolic tangent.
     *
     * @return this builder
     */
    public NetworkBuilder tanh() {
        return activation(Activation.TANH);
    }

    /**
     * Appends a logistic sigmoid, 1 / (1 + e^-x).
     *
     * @return this builder
     */
    public NetworkBuilder sigmoid() {
        return activation(Activation.SIGMOID);
    }

    /**
     * Appends a softmax over each row (class probabilities). A trainer with softmax cross-entropy fuses it into the
     * loss.
     *
     * @return this builder
     */
    public NetworkBuilder softmax() {
        return add(new Softmax(nextName("softmax")));
    }

    /**
     * Appends layer normalisation over each row with {@link LayerNorm#DEFAULT_EPS}, a learned scale (gamma) and shift
     * (beta).
     *
     * @return this builder
     */
    public NetworkBuilder layerNorm() {
        return layerNorm(LayerNorm.DEFAULT_EPS);
    }

    /**
     * Appends layer normalisation over each row.
     *
     * @param eps added to the variance before the square root
     * @return this builder
     */
    public NetworkBuilder layerNorm(float eps) {
        return add(new LayerNorm(nextName("layer_norm"), eps));
    }

    /**
     * Appends inverted dropout; active only in training forward passes, skipped by predict.
     *
     * @param rate the probability of dropping a value, in [0, 1)
     * @return this builder
     */
    public NetworkBuilder dropout(float rate) {
        return add(new Dropout(nextName("dropout"), rate));
    }

    /**
     * The layers so far (unbound).
     *
     * @return an immutable copy
     */
    public List<Layer> layers() {
        return List.copyOf(layers);
    }

    /**
     * Builds the network and initialises its parameters Keras-style from {@code seed}. The builder stays usable.
     *
     * @param backend  the kernels to run on; borrowed, the network does not close it
     * @param maxBatch the most rows one call may process
     * @param seed     the seed of the initial weights
     * @return the network; the caller owns it and frees it with {@link Network#close()}
     * @throws IllegalArgumentException when a layer's width does not fit or maxBatch is below 1
     */
    public Network build(Backend backend, int maxBatch, long seed) {
        Network net = Network.create(inputs, layers, backend, maxBatch);
        net.initialize(seed);
        return net;
    }
}
