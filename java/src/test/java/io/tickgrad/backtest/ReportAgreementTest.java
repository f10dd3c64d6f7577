package io.tickgrad.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run's report page, its summary.json, the comparison page and comparison.json print the same standard errors
 * with the same label, and the AUC's "near chance" flag agrees with what the pages say. Both sides are parsed from
 * the written files.
 */
class ReportAgreementTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ROW = Pattern.compile("<tr><th>([^<]*)</th>((?:<td>[^<]*</td>)+)</tr>");
    private static final Pattern CELL = Pattern.compile("<td>([^<]*)</td>");
    private static final Pattern SE_LABEL = Pattern.compile("<span class=\"se-label\">([^<]*)</span>");
    private static final Pattern PLUS_MINUS = Pattern.compile("± ([-0-9.,]+)(%?)");
    private static final Pattern CHANCE = Pattern.compile("chance band 0\\.5 ± ([0-9.]+): (inside, near chance|"
        + "outside, not near chance)");

    /** The row label each metric has in the run's report. */
    private static final Map<ComparedMetric, String> REPORT_ROW = Map.of(ComparedMetric.ACCURACY, "accuracy",
        ComparedMetric.ROC_AUC, "ROC AUC", ComparedMetric.LOG_LOSS, "log loss",
        ComparedMetric.NET_PNL, "net PnL after costs", ComparedMetric.SHARPE, "Sharpe, annualised");

    /** A run with scores unrelated to the labels, no visible horizon, AUC near 0.5. */
    static BacktestRun chanceRun() {
        Random rnd = new Random(3);
        BacktestRun run = new BacktestRun();
        for (int i = 0; i < 4_000; i++) {
            run.add(i, i * 1_000_000_000L, 100, rnd.nextFloat(), rnd.nextBoolean() ? 1 : 0,
                1e-4 * rnd.nextGaussian(), 1_000);
        }
        return run;
    }

    @Test
    void shouldPrintTheSameErrorsAndLabelInTheReportAsInSummaryJson(@TempDir Path dir) throws IOException {
        BacktestOptions o = BacktestReportTest.options();
        for (BacktestRun run : List.of(BacktestReportTest.syntheticRun(20_000, 7), chanceRun())) {
            Path out = dir.resolve("r" + run.size());
            BacktestReport.write(out, run, o);
            JsonNode json = JSON.readTree(out.resolve(BacktestReport.SUMMARY_JSON).toFile());
            String html = Files.readString(out.resolve(BacktestReport.REPORT_HTML));
            Map<String, List<String>> rows = rows(html);
            JsonNode se = json.get("std_err");
            for (Map.Entry<ComparedMetric, String> e : REPORT_ROW.entrySet()) {
                ComparedMetric m = e.getKey();
                String cell = rows.get(e.getValue()).get(0);
                double fromJson = se.get(m.key).asDouble();
                assertEquals("± " + m.format(fromJson), plusMinus(cell), m.key + " in " + cell);
                assertClose(fromJson, plusMinus(cell), m.key);
            }
            assertTrue(se.get("max_drawdown_bps").isNull(), "a drawdown has no standard error");
            assertEquals(List.of(se.get("label").asText()), labels(html), "the label of ± on the page");
            assertEquals(json.get("prediction").get("auc_std_err").asDouble(), se.get("roc_auc").asDouble(), 0,
                "one AUC standard error");
        }
        // the synthetic run shows its 10-row horizon; the chance run shows none, and its label says so
        JsonNode shown = JSON.readTree(dir.resolve("r20000").resolve(BacktestReport.SUMMARY_JSON).toFile());
        assertEquals(StandardErrors.label(10), shown.get("std_err").get("label").asText());
        JsonNode none = JSON.readTree(dir.resolve("r4000").resolve(BacktestReport.SUMMARY_JSON).toFile());
        assertTrue(none.get("std_err").get("label").asText().contains("every label"), none.get("std_err").toString());
    }

    @Test
    void shouldSayNearChanceExactlyWhenSummaryJsonDoes(@TempDir Path dir) throws IOException {
        int near = 0;
        BacktestRun informative = BacktestReportTest.syntheticRun(20_000, 7);
        List<BacktestRun> runs = List.of(informative, chanceRun(),
            ComparisonReportTest.withRandomScores(informative, 5), BacktestReportTest.syntheticRun(3_000, 11));
        for (int i = 0; i < runs.size(); i++) {
            Path out = dir.resolve("r" + i);
            BacktestReport.write(out, runs.get(i), BacktestReportTest.options());
            JsonNode p = JSON.readTree(out.resolve(BacktestReport.SUMMARY_JSON).toFile()).get("prediction");
            String html = Files.readString(out.resolve(BacktestReport.REPORT_HTML));
            String aucCell = rows(html).get("ROC AUC").get(0);
            Matcher m = CHANCE.matcher(aucCell);
            assertTrue(m.find(), aucCell);
            double auc = parse(aucCell.substring(0, aucCell.indexOf(' ')));
            double band = parse(m.group(1));
            boolean saysNear = m.group(2).startsWith("inside");
            boolean flag = p.get("auc_near_chance").asBoolean();
            assertEquals(flag, saysNear, aucCell);
            assertEquals(flag, Math.abs(auc - 0.5) <= band,
                "the rule the page states, on the page's numbers: " + aucCell);
            assertClose(p.get("auc_chance_band").asDouble(), m.group(1), "chance band");
            assertEquals(flag, html.contains("close to 0.5"), "the note says near chance exactly when the flag does");
            near += flag ? 1 : 0;
        }
        assertTrue(near >= 1 && near < runs.size(), "both verdicts tested, near chance " + near + " of " + runs.size());
    }

    @Test
    void shouldPrintTheSameErrorsOnTheComparisonPageAsInEachReport(@TempDir Path dir) throws IOException {
        List<ComparedRun> runs = ChartGeometryTest.runs("");
        ComparisonReport.write(dir, "t", List.of("info"), runs);
        for (ComparedRun r : runs) {
            BacktestReport.write(dir.resolve(r.id()), r.run(), r.options());
        }
        JsonNode comparison = JSON.readTree(dir.resolve(ComparisonReport.COMPARISON_JSON).toFile());
        String page = Files.readString(dir.resolve(ComparisonReport.COMPARISON_HTML));
        Map<String, List<String>> table = rows(page);
        for (int i = 0; i < runs.size(); i++) {
            ComparedRun r = runs.get(i);
            JsonNode summary = JSON.readTree(dir.resolve(r.id()).resolve(BacktestReport.SUMMARY_JSON).toFile());
            String report = Files.readString(dir.resolve(r.id()).resolve(BacktestReport.REPORT_HTML));
            Map<String, List<String>> reportRows = rows(report);
            JsonNode model = comparison.get("models").get(i);
            for (ComparedMetric m : ComparedMetric.values()) {
                JsonNode a = summary.get("std_err").get(m.key);
                JsonNode b = model.get(m.key + "_std_err");
                assertEquals(a.isNull(), b.isNull(), m.key);
                if (!a.isNull()) {
                    assertEquals(a.asDouble(), b.asDouble(), 0, r.id() + " " + m.key + ": json against json");
                    String onPage = plusMinus(table.get(m.label + (m.higherIsBetter ? " (higher is better)"
                        : " (lower is better)")).get(i));
                    assertEquals(plusMinus(reportRows.get(REPORT_ROW.get(m)).get(0)), onPage,
                        r.id() + " " + m.key + ": comparison page against the report");
                }
            }
            assertEquals(summary.get("std_err"), model.get("std_err"), r.id());
            assertEquals(summary.get("prediction").get("auc_near_chance"), model.get("auc_near_chance"), r.id());
            String chance = table.get("AUC chance band (twice the AUC's standard error, at least "
                + StandardErrors.MIN_AUC_CHANCE_BAND + ")").get(i);
            Matcher m = CHANCE.matcher(reportRows.get("ROC AUC").get(0));
            assertTrue(m.find());
            assertEquals(m.group(), chance, "the chance band and verdict, as the report says them");
        }
        List<String> labels = labels(page);
        assertEquals(1, labels.size(), page);
        assertEquals(comparison.get("models").get(0).get("std_err").get("label").asText(), labels.get(0));
        assertEquals("(± " + labels.get(0) + ")", comparison.get("std_err_label").asText());
        assertEquals(comparison.get("std_err_label").asText(), Comparison.of("t", List.of(), runs).stdErrLabel());
        assertFalse(page.contains("counts every label"), "no second, per-label chance band on the page");
    }

    // ------------------------------------------------------------------ parsing

    /** Table rows of a page: the header cell, then the data cells, unescaped. */
    static Map<String, List<String>> rows(String html) {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        Matcher m = ROW.matcher(html);
        while (m.find()) {
            List<String> cells = new ArrayList<>();
            Matcher c = CELL.matcher(m.group(2));
            while (c.find()) {
                cells.add(unescape(c.group(1)));
            }
            rows.putIfAbsent(unescape(m.group(1)), cells);
        }
        return rows;
    }

    static List<String> labels(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = SE_LABEL.matcher(html);
        while (m.find()) {
            out.add(unescape(m.group(1)));
        }
        return out;
    }

    /** The "± x" of a cell. */
    static String plusMinus(String cell) {
        Matcher m = PLUS_MINUS.matcher(cell);
        assertTrue(m.find(), "no ± in '" + cell + "'");
        return m.group();
    }

    /** A printed number (thousands separators, an optional %, an optional leading "± "). */
    static double parse(String s) {
        String t = s.replace("± ", "").replace(",", "").trim();
        return t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1)) / 100 : Double.parseDouble(t);
    }

    /** Equal to the printed precision: within half a unit of the last printed digit (a share printed as %). */
    static void assertClose(double expected, String printed, String what) {
        String digits = printed.replace("± ", "").replace("%", "").trim();
        int dot = digits.indexOf('.');
        int decimals = dot < 0 ? 0 : digits.length() - dot - 1;
        double unit = Math.pow(10, -decimals) / (printed.endsWith("%") ? 100 : 1);
        double value = parse(printed);
        assertTrue(Math.abs(expected - value) <= unit / 2 * (1 + 1e-9), what + ": json " + expected + ", page "
            + printed);
    }

    static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
            .replace("&amp;", "&");
    }
}
