package io.tickgrad.cli;

import io.tickgrad.train.Dataset;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/** Splits a numeric CSV into features and label columns, encoding the labels for the model's outputs. */
final class LabelledCsv {
    /** What a label column holds, as the loss or the metrics need it. */
    enum LabelKind {
        /** 0 or 1, for one sigmoid output (binary cross-entropy, binary metrics). */
        BINARY,
        /** An integer class index in [0, outputs), one-hot encoded for a softmax output. */
        CLASS_INDEX,
        /** Any finite number per output (regression), one label column per output. */
        VALUE
    }

    private LabelledCsv() {
    }

    /** One label column at {@code labelColumn} (negative: counted from the end, -1 the last). */
    static Dataset toDataset(NumericCsv csv, Path file, int labelColumn, int inputs, int outputs, LabelKind kind) {
        return toDataset(csv, file, new int[] {labelColumn}, "--label-column", inputs, outputs, kind);
    }

    /**
     * Label columns at {@code labelColumns} (0-based; negative counted from the end); every other column is a
     * feature. BINARY and CLASS_INDEX take one label column; VALUE takes one per output.
     *
     * @param option the option that named the columns, for messages
     */
    static Dataset toDataset(NumericCsv csv, Path file, int[] labelColumns, String option, int inputs, int outputs,
                             LabelKind kind) {
        return toDataset(csv, file, labelColumns, option, inputs, outputs, kind, -1);
    }

    /**
     * As {@link #toDataset(NumericCsv, Path, int[], String, int, int, LabelKind)}, with column {@code weightColumn}
     * (0-based, already resolved; -1 = none) left out of the features: the sample weights.
     */
    static Dataset toDataset(NumericCsv csv, Path file, int[] labelColumns, String option, int inputs, int outputs,
                             LabelKind kind, int weightColumn) {
        int cols = csv.columns();
        int[] labels = new int[labelColumns.length];
        boolean[] isLabel = new boolean[cols];
        for (int i = 0; i < labels.length; i++) {
            int c = labelColumns[i] < 0 ? cols + labelColumns[i] : labelColumns[i];
            if (c < 0 || c >= cols) {
                throw new OptionException(option + " " + labelColumns[i], "the rows of " + file + " have " + cols
                    + " columns", "expected a column in 0.." + (cols - 1) + " (or -1 for the last)");
            }
            if (isLabel[c]) {
                throw new OptionException(option, "column " + c + " named twice", "expected distinct label columns");
            }
            if (c == weightColumn) {
                throw new OptionException(option, "column " + c + " is also the " + SampleWeightColumn.OPTION,
                    "expected the label and the sample weights in different columns");
            }
            isLabel[c] = true;
            labels[i] = c;
        }
        int weightColumns = weightColumn >= 0 ? 1 : 0;
        int needed = kind == LabelKind.VALUE ? outputs : 1;
        if (labels.length != needed) {
            throw new OptionException(option, labels.length + " label column(s) for a model with " + outputs
                + " output(s)" + (kind == LabelKind.VALUE ? " (regression)" : ""), kind == LabelKind.VALUE
                ? "expected one label column per output (e.g. --label-columns " + example(cols, outputs) + ")"
                : "expected one label column (a class label)");
        }
        if (cols - labels.length - weightColumns != inputs) {
            throw new IllegalArgumentException(file + ": rows have " + (cols - labels.length - weightColumns)
                + " feature columns besides the label" + (labels.length == 1 ? "" : "s")
                + (weightColumns == 1 ? " and the weight column" : "") + "; expected " + inputs
                + " (the model's inputs)");
        }
        int rows = csv.rows();
        float[] x = new float[rows * inputs];
        float[] y = new float[rows * outputs];
        float[] v = csv.values();
        for (int r = 0; r < rows; r++) {
            int k = 0;
            for (int c = 0; c < cols; c++) {
                if (!isLabel[c] && c != weightColumn) {
                    x[r * inputs + k++] = v[r * cols + c];
                }
            }
            switch (kind) {
                case VALUE -> {
                    for (int o = 0; o < outputs; o++) {
                        y[r * outputs + o] = v[r * cols + labels[o]];
                    }
                }
                case BINARY -> {
                    float lab = v[r * cols + labels[0]];
                    if (lab != 0f && lab != 1f) {
                        throw new IllegalArgumentException(file + ": row " + (r + 1) + ", label column " + labels[0]
                            + ": found " + format(lab) + "; expected 0 or 1 (a binary label for the model's one "
                            + "sigmoid output)");
                    }
                    y[r] = lab;
                }
                case CLASS_INDEX -> {
                    float lab = v[r * cols + labels[0]];
                    int cls = (int) lab;
                    if (cls != lab || cls < 0 || cls >= outputs) {
                        throw new IllegalArgumentException(file + ": row " + (r + 1) + ", label column " + labels[0]
                            + ": found " + format(lab) + "; expected a class index in 0.." + (outputs - 1)
                            + " (the model has " + outputs + " outputs)");
                    }
                    y[r * outputs + cls] = 1f;
                }
                default -> throw new IllegalStateException(kind.toString());
            }
        }
        return new Dataset(x, y, rows, inputs, outputs);
    }

    /** Rows per class of a BINARY or CLASS_INDEX dataset (index: the class). */
    static long[] classCounts(Dataset d, LabelKind kind) {
        int t = d.targetCount();
        long[] counts = new long[kind == LabelKind.BINARY ? 2 : t];
        float[] y = d.targets();
        for (int r = 0; r < d.rows(); r++) {
            if (kind == LabelKind.BINARY) {
                counts[y[r] == 1f ? 1 : 0]++;
            } else {
                for (int c = 0; c < t; c++) {
                    if (y[r * t + c] == 1f) {
                        counts[c]++;
                        break;
                    }
                }
            }
        }
        return counts;
    }

    /** Refuses a training set whose labels are all one class: nothing to learn to tell apart. */
    static void requireTwoClasses(Dataset d, LabelKind kind, Path file) {
        long[] counts = classCounts(d, kind);
        int present = 0;
        int only = -1;
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] > 0) {
                present++;
                only = c;
            }
        }
        if (present < 2) {
            throw new IllegalArgumentException(file + ": every label is " + only + " (" + d.rows() + " rows of one "
                + "class); expected at least two classes to learn to tell apart");
        }
    }

    private static String format(float v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }

    private static String example(int cols, int outputs) {
        int[] c = new int[Math.min(outputs, cols)];
        for (int i = 0; i < c.length; i++) {
            c[i] = cols - c.length + i;
        }
        return Arrays.toString(c).replace("[", "").replace("]", "").replace(" ", "");
    }
}
