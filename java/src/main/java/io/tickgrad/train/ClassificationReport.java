package io.tickgrad.train;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Classification metrics of predicted scores against labels: accuracy, precision, recall, F1, ROC AUC, log loss,
 * Brier score and the confusion matrix.
 *
 * <p>Binary (one output column, a probability of the positive class, labels 0/1): the positive class is chosen
 * at {@code threshold}. Multi-class (C columns, probabilities; labels one-hot or distributions): the prediction is
 * the arg-max; precision, recall and F1 are macro averages; ROC AUC is the macro one-vs-rest average over the
 * classes that have both positives and negatives; Brier is the mean over samples of the squared error summed over
 * classes.
 */
public final class ClassificationReport {
    private final int classes;
    private final long samples;
    private final double threshold;
    private final long[][] confusion;   // [actual][predicted]
    private final double accuracy;
    private final double precision;
    private final double recall;
    private final double f1;
    private final double rocAuc;
    private final double logLoss;
    private final double brier;

    private ClassificationReport(int classes, long samples, double threshold, long[][] confusion, double rocAuc,
                                 double logLoss, double brier) {
        this.classes = classes;
        this.samples = samples;
        this.threshold = threshold;
        this.confusion = confusion;
        this.rocAuc = rocAuc;
        this.logLoss = logLoss;
        this.brier = brier;
        int k = confusion.length;
        long correct = 0;
        for (int i = 0; i < k; i++) {
            correct += confusion[i][i];
        }
        this.accuracy = samples == 0 ? Double.NaN : (double) correct / samples;
        if (k == 2) {
            long tp = confusion[1][1];
            long fp = confusion[0][1];
            long fn = confusion[1][0];
            this.precision = ratio(tp, tp + fp);
            this.recall = ratio(tp, tp + fn);
        } else {
            double p = 0;
            double r = 0;
            for (int c = 0; c < k; c++) {
                long tp = confusion[c][c];
                long predicted = 0;
                long actual = 0;
                for (int j = 0; j < k; j++) {
                    predicted += confusion[j][c];
                    actual += confusion[c][j];
                }
                p += ratio(tp, predicted);
                r += ratio(tp, actual);
            }
            this.precision = p / k;
            this.recall = r / k;
        }
        this.f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    }

    private static double ratio(long a, long b) {
        return b == 0 ? 0 : (double) a / b;
    }

    /**
     * Computes the report. {@code scores} [n, cols] are probabilities, {@code labels} [n, cols] 0/1 (binary: one
     * column) or one-hot / distributions (multi-class).
     *
     * @param scores    n x cols probabilities, row-major
     * @param labels    n x cols labels, row-major
     * @param n         rows
     * @param cols      columns: 1 for binary, C classes otherwise
     * @param threshold the probability at or above which a binary prediction is positive (ignored for multi-class)
     * @return the report
     */
    public static ClassificationReport of(float[] scores, float[] labels, int n, int cols, double threshold) {
        if (scores.length < (long) n * cols || labels.length < (long) n * cols) {
            throw new IllegalArgumentException("scores and labels need " + (long) n * cols + " values");
        }
        final double eps = 1e-7;   // Keras' clip for the log loss
        if (cols == 1) {
            long[][] cm = new long[2][2];
            double ll = 0;
            double br = 0;
            double[] s = new double[n];
            boolean[] pos = new boolean[n];
            for (int i = 0; i < n; i++) {
                double p = scores[i];
                boolean actual = labels[i] >= 0.5f;
                boolean predicted = p >= threshold;
                cm[actual ? 1 : 0][predicted ? 1 : 0]++;
                double pc = Math.min(Math.max(p, eps), 1 - eps);
                double y = labels[i];
                ll -= y * Math.log(pc) + (1 - y) * Math.log(1 - pc);
                br += (p - y) * (p - y);
                s[i] = p;
                pos[i] = actual;
            }
            return new ClassificationReport(2, n, threshold, cm, rocAuc(s, pos), n == 0 ? Double.NaN : ll / n,
                n == 0 ? Double.NaN : br / n);
        }
        long[][] cm = new long[cols][cols];
        double ll = 0;
        double br = 0;
        for (int i = 0; i < n; i++) {
            int actual = argMax(labels, i * cols, cols);
            int predicted = argMax(scores, i * cols, cols);
            cm[actual][predicted]++;
            for (int c = 0; c < cols; c++) {
                double p = scores[i * cols + c];
                double y = labels[i * cols + c];
                ll -= y * Math.log(Math.min(Math.max(p, eps), 1 - eps));
                br += (p - y) * (p - y);
            }
        }
        double aucSum = 0;
        int aucCount = 0;
        for (int c = 0; c < cols; c++) {
            double[] s = new double[n];
            boolean[] pos = new boolean[n];
            for (int i = 0; i < n; i++) {
                s[i] = scores[i * cols + c];
                pos[i] = argMax(labels, i * cols, cols) == c;
            }
            double auc = rocAuc(s, pos);
            if (!Double.isNaN(auc)) {
                aucSum += auc;
                aucCount++;
            }
        }
        return new ClassificationReport(cols, n, Double.NaN, cm, aucCount == 0 ? Double.NaN : aucSum / aucCount,
            n == 0 ? Double.NaN : ll / n, n == 0 ? Double.NaN : br / n);
    }

    private static int argMax(float[] a, int off, int len) {
        int best = 0;
        for (int j = 1; j < len; j++) {
            if (a[off + j] > a[off + best]) {
                best = j;
            }
        }
        return best;
    }

    /**
     * ROC AUC by the rank statistic (Mann-Whitney U), ties given half credit; NaN when only one class is present.
     *
     * @param scores    the scores, any monotone scale
     * @param positive whether each sample is of the positive class, same length
     * @return the area under the ROC curve, in [0, 1]
     */
    public static double rocAuc(double[] scores, boolean[] positive) {
        int n = scores.length;
        int pos = 0;
        for (int i = 0; i < n; i++) {
            if (positive[i]) {
                pos++;
            }
        }
        int neg = n - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        // Each class's scores sorted apart (primitive sorts: no boxing, no comparator for the JIT to specialise),
        // then U = sum over positives of (negatives below + half the negatives level with it), counted doubled so
        // it stays an exact integer. NaN ranks above every number and level with another NaN, as Double.compare.
        double[] p = new double[pos];
        double[] q = new double[neg];
        for (int i = 0, a = 0, b = 0; i < n; i++) {
            if (positive[i]) {
                p[a++] = scores[i];
            } else {
                q[b++] = scores[i];
            }
        }
        Arrays.sort(p);
        Arrays.sort(q);
        long twiceU = 0;
        int below = 0;
        int notAbove = 0;
        for (double s : p) {
            while (below < neg && ranksBelow(q[below], s)) {
                below++;
            }
            if (notAbove < below) {
                notAbove = below;
            }
            while (notAbove < neg && !ranksBelow(s, q[notAbove])) {
                notAbove++;
            }
            twiceU += below + (long) notAbove;
        }
        return twiceU / (2.0 * pos * neg);
    }

    /** Whether {@code a} ranks strictly below {@code b}: numeric order (so -0.0 and 0.0 are level), NaN on top. */
    private static boolean ranksBelow(double a, double b) {
        return a < b || (Double.isNaN(b) && !Double.isNaN(a));
    }

    /**
     * The number of classes: 2 for a binary report.
     *
     * @return classes
     */
    public int classes() {
        return classes;
    }

    /**
     * The number of samples scored.
     *
     * @return samples
     */
    public long samples() {
        return samples;
    }

    /**
     * The decision threshold (binary), NaN for multi-class.
     *
     * @return the threshold
     */
    public double threshold() {
        return threshold;
    }

    /**
     * Counts, [actual][predicted].
     *
     * @return a copy, classes x classes, rows the actual class, columns the predicted one
     */
    public long[][] confusionMatrix() {
        long[][] copy = new long[confusion.length][];
        for (int i = 0; i < confusion.length; i++) {
            copy[i] = confusion[i].clone();
        }
        return copy;
    }

    /**
     * The fraction of samples whose predicted class is the actual one.
     *
     * @return accuracy in [0, 1], NaN without samples
     */
    public double accuracy() {
        return accuracy;
    }

    /**
     * Precision, TP / (TP + FP), of the positive class (binary) or the macro average over classes.
     *
     * @return precision in [0, 1] (0 when nothing was predicted positive)
     */
    public double precision() {
        return precision;
    }

    /**
     * Recall, TP / (TP + FN), of the positive class (binary) or the macro average over classes.
     *
     * @return recall in [0, 1]
     */
    public double recall() {
        return recall;
    }

    /**
     * The harmonic mean of {@link #precision()} and {@link #recall()}.
     *
     * @return F1 in [0, 1]
     */
    public double f1() {
        return f1;
    }

    /**
     * The ROC AUC (binary) or the macro one-vs-rest average (multi-class).
     *
     * @return AUC in [0, 1], NaN when no class has both positives and negatives
     */
    public double rocAuc() {
        return rocAuc;
    }

    /**
     * The mean negative log-likelihood of the labels under the scores (natural log, probabilities clipped away from 0
     * and 1).
     *
     * @return log loss, in nats per sample
     */
    public double logLoss() {
        return logLoss;
    }

    /**
     * The mean squared error of the probabilities (summed over classes for multi-class).
     *
     * @return Brier score, 0 is perfect
     */
    public double brierScore() {
        return brier;
    }

    /**
     * The metrics as an ordered map (for JSON output).
     *
     * @return a new map, keys in display order
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", samples);
        m.put("classes", classes);
        if (classes == 2) {
            m.put("threshold", threshold);
        }
        m.put("accuracy", accuracy);
        m.put("precision", precision);
        m.put("recall", recall);
        m.put("f1", f1);
        m.put("roc_auc", rocAuc);
        m.put("log_loss", logLoss);
        m.put("brier", brier);
        m.put("confusion_matrix", confusionMatrix());
        return m;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "samples %d  accuracy %.4f  precision %.4f  recall %.4f  f1 %.4f%n",
            samples, accuracy, precision, recall, f1));
        sb.append(String.format(Locale.ROOT, "roc_auc %.4f  log_loss %.4f  brier %.4f", rocAuc, logLoss, brier));
        if (classes == 2) {
            sb.append(String.format(Locale.ROOT, "  threshold %.3f", threshold));
        }
        sb.append(System.lineSeparator()).append("confusion [actual][predicted]: ")
            .append(Arrays.deepToString(confusion));
        return sb.toString();
    }
}
