package io.tickgrad.train;

import io.tickgrad.nativeio.Abi;

/**
 * A loss function: its tickgrad.h kind and parameter. Losses are means over the batch of per-sample losses
 * (summed over the output columns), optionally weighted per sample.
 */
public final class Loss {
    /** Keras' epsilon for cross-entropy on probabilities. */
    public static final float KERAS_EPSILON = 1e-7f;

    private final int kind;
    private final float param;
    private final String name;

    private Loss(int kind, float param, String name) {
        this.kind = kind;
        this.param = param;
        this.name = name;
    }

    /**
     * Binary cross-entropy on logits (numerically stable); fused with a final sigmoid layer.
     *
     * @return the loss, named "bce_logits"
     */
    public static Loss binaryCrossEntropyWithLogits() {
        return new Loss(Abi.LOSS_BCE_LOGITS, 0f, "bce_logits");
    }

    /**
     * Binary cross-entropy on probabilities, clipped to [1e-7, 1 - 1e-7] as Keras computes it.
     *
     * @return the loss, named "bce"
     */
    public static Loss binaryCrossEntropy() {
        return new Loss(Abi.LOSS_BCE_PROBS, KERAS_EPSILON, "bce");
    }

    /**
     * Softmax cross-entropy on logits against a target distribution; fused with a final softmax layer.
     *
     * @return the loss, named "softmax_xent"
     */
    public static Loss softmaxCrossEntropy() {
        return new Loss(Abi.LOSS_SOFTMAX_XENT, 0f, "softmax_xent");
    }

    /**
     * Mean squared error, (y - t)^2 summed over the columns, averaged over the batch.
     *
     * @return the loss, named "mse"
     */
    public static Loss meanSquaredError() {
        return new Loss(Abi.LOSS_MSE, 0f, "mse");
    }

    /**
     * QLIKE for variance forecasts: the head's output s is the log of the forecast variance h = e^s, the target y a
     * realised variance (for instance the {@code realised_var} label, bps^2); per element y/h - ln(y/h) - 1, which is
     * 0 at h = y, never negative, and, unlike MSE, penalises under-forecasting a variance more than over-forecasting
     * it. Computed stably as e^d - d - 1, d = ln y - s (d capped at 80); a target of 0 contributes s. The forecast in
     * the target's units is exp(output) (see {@link io.tickgrad.market.LabelSpec#logOutput()}).
     *
     * @return the loss, named "qlike"
     */
    public static Loss qlike() {
        return new Loss(Abi.LOSS_QLIKE, 0f, "qlike");
    }

    /**
     * The Huber loss: 0.5 r^2 where |r| &lt;= delta, delta (|r| - 0.5 delta) beyond, r = y - t. Quadratic near zero,
     * linear in the tails, so outliers pull less than with MSE.
     *
     * @param delta where the loss turns linear, in the target's units; finite and &gt; 0
     * @return the loss, named "huber"
     * @throws IllegalArgumentException when delta is not finite and positive
     */
    public static Loss huber(float delta) {
        if (!(delta > 0 && Float.isFinite(delta))) {
            throw new IllegalArgumentException("huber delta must be finite and > 0, got " + delta);
        }
        return new Loss(Abi.LOSS_HUBER, delta, "huber");
    }

    /**
     * Parses a loss name as the CLI and checkpoints spell it.
     *
     * @param name bce_logits, bce (binary_crossentropy), softmax_xent (categorical_crossentropy), mse
     *             (mean_squared_error), huber (delta 1) or qlike
     * @return the loss
     * @throws IllegalArgumentException naming the accepted names
     */
    public static Loss fromName(String name) {
        switch (name) {
            case "bce_logits": return binaryCrossEntropyWithLogits();
            case "bce": case "binary_crossentropy": return binaryCrossEntropy();
            case "softmax_xent": case "categorical_crossentropy": return softmaxCrossEntropy();
            case "mse": case "mean_squared_error": return meanSquaredError();
            case "huber": return huber(1f);
            case "qlike": return qlike();
            default:
                throw new IllegalArgumentException("unknown loss '" + name
                    + "'; expected one of bce_logits, bce, softmax_xent, mse, huber, qlike");
        }
    }

    /**
     * The TG_LOSS_* code.
     *
     * @return the code the kernels dispatch on ({@code Abi.LOSS_*})
     */
    public int kind() {
        return kind;
    }

    /**
     * The loss's scalar parameter, as passed to the kernels.
     *
     * @return Huber's delta, the probability clip of BCE on probabilities, 0 for the others
     */
    public float param() {
        return param;
    }

    /**
     * The name the CLI and checkpoints use for this loss.
     *
     * @return e.g. "bce_logits"
     */
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}
