package io.tickgrad.backtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickgrad.train.TestCurves;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The side-by-side comparison: files, per-model metrics, verdicts that tell a lead from noise, determinism. */
class ComparisonReportTest {
    private static final List<String> INFO = List.of("ticks: synthetic", "label: 10 rows ahead");

    /** The same rows as {@code run}, with scores unrelated to the labels. */
    static BacktestRun withRandomScores(BacktestRun run, long seed) {
        Random rnd = new Random(seed);
        BacktestRun out = new BacktestRun();
        for (int i = 0; i < run.size(); i++) {
            out.add(run.tickSequence(i), run.exchangeTimeNs(i), run.price(i), rnd.nextFloat(), run.label(i),
                run.forwardReturn(i), run.latencyNs(i));
        }
        return out;
    }

    private static List<ComparedRun> threeRuns() {
        BacktestRun informative = BacktestReportTest.syntheticRun(20_000, 7);
        BacktestOptions o = BacktestReportTest.options();
        return List.of(
            new ComparedRun("frozen", "pretrained, frozen", "weights fixed", withRandomScores(informative, 3), o,
                null, 0, "frozen/report.html"),
            new ComparedRun("online", "fine-tuned online", "head trained online", informative, o,
                TestCurves.falling(600, 1), 600, "online/report.html"),
            new ComparedRun("scratch", "from scratch, online", "all layers trained online",
                withRandomScores(informative, 4), o, TestCurves.falling(600, 2), 600, "scratch/report.html"));
    }

    @Test
    void shouldWriteThePageTheJsonAndTheChartsForThreeModels(@TempDir Path dir) throws IOException {
        Comparison c = ComparisonReport.write(dir, "three models", INFO, threeRuns());
        for (String f : ComparisonReport.FILES) {
            assertTrue(Files.size(dir.resolve(f)) > 500, f);
        }
        for (String png : List.of(ComparisonReport.ROLLING_ACCURACY_PNG, ComparisonReport.ROLLING_AUC_PNG,
            ComparisonReport.EQUITY_PNG, ComparisonReport.TRAINING_LOSS_PNG)) {
            BacktestReportTest.assertRealChart(dir.resolve(png));
        }
        JsonNode json = new ObjectMapper().readTree(dir.resolve(ComparisonReport.COMPARISON_JSON).toFile());
        JsonNode models = json.get("models");
        assertEquals(3, models.size());
        assertEquals(List.of("frozen", "online", "scratch"),
            List.of(models.get(0).get("id").asText(), models.get(1).get("id").asText(), models.get(2).get("id").asText()));
        for (JsonNode m : models) {
            for (String key : List.of("accuracy", "roc_auc", "roc_auc_std_err", "log_loss", "net_pnl_bps",
                "sharpe_annualised", "max_drawdown_bps", "auc_chance_band")) {
                assertTrue(m.get(key).isNumber(), m.get("id") + " " + key);
            }
            assertEquals(10, m.get("label_horizon_predictions").asInt());
            assertTrue(m.get("rolling").get("roc_auc").size() > 5);
        }
        assertTrue(models.get(0).get("learning_curve") == null, "a frozen model has no learning curve");
        assertEquals(600, models.get(1).get("learning_curve").get("batch_loss").size());
        assertEquals(c.value("roc_auc", "online"), models.get(1).get("roc_auc").asDouble(), 0);
        // one AUC standard error counts one label per horizon: sqrt(10) times the per-label null error
        BacktestSummary online = c.summaries().get(1);
        long up = Math.round(online.prediction().upRate() * online.prediction().labelled());
        long down = online.prediction().labelled() - up;
        assertEquals(Math.sqrt(10) * Math.sqrt((up + down + 1) / (12.0 * up * down)),
            models.get(1).get("roc_auc_std_err").asDouble(), 1e-12);

        String html = Files.readString(dir.resolve(ComparisonReport.COMPARISON_HTML));
        for (String f : ComparisonReport.FILES) {
            if (f.endsWith(".png") || f.endsWith(".json")) {
                assertTrue(html.contains("\"" + f + "\""), f);
            }
        }
        for (ComparedRun r : threeRuns()) {
            assertTrue(html.contains(r.name()), r.name());
            assertTrue(html.contains("href=\"" + r.reportHref() + "\""), r.reportHref());
        }
        assertTrue(html.contains("may be noise") || html.contains("more than the noise"), "says what is noise");
        assertFalse(html.contains(dir.toString()), "no absolute paths in the page");
        assertTrue(c.table().lines().count() == 4, c.table());
    }

    @Test
    void shouldNameTheBestModelAndTellALeadFromNoise() {
        Comparison c = Comparison.of("t", INFO, threeRuns());
        Comparison.Verdict auc = verdict(c, "roc_auc");
        assertEquals("online", auc.best());
        assertTrue(auc.clear(), auc.text());
        assertTrue(c.value("roc_auc", "online") > 0.6);
        assertTrue(c.headline().contains("ROC AUC"), c.headline());

        BacktestRun same = BacktestReportTest.syntheticRun(5_000, 9);
        BacktestOptions o = BacktestReportTest.options();
        Comparison tie = Comparison.of("t", INFO, List.of(new ComparedRun("a", "model a", "", same, o, null, 0, null),
            new ComparedRun("b", "model b", "", same, o, null, 0, null)));
        for (Comparison.Verdict v : tie.verdicts()) {
            assertFalse(v.clear(), v.text());
            assertEquals("a", v.best(), "ties keep the runs' order");
        }
        assertTrue(tie.headline().contains("not distinguishable"), tie.headline());
    }

    @Test
    void shouldWriteTheSameJsonBytesForTheSameRuns(@TempDir Path dir) throws IOException {
        ComparisonReport.write(dir.resolve("a"), "t", INFO, threeRuns());
        ComparisonReport.write(dir.resolve("b"), "t", INFO, threeRuns());
        byte[] a = Files.readAllBytes(dir.resolve("a").resolve(ComparisonReport.COMPARISON_JSON));
        byte[] b = Files.readAllBytes(dir.resolve("b").resolve(ComparisonReport.COMPARISON_JSON));
        assertArrayEquals(a, b);
        assertFalse(new String(a, StandardCharsets.UTF_8).contains("NaN"));
    }

    @Test
    void shouldRefuseNoRunsAndDuplicateIds() {
        assertThrows(IllegalArgumentException.class, () -> Comparison.of("t", INFO, List.of()));
        List<ComparedRun> runs = threeRuns();
        ComparedRun dup = new ComparedRun("online", "again", "", runs.get(0).run(), runs.get(0).options(), null, 0,
            null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Comparison.of("t", INFO, List.of(runs.get(1), dup)));
        assertTrue(e.getMessage().contains("distinct"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ComparedRun("a/b", "x", "", runs.get(0).run(),
            runs.get(0).options(), null, 0, null));
    }

    private static Comparison.Verdict verdict(Comparison c, String metric) {
        return c.verdicts().stream().filter(v -> v.metric().equals(metric)).findFirst().orElseThrow();
    }
}
