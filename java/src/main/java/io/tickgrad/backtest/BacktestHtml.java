package io.tickgrad.backtest;

import java.util.ArrayList;
import java.util.List;

/** The HTML page of the report: one file, inline CSS, the charts referenced by relative name. */
final class BacktestHtml {
    private BacktestHtml() {
    }

    static String render(BacktestSummary s, int rollingWindow, String generatedAt) {
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .append("<title>").append(esc(s.title())).append("</title>\n")
            .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");

        h.append("<h1>").append(esc(s.title())).append("</h1>\n");
        if (!s.info().isEmpty()) {
            h.append("<ul class=\"info\">\n");
            for (String line : s.info()) {
                h.append("<li>").append(esc(line)).append("</li>\n");
            }
            h.append("</ul>\n");
        }
        BacktestSummary.Rows rows = s.rows();
        h.append("<p class=\"meta\">").append(BacktestFormat.count(rows.total())).append(" predictions");
        if (rows.total() > 0) {
            h.append(", exchange time ").append(esc(BacktestSummary.isoTime(rows.firstExchangeTimeNs())))
                .append(" to ").append(esc(BacktestSummary.isoTime(rows.lastExchangeTimeNs())))
                .append(" (").append(esc(BacktestFormat.duration(rows.spanNs()))).append(")");
        }
        h.append(". Strategy: ").append(esc(BacktestFormat.strategyRule(s.options()))).append(". Report generated ")
            .append(esc(generatedAt)).append("; the numbers depend on the run alone.</p>\n");

        List<String> notes = notes(s);
        if (!notes.isEmpty()) {
            h.append("<div class=\"notes\">\n<h2>Read this first</h2>\n<ul>\n");
            for (String n : notes) {
                h.append("<li>").append(esc(n)).append("</li>\n");
            }
            h.append("</ul>\n</div>\n");
        }

        h.append("<div class=\"tables\">\n");
        table(h, "Predictions (labelled rows, threshold " + BacktestFormat.number(s.options().decisionThreshold(), 3)
            + ")", BacktestFormat.predictionRows(s));
        if (s.regression() != null) {
            table(h, "Regression forecast (" + s.regressionLabel() + ")", BacktestFormat.regressionRows(s));
        }
        table(h, "Threshold strategy", BacktestFormat.strategyRows(s));
        table(h, "Latency (tick to prediction)", BacktestFormat.latencyRows(s));
        h.append("</div>\n");
        stdErrLine(h, s.stdErrors());

        h.append("<div class=\"charts\">\n");
        figure(h, BacktestReport.EQUITY_PNG, "Equity curve",
            "Cumulative PnL of the threshold strategy in bps of one unit of notional, net of costs (blue) and gross "
                + "(the light grey band under it, which shows where costs made a difference), plotted at the time each "
                + "position was opened.");
        figure(h, BacktestReport.ROLLING_ACCURACY_PNG, "Rolling accuracy",
            "Accuracy over the last " + rollingWindow + " labelled predictions, with the overall accuracy (red "
                + "dashes) and the accuracy of always predicting the majority class (grey band).");
        figure(h, BacktestReport.CALIBRATION_PNG, "Calibration",
            "Reliability diagram: in each tenth of the score range, the mean predicted probability against the "
                + "observed share of up moves. On the diagonal the scores are calibrated probabilities.");
        figure(h, BacktestReport.LATENCY_PNG, "Latency histogram",
            "Tick-to-prediction latency of the measured rows in 1-2-5 log-spaced buckets.");
        h.append("</div>\n");

        h.append("<h2>Calibration table</h2>\n<table class=\"calibration\">\n")
            .append("<tr><th>score bin</th><th>rows</th><th>mean predicted</th><th>observed up-rate</th></tr>\n");
        for (BacktestSummary.CalibrationBin b : s.calibration()) {
            h.append("<tr><td>").append(BacktestFormat.number(b.lower(), 1)).append(" – ")
                .append(BacktestFormat.number(b.upper(), 1)).append("</td><td>")
                .append(BacktestFormat.count(b.count())).append("</td><td>")
                .append(BacktestFormat.number(b.meanScore(), 4)).append("</td><td>")
                .append(BacktestFormat.number(b.upRate(), 4)).append("</td></tr>\n");
        }
        h.append("</table>\n");

        h.append("<h2>How the numbers are made</h2>\n<ul class=\"conventions\">\n");
        for (String c : conventions(s.options())) {
            h.append("<li>").append(esc(c)).append("</li>\n");
        }
        h.append("</ul>\n<p class=\"meta\">All numbers are also in <a href=\"").append(BacktestReport.SUMMARY_JSON)
            .append("\">").append(BacktestReport.SUMMARY_JSON).append("</a>.</p>\n</body>\n</html>\n");
        return h.toString();
    }

    /** Short, honest warnings about what the numbers can and cannot say. */
    static List<String> notes(BacktestSummary s) {
        List<String> notes = new ArrayList<>();
        BacktestSummary.Prediction p = s.prediction();
        BacktestSummary.Strategy t = s.strategy();
        if (s.regression() != null) {
            notes.add("The model forecasts a real-valued label (" + s.regressionLabel() + "): see the regression "
                + "table; the classification metrics, the calibration and the threshold strategy (which stays flat) "
                + "do not apply.");
            if (Double.isFinite(s.regression().r2Naive()) && Double.isFinite(s.regression().r2NaiveStdErr())
                && Math.abs(s.regression().r2Naive()) <= 2 * s.regression().r2NaiveStdErr()) {
                notes.add("R² against the naive forecast is within twice its standard error of 0: the forecast is "
                    + "not shown to beat the naive one.");
            }
        } else if (p.labelled() == 0) {
            notes.add("No prediction has a label (outcome unknown or in the dead zone): accuracy, F1, AUC and "
                + "calibration cannot be computed.");
        } else if (Double.isNaN(p.rocAuc())) {
            notes.add("Every label has the same value: the AUC is undefined and accuracy says little.");
        } else if (p.aucNearChance()) {
            notes.add("The ROC AUC is " + BacktestFormat.number(p.rocAuc(), 4) + ", close to 0.5: inside the chance "
                + "band 0.5 ± " + BacktestFormat.number(p.aucChanceBand(), 4) + " (" + StandardErrors.CHANCE_RULE
                + "). The scores barely rank up moves above down moves, so the strategy's profit or loss here is "
                + "mostly noise and costs, not skill.");
        }
        if (p.labelled() > 0 && Double.isFinite(p.upRate())) {
            double majority = Math.max(p.upRate(), 1 - p.upRate());
            if (p.accuracy() <= majority) {
                notes.add("Accuracy (" + BacktestFormat.percent(p.accuracy()) + ") is not above always predicting "
                    + "the majority class (" + BacktestFormat.percent(majority) + ").");
            }
            if (p.labelled() < 1000) {
                notes.add("Only " + p.labelled() + " labelled predictions: every metric here has a wide error "
                    + "margin.");
            }
        }
        if (s.regression() == null && !s.directional()) {
            notes.add("The score is not a probability of an up move (the label is not a direction): the threshold "
                + "strategy stays flat.");
        } else if (s.regression() == null && t.periods() > 0 && t.longPeriods() + t.shortPeriods() == 0) {
            notes.add("The strategy never took a position: no score crossed the thresholds.");
        }
        if (t.grossPnlBps() > 0 && t.netPnlBps() < 0) {
            notes.add("Costs (" + BacktestFormat.number(t.costPaidBps(), 1) + " bps) turn a gross profit into a net "
                + "loss.");
        }
        if (t.overlapping(s.options())) {
            notes.add("The forward returns match the prices " + t.inferredHorizonRows() + " predictions later, but "
                + "the strategy decides every " + s.options().holdRows() + ": its positions overlap about "
                + BacktestFormat.number((double) t.inferredHorizonRows() / s.options().holdRows(), 1) + " deep and "
                + "PnL, cost and drawdown are summed over them (leveraged). Run with holdRows = "
                + t.inferredHorizonRows() + " for one position at a time.");
        } else if (s.options().holdRows() == 1 && t.periods() > 1 && t.inferredHorizonRows() != 1) {
            notes.add("Every prediction opens a position held to its label horizon. If that horizon spans more than "
                + "one prediction, the positions overlap and are summed, which scales PnL, cost and drawdown by up to "
                + "the horizon length; set holdRows to the horizon in predictions for non-overlapping positions.");
        }
        if (Double.isFinite(t.sharpeAnnualised()) && t.spanNs() < 30 * BacktestSummary.NS_PER_DAY) {
            notes.add("The run spans only " + BacktestFormat.duration(t.spanNs()) + ": the annualised Sharpe ("
                + BacktestFormat.number(t.sharpeAnnualised(), 2) + ") extrapolates that to a year and is a weak "
                + "estimate; compare runs by the per-period Sharpe and net PnL.");
        }
        if (t.skippedRows() > 0) {
            notes.add(t.skippedRows() + " decision rows had no known forward return (end of the run) and were "
                + "skipped.");
        }
        return notes;
    }

    static List<String> conventions(BacktestOptions o) {
        List<String> c = new ArrayList<>();
        c.add("Prediction metrics use the rows labelled 1 (up) or 0 (down); a prediction is \"up\" when its score is "
            + ">= " + BacktestFormat.number(o.decisionThreshold(), 3) + ". Precision, recall and F1 are of the up "
            + "class. AUC is the rank statistic, ties half.");
        c.add("Positions: +1 when the score is >= " + BacktestFormat.number(o.longThreshold(), 3)
            + (o.longOnly() ? "; long-only, so never short" : ", -1 when it is <= "
            + BacktestFormat.number(o.shortThreshold(), 3)) + ", flat otherwise; one unit of notional, decided on "
            + (o.holdRows() == 1 ? "every prediction" : "every " + o.holdRows() + "th prediction")
            + " and held until that prediction's label horizon, earning its forward return.");
        c.add("Costs: " + BacktestFormat.number(o.costBps(), 2) + " bps per unit of position change, starting flat "
            + "and closing the last position at the end. Turnover is the sum of |position change|; a flip counts "
            + "as one trade and 2 units.");
        c.add("PnL is simple, in bps of one unit of notional, summed over positions (no compounding). Hit rate: share "
            + "of long or short positions whose forward return had the position's sign (a zero return is a miss). "
            + "Exposure: share of positions that are not flat.");
        c.add("Sharpe: mean over standard deviation of the net PnL per position (flat ones included), annualised "
            + "by the square root of positions per year, taken from the span of exchange timestamps over a "
            + "365.25-day year of round-the-clock trading.");
        c.add("Max drawdown: largest fall of the cumulative net PnL from its running peak (the curve starts at 0).");
        c.add("± is one standard error. A prediction is made on every tick but its label covers the next h ticks, so "
            + "neighbouring labels overlap and are not independent: the errors of accuracy, ROC AUC and log loss "
            + "count one label per horizon (n / h labels). The AUC's error is that of a score unrelated to the labels "
            + "at these class counts, the noise around 0.5; " + StandardErrors.CHANCE_RULE + ". Net PnL's error is "
            + "the per-position standard deviation times the square root of the positions; Sharpe's is Lo's (2002) "
            + "i.i.d. approximation; a drawdown has none. The comparison page prints the same errors.");
        c.add("Latency percentiles from an HdrHistogram at 3 significant digits; max and mean exact.");
        return c;
    }

    /** The line that says what ± means, its label in a span of class se-label (the same words as summary.json). */
    static void stdErrLine(StringBuilder h, StandardErrors e) {
        h.append("<p class=\"meta\">± is <span class=\"se-label\">").append(esc(e.label()))
            .append("</span> (").append(esc(e.counts())).append(").</p>\n");
    }

    private static void table(StringBuilder h, String title, List<String[]> rows) {
        h.append("<table>\n<caption>").append(esc(title)).append("</caption>\n");
        for (String[] r : rows) {
            h.append("<tr><th>").append(esc(r[0])).append("</th><td>").append(esc(r[1])).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    static void figure(StringBuilder h, String file, String alt, String caption) {
        h.append("<figure><img src=\"").append(file).append("\" alt=\"").append(esc(alt)).append("\" width=\"")
            .append(BacktestCharts.WIDTH).append("\" height=\"").append(BacktestCharts.HEIGHT).append("\">")
            .append("<figcaption>").append(esc(caption)).append("</figcaption></figure>\n");
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static final String CSS = """
        body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #222; margin: 2em auto;
               max-width: 1900px; padding: 0 1.5em; line-height: 1.4; }
        h1 { margin-bottom: 0.2em; }
        h2 { margin-top: 1.6em; font-size: 1.2em; }
        ul.info { list-style: none; padding: 0; margin: 0.3em 0; font-family: monospace; color: #444; }
        p.meta { color: #555; font-size: 0.92em; }
        .notes { background: #fff8e1; border-left: 4px solid #f0b400; padding: 0.2em 1em; margin: 1em 0; }
        .notes h2 { margin-top: 0.6em; }
        .tables { display: flex; flex-wrap: wrap; gap: 2em; align-items: flex-start; }
        table { border-collapse: collapse; font-size: 0.93em; }
        caption { text-align: left; font-weight: bold; padding-bottom: 0.4em; }
        th, td { border-bottom: 1px solid #e4e4e4; padding: 0.28em 0.8em; text-align: left; }
        td { font-variant-numeric: tabular-nums; }
        table.calibration td { text-align: right; }
        .charts { display: grid; grid-template-columns: repeat(2, minmax(0, 900px)); gap: 1.2em; margin-top: 1.5em; }
        @media (max-width: 1300px) { .charts { grid-template-columns: minmax(0, 900px); } }
        figure { margin: 0; }
        figure img { max-width: 100%; height: auto; border: 1px solid #ddd; }
        figcaption { font-size: 0.88em; color: #555; }
        ul.conventions { font-size: 0.92em; color: #333; }
        """;
}
