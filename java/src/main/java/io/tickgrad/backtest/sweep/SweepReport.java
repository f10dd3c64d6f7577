package io.tickgrad.backtest.sweep;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * {@code DIR/report.html} of a sweep, with its charts as PNG files beside it: each metric against each swept
 * parameter (mean and one standard error over the tasks with that value), a heatmap of the mean Sharpe over two
 * swept parameters, the best configurations with standard errors, and the selection-bias warning with the number
 * of trials and the deflated Sharpe ratio of the best configuration.
 */
public final class SweepReport {
    /** Metrics charted against every swept parameter: column, label. */
    static final String[][] METRICS = {
        {"sharpe_annualised", "Sharpe (annualised)"}, {"net_pnl_bps", "net PnL (bps)"},
        {"accuracy", "accuracy"}, {"roc_auc", "ROC AUC"}};
    /** Parameters that may be swept, in chart order. */
    static final List<String> PARAMETERS = List.of("arm", "data", "window", "horizon", "lr", "steps", "cadence",
        "batch", "sample_window", "epochs", "long_threshold", "short_threshold", "cost_bps", "seed");
    static final int TOP = 10;
    private static final Color BAR = new Color(0x1f, 0x77, 0xb4);

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private SweepReport() {
    }

    /**
     * Writes report.html and its PNGs into {@code dir}, each to a temporary file renamed into place.
     *
     * @param dir  the sweep's output directory
     * @param grid the grid the rows came from
     * @param rows the merged rows, in task order
     * @param isa  the instruction set the tasks ran
     * @throws IOException naming the file that cannot be written
     */
    public static void write(Path dir, SweepGrid grid, List<TaskResult> rows, String isa) throws IOException {
        List<TaskResult> ok = rows.stream().filter(TaskResult::ok).toList();
        List<String> swept = swept(ok);
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .append(esc("sweep: " + grid.name())).append("</title>\n<style>").append(CSS).append("</style></head><body>\n");
        h.append("<h1>Sweep: ").append(esc(grid.name())).append("</h1>\n");
        long failed = rows.size() - ok.size();
        h.append("<p>").append(rows.size()).append(" tasks (one replay each), ").append(ok.size()).append(" ok, ")
            .append(failed).append(" failed; kernels' instruction set <b>").append(esc(isa))
            .append("</b> for every task. Every row is in <a href=\"results.csv\">results.csv</a>.</p>\n");
        h.append("<p class=\"small\">Grid: model ").append(esc(grid.model().getFileName().toString()))
            .append("; walk-forward windows of ").append(esc(java.time.Duration.ofNanos(grid.windows().windowNs())
                .toString().substring(2).toLowerCase(Locale.ROOT))).append(", ")
            .append(grid.windows().expanding() ? "expanding" : "rolling")
            .append(" (train or fine-tune on window k, evaluate on window k+1); arms ")
            .append(esc(String.join(", ", grid.arms().stream().map(SweepGrid.Arm::id).toList())))
            .append(". Error bars and &plusmn; figures are one standard error of the mean over the tasks "
                + "averaged (windows, seeds, data and the other parameters); windows overlap in time across "
                + "configurations, so these errors are not independent across bars.</p>\n");
        if (failed > 0) {
            h.append("<h2>Failed tasks</h2>\n<table><tr><th>task</th><th>arm</th><th>window</th><th>error</th></tr>\n");
            int shown = 0;
            for (TaskResult r : rows) {
                if (!r.ok() && shown++ < 20) {
                    h.append("<tr><td>").append(esc(r.taskId())).append("</td><td>").append(esc(r.get("arm")))
                        .append("</td><td>").append(esc(r.get("window"))).append("</td><td>")
                        .append(esc(r.get("error"))).append("</td></tr>\n");
                }
            }
            h.append("</table>\n");
            if (failed > 20) {
                h.append("<p class=\"small\">").append(failed - 20).append(" more in results.csv.</p>\n");
            }
        }
        List<SweepStats.Config> configs = SweepStats.configs(ok);
        selectionBias(h, configs);
        best(h, configs, swept);
        if (swept.size() >= 2) {
            String[] pair = heatmapPair(swept, ok);
            String file = "heatmap.png";
            writePng(heatmap(ok, pair[0], pair[1]), dir.resolve(file));
            h.append("<h2>Mean Sharpe over ").append(esc(pair[0])).append(" and ").append(esc(pair[1])).append("</h2>\n");
            figure(h, file, "heatmap of the mean annualised Sharpe", "Each cell: the mean annualised Sharpe of the "
                + "tasks with that pair of values (all other parameters averaged over); \u2013: the arm does not use the "
                + "parameter; a blank cell: no task has that pair.");
        }
        h.append("<h2>Metrics against each swept parameter</h2>\n");
        if (swept.isEmpty()) {
            h.append("<p>No parameter takes more than one value among the finished tasks.</p>\n");
        }
        for (String p : swept) {
            String file = "param_" + p + ".png";
            writePng(parameterPanel(ok, p), dir.resolve(file));
            figure(h, file, "metrics against " + p, "Mean of each metric over the tasks with each value of " + p
                + ", bars &plusmn; one standard error; &lsquo;&ndash;&rsquo;: tasks whose arm does not use " + p
                + ". n below each value: tasks averaged.");
        }
        h.append("</body></html>\n");
        ResultStore.write(dir.resolve(Sweep.REPORT_HTML), h.toString());
    }

    /**
     * The parameters with more than one value among the rows, in {@link #PARAMETERS} order; a parameter that is only
     * set or unset by the arm (one value where it applies) is not swept.
     */
    static List<String> swept(List<TaskResult> rows) {
        List<String> out = new ArrayList<>();
        for (String p : PARAMETERS) {
            if (values(rows, p).stream().filter(v -> !v.isEmpty()).count() > 1) {
                out.add(p);
            }
        }
        return out;
    }

    private static List<String> values(List<TaskResult> rows, String p) {
        Set<String> v = new LinkedHashSet<>();
        for (TaskResult r : rows) {
            v.add(r.get(p));
        }
        List<String> out = new ArrayList<>(v);
        out.sort(Comparator.comparing((String s) -> s.isEmpty() ? 0 : 1).thenComparing(SweepReport::numericOrText));
        return out;
    }

    private static int numericOrText(String a, String b) {
        try {
            return Double.compare(Double.parseDouble(a), Double.parseDouble(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }

    private static String show(String v) {
        return v.isEmpty() ? "\u2013" : v;
    }

    private static void selectionBias(StringBuilder h, List<SweepStats.Config> configs) {
        h.append("<h2>Selection bias</h2>\n");
        if (configs.isEmpty()) {
            h.append("<p>No task finished.</p>\n");
            return;
        }
        List<Double> sharpes = new ArrayList<>();
        for (SweepStats.Config c : configs) {
            sharpes.add(SweepStats.pool(c.rows()).sharpe());
        }
        SweepStats.MeanSe spread = SweepStats.MeanSe.of(sharpes);
        double var = spread.n() < 2 ? 0 : spread.se() * spread.se() * spread.n();
        SweepStats.Config bestCfg = ranked(configs).get(0);
        SweepStats.Pooled p = SweepStats.pool(bestCfg.rows());
        double[] dsr = SweepStats.deflatedSharpe(p.sharpe(), p.periods(), p.skew(), p.kurtosis(), configs.size(), var);
        double[] psr = SweepStats.deflatedSharpe(p.sharpe(), p.periods(), p.skew(), p.kurtosis(), 1, 0);
        h.append("<div class=\"warn\"><p><b>").append(configs.size()).append(" configurations were tried</b> (")
            .append(configs.stream().mapToInt(c -> c.rows().size()).sum()).append(" finished tasks). The best of "
                + "many noisy backtests looks better than it is: picking the maximum of ")
            .append(configs.size()).append(" estimates biases it upwards even when no configuration has any skill. "
                + "Do not read the best row below as the Sharpe to expect.</p>\n");
        h.append("<p>Method: the <b>deflated Sharpe ratio</b> (Bailey &amp; L&oacute;pez de Prado, 2014), applied "
            + "to the per-period net returns of the best configuration (by mean annualised Sharpe), pooled over its ")
            .append(bestCfg.rows().size()).append(" tasks: ").append(p.periods()).append(" periods, Sharpe ")
            .append(f(p.sharpe(), 4)).append(" per period, skewness ").append(f(p.skew(), 2)).append(", kurtosis ")
            .append(f(p.kurtosis(), 2)).append(". The largest per-period Sharpe expected among ").append(configs.size())
            .append(" skill-less trials whose Sharpe ratios vary as these do (variance ").append(f(var, 6))
            .append(") is <b>").append(f(dsr[0], 4)).append("</b>; the probability that the best configuration's "
                + "true Sharpe exceeds it is <b>DSR = ").append(f(dsr[1], 3)).append("</b> (without the deflation, "
                + "the probability that it exceeds 0 is ").append(f(psr[1], 3)).append("). ")
            .append(dsr[1] >= 0.95 ? "At 0.95 or more this survives the number of trials, though the windows "
                + "are few and overlap across configurations." : "Below 0.95: not evidence of skill after this many "
                + "trials.").append("</p></div>\n");
    }

    private static List<SweepStats.Config> ranked(List<SweepStats.Config> configs) {
        List<SweepStats.Config> r = new ArrayList<>(configs);
        r.sort(Comparator.comparingDouble((SweepStats.Config c) -> {
            double m = c.metric("sharpe_annualised").mean();
            return Double.isNaN(m) ? Double.NEGATIVE_INFINITY : m;
        }).reversed());
        return r;
    }

    private static void best(StringBuilder h, List<SweepStats.Config> configs, List<String> swept) {
        if (configs.isEmpty()) {
            return;
        }
        List<SweepStats.Config> r = ranked(configs);
        h.append("<h2>Best configurations</h2>\n<p class=\"small\">Ranked by mean annualised Sharpe over each "
            + "configuration's tasks (its windows, seeds and data); &plusmn; one standard error; n: tasks with a "
            + "Sharpe. A configuration shows its swept parameters; the others are the same for all.</p>\n");
        h.append("<table><tr><th>#</th><th>configuration</th><th>n</th><th>Sharpe (annualised)</th>"
            + "<th>net PnL (bps)</th><th>accuracy</th><th>ROC AUC</th></tr>\n");
        for (int i = 0; i < Math.min(TOP, r.size()); i++) {
            SweepStats.Config c = r.get(i);
            h.append("<tr><td>").append(i + 1).append("</td><td class=\"cfg\">").append(esc(c.label(swept)))
                .append("</td><td>").append(c.metric("sharpe_annualised").n()).append("</td><td>").append(pm(c.metric("sharpe_annualised"), 2))
                .append("</td><td>").append(pm(c.metric("net_pnl_bps"), 1)).append("</td><td>")
                .append(pm(c.metric("accuracy"), 4)).append("</td><td>").append(pm(c.metric("roc_auc"), 4))
                .append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static String[] heatmapPair(List<String> swept, List<TaskResult> rows) {
        // prefer two parameters that are both set on the same rows (an arm's own parameters), else the first two
        for (int i = 0; i < swept.size(); i++) {
            for (int j = i + 1; j < swept.size(); j++) {
                String a = swept.get(i);
                String b = swept.get(j);
                if (!a.equals("arm") && !b.equals("arm") && !a.equals("window") && !b.equals("window")
                    && !a.equals("seed") && !b.equals("seed") && rows.stream().anyMatch(r -> !r.get(a).isEmpty()
                    && !r.get(b).isEmpty()) && values(rows, a).stream().filter(v -> !v.isEmpty()).count() > 1
                    && values(rows, b).stream().filter(v -> !v.isEmpty()).count() > 1) {
                    return new String[] {a, b};
                }
            }
        }
        return new String[] {swept.get(0), swept.get(1)};
    }

    static BufferedImage heatmap(List<TaskResult> rows, String px, String py) {
        List<String> xs = values(rows, px);
        List<String> ys = values(rows, py);
        List<Number[]> cells = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < xs.size(); i++) {
            for (int j = 0; j < ys.size(); j++) {
                List<Double> v = new ArrayList<>();
                for (TaskResult r : rows) {
                    if (r.get(px).equals(xs.get(i)) && r.get(py).equals(ys.get(j))) {
                        v.add(r.number("sharpe_annualised"));
                    }
                }
                SweepStats.MeanSe m = SweepStats.MeanSe.of(v);
                if (m.n() > 0) {
                    cells.add(new Number[] {i, j, round(m.mean(), 2)});
                    notes.add(i + "," + j + "," + m.n());
                }
            }
        }
        int w = Math.max(640, 140 + 110 * xs.size());
        int hgt = Math.max(380, 140 + 60 * ys.size());
        HeatMapChart chart = new HeatMapChartBuilder().width(w).height(hgt)
            .title("Mean annualised Sharpe by " + px + " and " + py).xAxisTitle(px).yAxisTitle(py).build();
        chart.getStyler().setShowValue(true);
        chart.getStyler().setHeatMapValueDecimalPattern("0.00");
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setValueFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        chart.getStyler().setRangeColors(new Color[] {new Color(0xd7, 0x30, 0x27), new Color(0xf7, 0xf7, 0xf7),
            new Color(0x1a, 0x98, 0x50)});
        double maxAbs = 0;
        for (Number[] c : cells) {
            maxAbs = Math.max(maxAbs, Math.abs(c[2].doubleValue()));
        }
        chart.getStyler().setMin(-Math.max(maxAbs, 1e-9));
        chart.getStyler().setMax(Math.max(maxAbs, 1e-9));
        chart.addSeries("mean Sharpe", xs.stream().map(SweepReport::show).toList(),
            ys.stream().map(SweepReport::show).toList(), cells);
        BufferedImage img = new BufferedImage(w, hgt, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        chart.paint(g, w, hgt);
        g.dispose();
        return img;
    }

    /** A 2 x 2 panel: each metric's mean and standard error for each value of {@code p}. */
    static BufferedImage parameterPanel(List<TaskResult> rows, String p) {
        int cw = 560;
        int ch = 340;
        BufferedImage img = new BufferedImage(2 * cw, 2 * ch, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        List<String> xs = values(rows, p);
        for (int m = 0; m < METRICS.length; m++) {
            List<String> labels = new ArrayList<>();
            List<Double> means = new ArrayList<>();
            List<Double> errs = new ArrayList<>();
            for (String x : xs) {
                List<Double> v = new ArrayList<>();
                for (TaskResult r : rows) {
                    if (r.get(p).equals(x)) {
                        v.add(r.number(METRICS[m][0]));
                    }
                }
                SweepStats.MeanSe s = SweepStats.MeanSe.of(v);
                labels.add(show(x) + " (n=" + s.n() + ")");
                means.add(s.n() == 0 ? 0.0 : s.mean());
                errs.add(Double.isFinite(s.se()) ? s.se() : 0.0);
            }
            CategoryChart chart = new CategoryChartBuilder().width(cw).height(ch)
                .title(METRICS[m][1] + " by " + p).xAxisTitle(p).yAxisTitle(METRICS[m][1]).build();
            Styler st = chart.getStyler();
            st.setLegendVisible(false);
            st.setChartBackgroundColor(Color.WHITE);
            st.setPlotBackgroundColor(Color.WHITE);
            chart.getStyler().setErrorBarsColor(Color.BLACK);
            chart.getStyler().setXAxisLabelRotation(xs.size() > 4 ? 30 : 0);
            chart.getStyler().setYAxisDecimalPattern("#,##0.###");
            CategorySeries s = chart.addSeries(METRICS[m][1], labels, means, errs);
            s.setFillColor(BAR);
            g.translate((m % 2) * cw, (m / 2) * ch);
            chart.paint(g, cw, ch);
            g.translate(-(m % 2) * cw, -(m / 2) * ch);
        }
        g.dispose();
        return img;
    }

    private static double round(double v, int d) {
        double s = Math.pow(10, d);
        return Math.round(v * s) / s;
    }

    private static void writePng(BufferedImage img, Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (var out = Files.newOutputStream(tmp)) {
            ImageIO.write(img, "png", out);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static void figure(StringBuilder h, String file, String alt, String caption) {
        h.append("<figure><img src=\"").append(file).append("\" alt=\"").append(esc(alt)).append("\"><figcaption>")
            .append(caption).append("</figcaption></figure>\n");
    }

    private static String pm(SweepStats.MeanSe m, int d) {
        if (m.n() == 0) {
            return "&ndash;";
        }
        return f(m.mean(), d) + (Double.isFinite(m.se()) ? " &plusmn; " + f(m.se(), d) : "");
    }

    private static String f(double v, int d) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + d + "f", v) : "n/a";
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static final String CSS = """
        body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1160px;margin:2em auto;padding:0 1em;
        color:#222;line-height:1.45}
        h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.6em;border-bottom:1px solid #ddd}
        table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:right}
        th{background:#f3f3f3}td.cfg{text-align:left;font-family:monospace;font-size:.9em}
        .small{font-size:.9em;color:#555}.warn{background:#fff4e5;border-left:4px solid #e8a33d;padding:.2em 1em}
        figure{margin:1em 0}img{max-width:100%;border:1px solid #eee}figcaption{font-size:.9em;color:#555}
        """;
}
