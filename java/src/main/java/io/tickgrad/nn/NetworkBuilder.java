package io.tickgrad.nn;

import java.util.ArrayList;
import java.util.List;

/** Fluent construction of a sequential {@link Network}; layer names default to {@code <type>_<index>}. */
public final class NetworkBuilder {
    private final int inputs;
    private final List<Layer> layers = new ArrayList<>();

    NetworkBuilder(int inputs) {
        this.inputs = inputs;
    }

    private String nextName(String type) {
        return type + "_" + layers.size();
    }

    public NetworkBuilder add(Layer layer) {
        layers.add(layer);
        return this;
    }

    public NetworkBuilder dense(int units) {
        return add(new Dense(nextName("dense"), units, true));
    }

    public NetworkBuilder dense(int units, boolean useBias) {
        return add(new Dense(nextName("dense"), units, useBias));
    }

    public NetworkBuilder activation(Activation activation) {
        return add(new ActivationLayer(nextName(activation.configName()), activation));
    }

    public NetworkBuilder relu() {
        return activation(Activation.RELU);
    }

    public NetworkBuilder leakyRelu(float alpha) {
        return add(new ActivationLayer(nextName("leaky_relu"), Activation.LEAKY_RELU, alpha));
    }

    public NetworkBuilder gelu() {
        return activation(Activation.GELU);
    }

    public NetworkBuilder tanh() {
        return activation(Activation.TANH);
    }

    public NetworkBuilder sigmoid() {
        return activation(Activation.SIGMOID);
    }

    public NetworkBuilder softmax() {
        return add(new Softmax(nextName("softmax")));
    }

    public NetworkBuilder layerNorm() {
        return layerNorm(LayerNorm.DEFAULT_EPS);
    }

    public NetworkBuilder layerNorm(float eps) {
        return add(new LayerNorm(nextName("layer_norm"), eps));
    }

    public NetworkBuilder dropout(float rate) {
        return add(new Dropout(nextName("dropout"), rate));
    }

    /** The layers so far (unbound). */
    public List<Layer> layers() {
        return List.copyOf(layers);
    }

    /** Builds the network and initialises its parameters Keras-style from {@code seed}. */
    public Network build(Backend backend, int maxBatch, long seed) {
        Network net = Network.create(inputs, layers, backend, maxBatch);
        net.initialize(seed);
        return net;
    }
}
