package io.tickgrad.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.cli.Main;
import io.tickgrad.market.TestTicks;
import io.tickgrad.model.Checkpoint;
import io.tickgrad.market.FeatureSpec;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** record -> replay from the command line, as a user runs them: exit status 0, summary.json written. */
class CommandLineReplayTest {
    @TempDir
    Path dir;

    @Test
    void shouldRecordACsvAndReplayItIntoAReport() throws Exception {
        double[] prices = TestTicks.prices(1_500, 12);
        StringBuilder csv = new StringBuilder("\"Date Time\",\"Close\",\"Volume\"\n");
        for (int i = 0; i < prices.length; i++) {
            csv.append(java.time.Instant.ofEpochSecond(1_700_000_000L + i)).append(',').append(prices[i])
                .append(',').append(1 + i % 4).append('\n');
            if (i == 700) {
                csv.append("2023-11-14T22:25:00Z,not-a-price,1\n");
            }
        }
        Path file = dir.resolve("bars.csv");
        Files.writeString(file, csv);
        Path model = dir.resolve("m.safetensors");
        try (NativeCpuBackend backend = NativeCpuBackend.create();
             Network net = Network.builder(32).dense(64).relu().dense(64).relu().dense(1).sigmoid()
                 .build(backend, 1, 3)) {
            Checkpoint.save(net, model, Map.of(FeatureSpec.METADATA_KEY, ServingPipelineTest.SPEC.toJson()));
        }
        assertEquals(0, Main.run("record", "--csv", file.toString(), "--queue", dir.resolve("ticks").toString(),
            "--time-col", "date time", "--price-col", "close", "--size-col", "volume", "--time-format", "iso"));
        Path report = dir.resolve("report");
        assertEquals(0, Main.run("replay", "--queue", dir.resolve("ticks").toString(), "--model", model.toString(),
            "--report", report.toString(), "--from", "2023-11-14T22:20:00Z"));
        String summary = Files.readString(report.resolve("summary.json"));
        assertTrue(summary.contains("\"accuracy\""), summary);
        assertTrue(Files.size(report.resolve("report.html")) > 0);

        // the same replay, fine-tuned online: the network (all layers trainable) publishes revisions, so it scores
        // differently; the frozen replay's weights are what the file holds
        Path online = dir.resolve("online");
        assertEquals(0, Main.run("replay", "--queue", dir.resolve("ticks").toString(), "--model", model.toString(),
            "--report", online.toString(), "--from", "2023-11-14T22:20:00Z", "--online", "--online-lr", "3e-3"));
        String onlineHtml = Files.readString(online.resolve("report.html"));
        java.util.regex.Matcher revisions = java.util.regex.Pattern.compile("(\\d+) weight revisions published")
            .matcher(onlineHtml);
        assertTrue(revisions.find(), "the report names the revisions");
        assertTrue(Long.parseLong(revisions.group(1)) > 0, revisions.group());
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode frozenPrediction = json.readTree(summary).get("prediction");
        com.fasterxml.jackson.databind.JsonNode onlinePrediction = json.readTree(
            online.resolve("summary.json").toFile()).get("prediction");
        assertEquals(frozenPrediction.get("labelled"), onlinePrediction.get("labelled"), "the same labels");
        assertTrue(frozenPrediction.get("log_loss").asDouble() != onlinePrediction.get("log_loss").asDouble(),
            "online scores differ from the frozen ones");
        assertTrue(Main.run("replay", "--queue", dir.resolve("ticks").toString(), "--model",
            dir.resolve("missing.safetensors").toString(), "--report", report.toString()) != 0);
    }
}
