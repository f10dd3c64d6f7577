package io.tickgrad.backtest;

import java.util.ArrayList;
import java.util.List;

/** The HTML page of a {@link Comparison}: the verdicts, the side-by-side table, the charts and how to read them. */
final class ComparisonHtml {
    private ComparisonHtml() {
    }

    static String render(Comparison c, String generatedAt) {
        StringBuilder h = new StringBuilder(16_384);
        String title = BacktestHtml.esc(c.title);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .append("<title>").append(title).append("</title>\n")
            .append("<style>\n").append(BacktestHtml.CSS).append(CSS).append("</style>\n</head>\n<body>\n")
            .append("<h1>").append(title).append("</h1>\n");
        if (!c.info.isEmpty()) {
            h.append("<ul class=\"info\">\n");
            for (String line : c.info) {
                h.append("<li>").append(BacktestHtml.esc(line)).append("</li>\n");
            }
            h.append("</ul>\n");
        }
        h.append("<p class=\"meta\">Report generated ").append(BacktestHtml.esc(generatedAt))
            .append("; the numbers depend on the runs alone.</p>\n");

        h.append("<div class=\"notes\">\n<h2>What the comparison shows</h2>\n<p>")
            .append(BacktestHtml.esc(c.headline())).append("</p>\n<ul>\n");
        for (Comparison.Verdict v : c.verdicts()) {
            h.append("<li>").append(BacktestHtml.esc(v.text())).append("</li>\n");
        }
        h.append("</ul>\n</div>\n");

        table(h, c);
        List<String> labels = c.analyses.stream().map(a -> a.summary().stdErrors().label()).distinct().toList();
        if (labels.size() == 1) {
            h.append("<p class=\"meta\">± is <span class=\"se-label\">").append(BacktestHtml.esc(labels.get(0)))
                .append("</span>, as in each model's own report and summary.json.</p>\n");
        } else {
            h.append("<p class=\"meta\">± is one standard error; the models count different label horizons (the "
                + "row \"± counts\" says which), as in each model's own report and summary.json.</p>\n");
        }

        h.append("<div class=\"charts\">\n");
        BacktestHtml.figure(h, ComparisonReport.ROLLING_ACCURACY_PNG, "Rolling accuracy",
            "Accuracy over windows of labelled predictions, per model, with the share of up moves in the same "
                + "windows (the grey band, \"up share\"): a model that always says up scores exactly that, and its "
                + "line runs inside the band.");
        BacktestHtml.figure(h, ComparisonReport.ROLLING_AUC_PNG, "Rolling ROC AUC",
            "ROC AUC over the same windows. Between the dashed lines is where the AUC of a score unrelated to the "
                + "labels falls about 95% of the time in one window (the chance rule of the table, at one window's "
                + "labels, counting one independent label per horizon).");
        BacktestHtml.figure(h, ComparisonReport.EQUITY_PNG, "Equity curves",
            "Cumulative net PnL of each model's threshold strategy, after costs, in bps of one unit of notional.");
        BacktestHtml.figure(h, ComparisonReport.TRAINING_LOSS_PNG, "Online training loss",
            "The online learners' mean batch loss per accepted round against the matured samples they had seen "
                + "(a running mean over " + ComparisonCharts.LOSS_SMOOTHING_ROUNDS + " rounds, plotted at the middle "
                + "of those rounds). Batches come from "
                + "the recent window the learner trains on, so this is a training loss, not a test loss: the test "
                + "figures are the log loss in the table.");
        h.append("</div>\n");

        h.append("<h2>How to read this</h2>\n<ul class=\"conventions\">\n");
        for (String n : notes()) {
            h.append("<li>").append(BacktestHtml.esc(n)).append("</li>\n");
        }
        h.append("</ul>\n<p class=\"meta\">All numbers, the rolling series and the learning curves are also in <a href=\"")
            .append(ComparisonReport.COMPARISON_JSON).append("\">").append(ComparisonReport.COMPARISON_JSON)
            .append("</a>.</p>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void table(StringBuilder h, Comparison c) {
        h.append("<table class=\"comparison\">\n<tr><th></th>");
        for (int i = 0; i < c.runs.size(); i++) {
            ComparedRun r = c.runs.get(i);
            String swatch = String.format("#%06x", ComparisonCharts.color(i).getRGB() & 0xffffff);
            h.append("<th><span class=\"swatch\" style=\"background:").append(swatch).append("\"></span>")
                .append(BacktestHtml.esc(r.name()));
            if (r.reportHref() != null) {
                h.append(" <a href=\"").append(BacktestHtml.esc(r.reportHref())).append("\">(report)</a>");
            }
            h.append("</th>");
        }
        h.append("</tr>\n");
        for (String[] row : rows(c)) {
            h.append("<tr><th>").append(BacktestHtml.esc(row[0])).append("</th>");
            for (int j = 1; j < row.length; j++) {
                h.append("<td>").append(BacktestHtml.esc(row[j])).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    /** The table's rows: a label, then one cell per model. */
    static List<String[]> rows(Comparison c) {
        int n = c.runs.size();
        List<String[]> rows = new ArrayList<>();
        String[] setup = row("set-up", n);
        String[] labelled = row("labelled predictions", n);
        String[] upRate = row("up rate (labels = 1)", n);
        String[] chance = row("AUC chance band (twice the AUC's standard error, at least "
            + StandardErrors.MIN_AUC_CHANCE_BAND + ")", n);
        String[] counts = row("± counts", n);
        boolean oneLabel = c.analyses.stream().map(a -> a.summary().stdErrors().label()).distinct().count() == 1;
        String[] revisions = row("weight revisions published", n);
        String[] rounds = row("online rounds accepted", n);
        for (int i = 0; i < n; i++) {
            BacktestAnalysis a = c.analyses.get(i);
            BacktestSummary.Prediction p = a.summary().prediction();
            ComparedRun r = c.runs.get(i);
            setup[i + 1] = r.description();
            labelled[i + 1] = BacktestFormat.count(p.labelled());
            upRate[i + 1] = BacktestFormat.percent(p.upRate());
            chance[i + 1] = Double.isFinite(p.aucChanceBand()) ? BacktestFormat.chance(p) : "n/a";
            StandardErrors e = a.summary().stdErrors();
            counts[i + 1] = oneLabel ? e.counts() : e.label() + " (" + e.counts() + ")";
            revisions[i + 1] = BacktestFormat.count(r.revisions());
            rounds[i + 1] = r.curve() == null ? "frozen" : BacktestFormat.count(r.curve().size());
        }
        rows.add(setup);
        rows.add(labelled);
        rows.add(upRate);
        for (ComparedMetric m : ComparedMetric.values()) {
            String[] metric = row(m.label + (m.higherIsBetter ? " (higher is better)" : " (lower is better)"), n);
            for (int i = 0; i < n; i++) {
                metric[i + 1] = Comparison.cell(m, c.analyses.get(i));
            }
            rows.add(metric);
            if (m == ComparedMetric.ROC_AUC) {
                rows.add(chance);
            }
        }
        rows.add(counts);
        rows.add(revisions);
        rows.add(rounds);
        return rows;
    }

    private static String[] row(String label, int models) {
        String[] r = new String[models + 1];
        r[0] = label;
        return r;
    }

    static List<String> notes() {
        return List.of(
            "Every model saw the same ticks, predicted the same span, was labelled the same way and traded by the "
                + "same threshold rule and costs; each one's own report (linked above) has every metric and chart.",
            "Nothing here is in-sample: each prediction is made before its label is known, and an online learner "
                + "trains only on labels that matured before its next prediction (test, then train). The online "
                + "models' figures include their early, barely trained stretch.",
            "± is one standard error, the same number as in each model's own report and summary.json. Predictions "
                + "are made on every tick but a label covers the next h ticks, so neighbouring labels overlap and are "
                + "not independent: the errors of accuracy, ROC AUC and log loss count one label per horizon. The "
                + "AUC's error is that of a score unrelated to the labels, the noise around 0.5; "
                + StandardErrors.CHANCE_RULE + ". Net PnL's error is the per-period standard deviation times the "
                + "square root of the periods (positions do not overlap); Sharpe's is Lo's (2002) i.i.d. "
                + "approximation; a drawdown has none.",
            "A lead is called larger than the noise when it exceeds twice the standard error of the difference, the "
                + "two models' errors taken as independent. The models are scored on the same labels, which makes "
                + "their errors partly shared, so for prediction metrics this test is conservative; it is a "
                + "yardstick, not a formal test across several metrics.",
            "A short span gives a weak annualised Sharpe: it extrapolates a few days to a year.");
    }

    private static final String CSS = """
        table.comparison { margin-top: 1em; }
        table.comparison td { max-width: 28em; }
        .swatch { display: inline-block; width: 0.8em; height: 0.8em; margin-right: 0.4em; border-radius: 2px; }
        """;
}
