package io.tickgrad.tabular;

import java.util.Locale;

/** How a feature column is encoded: standardised numbers, or one-hot categories. */
public enum ColumnKind {
    /** Standardised numbers, with imputation and a missing-value indicator ({@link NumericColumn}). */
    NUMERIC,
    /** One-hot categories ({@link CategoricalColumn}). */
    CATEGORICAL;

    /**
     * "numeric" or "categorical", as the checkpoint metadata spells it.
     *
     * @return the name
     */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ColumnKind fromJsonName(String s) {
        for (ColumnKind k : values()) {
            if (k.jsonName().equals(s)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown column kind '" + s + "'; expected numeric or categorical");
    }
}
