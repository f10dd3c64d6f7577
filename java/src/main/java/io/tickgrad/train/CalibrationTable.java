package io.tickgrad.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reliability of predicted probabilities: the rows binned by predicted probability into equal-width bins over
 * [0, 1], each with its count, mean predicted probability and observed positive rate. A calibrated model has
 * the two close in every populated bin. Also the expected calibration error (count-weighted mean gap).
 */
public final class CalibrationTable {
    /**
     * One bin, [lower, upper); the last bin includes 1.
     *
     * @param lower         lower bound of the predicted probability, inclusive
     * @param upper         upper bound, exclusive (inclusive for the last bin)
     * @param count         rows in the bin
     * @param meanPredicted mean predicted probability of those rows (NaN when empty)
     * @param observedRate  share of those rows whose label is 1 (NaN when empty)
     */
    public record Bin(double lower, double upper, long count, double meanPredicted, double observedRate) {
    }

    private final List<Bin> bins;
    private final double expectedCalibrationError;

    private CalibrationTable(List<Bin> bins, double ece) {
        this.bins = List.copyOf(bins);
        this.expectedCalibrationError = ece;
    }

    /**
     * Bins {@code scores} (probabilities) against {@code labels} (0/1) into {@code binCount} bins.
     *
     * @param scores   predicted probabilities of the positive class
     * @param labels   0/1 labels, same length
     * @param binCount the number of equal-width bins, at least 1
     * @return the table
     */
    public static CalibrationTable of(float[] scores, float[] labels, int binCount) {
        if (binCount < 1) {
            throw new IllegalArgumentException("need at least one bin, got " + binCount);
        }
        long[] count = new long[binCount];
        double[] sumP = new double[binCount];
        double[] sumY = new double[binCount];
        for (int i = 0; i < scores.length; i++) {
            double p = Math.min(Math.max(scores[i], 0), 1);
            int b = Math.min((int) (p * binCount), binCount - 1);
            count[b]++;
            sumP[b] += p;
            sumY[b] += labels[i] >= 0.5f ? 1 : 0;
        }
        List<Bin> bins = new ArrayList<>();
        double ece = 0;
        for (int b = 0; b < binCount; b++) {
            double mp = count[b] == 0 ? Double.NaN : sumP[b] / count[b];
            double obs = count[b] == 0 ? Double.NaN : sumY[b] / count[b];
            bins.add(new Bin((double) b / binCount, (double) (b + 1) / binCount, count[b], mp, obs));
            if (count[b] > 0) {
                ece += count[b] * Math.abs(mp - obs);
            }
        }
        return new CalibrationTable(bins, scores.length == 0 ? Double.NaN : ece / scores.length);
    }

    /**
     * The bins in ascending order, empty ones included.
     *
     * @return an immutable list of binCount bins
     */
    public List<Bin> bins() {
        return bins;
    }

    /**
     * Sum over bins of count / n times |mean predicted - observed rate|.
     *
     * @return the ECE, in probability units (0 is perfectly calibrated)
     */
    public double expectedCalibrationError() {
        return expectedCalibrationError;
    }

    /**
     * The bins as a list of maps (for JSON).
     *
     * @return a new list, one map per bin
     */
    public List<Map<String, Object>> toList() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Bin b : bins) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("lower", b.lower());
            m.put("upper", b.upper());
            m.put("count", b.count());
            m.put("mean_predicted", Double.isNaN(b.meanPredicted()) ? null : b.meanPredicted());
            m.put("observed_rate", Double.isNaN(b.observedRate()) ? null : b.observedRate());
            out.add(m);
        }
        return out;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("calibration (predicted probability bins):\n");
        sb.append("  bin          count  mean_pred  observed\n");
        for (Bin b : bins) {
            sb.append(String.format(Locale.ROOT, "  [%.1f, %.1f)  %6d  %9s  %8s%n", b.lower(), b.upper(), b.count(),
                b.count() == 0 ? "-" : String.format(Locale.ROOT, "%.4f", b.meanPredicted()),
                b.count() == 0 ? "-" : String.format(Locale.ROOT, "%.4f", b.observedRate())));
        }
        sb.append(String.format(Locale.ROOT, "  expected calibration error %.4f", expectedCalibrationError));
        return sb.toString();
    }
}
