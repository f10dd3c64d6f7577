package io.tickgrad.backtest;

import java.util.function.DoubleFunction;
import java.util.function.ToDoubleFunction;

/**
 * The headline metrics of a {@link Comparison}, each with its standard error from {@link StandardErrors} (computed
 * once per run, and printed the same way, by {@link #format}, on every page), so that a difference between models can
 * be told apart from noise.
 */
enum ComparedMetric {
    ACCURACY("accuracy", "accuracy", true, s -> s.prediction().accuracy(),
        StandardErrors::accuracy, BacktestFormat::percent),
    /** Its standard error is the AUC's null standard error at n / h labels: the noise around 0.5. */
    ROC_AUC("roc_auc", "ROC AUC", true, s -> s.prediction().rocAuc(),
        StandardErrors::rocAuc, v -> BacktestFormat.number(v, 4)),
    LOG_LOSS("log_loss", "log loss", false, s -> s.prediction().logLoss(),
        StandardErrors::logLoss, v -> BacktestFormat.number(v, 4)),
    /** A sum of independent periods: its standard error is the per-period standard deviation times sqrt(periods). */
    NET_PNL("net_pnl_bps", "net PnL after costs (bps)", true, s -> s.strategy().netPnlBps(),
        StandardErrors::netPnlBps, v -> BacktestFormat.number(v, 1)),
    SHARPE("sharpe_annualised", "Sharpe, annualised", true, s -> s.strategy().sharpeAnnualised(),
        StandardErrors::sharpeAnnualised, v -> BacktestFormat.number(v, 2)),
    /** No standard error: a drawdown is one path's extreme. */
    MAX_DRAWDOWN("max_drawdown_bps", "max drawdown (bps)", false, s -> s.strategy().maxDrawdownBps(),
        e -> Double.NaN, v -> BacktestFormat.number(v, 1));

    final String key;
    final String label;
    final boolean higherIsBetter;
    private final ToDoubleFunction<BacktestSummary> value;
    private final ToDoubleFunction<StandardErrors> stdErr;
    private final DoubleFunction<String> format;

    ComparedMetric(String key, String label, boolean higherIsBetter, ToDoubleFunction<BacktestSummary> value,
                   ToDoubleFunction<StandardErrors> stdErr, DoubleFunction<String> format) {
        this.key = key;
        this.label = label;
        this.higherIsBetter = higherIsBetter;
        this.value = value;
        this.stdErr = stdErr;
        this.format = format;
    }

    double value(BacktestAnalysis a) {
        return value(a.summary());
    }

    double value(BacktestSummary s) {
        return value.applyAsDouble(s);
    }

    /** Standard error of {@link #value}, NaN when there is none. */
    double stdErr(BacktestAnalysis a) {
        return stdErr(a.summary().stdErrors());
    }

    /** This metric's entry of {@code errors}, NaN when it has none. */
    double stdErr(StandardErrors errors) {
        return stdErr.applyAsDouble(errors);
    }

    String format(double v) {
        return format.apply(v);
    }

    /** "± " and the formatted standard error, or "" when there is none. */
    String plusMinus(StandardErrors errors) {
        double se = stdErr(errors);
        return Double.isFinite(se) ? "± " + format(se) : "";
    }

    /** The label horizon in predictions that the errors count; 1 when the run shows none. */
    static int horizon(BacktestAnalysis a) {
        return a.summary().stdErrors().horizonRows();
    }
}
