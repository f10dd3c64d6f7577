package io.tickgrad.tabular;

import io.tickgrad.train.CalibrationTable;
import io.tickgrad.train.ClassificationReport;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Every metric of a binary scorer at one threshold: accuracy, precision, recall, F1, ROC AUC, PR AUC (average
 * precision), log loss, Brier score, the confusion matrix, and a calibration table.
 */
public final class BinaryEvaluation {
    /** Bins of the calibration table. */
    public static final int CALIBRATION_BINS = 10;

    private final ClassificationReport report;
    private final double averagePrecision;
    private final double positiveRate;
    private final CalibrationTable calibration;

    private BinaryEvaluation(ClassificationReport report, double averagePrecision, double positiveRate,
                             CalibrationTable calibration) {
        this.report = report;
        this.averagePrecision = averagePrecision;
        this.positiveRate = positiveRate;
        this.calibration = calibration;
    }

    /**
     * Evaluates probabilities {@code scores} against 0/1 {@code labels}, positive at {@code score >= threshold}.
     *
     * @param scores    probabilities of the positive class
     * @param labels    0/1 labels, same length
     * @param threshold the decision threshold
     * @return the evaluation
     */
    public static BinaryEvaluation of(float[] scores, float[] labels, double threshold) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + labels.length + " labels");
        }
        ClassificationReport report = ClassificationReport.of(scores, labels, scores.length, 1, threshold);
        long pos = 0;
        for (float y : labels) {
            if (y >= 0.5f) {
                pos++;
            }
        }
        return new BinaryEvaluation(report, averagePrecision(scores, labels),
            labels.length == 0 ? Double.NaN : (double) pos / labels.length,
            CalibrationTable.of(scores, labels, CALIBRATION_BINS));
    }

    /**
     * Average precision, the step-wise area under the precision-recall curve: the sum over distinct thresholds,
     * from the highest, of (recall gained) times (precision there); tied scores count as one threshold. NaN with
     * no positives.
     *
     * @param scores probabilities of the positive class
     * @param labels 0/1 labels, same length
     * @return the average precision, in [0, 1]
     */
    public static double averagePrecision(float[] scores, float[] labels) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a]));
        long positives = 0;
        for (float y : labels) {
            if (y >= 0.5f) {
                positives++;
            }
        }
        if (positives == 0) {
            return Double.NaN;
        }
        long tp = 0;
        long seen = 0;
        double ap = 0;
        int i = 0;
        while (i < n) {
            float t = scores[order[i]];
            long tpBefore = tp;
            while (i < n && scores[order[i]] == t) {
                if (labels[order[i]] >= 0.5f) {
                    tp++;
                }
                seen++;
                i++;
            }
            ap += (double) (tp - tpBefore) / positives * ((double) tp / seen);
        }
        return ap;
    }

    /**
     * Accuracy, precision, recall, F1, ROC AUC, log loss, Brier and the confusion matrix at the threshold.
     *
     * @return the report
     */
    public ClassificationReport report() {
        return report;
    }

    /**
     * PR AUC as average precision.
     *
     * @return PR AUC, in [0, 1]
     */
    public double averagePrecision() {
        return averagePrecision;
    }

    /**
     * Share of positive labels (the PR AUC of a random scorer).
     *
     * @return the share, in [0, 1]
     */
    public double positiveRate() {
        return positiveRate;
    }

    /**
     * The calibration of the probabilities, in ten equal-width bins.
     *
     * @return the table
     */
    public CalibrationTable calibration() {
        return calibration;
    }

    /**
     * Every metric as an ordered map, for JSON.
     *
     * @return a new map, keys in display order
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> r = report.toMap();
        m.put("samples", r.get("samples"));
        m.put("positive_rate", positiveRate);
        m.put("threshold", report.threshold());
        m.put("accuracy", report.accuracy());
        m.put("precision", report.precision());
        m.put("recall", report.recall());
        m.put("f1", report.f1());
        m.put("roc_auc", report.rocAuc());
        m.put("pr_auc", averagePrecision);
        m.put("log_loss", report.logLoss());
        m.put("brier", report.brierScore());
        long[][] cm = report.confusionMatrix();
        Map<String, Object> confusion = new LinkedHashMap<>();
        confusion.put("true_negative", cm[0][0]);
        confusion.put("false_positive", cm[0][1]);
        confusion.put("false_negative", cm[1][0]);
        confusion.put("true_positive", cm[1][1]);
        m.put("confusion_matrix", confusion);
        m.put("expected_calibration_error", calibration.expectedCalibrationError());
        m.put("calibration", calibration.toList());
        return m;
    }

    @Override
    public String toString() {
        long[][] cm = report.confusionMatrix();
        return String.format(Locale.ROOT,
            "samples %d (positive rate %.4f)  threshold %.4f%n"
                + "accuracy %.4f  precision %.4f  recall %.4f  f1 %.4f%n"
                + "roc_auc %.4f  pr_auc %.4f  log_loss %.4f  brier %.4f%n"
                + "confusion at the threshold:      predicted 0  predicted 1%n"
                + "                      actual 0  %11d  %11d%n"
                + "                      actual 1  %11d  %11d%n%s",
            report.samples(), positiveRate, report.threshold(), report.accuracy(), report.precision(), report.recall(),
            report.f1(), report.rocAuc(), averagePrecision, report.logLoss(), report.brierScore(), cm[0][0], cm[0][1],
            cm[1][0], cm[1][1], calibration);
    }
}
