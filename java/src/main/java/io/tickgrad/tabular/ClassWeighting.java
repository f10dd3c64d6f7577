package io.tickgrad.tabular;

import java.util.Locale;

/**
 * How the imbalance of the classes enters the loss. {@link #NONE}: every row weighs 1 (the probabilities stay
 * calibrated; the threshold handles the imbalance). {@link #BALANCED}: each class weighs n / (2 n_class) in
 * total, so both classes count equally (recall on the rare class rises, the probabilities are pushed up and no
 * longer calibrated).
 */
public enum ClassWeighting {
    /** Every row weighs 1. */
    NONE,
    /** Each class weighs n / (2 n_class) per row, so both classes count equally in the loss. */
    BALANCED;

    /**
     * Weights {w_negative, w_positive} for 0/1 {@code labels}.
     *
     * @param labels the training labels
     * @return a new array of two weights
     */
    public double[] weights(float[] labels) {
        if (this == NONE) {
            return new double[] {1, 1};
        }
        long pos = 0;
        for (float y : labels) {
            if (y >= 0.5f) {
                pos++;
            }
        }
        long neg = labels.length - pos;
        if (pos == 0 || neg == 0) {
            return new double[] {1, 1};
        }
        return new double[] {labels.length / (2.0 * neg), labels.length / (2.0 * pos)};
    }

    /**
     * Parses "none" or "balanced".
     *
     * @param s the text, any case
     * @return the weighting
     * @throws IllegalArgumentException naming the accepted values
     */
    public static ClassWeighting parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("class weighting must be none or balanced, got '" + s + "'");
        }
    }
}
