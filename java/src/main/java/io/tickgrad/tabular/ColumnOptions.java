package io.tickgrad.tabular;

import java.util.Map;
import java.util.Set;

/**
 * How feature columns are chosen and typed: explicit kinds override the inference, ignored columns are left out,
 * and the policy for categories unseen in training.
 *
 * @param kinds          column name to kind, overriding the inference
 * @param ignored        columns left out of the features (identifiers, leaks)
 * @param unknownPolicy  what encoding does with an unseen category
 */
public record ColumnOptions(Map<String, ColumnKind> kinds, Set<String> ignored, UnknownCategoryPolicy unknownPolicy) {
    /** Share of parseable cells at or above which a column with some text is taken as numeric with bad cells. */
    public static final double NUMERIC_SHARE = 0.9;

    /**
     * Copies the collections.
     *
     * @param kinds         column name to kind
     * @param ignored       columns left out
     * @param unknownPolicy the unseen-category policy
     */
    public ColumnOptions {
        kinds = Map.copyOf(kinds);
        ignored = Set.copyOf(ignored);
    }

    /**
     * Everything inferred, nothing ignored, unknown categories ignored with a warning.
     *
     * @return the options
     */
    public static ColumnOptions defaults() {
        return new ColumnOptions(Map.of(), Set.of(), UnknownCategoryPolicy.IGNORE);
    }

    /**
     * A copy with other explicit kinds.
     *
     * @param value column name to kind
     * @return the new options
     */
    public ColumnOptions withKinds(Map<String, ColumnKind> value) {
        return new ColumnOptions(value, ignored, unknownPolicy);
    }

    /**
     * A copy with other ignored columns.
     *
     * @param value the columns to leave out
     * @return the new options
     */
    public ColumnOptions withIgnored(Set<String> value) {
        return new ColumnOptions(kinds, value, unknownPolicy);
    }

    /**
     * A copy with another unseen-category policy.
     *
     * @param value the policy
     * @return the new options
     */
    public ColumnOptions withUnknownPolicy(UnknownCategoryPolicy value) {
        return new ColumnOptions(kinds, ignored, value);
    }
}
