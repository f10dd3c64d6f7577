package io.tickgrad.study;

import io.tickgrad.util.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Writes a study's {@code summary.json} and {@code report.html} (a self-contained page: the verdict in words, the
 * learning curves as an inline SVG chart with error bars of one standard error, the paired comparisons and every
 * run). Files are written atomically. Cold path; runs on the caller's thread.
 */
public final class StudyReport {
    private static final String[] COLOURS = {"#1b6ca8", "#d1495b", "#8e44ad", "#2e933c", "#7a7a7a", "#e08e0b"};
    private static final int W = 760;
    private static final int H = 420;
    private static final int LEFT = 64;
    private static final int RIGHT = 230;
    private static final int TOP = 40;
    private static final int BOTTOM = 56;

    private StudyReport() {
    }

    /**
     * Writes {@code summary.json} ({@link StudyResult#toJson()}) and {@code report.html} into {@code dir}, each
     * replaced atomically.
     *
     * @param result the study's figures
     * @param dir    the report directory, created if missing
     * @return the path of report.html
     * @throws java.io.UncheckedIOException naming the directory or file when it cannot be created or written
     */
    public static Path write(StudyResult result, Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("--report " + dir + ": cannot create the directory: " + e.getMessage(), e);
        }
        AtomicFiles.writeTextUnchecked(dir.resolve("summary.json"), w -> w.write(result.toJson()));
        Path html = dir.resolve("report.html");
        AtomicFiles.writeTextUnchecked(html, w -> w.write(html(result)));
        return html;
    }

    /**
     * The HTML page: the setup, the verdict, the learning-curve chart (inline SVG), the paired comparisons, the
     * learning curves as a table and every run. Self-contained (no scripts, no external resources); text from the
     * result is escaped.
     *
     * @param r the study's figures
     * @return the page, UTF-8 text ending with a newline
     */
    public static String html(StudyResult r) {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Transfer study: ")
            .append(esc(r.instrument())).append("</title><style>body{font-family:sans-serif;max-width:900px;margin:2em "
            + "auto;color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;"
            + "text-align:left}th{background:#f2f2f2}td.n{text-align:right}.win{color:#2e7d32;"
            + "font-weight:bold}.lose{color:#c62828;font-weight:bold}.verdict{background:#f7f7f2;border-left:4px solid "
            + "#1b6ca8;padding:.6em 1em}</style></head><body>");
        b.append("<h1>Transfer study: ").append(esc(r.instrument())).append("</h1>");
        b.append(String.format(Locale.ROOT, "<p>Model <code>%s</code>; target <b>%s</b> at %d tick%s; %d labelled "
                + "samples; %d seeds, each with its own test window of %d samples at the end of the data (%.1f%% "
                + "positive labels in the test windows). Every arm of one size and seed trains on the same samples, "
                + "the ones just before its test window whose labels were known by then.</p>", esc(r.model()),
            r.target().id(), r.horizon(), r.horizon() == 1 ? "" : "s", r.samples(), r.seeds(), r.testSize(),
            100 * r.testPositiveRate()));
        b.append("<p class=\"verdict\">").append(esc(r.verdict())).append("</p>");
        b.append(chart(r));
        b.append("<p>Mean test ROC AUC over seeds; bars: ± one standard error of the mean (arms are drawn a few "
            + "pixels apart at each size so that their bars do not overlap). Solid lines start from the pretrained "
            + "weights, dashed lines do not. 0.5 is a coin toss. The EWMA forecast is not trained: its curve is flat.</p>");
        b.append("<h2>Paired comparisons</h2><p>Test AUC of a pretrained arm minus another arm's, same samples, mean "
            + "over seeds ± standard error; a win or loss needs more than ")
            .append(String.format(Locale.ROOT, "%.2f", StudyResult.threshold(r.seeds())))
            .append(" standard errors (Student t, 95% two-sided), so each comparison wins or loses by chance 2.5% "
                + "of the time each.</p>");
        b.append("<table><tr><th>size</th><th>pretrained arm</th><th>versus</th><th>AUC difference</th><th>± SE</th>"
            + "<th>outcome</th></tr>");
        for (StudyResult.Comparison c : r.comparisons()) {
            String outcome = c.wins() ? "<span class=\"win\">wins</span>"
                : c.loses() ? "<span class=\"lose\">loses</span>" : "within noise";
            b.append(String.format(Locale.ROOT, "<tr><td class=\"n\">%d</td><td>%s</td><td>%s</td><td class=\"n\">%+.3f</td><td class=\"n\">%.3f</td>"
                + "<td>%s</td></tr>", c.size(), c.arm().label(), c.versus().label(), c.meanDiff(), c.stdErr(), outcome));
        }
        b.append("</table><h2>Learning curves</h2><table><tr><th>arm</th>");
        for (int size : r.sizes()) {
            b.append("<th>").append(size).append("</th>");
        }
        b.append("</tr>");
        for (Arm arm : r.arms()) {
            b.append("<tr><td>").append(arm.label()).append("</td>");
            for (int size : r.sizes()) {
                StudyResult.Cell c = cell(r, arm, size);
                b.append(c == null ? "<td>n/a</td>" : String.format(Locale.ROOT, "<td class=\"n\">%.3f ± %.3f</td>", c.meanAuc(),
                    c.stdErr()));
            }
            b.append("</tr>");
        }
        b.append("</table><h2>Every run</h2><table><tr><th>arm</th><th>size</th><th>seed</th><th>train from</th>"
            + "<th>test from</th><th>test to</th><th>AUC</th><th>log loss</th></tr>");
        for (StudyResult.Run run : r.runs()) {
            b.append(String.format(Locale.ROOT, "<tr><td>%s</td><td class=\"n\">%d</td><td class=\"n\">%d</td><td>%s</td><td>%s</td><td>%s</td>"
                    + "<td class=\"n\">%.3f</td><td class=\"n\">%s</td></tr>", run.arm().id(), run.size(), run.seed(), day(run.trainFromNs()),
                day(run.testFromNs()), day(run.testToNs()), run.auc(),
                Double.isFinite(run.logLoss()) ? String.format(Locale.ROOT, "%.4f", run.logLoss()) : ""));
        }
        b.append("</table></body></html>\n");
        return b.toString();
    }

    private static String chart(StudyResult r) {
        int[] sizes = r.sizes();
        double lo = 1;
        double hi = 0;
        for (StudyResult.Cell c : r.cells()) {
            lo = Math.min(lo, c.meanAuc() - c.stdErr());
            hi = Math.max(hi, c.meanAuc() + c.stdErr());
        }
        lo = Math.min(0.48, Math.floor((lo - 0.005) * 50) / 50);
        hi = Math.max(0.56, Math.ceil((hi + 0.005) * 50) / 50);   // headroom above the highest bar
        double xMin = Math.log(sizes[0]) - 0.25;
        double xMax = Math.log(sizes[sizes.length - 1]) + 0.25;
        int plotW = W - LEFT - RIGHT;
        int plotH = H - TOP - BOTTOM;
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W).append("\" height=\"").append(H)
            .append("\" viewBox=\"0 0 ").append(W).append(' ').append(H).append("\" font-family=\"sans-serif\" "
                + "font-size=\"12\">");
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"14\" font-weight=\"bold\">Test AUC "
            + "against labelled samples: %s, %s</text>", LEFT, esc(r.instrument()), r.target().id()));
        double step = (hi - lo) > 0.2 ? 0.05 : 0.02;
        for (double v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) {
            double y = TOP + plotH * (hi - v) / (hi - lo);
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.2f</text>", LEFT, LEFT + plotW, y, y,
                Math.abs(v - 0.5) < 1e-9 ? "#999" : "#eee", LEFT - 6, y + 4, v));
        }
        for (int size : sizes) {
            double x = LEFT + plotW * (Math.log(size) - xMin) / (xMax - xMin);
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#eee\"/>"
                + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>", x, x, TOP, TOP + plotH, x,
                TOP + plotH + 18, size));
        }
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
            + "stroke=\"#999\"/>", LEFT, TOP, plotW, plotH));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">labelled training samples "
            + "(log scale)</text>", LEFT + plotW / 2, H - 14));
        s.append(String.format(Locale.ROOT, "<text transform=\"translate(16,%d) rotate(-90)\" text-anchor=\"middle\">"
            + "test ROC AUC (mean ± 1 SE)</text>", TOP + plotH / 2));
        List<Arm> arms = r.arms();
        for (int a = 0; a < arms.size(); a++) {
            Arm arm = arms.get(a);
            String colour = COLOURS[a % COLOURS.length];
            double jitter = (a - (arms.size() - 1) / 2.0) * 4;   // keeps overlapping error bars apart
            StringBuilder path = new StringBuilder();
            for (int size : sizes) {
                StudyResult.Cell c = cell(r, arm, size);
                if (c == null) {
                    continue;
                }
                double x = LEFT + plotW * (Math.log(size) - xMin) / (xMax - xMin) + jitter;
                double y = TOP + plotH * (hi - c.meanAuc()) / (hi - lo);
                double y0 = TOP + plotH * (hi - (c.meanAuc() - c.stdErr())) / (hi - lo);
                double y1 = TOP + plotH * (hi - (c.meanAuc() + c.stdErr())) / (hi - lo);
                path.append(path.length() == 0 ? "M" : "L").append(String.format(Locale.ROOT, "%.1f %.1f ", x, y));
                s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
                    + "stroke=\"%s\" stroke-width=\"1.5\"/><circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>",
                    x, x, y0, y1, colour, x, y, colour));
            }
            s.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(colour)
                .append("\" stroke-width=\"2\"").append(arm.pretrained() ? "" : " stroke-dasharray=\"6 4\"")
                .append("/>");
            int ly = TOP + 14 + a * 22;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" "
                    + "stroke-width=\"2\"%s/><text x=\"%d\" y=\"%d\">%s</text>", W - RIGHT + 12, W - RIGHT + 36, ly, ly,
                colour, arm.pretrained() ? "" : " stroke-dasharray=\"6 4\"", W - RIGHT + 42, ly + 4,
                esc(arm.label())));
        }
        s.append("</svg>");
        return s.toString();
    }

    private static StudyResult.Cell cell(StudyResult r, Arm arm, int size) {
        for (StudyResult.Cell c : r.cells()) {
            if (c.arm() == arm && c.size() == size) {
                return c;
            }
        }
        return null;
    }

    private static String day(long ns) {
        return Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L)).toString().replace(":00Z", "Z")
            .replace("T00:00Z", "");
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
