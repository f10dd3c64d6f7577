package io.tickgrad.nn;

import io.tickgrad.nativeio.Abi;
import java.util.Locale;

/** Elementwise activation functions, with their tickgrad.h codes and the names Keras uses. */
public enum Activation {
    IDENTITY(Abi.ACT_IDENTITY, "linear"),
    RELU(Abi.ACT_RELU, "relu"),
    LEAKY_RELU(Abi.ACT_LEAKY_RELU, "leaky_relu"),
    GELU(Abi.ACT_GELU, "gelu"),
    GELU_TANH(Abi.ACT_GELU_TANH, "gelu_tanh"),
    TANH(Abi.ACT_TANH, "tanh"),
    SIGMOID(Abi.ACT_SIGMOID, "sigmoid");

    private final int code;
    private final String kerasName;

    Activation(int code, String kerasName) {
        this.code = code;
        this.kerasName = kerasName;
    }

    /** The TG_ACT_* code. */
    public int code() {
        return code;
    }

    /** The name used in architecture metadata (Keras' spelling). */
    public String configName() {
        return kerasName;
    }

    /** Parses a Keras / tickgrad activation name; throws naming what was expected. */
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
