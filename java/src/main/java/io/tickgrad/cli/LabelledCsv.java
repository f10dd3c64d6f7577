package io.tickgrad.cli;

import io.tickgrad.train.Dataset;
import java.nio.file.Path;

/** Splits a numeric CSV into features and a label column, encoding the label for the model's outputs. */
final class LabelledCsv {
    private LabelledCsv() {
    }

    /**
     * One label column: with one output it is the target itself (0/1 or a regression value); with N outputs it is
     * a class index in [0, N) and becomes a one-hot row.
     */
    static Dataset toDataset(NumericCsv csv, Path file, int labelColumn, int inputs, int outputs) {
        int cols = csv.columns();
        int label = labelColumn < 0 ? cols - 1 : labelColumn;
        if (label >= cols) {
            throw new IllegalArgumentException(file + ": --label-column " + labelColumn + " but rows have only " + cols
                + " columns");
        }
        if (cols - 1 != inputs) {
            throw new IllegalArgumentException(file + ": rows have " + (cols - 1) + " feature columns besides the label, "
                + "the model expects " + inputs + " inputs");
        }
        int rows = csv.rows();
        float[] x = new float[rows * inputs];
        float[] y = new float[rows * outputs];
        float[] v = csv.values();
        for (int r = 0; r < rows; r++) {
            int k = 0;
            for (int c = 0; c < cols; c++) {
                if (c != label) {
                    x[r * inputs + k++] = v[r * cols + c];
                }
            }
            float lab = v[r * cols + label];
            if (outputs == 1) {
                y[r] = lab;
            } else {
                int cls = (int) lab;
                if (cls != lab || cls < 0 || cls >= outputs) {
                    throw new IllegalArgumentException(file + ": line " + (r + 1) + ", label column " + (label + 1)
                        + ": expected a class index in [0, " + outputs + "), found " + lab);
                }
                y[r * outputs + cls] = 1f;
            }
        }
        return new Dataset(x, y, rows, inputs, outputs);
    }
}
