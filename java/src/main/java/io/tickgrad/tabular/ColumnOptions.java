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

    public ColumnOptions {
        kinds = Map.copyOf(kinds);
        ignored = Set.copyOf(ignored);
    }

    /** Everything inferred, nothing ignored, unknown categories ignored with a warning. */
    public static ColumnOptions defaults() {
        return new ColumnOptions(Map.of(), Set.of(), UnknownCategoryPolicy.IGNORE);
    }

    public ColumnOptions withKinds(Map<String, ColumnKind> value) {
        return new ColumnOptions(value, ignored, unknownPolicy);
    }

    public ColumnOptions withIgnored(Set<String> value) {
        return new ColumnOptions(kinds, value, unknownPolicy);
    }

    public ColumnOptions withUnknownPolicy(UnknownCategoryPolicy value) {
        return new ColumnOptions(kinds, ignored, value);
    }
}
