package io.tickgrad.tabular;

import java.util.Locale;

/**
 * What encoding does with a category that the training rows never had.
 * {@link #IGNORE}: the column's one-hot block stays all zeros (the row is scored as if the column told nothing)
 * and a warning names the line and the column. {@link #ERROR}: the row is refused with that message.
 */
public enum UnknownCategoryPolicy {
    /** Encode the unseen category as all zeros and warn, naming the line and the column. */
    IGNORE,
    /** Refuse the row, naming the line and the column. */
    ERROR;

    /**
     * Parses "ignore" or "error".
     *
     * @param s the text, any case
     * @return the policy
     * @throws IllegalArgumentException naming the accepted values
     */
    public static UnknownCategoryPolicy parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown-category policy must be ignore or error, got '" + s + "'");
        }
    }
}
