package io.tickgrad.cli;

import java.nio.file.Path;

/** A per-sample weight column of a numeric CSV (finetune's --weight-column): where it is and what it holds. */
final class SampleWeightColumn {
    static final String OPTION = "--weight-column";

    private SampleWeightColumn() {
    }

    /** The 0-based index of {@code column} (negative: counted from the end), refused when the rows have no such column. */
    static int resolve(NumericCsv csv, Path file, int column) {
        int cols = csv.columns();
        int c = column < 0 ? cols + column : column;
        if (c < 0 || c >= cols) {
            throw new OptionException(OPTION + " " + column, "the rows of " + file + " have " + cols + " columns",
                "expected a column in 0.." + (cols - 1) + " (or -1 for the last)");
        }
        return c;
    }

    /**
     * The weights of every row, each finite and >= 0, and not all 0 among the first {@code trainRows} rows (the
     * rows left for training after the validation split). Cells that are not finite numbers were already refused
     * by {@link NumericCsv#read}, naming the line and column.
     */
    static float[] read(NumericCsv csv, Path file, int column, int trainRows) {
        int cols = csv.columns();
        float[] v = csv.values();
        float[] w = new float[csv.rows()];
        boolean any = false;
        for (int r = 0; r < w.length; r++) {
            float x = v[r * cols + column];
            if (!(x >= 0)) {
                throw new IllegalArgumentException(file + ": row " + (r + 1) + ", weight column " + column
                    + ": found " + x + "; expected a sample weight >= 0");
            }
            w[r] = x;
            any |= r < trainRows && x > 0;
        }
        if (!any) {
            throw new IllegalArgumentException(file + ": weight column " + column + " is 0 in every one of the "
                + trainRows + " training rows; expected at least one weight > 0 (a row of weight 0 does not count)");
        }
        return w;
    }
}
