package io.tickgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pretrain} and {@code study} end to end on real series shipped with models/market-daily (three European
 * indices to pretrain on, the FTSE as the unseen instrument), the checkpoint accepted by {@code inspect} and
 * {@code replay}, and the refusals.
 */
class PretrainStudyCommandTest {
    private static final String DATA = "../models/market-daily/data/pretrain/";

    @TempDir
    Path dir;

    private static String[] run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new String[] {Integer.toString(code), o.toString(StandardCharsets.UTF_8),
                e.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private Path record(String name, Path parent) {
        Path q = parent.resolve(name);
        String[] r = run("record", "--csv", DATA + name + ".csv", "--queue", q.toString(), "--instrument", name);
        assertEquals("0", r[0], r[2]);
        return q;
    }

    @Test
    void pretrainsOnQueuesStudiesAnUnseenOneAndReplays() throws Exception {
        Path queues = dir.resolve("q");
        for (String name : new String[] {"EU-DAX", "EU-SMI", "EU-CAC"}) {
            record(name, queues);
        }
        Path unseen = record("EU-FTSE", dir);
        Path model = dir.resolve("m.safetensors");
        String[] r = run("pretrain", "--queues", queues.toString(), "--out", model.toString(), "--target", "large-move",
            "--epochs", "5", "--hidden", "8");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("EU-DAX") && r[1].contains("pooled validation"), r[1]);
        assertTrue(!r[1].contains("EU-FTSE"), "only the given queues are pretrained on");

        r = run("inspect", "--model", model.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("9 inputs -> 1 outputs"), r[1]);

        Path report = dir.resolve("report");
        r = run("study", "--model", model.toString(), "--queue", unseen.toString(), "--samples", "100,300", "--seeds",
            "2", "--test-size", "100", "--epochs", "10", "--report", report.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].startsWith("Pretraining "), r[1]);
        JsonNode summary = new ObjectMapper().readTree(report.resolve("summary.json").toFile());
        assertEquals("large-move", summary.path("target").asText());
        assertEquals("EU-FTSE", summary.path("instrument").asText());
        assertEquals(2 * 2 * 6, summary.path("runs").size(), "6 arms (EWMA for large moves) x 2 sizes x 2 seeds");
        assertTrue(Files.readString(report.resolve("report.html")).contains("<svg"));

        r = run("replay", "--model", model.toString(), "--queue", unseen.toString(), "--report",
            dir.resolve("replay").toString());
        assertEquals("0", r[0], r[2]);
    }

    @Test
    void refusesBadOptionsWithOneLine() throws Exception {
        Path q = record("EU-DAX", dir.resolve("q"));
        String[] r = run("pretrain", "--queue", q.toString(), "--out", dir.resolve("m.safetensors").toString(),
            "--target", "up");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("--target up") && r[2].contains("direction or large-move"), r[2]);

        r = run("pretrain", "--out", dir.resolve("m.safetensors").toString());
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("--queue"), r[2]);

        Path model = dir.resolve("m.safetensors");
        r = run("pretrain", "--queue", q.toString(), "--out", model.toString(), "--epochs", "2");
        assertEquals("0", r[0], r[2]);
        r = run("study", "--model", model.toString(), "--queue", q.toString(), "--samples", "300,100", "--report",
            dir.resolve("r").toString());
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("ascending"), r[2]);
        r = run("study", "--model", model.toString(), "--queue", q.toString(), "--samples", "1000,3000", "--report",
            dir.resolve("r").toString());
        assertEquals("1", r[0], r[2]);
        assertTrue(r[2].contains("labelled samples") && r[2].contains("need at least"), r[2]);
    }
}
