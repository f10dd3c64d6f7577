package io.tickgrad.tabular;

import java.util.Locale;
import java.util.Set;

/**
 * The cells that mean "no value": empty (after trimming), NA, N/A, NULL, NaN and ?, in any letter case.
 * A missing numeric value is imputed with the training mean and flagged in an indicator column; a missing
 * category is its own one-hot level when the training rows had one.
 */
public final class MissingValues {
    private static final Set<String> TOKENS = Set.of("", "na", "n/a", "null", "nan", "?");

    private MissingValues() {
    }

    /**
     * Whether the cell means "no value".
     *
     * @param cell the raw text, possibly null
     * @return true for null, blank and the usual missing markers
     */
    public static boolean isMissing(String cell) {
        return cell == null || TOKENS.contains(cell.trim().toLowerCase(Locale.ROOT));
    }
}
