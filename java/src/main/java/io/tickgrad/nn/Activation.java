package io.tickgrad.nn;

import io.tickgrad.nativeio.Abi;
import java.util.Locale;

/** Elementwise activation functions, with their tickgrad.h codes and the names Keras uses. */
public enum Activation {
    /** f(x) = x ("linear" in Keras). */
    IDENTITY(Abi.ACT_IDENTITY, "linear"),
    /** f(x) = max(x, 0). */
    RELU(Abi.ACT_RELU, "relu"),
    /** f(x) = x for x &gt;= 0, alpha x otherwise (alpha is the layer's negative slope). */
    LEAKY_RELU(Abi.ACT_LEAKY_RELU, "leaky_relu"),
    /** Exact GELU, 0.5 x (1 + erf(x / sqrt 2)), the Keras and PyTorch default. */
    GELU(Abi.ACT_GELU, "gelu"),
    /** GELU by its tanh approximation (PyTorch's {@code approximate="tanh"}). */
    GELU_TANH(Abi.ACT_GELU_TANH, "gelu_tanh"),
    /** f(x) = tanh(x). */
    TANH(Abi.ACT_TANH, "tanh"),
    /** f(x) = 1 / (1 + e^-x). */
    SIGMOID(Abi.ACT_SIGMOID, "sigmoid");

    private final int code;
    private final String kerasName;

    Activation(int code, String kerasName) {
        this.code = code;
        this.kerasName = kerasName;
    }

    /**
     * The code that identifies this function to the kernels.
     *
     * @return the TG_ACT_* code of tickgrad.h ({@code Abi.ACT_*})
     */
    public int code() {
        return code;
    }

    /**
     * The name used in architecture metadata (Keras' spelling).
     *
     * @return e.g. "linear", "relu", "leaky_relu"
     */
    public String configName() {
        return kerasName;
    }

    /**
     * Parses a Keras / tickgrad activation name, in any case ("leakyrelu" is accepted for leaky ReLU).
     *
     * @param name the name from a model file or option
     * @return the activation
     * @throws IllegalArgumentException naming the accepted names when none matches
     */
    public static Activation fromName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (Activation a : values()) {
            if (a.kerasName.equals(n) || a.name().toLowerCase(Locale.ROOT).equals(n)) {
                return a;
            }
        }
        if (n.equals("leakyrelu")) {
            return LEAKY_RELU;
        }
        throw new IllegalArgumentException("unknown activation '" + name + "'; expected one of linear, relu, leaky_relu, "
            + "gelu, gelu_tanh, tanh, sigmoid (softmax is a layer of its own)");
    }
}
