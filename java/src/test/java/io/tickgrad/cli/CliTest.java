package io.tickgrad.cli;

import static io.tickgrad.cli.CliCapture.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickgrad.backtest.BacktestReport;
import io.tickgrad.backtest.ComparisonReport;
import io.tickgrad.market.ChartSamples;
import io.tickgrad.market.FeatureSpec;
import io.tickgrad.market.LabelSpec;
import io.tickgrad.market.Trades;
import io.tickgrad.model.Checkpoint;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import io.tickgrad.train.Dataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tickgrad command end to end on the shipped chart network, and its error behaviour. */
class CliTest {
    private static final String MODEL_DIR = "../models/chart-patterns/tf_model";

    @TempDir
    Path dir;


    @Test
    void shouldImportInspectPredictFineTuneEvaluateAndExport() throws Exception {
        Path model = dir.resolve("chart.safetensors");
        String[] r = run("import", "--format", "keras", "--in", MODEL_DIR, "--out", model.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[2].contains("367366 parameters"), r[2]);

        r = run("inspect", "--model", model.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("400 inputs -> 6 outputs"), r[1]);
        assertTrue(r[1].contains("367366 parameters (367366 trainable)"), r[1]);

        // real windows from the bundled trades
        Trades trades = Trades.bundledBitstamp();
        Dataset d = ChartSamples.build(trades, 0, 40_000, 40_000, 400, 100, 100, 5);
        Path x = dir.resolve("x.csv");
        Path train = dir.resolve("train.csv");
        StringBuilder xs = new StringBuilder();
        StringBuilder ts = new StringBuilder();
        for (int i = 0; i < d.rows(); i++) {
            for (int c = 0; c < 400; c++) {
                String v = Float.toString(d.feature(i, c));
                xs.append(c == 0 ? "" : ",").append(v);
                ts.append(c == 0 ? "" : ",").append(v);
            }
            xs.append('\n');
            ts.append(',').append((int) d.target(i, 0)).append('\n');
        }
        Files.writeString(x, xs);
        Files.writeString(train, ts);

        Path y = dir.resolve("y.csv");
        r = run("predict", "--model", model.toString(), "--in", x.toString(), "--out", y.toString());
        assertEquals("0", r[0], r[2]);
        List<String> rows = Files.readAllLines(y);
        assertEquals(d.rows(), rows.size());
        for (String row : rows) {
            String[] p = row.split(",");
            assertEquals(6, p.length);
            double sum = 0;
            for (String v : p) {
                sum += Float.parseFloat(v);
            }
            assertEquals(1.0, sum, 1e-5, "softmax rows sum to 1");
        }

        Path tuned = dir.resolve("tuned.safetensors");
        r = run("finetune", "--model", model.toString(), "--train", train.toString(), "--out", tuned.toString(),
            "--head", "binary", "--freeze", "5", "--epochs", "3", "--batch", "32", "--lr", "0.001",
            "--optimizer", "adamw", "--weight-decay", "0.01", "--seed", "3", "--validation-split", "0.2");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[2].contains("257 of 366081 parameters trainable"), r[2]);
        assertTrue(r[2].contains("left"), "progress bar with the time left: " + r[2]);
        assertTrue(Files.size(tuned) > 1_000_000);

        r = run("evaluate", "--model", tuned.toString(), "--data", train.toString(), "--json");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("\"roc_auc\""), r[1]);
        assertTrue(r[1].contains("\"confusion_matrix\""), r[1]);

        Path onnx = dir.resolve("tuned.onnx");
        r = run("export", "--model", tuned.toString(), "--onnx", onnx.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(Files.size(onnx) > 1_000_000);
    }

    @Test
    void shouldFailWithOneLineAndNoStackTrace() throws Exception {
        String[] r = run("predict", "--model", dir.resolve("missing.safetensors").toString(), "--in", "x.csv",
            "--out", "y.csv");
        assertEquals("1", r[0]);
        String err = r[2].trim();
        assertFalse(err.contains("\n"), "one line: " + err);
        assertFalse(err.contains("\tat "), "no stack trace: " + err);
        assertTrue(err.contains("missing.safetensors"), err);

        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "1,2,3\n4,five,6\n");
        r = run("import", "--format", "keras", "--in", MODEL_DIR, "--out", dir.resolve("m.safetensors").toString());
        assertEquals("0", r[0], r[2]);
        r = run("predict", "--model", dir.resolve("m.safetensors").toString(), "--in", bad.toString(), "--out",
            dir.resolve("o.csv").toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("line 2, column 2: expected a number, found 'five'"), r[2]);

        r = run("predict", "--model", "m", "--in", bad.toString(), "--out", "o", "--stacktrace");
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("\tat "), "a stack trace when asked: " + r[2]);

        r = run("finetune", "--model", "m", "--train", "t", "--out", "o", "--optimizer", "rmsprop", "--bogus");
        assertEquals("2", r[0], "usage errors exit 2");
        r = run("import", "--format", "onnx", "--in", MODEL_DIR, "--out", "o");
        assertEquals("2", r[0], "a refused option value is a usage error");
        assertTrue(r[2].contains("--format onnx: unknown format; expected keras or safetensors"), r[2]);
    }

    /**
     * The demo on a small model (the 32-64-64-1 network on a 64-trade chart window, 5-trade label) trained "before"
     * the same split as the shipped model: three replays, their reports, the comparison page and the table.
     */
    @Test
    void shouldDemoThreeModelsSideBySideOnTheSameStream() throws Exception {
        Path model = dir.resolve("small.safetensors");
        long split = Instant.parse("2013-11-29T00:00:13Z").toEpochMilli() * 1_000_000L;
        try (NativeCpuBackend backend = NativeCpuBackend.create();
             Network net = Network.builder(32).dense(64).relu().dense(64).relu()
                 .dense(1).sigmoid().build(backend, 1, 3)) {
            net.freezeFirst(2);   // a frozen trunk, as in models/updown: only the last layer fine-tunes online
            FeatureSpec spec = new FeatureSpec(64, 32, new int[0], 0, 0, false, false, null, LabelSpec.ticks(5, 1), 0,
                split);
            Checkpoint.save(net, model, Map.of(FeatureSpec.METADATA_KEY, spec.toJson()));
        }
        String[] r = run("demo", "--model", model.toString(), "--out", dir.resolve("demo").toString());
        assertEquals("0", r[0], r[2]);
        Path report = dir.resolve("demo").resolve("report");
        for (String f : ComparisonReport.FILES) {
            assertTrue(Files.size(report.resolve(f)) > 500, f);
        }
        for (String id : List.of(DemoCommand.FROZEN, DemoCommand.ONLINE, DemoCommand.SCRATCH)) {
            for (String f : BacktestReport.FILES) {
                assertTrue(Files.exists(report.resolve(id).resolve(f)), id + "/" + f);
            }
        }
        JsonNode models = new ObjectMapper()
            .readTree(report.resolve(ComparisonReport.COMPARISON_JSON).toFile()).get("models");
        assertEquals(3, models.size());
        assertEquals(0, models.get(0).get("revisions").asLong(), "frozen");
        assertTrue(models.get(1).get("revisions").asLong() > 100, "fine-tuned online");
        assertTrue(models.get(2).get("revisions").asLong() > 100, "from scratch");
        assertTrue(models.get(1).get("description").asText().contains(" 65 trainable parameters"),
            models.get(1).get("description").asText());
        long labelled = models.get(0).get("labelled").asLong();
        assertTrue(labelled > 20_000, "labelled " + labelled);
        for (JsonNode m : models) {
            assertEquals(labelled, m.get("labelled").asLong(), "the same stream and labels for all three");
            assertTrue(m.get("roc_auc").isNumber() && m.get("net_pnl_bps").isNumber(), m.get("id").asText());
        }
        assertTrue(models.get(0).get("roc_auc").asDouble() != models.get(1).get("roc_auc").asDouble());
        String out = r[1];
        for (String name : List.of("pretrained, frozen", "pretrained, fine-tuned online", "from scratch, online")) {
            assertTrue(out.lines().anyMatch(l -> l.startsWith(name + " ")), "a table row for " + name + ":\n" + out);
        }
        assertTrue(out.contains("ROC AUC") && out.contains("net PnL"), out);
        assertTrue(out.contains("comparison: "), out);
    }
}
