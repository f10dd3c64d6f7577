package io.tickgrad.train;

import io.tickgrad.nn.Activation;
import io.tickgrad.nn.ActivationLayer;
import io.tickgrad.nn.Dense;
import io.tickgrad.nn.Layer;
import io.tickgrad.nn.Softmax;
import java.util.List;
import java.util.Locale;

/**
 * A new output head for transfer learning: a Dense layer and its output activation, with the loss that goes
 * with it.
 *
 * @param kind   binary (1 unit, sigmoid), softmax (N classes) or regression (N linear outputs)
 * @param units  output units
 */
public record Head(Kind kind, int units) {

    /** What the head predicts. */
    public enum Kind {
        /** One sigmoid unit: the probability of up. */
        BINARY,
        /** N units with a softmax: probabilities over N classes. */
        SOFTMAX,
        /** N linear outputs. */
        REGRESSION
    }

    /**
     * Validates the components.
     *
     * @param kind  binary, softmax or regression
     * @param units output units, at least 1 (exactly 1 for binary)
     * @throws IllegalArgumentException when units is below 1, or a binary head has more than one unit
     */
    public Head {
        if (units < 1) {
            throw new IllegalArgumentException("a head needs at least one unit, got " + units);
        }
        if (kind == Kind.BINARY && units != 1) {
            throw new IllegalArgumentException("a binary head has exactly one unit, got " + units);
        }
    }

    /**
     * 1-unit sigmoid, for up/down.
     *
     * @return a binary head
     */
    public static Head binary() {
        return new Head(Kind.BINARY, 1);
    }

    /**
     * A softmax head over N classes, trained with softmax cross-entropy.
     *
     * @param classes the number of classes, at least 1
     * @return the head
     */
    public static Head softmax(int classes) {
        return new Head(Kind.SOFTMAX, classes);
    }

    /**
     * A linear head with N outputs, trained with mean squared error.
     *
     * @param outputs the number of outputs, at least 1
     * @return the head
     */
    public static Head regression(int outputs) {
        return new Head(Kind.REGRESSION, outputs);
    }

    /**
     * Parses "binary", "softmax:N" or "regression[:N]" (the CLI's --head).
     *
     * @param spec the text, e.g. "softmax:3"
     * @return the head
     * @throws IllegalArgumentException naming the accepted forms when the text is none of them
     */
    public static Head parse(String spec) {
        String s = spec.toLowerCase(Locale.ROOT).trim();
        String[] parts = s.split(":", 2);
        try {
            switch (parts[0]) {
                case "binary": case "sigmoid":
                    return binary();
                case "softmax":
                    if (parts.length < 2) {
                        throw new IllegalArgumentException("softmax head needs a class count, as in softmax:3");
                    }
                    return softmax(Integer.parseInt(parts[1]));
                case "regression": case "linear":
                    return regression(parts.length < 2 ? 1 : Integer.parseInt(parts[1]));
                default:
                    throw new IllegalArgumentException("unknown head '" + spec
                        + "'; expected binary, softmax:N or regression[:N]");
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("head '" + spec + "': the unit count must be an integer");
        }
    }

    /**
     * The head's layers, named with {@code prefix}.
     *
     * @param prefix the prefix of the layer names (e.g. "head")
     * @return new unbound layers: the dense layer, then its activation where it has one
     */
    public List<Layer> layers(String prefix) {
        Dense dense = new Dense(prefix + "dense", units, true);
        switch (kind) {
            case BINARY:
                return List.of(dense, new ActivationLayer(prefix + "sigmoid", Activation.SIGMOID));
            case SOFTMAX:
                return List.of(dense, new Softmax(prefix + "softmax"));
            default:
                return List.of(dense);
        }
    }

    /**
     * The loss that trains this head: fused with its output activation where that is stable.
     *
     * @return binary cross-entropy on logits, softmax cross-entropy, or mean squared error
     */
    public Loss defaultLoss() {
        switch (kind) {
            case BINARY: return Loss.binaryCrossEntropyWithLogits();
            case SOFTMAX: return Loss.softmaxCrossEntropy();
            default: return Loss.meanSquaredError();
        }
    }

    @Override
    public String toString() {
        return kind == Kind.BINARY ? "binary" : kind.name().toLowerCase(Locale.ROOT) + ":" + units;
    }
}
