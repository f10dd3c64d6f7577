package io.tickgrad.backtest;

import io.tickgrad.train.CalibrationTable;
import io.tickgrad.train.ClassificationReport;
import io.tickgrad.train.RegressionReport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * One pass over a {@link BacktestRun}: the {@link BacktestSummary} and the series the charts draw (equity curve,
 * rolling accuracy, measured latencies). Package-private: the report is its only other reader.
 */
final class BacktestAnalysis {
    static final int CALIBRATION_BINS = 10;

    private final BacktestSummary summary;
    /** Exchange time of each strategy period and the cumulative net PnL after it, bps. */
    final long[] equityTimeNs;
    final double[] equityBps;
    /** The cumulative gross PnL (before costs) at the same times, bps. */
    final double[] grossEquityBps;
    /** Exchange time of each labelled prediction that ends a full window, and the window's accuracy. */
    final long[] rollingTimeNs;
    final double[] rollingAccuracy;
    final int rollingWindow;
    /** The measured latencies, ns, in row order. */
    final long[] latenciesNs;
    /** The labelled rows with a finite score, in row order: score, label (1 or 0) and exchange time. */
    final float[] labelledScores;
    final float[] labelledLabels;
    final long[] labelledTimeNs;

    private BacktestAnalysis(BacktestSummary summary, long[] equityTimeNs, double[] equityBps,
                             double[] grossEquityBps, long[] rollingTimeNs, double[] rollingAccuracy,
                             int rollingWindow, long[] latenciesNs, float[] labelledScores,
                             float[] labelledLabels, long[] labelledTimeNs) {
        this.summary = summary;
        this.equityTimeNs = equityTimeNs;
        this.equityBps = equityBps;
        this.grossEquityBps = grossEquityBps;
        this.rollingTimeNs = rollingTimeNs;
        this.rollingAccuracy = rollingAccuracy;
        this.rollingWindow = rollingWindow;
        this.latenciesNs = latenciesNs;
        this.labelledScores = labelledScores;
        this.labelledLabels = labelledLabels;
        this.labelledTimeNs = labelledTimeNs;
    }

    BacktestSummary summary() {
        return summary;
    }

    static BacktestAnalysis of(BacktestRun run, BacktestOptions options) {
        int n = run.size();

        // --- rows and the labelled subset
        long invalidScore = 0;
        long unlabelled = 0;
        int labelled = 0;
        for (int i = 0; i < n; i++) {
            boolean finite = Float.isFinite(run.score(i));
            boolean hasLabel = isLabelled(run.label(i));
            invalidScore += finite ? 0 : 1;
            unlabelled += hasLabel ? 0 : 1;
            labelled += finite && hasLabel ? 1 : 0;
        }
        BacktestSummary.Rows rows = new BacktestSummary.Rows(n, labelled, unlabelled, invalidScore,
            n == 0 ? 0 : run.exchangeTimeNs(0), n == 0 ? 0 : run.exchangeTimeNs(n - 1));

        float[] scores = new float[labelled];
        float[] labels = new float[labelled];
        long[] labelledTimeNs = new long[labelled];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (Float.isFinite(run.score(i)) && isLabelled(run.label(i))) {
                scores[k] = run.score(i);
                labels[k] = run.label(i);
                labelledTimeNs[k] = run.exchangeTimeNs(i);
                k++;
            }
        }
        int horizon = inferHorizonRows(run);
        BacktestSummary.Prediction prediction = prediction(scores, labels, options.decisionThreshold(), horizon);
        List<BacktestSummary.CalibrationBin> calibration = calibration(scores, labels);

        // --- rolling accuracy over labelled predictions
        int window = labelled >= options.rollingWindow() ? options.rollingWindow() : Math.max(1, labelled / 4);
        int points = labelled == 0 ? 0 : labelled - window + 1;
        long[] rollingTimeNs = new long[points];
        double[] rollingAccuracy = new double[points];
        int correctInWindow = 0;
        for (int j = 0; j < labelled; j++) {
            correctInWindow += correct(scores[j], labels[j], options.decisionThreshold());
            if (j >= window) {
                correctInWindow -= correct(scores[j - window], labels[j - window], options.decisionThreshold());
            }
            if (j >= window - 1) {
                rollingTimeNs[j - window + 1] = labelledTimeNs[j];
                rollingAccuracy[j - window + 1] = (double) correctInWindow / window;
            }
        }

        // --- strategy
        StrategyPass pass = strategy(run, options, horizon);

        // --- latency
        long measured = 0;
        for (int i = 0; i < n; i++) {
            if (run.latencyNs(i) >= 0) {
                measured++;
            }
        }
        long[] latencies = new long[(int) measured];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (run.latencyNs(i) >= 0) {
                latencies[m++] = run.latencyNs(i);
            }
        }
        BacktestSummary.Latency latency = latency(latencies, n - measured);

        StandardErrors errors = StandardErrors.of(scores, labels, prediction.accuracy(), horizon, pass.metrics,
            pass.metrics.overlapping(options));
        BacktestSummary summary = new BacktestSummary(options, rows, prediction, pass.metrics, latency, calibration,
            errors, run.realValued() ? regression(run, errors.horizonRows()) : null, run.regressionLabel(),
            run.directional());
        return new BacktestAnalysis(summary, pass.timeNs, pass.cumulativeNetBps, pass.cumulativeGrossBps,
            rollingTimeNs, rollingAccuracy, window, latencies, scores, labels, labelledTimeNs);
    }

    /**
     * The regression metrics of a real-valued run over its rows with a finite forecast, naive forecast and realised
     * label, counting one independent label per {@code horizonRows} as the classification errors do.
     */
    static RegressionReport regression(BacktestRun run, int horizonRows) {
        int n = run.size();
        double[] f = new double[n];
        double[] y = new double[n];
        double[] g = new double[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            double fi = run.forecast(i);
            double yi = run.target(i);
            double gi = run.naive(i);
            if (Double.isFinite(fi) && Double.isFinite(yi) && Double.isFinite(gi)) {
                f[k] = fi;
                y[k] = yi;
                g[k] = gi;
                k++;
            }
        }
        double independent = k == 0 ? 0 : Math.max(1.0, (double) k / Math.max(1, horizonRows));
        return RegressionReport.of(f, y, g, run.naiveForecastName(), k, independent);
    }

    static boolean isLabelled(int label) {
        return label == 0 || label == 1;
    }

    private static int correct(float score, float label, double threshold) {
        return (score >= threshold) == (label >= 0.5f) ? 1 : 0;
    }

    private static BacktestSummary.Prediction prediction(float[] scores, float[] labels, double threshold,
                                                         int horizonRows) {
        int n = scores.length;
        if (n == 0) {
            return new BacktestSummary.Prediction(0, Double.NaN, Double.NaN, null);
        }
        long up = 0;
        for (float y : labels) {
            if (y >= 0.5f) {
                up++;
            }
        }
        long down = n - up;
        double nullStdErr = StandardErrors.aucNull(up, down, Math.max(1, horizonRows));
        ClassificationReport report = ClassificationReport.of(scores, labels, n, 1, threshold);
        return new BacktestSummary.Prediction(n, (double) up / n, nullStdErr, report);
    }

    private static List<BacktestSummary.CalibrationBin> calibration(float[] scores, float[] labels) {
        List<BacktestSummary.CalibrationBin> bins = new ArrayList<>(CALIBRATION_BINS);
        for (CalibrationTable.Bin b : CalibrationTable.of(scores, labels, CALIBRATION_BINS).bins()) {
            bins.add(new BacktestSummary.CalibrationBin(b.lower(), b.upper(), b.count(), b.meanPredicted(),
                b.observedRate()));
        }
        return bins;
    }

    /** The strategy's periods and metrics. */
    static final class StrategyPass {
        BacktestSummary.Strategy metrics;
        long[] timeNs;
        double[] cumulativeNetBps;
        double[] cumulativeGrossBps;
    }

    static StrategyPass strategy(BacktestRun run, BacktestOptions options, int inferredHorizonRows) {
        int n = run.size();
        int step = options.holdRows();
        int capacity = n == 0 ? 0 : (n - 1) / step + 1;
        long[] timeNs = new long[capacity];
        double[] net = new double[capacity];
        double[] grossPerPeriod = new double[capacity];
        long decisionRows = 0;
        long skipped = 0;
        int periods = 0;
        long longs = 0;
        long shorts = 0;
        long trades = 0;
        long hits = 0;
        double gross = 0;
        double turnover = 0;
        int previous = 0;
        for (int i = 0; i < n; i += step) {
            decisionRows++;
            double r = run.forwardReturn(i);
            if (!Double.isFinite(r)) {
                skipped++;
                continue;
            }
            // a forecast of volatility, move size or large-move odds says nothing about direction: flat
            int position = run.directional() ? options.position(run.score(i)) : 0;
            int change = Math.abs(position - previous);
            if (change != 0) {
                trades++;
            }
            double pnl = position * r * 1e4;
            gross += pnl;
            turnover += change;
            net[periods] = pnl - options.costBps() * change;
            grossPerPeriod[periods] = pnl;
            timeNs[periods] = run.exchangeTimeNs(i);
            periods++;
            if (position > 0) {
                longs++;
            } else if (position < 0) {
                shorts++;
            }
            if (position != 0 && position * r > 0) {
                hits++;
            }
            previous = position;
        }
        if (previous != 0) {   // close out at the end, charged to the last period
            trades++;
            turnover += Math.abs(previous);
            net[periods - 1] -= options.costBps() * Math.abs(previous);
        }
        timeNs = Arrays.copyOf(timeNs, periods);
        net = Arrays.copyOf(net, periods);

        double[] cumulative = new double[periods];
        double[] cumulativeGross = new double[periods];
        double grossSum = 0;
        double sum = 0;
        double peak = 0;
        double maxDrawdown = 0;
        for (int j = 0; j < periods; j++) {
            sum += net[j];
            cumulative[j] = sum;
            grossSum += grossPerPeriod[j];
            cumulativeGross[j] = grossSum;
            peak = Math.max(peak, sum);
            maxDrawdown = Math.max(maxDrawdown, peak - sum);
        }
        double cost = options.costBps() * turnover;
        double netTotal = gross - cost;
        double mean = periods == 0 ? Double.NaN : sum / periods;
        double std = Double.NaN;
        if (periods >= 2) {
            double ss = 0;
            for (int j = 0; j < periods; j++) {
                ss += (net[j] - mean) * (net[j] - mean);
            }
            std = Math.sqrt(ss / (periods - 1));
        }
        long spanNs = periods == 0 ? 0 : timeNs[periods - 1] - timeNs[0];
        double sharpe = std > 0 ? mean / std : Double.NaN;
        double perYear = periods >= 2 && spanNs > 0 ? (periods - 1) * BacktestSummary.NS_PER_YEAR / spanNs
            : Double.NaN;
        double sharpeAnnual = sharpe * Math.sqrt(perYear);
        double perDay = spanNs > 0 ? turnover / (spanNs / BacktestSummary.NS_PER_DAY) : Double.NaN;
        long active = longs + shorts;

        StrategyPass pass = new StrategyPass();
        pass.metrics = new BacktestSummary.Strategy(decisionRows, skipped, periods, longs, shorts, trades, gross,
            cost, netTotal, active == 0 ? Double.NaN : (double) hits / active, mean, std, sharpe, perYear,
            sharpeAnnual, maxDrawdown, turnover, perDay, periods == 0 ? Double.NaN : (double) active / periods,
            spanNs, inferredHorizonRows);
        pass.timeNs = timeNs;
        pass.cumulativeNetBps = cumulative;
        pass.cumulativeGrossBps = cumulativeGross;
        return pass;
    }

    static final int MAX_INFERRED_HORIZON = 4096;

    /**
     * The h for which the forward return of (nearly) every sampled row equals price[i + h] / price[i] - 1, or 0.
     * Looks at up to 256 rows with a known non-zero return, so a run whose returns are measured on another price
     * (mid vs trade) or by time gives 0 rather than a guess.
     */
    static int inferHorizonRows(BacktestRun run) {
        int n = run.size();
        int[] sample = new int[256];
        int found = 0;
        int stride = Math.max(1, n / 1024);
        for (int i = 0; i < n && found < sample.length; i += stride) {
            double r = run.forwardReturn(i);
            if (Double.isFinite(r) && r != 0 && run.price(i) > 0) {
                sample[found++] = i;
            }
        }
        if (found < 5) {
            return 0;
        }
        int maxH = Math.min(MAX_INFERRED_HORIZON, n - 1);
        for (int h = 1; h <= maxH; h++) {
            int checked = 0;
            int matched = 0;
            for (int k = 0; k < found; k++) {
                int i = sample[k];
                if (i + h >= n) {
                    continue;
                }
                checked++;
                double r = run.forwardReturn(i);
                double fromPrices = run.price(i + h) / run.price(i) - 1;
                if (Math.abs(fromPrices - r) <= 1e-9 * Math.abs(r) + 1e-12) {
                    matched++;
                }
            }
            if (checked >= 5 && matched >= 0.95 * checked) {
                return h;
            }
        }
        return 0;
    }

    private static BacktestSummary.Latency latency(long[] latencies, long unmeasured) {
        if (latencies.length == 0) {
            return new BacktestSummary.Latency(0, unmeasured, Double.NaN, Double.NaN, Double.NaN, 0, Double.NaN);
        }
        Histogram h = new Histogram(3);   // auto-resizing, 3 significant digits
        long max = 0;
        double sum = 0;
        for (long v : latencies) {
            h.recordValue(v);
            max = Math.max(max, v);
            sum += v;
        }
        return new BacktestSummary.Latency(latencies.length, unmeasured, h.getValueAtPercentile(50.0),
            h.getValueAtPercentile(99.0), h.getValueAtPercentile(99.9), max, sum / latencies.length);
    }
}
