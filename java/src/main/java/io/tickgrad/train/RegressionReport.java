package io.tickgrad.train;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Metrics of a real-valued forecast f against realised labels y (n pairs, both finite), in the labels' units:
 * <ul>
 *   <li>RMSE = sqrt(mean (f - y)^2) and MAE = mean |f - y|;</li>
 *   <li>R^2 = 1 - SSE / SST, SST = sum (y - mean y)^2: against the mean of these very labels (a forecast that could
 *       not be made in advance, so R^2 is the in-sample reference);</li>
 *   <li>R^2 against the naive forecast g: R^2_naive = 1 - SSE_model / SSE_naive, SSE_naive = sum (g - y)^2, with g
 *       given per row by the caller ({@link #naiveForecast()} says which; NaN when none is given). Above 0 the model
 *       beats the naive forecast;</li>
 *   <li>Spearman's rank correlation of f and y (Pearson's correlation of their ranks, ties given their mean
 *       rank).</li>
 * </ul>
 *
 * <p><b>Standard errors</b> count {@code independent} samples, n_eff (for overlapping labels, one per horizon,
 * as the backtest reports count them): MAE: sd(|e|) / sqrt(n_eff); RMSE: sd(e^2) / sqrt(n_eff) / (2 RMSE) (delta
 * method); R^2 and R^2_naive: the delta-method error of the ratio of means mean(a) / mean(b) with a = e^2 and
 * b = (y - mean y)^2 or (g - y)^2; Spearman: (1 - rho^2) sqrt((1 + rho^2 / 2) / (n_eff - 3)) (Bonett and Wright's
 * variance of Fisher's z, mapped back). NaN where they are undefined (n_eff &lt;= 3 for Spearman, n &lt; 2).
 *
 * @param n              pairs compared
 * @param independent    independent samples the standard errors count, n_eff
 * @param rmse           root mean squared error, in the labels' units
 * @param mae            mean absolute error, in the labels' units
 * @param r2             R^2 against the mean of the labels
 * @param r2Naive        R^2 against the naive forecast (NaN without one)
 * @param spearman       Spearman's rank correlation of forecast and label
 * @param meanLabel      mean of the labels
 * @param meanForecast   mean of the forecasts
 * @param rmseStdErr     standard error of rmse
 * @param maeStdErr      standard error of mae
 * @param r2StdErr       standard error of r2
 * @param r2NaiveStdErr  standard error of r2Naive
 * @param spearmanStdErr standard error of spearman
 * @param naiveForecast  what the naive forecast is, or null without one
 */
public record RegressionReport(long n, double independent, double rmse, double mae, double r2, double r2Naive,
                               double spearman, double meanLabel, double meanForecast, double rmseStdErr,
                               double maeStdErr, double r2StdErr, double r2NaiveStdErr, double spearmanStdErr,
                               String naiveForecast) {

    /**
     * Computes the metrics of {@code forecast} against {@code label} over the first {@code n} entries.
     *
     * @param forecast    the forecasts, at least n, finite
     * @param label       the realised labels, at least n, finite, same units as the forecasts
     * @param naive       the naive forecast per row, or null (then R^2_naive is NaN)
     * @param naiveName   what the naive forecast is, for the report (ignored without {@code naive})
     * @param n           the number of pairs
     * @param independent the number of independent samples the standard errors count (n when labels do not
     *                    overlap); at most n
     * @return the report
     */
    public static RegressionReport of(double[] forecast, double[] label, double[] naive, String naiveName, int n,
                                      double independent) {
        if (forecast.length < n || label.length < n || (naive != null && naive.length < n)) {
            throw new IllegalArgumentException("regression metrics: arrays shorter than n = " + n);
        }
        double nEff = Math.min(n, Math.max(independent, n == 0 ? 0 : 1));
        double sumY = 0;
        double sumF = 0;
        for (int i = 0; i < n; i++) {
            sumY += label[i];
            sumF += forecast[i];
        }
        double meanY = n == 0 ? Double.NaN : sumY / n;
        double[] sq = new double[n];
        double[] ab = new double[n];
        double[] dev = new double[n];
        double[] nsq = naive == null ? null : new double[n];
        for (int i = 0; i < n; i++) {
            double e = forecast[i] - label[i];
            sq[i] = e * e;
            ab[i] = Math.abs(e);
            dev[i] = (label[i] - meanY) * (label[i] - meanY);
            if (nsq != null) {
                double en = naive[i] - label[i];
                nsq[i] = en * en;
            }
        }
        double mse = mean(sq);
        double rmse = Math.sqrt(mse);
        double mae = mean(ab);
        double r2 = 1 - mse / mean(dev);
        double r2Naive = nsq == null ? Double.NaN : 1 - mse / mean(nsq);
        double rho = spearman(forecast, label, n);
        double rmseErr = n < 2 ? Double.NaN : sd(sq) / Math.sqrt(nEff) / (2 * rmse);
        double maeErr = n < 2 ? Double.NaN : sd(ab) / Math.sqrt(nEff);
        double r2Err = ratioStdErr(sq, dev, nEff);
        double r2NaiveErr = nsq == null ? Double.NaN : ratioStdErr(sq, nsq, nEff);
        double rhoErr = nEff > 3 ? (1 - rho * rho) * Math.sqrt((1 + rho * rho / 2) / (nEff - 3)) : Double.NaN;
        return new RegressionReport(n, nEff, rmse, mae, r2, r2Naive, rho, meanY, n == 0 ? Double.NaN : sumF / n,
            rmseErr, maeErr, r2Err, r2NaiveErr, rhoErr, naive == null ? null : naiveName);
    }

    /**
     * The metrics with every sample counted as independent and no naive forecast.
     *
     * @param forecast the forecasts, finite
     * @param label    the realised labels, same length
     * @return the report
     */
    public static RegressionReport of(double[] forecast, double[] label) {
        return of(forecast, label, null, null, label.length, label.length);
    }

    private static double mean(double[] a) {
        if (a.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (double v : a) {
            s += v;
        }
        return s / a.length;
    }

    private static double sd(double[] a) {
        int n = a.length;
        if (n < 2) {
            return Double.NaN;
        }
        double m = mean(a);
        double ss = 0;
        for (double v : a) {
            ss += (v - m) * (v - m);
        }
        return Math.sqrt(ss / (n - 1));
    }

    /** The delta-method standard error of mean(a) / mean(b) over nEff independent samples. */
    static double ratioStdErr(double[] a, double[] b, double nEff) {
        int n = a.length;
        if (n < 2) {
            return Double.NaN;
        }
        double ma = mean(a);
        double mb = mean(b);
        double va = 0;
        double vb = 0;
        double cab = 0;
        for (int i = 0; i < n; i++) {
            va += (a[i] - ma) * (a[i] - ma);
            vb += (b[i] - mb) * (b[i] - mb);
            cab += (a[i] - ma) * (b[i] - mb);
        }
        va /= n - 1;
        vb /= n - 1;
        cab /= n - 1;
        double var = va / (mb * mb) - 2 * ma * cab / (mb * mb * mb) + ma * ma * vb / (mb * mb * mb * mb);
        return Math.sqrt(Math.max(0, var) / nEff);
    }

    /**
     * Spearman's rho over the first n entries: the Pearson correlation of the mid-ranks; NaN if either is constant.
     *
     * @param x first series
     * @param y second series
     * @param n the number of pairs
     * @return rho in [-1, 1], or NaN
     */
    public static double spearman(double[] x, double[] y, int n) {
        if (n < 2) {
            return Double.NaN;
        }
        double[] rx = ranks(x, n);
        double[] ry = ranks(y, n);
        double m = (n + 1) / 2.0;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            sxy += (rx[i] - m) * (ry[i] - m);
            sxx += (rx[i] - m) * (rx[i] - m);
            syy += (ry[i] - m) * (ry[i] - m);
        }
        return sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
    }

    /** 1-based ranks, ties sharing their mean rank. */
    static double[] ranks(double[] v, int n) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(v[a], v[b]));
        double[] r = new double[n];
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && v[order[j + 1]] == v[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                r[order[k]] = rank;
            }
            i = j + 1;
        }
        return r;
    }

    /**
     * The metrics as an ordered map (JSON keys); non-finite values are left to the writer.
     *
     * @return a new map, keys in display order
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", n);
        m.put("independent_samples", independent);
        m.put("rmse", rmse);
        m.put("rmse_std_err", rmseStdErr);
        m.put("mae", mae);
        m.put("mae_std_err", maeStdErr);
        m.put("r2", r2);
        m.put("r2_std_err", r2StdErr);
        if (naiveForecast != null) {
            m.put("r2_naive", r2Naive);
            m.put("r2_naive_std_err", r2NaiveStdErr);
            m.put("naive_forecast", naiveForecast);
        }
        m.put("spearman", spearman);
        m.put("spearman_std_err", spearmanStdErr);
        m.put("mean_label", meanLabel);
        m.put("mean_forecast", meanForecast);
        return m;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "samples     %d (standard errors count %.0f independent)%n", n, independent));
        s.append(String.format(Locale.ROOT, "RMSE        %.6g ± %.2g%n", rmse, rmseStdErr));
        s.append(String.format(Locale.ROOT, "MAE         %.6g ± %.2g%n", mae, maeStdErr));
        s.append(String.format(Locale.ROOT, "R^2         %.4f ± %.4f (against the mean of these labels)%n", r2,
            r2StdErr));
        if (naiveForecast != null) {
            s.append(String.format(Locale.ROOT, "R^2 naive   %.4f ± %.4f (against %s)%n", r2Naive, r2NaiveStdErr,
                naiveForecast));
        }
        s.append(String.format(Locale.ROOT, "Spearman    %.4f ± %.4f%n", spearman, spearmanStdErr));
        s.append(String.format(Locale.ROOT, "mean label  %.6g, mean forecast %.6g", meanLabel, meanForecast));
        return s.toString();
    }
}
