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

    /**
     * Checks the options; a blank title becomes "tickgrad backtest", null info no lines.
     *
     * @param longThreshold     score at or above which the strategy is long, finite
     * @param shortThreshold    score at or below which it is short, finite, below {@code longThreshold}
     * @param longOnly          never go short
     * @param costBps           cost per unit of turnover, bps of notional, &gt;= 0
     * @param holdRows          predictions between two decisions, &gt;= 1
     * @param rollingWindow     labelled predictions per point of the rolling accuracy chart, &gt;= 1
     * @param decisionThreshold score at or above which a prediction counts as "up", finite
     * @param title             the report's title
     * @param info              lines printed under the title (copied)
     * @throws IllegalArgumentException when a threshold is not finite, the short threshold is not below the long
     *                                  one, the cost is negative or not finite, or holdRows or rollingWindow is
     *                                  below 1
     */
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
     * @return long at score &gt;= 0.55, short at &lt;= 0.45, 1 bps per unit of turnover, a decision on every
     *         prediction, rolling accuracy over 500 labelled predictions, decision threshold 0.5, no info lines
     */
    public static BacktestOptions defaults() {
        return new BacktestOptions(0.55, 0.45, false, 1.0, 1, 500, 0.5, "tickgrad backtest", List.of());
    }

    /**
     * @param longValue  score at or above which the strategy is long
     * @param shortValue score at or below which it is short; below {@code longValue}
     * @return a copy with those thresholds
     */
    public BacktestOptions withThresholds(double longValue, double shortValue) {
        return new BacktestOptions(longValue, shortValue, longOnly, costBps, holdRows, rollingWindow,
            decisionThreshold, title, info);
    }

    /**
     * @param value never go short
     * @return a copy with that setting
     */
    public BacktestOptions withLongOnly(boolean value) {
        return new BacktestOptions(longThreshold, shortThreshold, value, costBps, holdRows, rollingWindow,
            decisionThreshold, title, info);
    }

    /**
     * @param value cost per unit of turnover, bps of notional
     * @return a copy with that cost
     */
    public BacktestOptions withCostBps(double value) {
        return new BacktestOptions(longThreshold, shortThreshold, longOnly, value, holdRows, rollingWindow,
            decisionThreshold, title, info);
    }

    /**
     * @param value predictions between two decisions (the label horizon in predictions, for no overlap)
     * @return a copy with that decision step
     */
    public BacktestOptions withHoldRows(int value) {
        return new BacktestOptions(longThreshold, shortThreshold, longOnly, costBps, value, rollingWindow,
            decisionThreshold, title, info);
    }

    /**
     * @param value labelled predictions per point of the rolling accuracy chart
     * @return a copy with that window
     */
    public BacktestOptions withRollingWindow(int value) {
        return new BacktestOptions(longThreshold, shortThreshold, longOnly, costBps, holdRows, value,
            decisionThreshold, title, info);
    }

    /**
     * @param value score at or above which a prediction counts as "up" for the classification metrics
     * @return a copy with that threshold
     */
    public BacktestOptions withDecisionThreshold(double value) {
        return new BacktestOptions(longThreshold, shortThreshold, longOnly, costBps, holdRows, rollingWindow, value,
            title, info);
    }

    /**
     * @param value the report's title (blank: "tickgrad backtest")
     * @return a copy with that title
     */
    public BacktestOptions withTitle(String value) {
        return new BacktestOptions(longThreshold, shortThreshold, longOnly, costBps, holdRows, rollingWindow,
            decisionThreshold, value, info);
    }

    /**
     * Replaces the info lines.
     *
     * @param lines the lines printed under the title, in order
     * @return a copy with those lines
     */
    public BacktestOptions withInfo(List<String> lines) {
        return new BacktestOptions(longThreshold, shortThreshold, longOnly, costBps, holdRows, rollingWindow,
            decisionThreshold, title, lines);
    }

    /**
     * Appends one info line.
     *
     * @param line e.g. {@code "model: models/chart-mlp.safetensors"}
     * @return a copy with the line appended
     */
    public BacktestOptions withInfoLine(String line) {
        List<String> lines = new ArrayList<>(info);
        lines.add(line);
        return withInfo(lines);
    }

    /**
     * @param score a model score
     * @return the position the score asks for: +1, -1 or 0 (non-finite scores are flat; -1 becomes 0 when long-only)
     */
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
