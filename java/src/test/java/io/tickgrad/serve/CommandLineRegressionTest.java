package io.tickgrad.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickgrad.backtest.BacktestRun;
import io.tickgrad.cli.Main;
import io.tickgrad.io.ChroniclePredictionSource;
import io.tickgrad.io.ChronicleTickSource;
import io.tickgrad.market.FeatureSpec;
import io.tickgrad.market.LabelSpec;
import io.tickgrad.market.TestTicks;
import io.tickgrad.model.Checkpoint;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model with a real-valued label from the command line: record, then replay (the report's regression block),
 * serve (each prediction record carries the network's output, the log-variance forecast here, as replay scores it),
 * and online learning refused with the reason.
 */
class CommandLineRegressionTest {
    @TempDir
    Path dir;

    @Test
    void shouldReplayAndServeALogVarianceModel() throws Exception {
        double[] prices = TestTicks.prices(1_200, 21);
        StringBuilder csv = new StringBuilder("time,price\n");
        for (int i = 0; i < prices.length; i++) {
            csv.append(1_700_000_000L + i).append(',').append(prices[i]).append('\n');
        }
        Path file = dir.resolve("prices.csv");
        Files.writeString(file, csv);
        Path ticks = dir.resolve("ticks");
        assertEquals(0, Main.run("record", "--csv", file.toString(), "--queue", ticks.toString(), "--time-col", "time",
            "--price-col", "price", "--time-format", "epoch-s"));
        LabelSpec label = LabelSpec.ticks(5, 0).withTarget(LabelSpec.Target.REALISED_VAR).withLogOutput(true);
        FeatureSpec spec = new FeatureSpec(0, 0, new int[] {1, 3}, 5, 0, false, false, null, label, 0, 0);
        Path model = dir.resolve("var.safetensors");
        try (NativeCpuBackend backend = NativeCpuBackend.create(1);
             Network net = Network.builder(spec.width()).dense(4).relu().dense(1).build(backend, 1, 3)) {
            Checkpoint.save(net, model, Map.of(FeatureSpec.METADATA_KEY, spec.toJson()));
        }

        Path report = dir.resolve("report");
        assertEquals(0, Main.run("replay", "--queue", ticks.toString(), "--model", model.toString(), "--report",
            report.toString()));
        JsonNode summary = new ObjectMapper().readTree(report.resolve("summary.json").toFile());
        JsonNode g = summary.path("regression");
        assertTrue(g.path("samples").asLong() > 1_000, g.toString());
        assertTrue(g.path("label").asText().contains("realised variance"), g.toString());
        assertTrue(summary.path("info").toString().contains("realised variance (bps^2) over the next 5 ticks"),
            summary.path("info").toString());
        assertTrue(Files.readString(report.resolve("report.html")).contains("Regression forecast"));

        // serve: the record's output is the network's output (log-variance), the same as replay's score per tick
        Path predictions = dir.resolve("predictions");
        assertEquals(0, Main.run("serve", "--ticks", ticks.toString(), "--model", model.toString(), "--predictions",
            predictions.toString(), "--exit-when-idle-ms", "400"));
        Map<Long, Float> served = new HashMap<>();
        try (ChroniclePredictionSource source = ChroniclePredictionSource.open(predictions)) {
            while (source.poll(p -> {
                assertEquals(1, p.outputCount());
                served.put(p.tickSequence(), p.output(0));
            }, 1_000) > 0) {
                // to the end
            }
        }
        BacktestRun run = new BacktestRun();
        try (NativeCpuBackend backend = NativeCpuBackend.create(1);
             ServingModel serving = ServingModel.load(model, backend);
             ChronicleTickSource source = ChronicleTickSource.open(ticks)) {
            Replay.run(source, serving, null, Long.MIN_VALUE, Long.MAX_VALUE, run);
        }
        assertEquals(run.size(), served.size());
        for (int i = 0; i < run.size(); i++) {
            assertEquals(run.score(i), served.get(run.tickSequence(i)), 0f, "tick " + run.tickSequence(i));
            assertEquals(Math.exp(run.score(i)), run.forecast(i), 1e-9 * run.forecast(i), "forecast = exp(output)");
        }

        // online learning trains on class labels only: refused with the reason, not run silently
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldErr = System.err;
        int status;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            status = Main.run("replay", "--queue", ticks.toString(), "--model", model.toString(), "--report",
                dir.resolve("online").toString(), "--online");
        } finally {
            System.setErr(oldErr);
        }
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(status != 0, message);
        assertTrue(message.contains("var.safetensors") && message.contains("real-valued realised_var"), message);
    }
}
