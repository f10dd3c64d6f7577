package io.tickgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickgrad.model.Checkpoint;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.reference.ReferenceBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** finetune --loss qlike and evaluate of a regression head, from the command line. */
class RegressionCliTest {
    @TempDir
    Path dir;

    @Test
    void shouldFineTuneAQlikeHeadAndEvaluateItsExpForecast() throws Exception {
        // variance = exp(x0) times a chi-square(1) draw: the log-variance forecast exp(x0) is learnable from x0
        SplittableRandom random = new SplittableRandom(3);
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 600; i++) {
            double x0 = random.nextDouble(-1.5, 1.5);
            double x1 = random.nextGaussian();
            double z = random.nextGaussian();
            csv.append(String.format(Locale.ROOT, "%.5f,%.5f,%.6f%n", x0, x1, Math.exp(x0) * z * z));
        }
        Path data = dir.resolve("var.csv");
        Files.writeString(data, csv);
        Path base = dir.resolve("base.safetensors");
        try (ReferenceBackend b = new ReferenceBackend();
             Network net = Network.builder(2).dense(4).relu().dense(1).sigmoid().build(b, 4, 1)) {
            Checkpoint.save(net, base);
        }
        Path out = dir.resolve("qlike.safetensors");
        String[] r = CliCapture.run("finetune", "--model", base.toString(), "--train", data.toString(), "--out",
            out.toString(), "--head", "regression", "--loss", "qlike", "--freeze", "0", "--lr", "0.02", "--epochs",
            "40", "--no-featurize", "--backend", "reference");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("forecast = exp(output)") && r[1].contains("Spearman"), r[1]);
        assertEquals("log", Checkpoint.readMetadata(out).get(FinetuneCommand.OUTPUT_METADATA_KEY));

        String[] e = CliCapture.run("evaluate", "--model", out.toString(), "--data", data.toString(), "--json",
            "--backend", "reference");
        assertEquals("0", e[0], e[2]);
        JsonNode m = new ObjectMapper().readTree(e[1]);
        assertTrue(m.path("log_output").asBoolean(), e[1]);
        // ranks follow exp(x0): a clear positive rank correlation, and the forecast on the label's scale
        assertTrue(m.path("spearman").asDouble() > 0.3, e[1]);
        double meanLabel = m.path("mean_label").asDouble();
        assertTrue(m.path("mean_forecast").asDouble() > 0.3 * meanLabel
            && m.path("mean_forecast").asDouble() < 3 * meanLabel, e[1]);
        // the raw output read as the forecast instead: the log scale, far off
        String[] raw = CliCapture.run("evaluate", "--model", out.toString(), "--data", data.toString(), "--json",
            "--no-log-output", "--backend", "reference");
        assertTrue(new ObjectMapper().readTree(raw[1]).path("mean_forecast").asDouble() < 0.5 * meanLabel, raw[1]);

        // a QLIKE loss on a sigmoid output is refused
        String[] bad = CliCapture.run("finetune", "--model", base.toString(), "--train", data.toString(), "--out",
            dir.resolve("x.safetensors").toString(), "--loss", "qlike", "--backend", "reference");
        assertEquals("2", bad[0], bad[2]);
        assertTrue(bad[2].contains("--loss qlike") && bad[2].contains("log-variance"), bad[2]);
    }
}
