package io.tickgrad.backtest;

import java.util.function.DoubleFunction;
import java.util.function.ToDoubleFunction;

/**
 * The headline metrics of a {@link Comparison}, each with a standard error, so that a difference between models can
 * be told apart from noise.
 *
 * <p>Prediction metrics are averages over labelled predictions, but a prediction is made on every tick and its label
 * spans the next h ticks, so neighbouring labels share most of their move and are far from independent. Their
 * standard errors therefore count one independent label per horizon: n / h samples, h the label horizon in
 * predictions as the run shows it ({@link BacktestSummary.Strategy#inferredHorizonRows()}, 1 when it shows none).
 * The strategy decides once per horizon, so its periods are counted as they are.
 */
enum ComparedMetric {
    ACCURACY("accuracy", "accuracy", true, a -> a.summary().prediction().accuracy(),
        ComparedMetric::accuracyStdErr, BacktestFormat::percent),
    /** Its standard error is the null standard error of BacktestSummary at n / h labels: the noise around 0.5. */
    ROC_AUC("roc_auc", "ROC AUC", true, a -> a.summary().prediction().rocAuc(),
        a -> a.summary().prediction().aucNullStdErr() * Math.sqrt(horizon(a)), v -> BacktestFormat.number(v, 4)),
    LOG_LOSS("log_loss", "log loss", false, a -> a.summary().prediction().logLoss(),
        ComparedMetric::logLossStdErr, v -> BacktestFormat.number(v, 4)),
    /** A sum of independent periods: its standard error is the per-period standard deviation times sqrt(periods). */
    NET_PNL("net_pnl_bps", "net PnL after costs (bps)", true, a -> a.summary().strategy().netPnlBps(),
        a -> a.summary().strategy().stdNetBps() * Math.sqrt(a.summary().strategy().periods()),
        v -> BacktestFormat.number(v, 1)),
    SHARPE("sharpe_annualised", "Sharpe, annualised", true, a -> a.summary().strategy().sharpeAnnualised(),
        ComparedMetric::sharpeStdErr, v -> BacktestFormat.number(v, 2)),
    /** No standard error: a drawdown is one path's extreme. */
    MAX_DRAWDOWN("max_drawdown_bps", "max drawdown (bps)", false, a -> a.summary().strategy().maxDrawdownBps(),
        a -> Double.NaN, v -> BacktestFormat.number(v, 1));

    /** Keras' clip for the log loss, as {@link io.tickgrad.train.ClassificationReport} uses. */
    private static final double LOG_EPS = 1e-7;

    final String key;
    final String label;
    final boolean higherIsBetter;
    private final ToDoubleFunction<BacktestAnalysis> value;
    private final ToDoubleFunction<BacktestAnalysis> stdErr;
    private final DoubleFunction<String> format;

    ComparedMetric(String key, String label, boolean higherIsBetter, ToDoubleFunction<BacktestAnalysis> value,
                   ToDoubleFunction<BacktestAnalysis> stdErr, DoubleFunction<String> format) {
        this.key = key;
        this.label = label;
        this.higherIsBetter = higherIsBetter;
        this.value = value;
        this.stdErr = stdErr;
        this.format = format;
    }

    double value(BacktestAnalysis a) {
        return value.applyAsDouble(a);
    }

    /** Standard error of {@link #value}, NaN when there is none. */
    double stdErr(BacktestAnalysis a) {
        return stdErr.applyAsDouble(a);
    }

    String format(double v) {
        return format.apply(v);
    }

    /** The label horizon in predictions, as the run shows it; 1 when it shows none. */
    static int horizon(BacktestAnalysis a) {
        return Math.max(1, a.summary().strategy().inferredHorizonRows());
    }

    /** Labelled predictions counted once per horizon (at least 1). */
    static double independentLabels(BacktestAnalysis a) {
        return Math.max(1.0, (double) a.labelledScores.length / horizon(a));
    }

    private static double accuracyStdErr(BacktestAnalysis a) {
        double p = a.summary().prediction().accuracy();
        return Math.sqrt(p * (1 - p) / independentLabels(a));
    }

    /** The standard deviation of the per-prediction log loss over sqrt(n / h). */
    private static double logLossStdErr(BacktestAnalysis a) {
        int n = a.labelledScores.length;
        if (n < 2) {
            return Double.NaN;
        }
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            double p = Math.min(Math.max(a.labelledScores[i], LOG_EPS), 1 - LOG_EPS);
            double loss = a.labelledLabels[i] >= 0.5f ? -Math.log(p) : -Math.log(1 - p);
            sum += loss;
            sumSq += loss * loss;
        }
        double mean = sum / n;
        double variance = Math.max(0, (sumSq - n * mean * mean) / (n - 1));
        return Math.sqrt(variance / independentLabels(a));
    }

    /** Lo (2002), i.i.d. returns: sqrt((1 + SR^2 / 2) / T) per period, annualised like the ratio. */
    private static double sharpeStdErr(BacktestAnalysis a) {
        BacktestSummary.Strategy s = a.summary().strategy();
        double sr = s.sharpePerPeriod();
        return Math.sqrt((1 + sr * sr / 2) / s.periods()) * Math.sqrt(s.periodsPerYear());
    }
}
