package io.tickgrad.backtest;

import io.tickgrad.train.RegressionReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The metric tables as label/value rows, shared by {@link BacktestSummary#toString()} and the HTML report. */
final class BacktestFormat {
    private BacktestFormat() {
    }

    static String number(double x, int decimals) {
        if (!Double.isFinite(x)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%,." + decimals + "f", x);
    }

    static String percent(double x) {
        return Double.isFinite(x) ? String.format(Locale.ROOT, "%.2f%%", 100 * x) : "n/a";
    }

    static String count(long x) {
        return String.format(Locale.ROOT, "%,d", x);
    }

    /** A duration in ns with a readable unit. */
    static String duration(double ns) {
        if (!Double.isFinite(ns)) {
            return "n/a";
        }
        double a = Math.abs(ns);
        if (a < 1e3) {
            return String.format(Locale.ROOT, "%.0f ns", ns);
        }
        if (a < 1e6) {
            return String.format(Locale.ROOT, "%.2f µs", ns / 1e3);
        }
        if (a < 1e9) {
            return String.format(Locale.ROOT, "%.2f ms", ns / 1e6);
        }
        if (a < 60e9) {
            return String.format(Locale.ROOT, "%.2f s", ns / 1e9);
        }
        if (a < 3600e9) {
            return String.format(Locale.ROOT, "%.1f min", ns / 60e9);
        }
        if (a < 86_400e9) {
            return String.format(Locale.ROOT, "%.2f h", ns / 3600e9);
        }
        return String.format(Locale.ROOT, "%.2f days", ns / 86_400e9);
    }

    static String strategyRule(BacktestOptions o) {
        String rule = "long at score >= " + number(o.longThreshold(), 3);
        rule += o.longOnly() ? ", long-only" : ", short at score <= " + number(o.shortThreshold(), 3);
        rule += ", cost " + number(o.costBps(), 2) + " bps per unit of turnover";
        rule += ", a decision every " + (o.holdRows() == 1 ? "prediction" : o.holdRows() + " predictions");
        return rule;
    }

    static List<String[]> predictionRows(BacktestSummary s) {
        BacktestSummary.Prediction p = s.prediction();
        List<String[]> rows = new ArrayList<>();
        rows.add(row("labelled rows", count(s.rows().labelled()) + " of " + count(s.rows().total())));
        rows.add(row("unlabelled rows", count(s.rows().unlabelled())));
        if (s.rows().invalidScore() > 0) {
            rows.add(row("rows with a non-finite score", count(s.rows().invalidScore())));
        }
        rows.add(row("up rate (labels = 1)", percent(p.upRate())));
        StandardErrors e = s.stdErrors();
        rows.add(row("accuracy", withError(percent(p.accuracy()), ComparedMetric.ACCURACY, e)));
        if (p.report() != null) {
            rows.add(row("precision (up)", percent(p.report().precision())));
            rows.add(row("recall (up)", percent(p.report().recall())));
        }
        rows.add(row("F1 (up)", number(p.f1(), 4)));
        String auc = withError(number(p.rocAuc(), 4), ComparedMetric.ROC_AUC, e);
        if (Double.isFinite(p.aucChanceBand())) {
            auc += "  (" + chance(p) + ")";
        }
        rows.add(row("ROC AUC", auc));
        rows.add(row("log loss", withError(number(p.logLoss(), 4), ComparedMetric.LOG_LOSS, e)));
        rows.add(row("Brier score", number(p.brier(), 4)));
        return rows;
    }

    /** The regression metrics of a real-valued run, each with its standard error ("±" as the other tables). */
    static List<String[]> regressionRows(BacktestSummary s) {
        RegressionReport r = s.regression();
        List<String[]> rows = new ArrayList<>();
        rows.add(row("forecast rows", count(r.n()) + " of " + count(s.rows().total())
            + " (realised label and naive forecast known)"));
        rows.add(row("RMSE", plusMinus(number(r.rmse(), 4), r.rmseStdErr())));
        rows.add(row("MAE", plusMinus(number(r.mae(), 4), r.maeStdErr())));
        if (r.naiveForecast() != null) {
            rows.add(row("R² against the naive forecast", plusMinus(number(r.r2Naive(), 4), r.r2NaiveStdErr())
                + "  (naive: " + r.naiveForecast() + ")"));
        }
        rows.add(row("R² against the labels' mean", plusMinus(number(r.r2(), 4), r.r2StdErr())
            + "  (in-sample reference)"));
        rows.add(row("Spearman rank correlation", plusMinus(number(r.spearman(), 4), r.spearmanStdErr())));
        rows.add(row("mean label / mean forecast", number(r.meanLabel(), 4) + " / " + number(r.meanForecast(), 4)));
        return rows;
    }

    private static String plusMinus(String value, double se) {
        return Double.isFinite(se) ? value + " ± " + number(se, 4) : value;
    }

    static List<String[]> strategyRows(BacktestSummary s) {
        BacktestSummary.Strategy t = s.strategy();
        List<String[]> rows = new ArrayList<>();
        long flat = t.periods() - t.longPeriods() - t.shortPeriods();
        rows.add(row("positions (periods)", count(t.periods()) + "  (long " + count(t.longPeriods()) + ", short "
            + count(t.shortPeriods()) + ", flat " + count(flat) + ")"));
        if (t.skippedRows() > 0) {
            rows.add(row("skipped (return unknown)", count(t.skippedRows())));
        }
        StandardErrors e = s.stdErrors();
        rows.add(row("net PnL after costs", withError(number(t.netPnlBps(), 2), ComparedMetric.NET_PNL, e) + " bps"));
        rows.add(row("gross PnL", number(t.grossPnlBps(), 2) + " bps"));
        rows.add(row("cost paid", number(t.costPaidBps(), 2) + " bps"));
        rows.add(row("trades (position changes)", count(t.trades())));
        rows.add(row("hit rate", percent(t.hitRate())));
        rows.add(row("net per period", number(t.meanNetBps(), 3) + " bps  (std " + number(t.stdNetBps(), 3)
            + ")"));
        rows.add(row("Sharpe, annualised", withError(number(t.sharpeAnnualised(), 2), ComparedMetric.SHARPE, e)
            + "  (per period "
            + number(t.sharpePerPeriod(), 4) + ", " + number(t.periodsPerYear(), 0) + " periods/year)"));
        rows.add(row("max drawdown", number(t.maxDrawdownBps(), 2) + " bps"));
        rows.add(row("turnover", number(t.turnover(), 0) + " units  (" + number(t.turnoverPerDay(), 1)
            + " per day)"));
        rows.add(row("exposure", percent(t.exposure())));
        rows.add(row("span", duration(t.spanNs())));
        rows.add(row("label horizon (predictions)", t.inferredHorizonRows() == 0 ? "not visible in the run"
            : t.inferredHorizonRows() + (t.overlapping(s.options()) ? "  (positions overlap)" : "")));
        return rows;
    }

    static List<String[]> latencyRows(BacktestSummary s) {
        BacktestSummary.Latency l = s.latency();
        List<String[]> rows = new ArrayList<>();
        rows.add(row("measured rows", count(l.measured()) + (l.unmeasured() > 0 ? "  (not measured "
            + count(l.unmeasured()) + ")" : "")));
        rows.add(row("p50", duration(l.p50Ns())));
        rows.add(row("p99", duration(l.p99Ns())));
        rows.add(row("p99.9", duration(l.p999Ns())));
        rows.add(row("max", l.measured() == 0 ? "n/a" : duration(l.maxNs())));
        rows.add(row("mean", duration(l.meanNs())));
        return rows;
    }

    /** A value, then " ± " and its standard error formatted as every page formats it, when it has one. */
    static String withError(String value, ComparedMetric metric, StandardErrors errors) {
        String pm = metric.plusMinus(errors);
        return pm.isEmpty() ? value : value + " " + pm;
    }

    /** The AUC's chance band and where the AUC falls, in the words every page uses: "chance band 0.5 ± 0.0620: ..." */
    static String chance(BacktestSummary.Prediction p) {
        return "chance band 0.5 ± " + number(p.aucChanceBand(), 4) + ": "
            + (p.aucNearChance() ? NEAR_CHANCE : NOT_NEAR_CHANCE);
    }

    static final String NEAR_CHANCE = "inside, near chance";
    static final String NOT_NEAR_CHANCE = "outside, not near chance";

    /** "± one standard error, counting ... (349 independent of ...)": what ± means, with its counts. */
    static String stdErrLine(StandardErrors e) {
        return "± is " + e.label() + " (" + e.counts() + ")";
    }

    private static String[] row(String label, String value) {
        return new String[] {label, value};
    }
}
