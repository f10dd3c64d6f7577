package io.tickgrad.backtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BacktestReportTest {
    private static final String[] PNGS = {BacktestReport.EQUITY_PNG, BacktestReport.ROLLING_ACCURACY_PNG,
        BacktestReport.CALIBRATION_PNG, BacktestReport.LATENCY_PNG};

    /**
     * A seeded random walk with a label horizon of 10 rows, one prediction a second, scores weakly informative
     * about the forward move, a dead zone, and log-normal latencies of a few microseconds.
     */
    static BacktestRun syntheticRun(int n, long seed) {
        int horizon = 10;
        Random rnd = new Random(seed);
        double[] px = new double[n + horizon];
        px[0] = 30_000;
        for (int i = 1; i < px.length; i++) {
            px[i] = px[i - 1] * (1 + 2e-4 * rnd.nextGaussian());
        }
        BacktestRun run = new BacktestRun();
        long t0 = 1_385_337_600_000_000_000L;   // 2013-11-25T00:00:00Z
        for (int i = 0; i < n; i++) {
            boolean known = i + horizon < n;
            double r = known ? px[i + horizon] / px[i] - 1 : Double.NaN;
            int label = !known || Math.abs(r) < 5e-5 ? BacktestRun.NO_LABEL : r > 0 ? 1 : 0;
            double signal = known ? 300 * r : 0;
            float score = (float) (1 / (1 + Math.exp(-(signal + 0.9 * rnd.nextGaussian()))));
            long latency = (long) (4_000 * Math.exp(0.6 * rnd.nextGaussian()));
            run.add(i, t0 + i * 1_000_000_000L, px[i], score, label, r, latency);
        }
        return run;
    }

    static BacktestOptions options() {
        return BacktestOptions.defaults().withTitle("chart-mlp on Bitstamp BTC/USD (synthetic test run)")
            .withHoldRows(10).withRollingWindow(300)
            .withInfoLine("model: models/chart-mlp.safetensors").withInfoLine("queue: ticks (synthetic)");
    }

    @Test
    void shouldWriteAllFilesWithValidImages(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("report");
        BacktestSummary summary = BacktestReport.write(out, syntheticRun(20_000, 7), options());
        for (String f : BacktestReport.FILES) {
            assertTrue(Files.size(out.resolve(f)) > 500, f);
        }
        for (String png : PNGS) {
            assertRealChart(out.resolve(png));
        }
        JsonNode json = new ObjectMapper().readTree(out.resolve(BacktestReport.SUMMARY_JSON).toFile());
        assertEquals(20_000, json.get("rows").get("total").asLong());
        assertEquals(summary.strategy().netPnlBps(), json.get("strategy").get("net_pnl_bps").asDouble(), 0);
        assertTrue(json.get("prediction").get("roc_auc").asDouble() > 0.5);
        String html = Files.readString(out.resolve(BacktestReport.REPORT_HTML));
        for (String png : PNGS) {
            assertTrue(html.contains("src=\"" + png + "\""), png);
        }
        assertTrue(html.contains("models/chart-mlp.safetensors"));
        assertTrue(html.contains("Sharpe"));
        assertFalse(html.contains(dir.toString()), "no absolute paths in the report");
        assertEquals("true", System.getProperty("java.awt.headless"));
        assertTrue(java.awt.GraphicsEnvironment.isHeadless());
    }

    @Test
    void shouldWriteTheSameSummaryBytesForTheSameRun(@TempDir Path dir) throws IOException {
        BacktestReport.write(dir.resolve("a"), syntheticRun(5_000, 11), options());
        BacktestReport.write(dir.resolve("b"), syntheticRun(5_000, 11), options());
        byte[] a = Files.readAllBytes(dir.resolve("a").resolve(BacktestReport.SUMMARY_JSON));
        byte[] b = Files.readAllBytes(dir.resolve("b").resolve(BacktestReport.SUMMARY_JSON));
        assertArrayEquals(a, b);
        assertFalse(new String(a, java.nio.charset.StandardCharsets.UTF_8).contains("NaN"));
    }

    @Test
    void shouldWriteAReportForDegenerateRuns(@TempDir Path dir) throws IOException {
        BacktestRun empty = new BacktestRun();
        BacktestRun one = new BacktestRun();
        one.add(1, 1_000, 100, 0.7f, 1, 0.001, 2_500);
        BacktestRun unlabelled = new BacktestRun();
        BacktestRun flat = new BacktestRun();
        for (int i = 0; i < 50; i++) {
            unlabelled.add(i, i * 1_000_000L, 100, 0.6f, BacktestRun.NO_LABEL, Double.NaN, -1);
            flat.add(i, i * 1_000_000L, 100, 0.5f, i % 2, 0.0001 * (i % 3 - 1), 1_000 + i);
        }
        BacktestRun[] runs = {empty, one, unlabelled, flat};
        for (int k = 0; k < runs.length; k++) {
            Path out = dir.resolve("r" + k);
            BacktestReport.write(out, runs[k], BacktestOptions.defaults());
            for (String png : PNGS) {
                BufferedImage img = ImageIO.read(out.resolve(png).toFile());
                assertNotNull(img, "run " + k + " " + png);
                assertEquals(BacktestCharts.WIDTH, img.getWidth());
            }
            new ObjectMapper().readTree(out.resolve(BacktestReport.SUMMARY_JSON).toFile());
            assertTrue(Files.readString(out.resolve(BacktestReport.REPORT_HTML)).contains("</html>"));
        }
        String html = Files.readString(dir.resolve("r2").resolve(BacktestReport.REPORT_HTML));
        assertTrue(html.contains("No prediction has a label"));
    }

    @Test
    void shouldWarnWhenTheAucIsNearChance(@TempDir Path dir) throws IOException {
        Random rnd = new Random(3);
        BacktestRun run = new BacktestRun();
        for (int i = 0; i < 4_000; i++) {
            run.add(i, i * 1_000_000_000L, 100, rnd.nextFloat(), rnd.nextBoolean() ? 1 : 0,
                1e-4 * rnd.nextGaussian(), 1_000);
        }
        BacktestSummary s = BacktestReport.write(dir, run, BacktestOptions.defaults());
        assertTrue(s.prediction().aucNearChance());
        assertTrue(Files.readString(dir.resolve(BacktestReport.REPORT_HTML)).contains("close to 0.5"));
    }

    @Test
    void shouldSeeTheLabelHorizonAndWarnAboutOverlappingPositions(@TempDir Path dir) throws IOException {
        BacktestRun run = syntheticRun(3_000, 5);
        assertEquals(10, BacktestAnalysis.inferHorizonRows(run));
        BacktestSummary apart = BacktestSummary.of(run, options());
        assertEquals(10, apart.strategy().inferredHorizonRows());
        assertFalse(apart.strategy().overlapping(apart.options()));

        BacktestSummary dense = BacktestReport.write(dir, run, options().withHoldRows(1));
        assertTrue(dense.strategy().overlapping(dense.options()));
        assertTrue(Files.readString(dir.resolve(BacktestReport.REPORT_HTML)).contains("positions overlap"));
        // ten overlapping positions at a time: about ten times the turnover of one at a time
        assertTrue(dense.strategy().turnover() > 5 * apart.strategy().turnover());

        BacktestRun unrelated = new BacktestRun();
        Random rnd = new Random(1);
        for (int i = 0; i < 500; i++) {
            unrelated.add(i, i, 100 + rnd.nextGaussian(), 0.5f, 1, 1e-3 * rnd.nextGaussian(), 1);
        }
        assertEquals(0, BacktestAnalysis.inferHorizonRows(unrelated));
        assertEquals(0, BacktestAnalysis.inferHorizonRows(new BacktestRun()));
    }

    /** Writes the sample report under target/ for a person to look at (not a test of content). */
    @Test
    void shouldWriteASampleReportUnderTarget() throws IOException {
        Path out = Paths.get("target", "backtest-report-sample");
        BacktestSummary s = BacktestReport.write(out, syntheticRun(50_000, 42), options());
        assertTrue(Files.exists(out.resolve(BacktestReport.REPORT_HTML)));
        assertFalse(s.toString().isBlank());
    }

    static void assertRealChart(Path png) throws IOException {
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, png + " is not a readable image");
        assertEquals(BacktestCharts.WIDTH, img.getWidth());
        assertEquals(BacktestCharts.HEIGHT, img.getHeight());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                colours.add(img.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 20, png + " has only " + colours.size() + " colours");
        assertTrue(Files.size(png) > 10_000, png + " is only " + Files.size(png) + " bytes");
    }
}
