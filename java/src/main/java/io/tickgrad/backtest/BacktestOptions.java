package io.tickgrad.backtest;

import java.util.ArrayList;
import java.util.List;

/**
 * How a {@link BacktestRun} is turned into trading and prediction metrics and a report.
 *
 * <p>The threshold strategy: a row whose score is {@code >= longThreshold} goes long one unit, a row whose score is
 * {@code <= shortThreshold} goes short one unit (flat instead when {@code longOnly}), any other row is flat. See
 * {@link BacktestSummary} for how positions are held, valued and charged.
 *
 * @param longThreshold     score at or above which the strategy is long
 * @param shortThreshold    score at or below which the strategy is short; must be below {@code longThreshold}
 * @param longOnly          never go short: scores at or below {@code shortThreshold} are flat
 * @param costBps           cost, in basis points of notional, per unit of turnover (a flip long to short is 2 units)
 * @param holdRows          the strategy decides on every {@code holdRows}-th prediction (rows 0, k, 2k, ...) and
 *                          holds each position until that row's label horizon. Set it to the label horizon counted
 *                          in predictions so that positions do not overlap; with 1 (the default) every prediction
 *                          trades, which is correct only when each horizon ends by the next prediction, and otherwise
 *                          sums overlapping positions (leverage up to horizon / holdRows)
 * @param rollingWindow     labelled predictions per point of the rolling accuracy chart (a quarter of the
 *                          labelled predictions when there are fewer)
 * @param decisionThreshold score at or above which a prediction counts as "up" for accuracy, precision, recall, F1
 * @param title             report title, e.g. the model name
 * @param info              free-form lines printed under the title (model file, queue, span, ...), in order
 */
public record BacktestOptions(double longThreshold, double shortThreshold, boolean longOnly, double costBps,
                              int holdRows, int rollingWindow, double decisionThreshold, String title,
                              List<String> info) {

    public BacktestOptions {
        if (!Double.isFinite(longThreshold) || !Double.isFinite(shortThreshold)) {
            throw new IllegalArgumentException("thresholds must be finite, got long " + longThreshold + ", short "
                + shortThreshold);
        }
        if (!(shortThreshold < longThreshold)) {
            throw new IllegalArgumentException("short threshold must be below the long threshold, got short "
                + shortThreshold + ", long " + longThreshold);
        }
        if (!(costBps >= 0) || !Double.isFinite(costBps)) {
            throw new IllegalArgumentException("cost must be a finite number of bps >= 0, got " + costBps);
        }
        if (holdRows < 1) {
            throw new IllegalArgumentException("hold rows must be >= 1, got " + holdRows);
        }
        if (rollingWindow < 1) {
            throw new IllegalArgumentException("rolling window must be >= 1, got " + rollingWindow);
        }
        if (!Double.isFinite(decisionThreshold)) {
            throw new IllegalArgumentException("decision threshold must be finite, got " + decisionThreshold);
        }
        title = title == null || title.isBlank() ? "tickgrad backtest" : title;
        info = info == null ? List.of() : List.copyOf(info);
    }

    /**
     * Long at score &gt;= 0.55, short at &lt;= 0.45, 1 bps per unit of turnover, a decision on every prediction, rolling
     * accuracy over 500 labelled predictions, decision threshold 0.5, no info lines.
     */
    public static BacktestOptions defaults() {
        return new BacktestOptions(0.55, 0.45, false, 1.0, 1, 500, 0.5, "tickgrad backtest", List.of());
    }

    public BacktestOptions withThresholds(double longValue, double shortValue) {
        return new BacktestOptions(longValue, shortValue, longOnly, costBps, holdRows, rollingWindow,
            decisionThreshold, title, info);
    }

    public BacktestOptions withLongOnly(boolean value) {
        return new BacktestOptions(longThreshold, shortThreshold, value, costBps, holdRows, rollingWindow,
            decisionThreshold, title, info);
    }

    public BacktestOptions withCostBps(double value) {
        return new BacktestOptions(longThreshold, shortThreshold, longOnly, value, holdRows, rollingWindow,
            decisionThreshold, title, info);
    }

    public BacktestOptions withHoldRows(int value) {
        return new BacktestOptions(longThreshold, shortThreshold, longOnly, costBps, value, rollingWindow,
            decisionThreshold, title, info);
    }

    public BacktestOptions withRollingWindow(int value) {
        return new BacktestOptions(longThreshold, shortThreshold, longOnly, costBps, holdRows, value,
            decisionThreshold, title, info);
    }

    public BacktestOptions withDecisionThreshold(double value) {
        return new BacktestOptions(longThreshold, shortThreshold, longOnly, costBps, holdRows, rollingWindow, value,
            title, info);
    }

    public BacktestOptions withTitle(String value) {
        return new BacktestOptions(longThreshold, shortThreshold, longOnly, costBps, holdRows, rollingWindow,
            decisionThreshold, value, info);
    }

    /** Replaces the info lines. */
    public BacktestOptions withInfo(List<String> lines) {
        return new BacktestOptions(longThreshold, shortThreshold, longOnly, costBps, holdRows, rollingWindow,
            decisionThreshold, title, lines);
    }

    /** Appends one info line, e.g. {@code "model: models/chart-mlp.safetensors"}. */
    public BacktestOptions withInfoLine(String line) {
        List<String> lines = new ArrayList<>(info);
        lines.add(line);
        return withInfo(lines);
    }

    /** @return the position a score asks for: +1, -1 or 0. Non-finite scores are flat */
    public int position(double score) {
        if (!Double.isFinite(score)) {
            return 0;
        }
        if (score >= longThreshold) {
            return 1;
        }
        if (score <= shortThreshold && !longOnly) {
            return -1;
        }
        return 0;
    }
}
