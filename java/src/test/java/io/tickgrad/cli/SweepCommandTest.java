package io.tickgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.backtest.sweep.TaskResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tickgrad sweep} end to end on a tiny grid over the bundled trades and the shipped up/down model: every
 * arm, a task that fails (an online batch larger than its sample window), resuming after an interruption, and
 * identical rows with one and two workers.
 */
class SweepCommandTest {
    static final Path MODEL = Path.of("../models/updown/updown.safetensors").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    /** Three 1-hour windows (two evaluated), every arm; online batch 8192 > window 4096 fails on purpose. */
    static String tinyGrid(Path model) {
        return """
            {
              "name": "tiny",
              "model": "%s",
              "data": [{"name": "btc", "csv": "bundled"}],
              "walk_forward": {"start": "2013-11-29T00:00:00Z", "end": "2013-11-29T03:00:00Z", "window": "1h"},
              "arms": ["frozen", "finetuned", "online"],
              "online": {"lr": 0.003, "cadence": 32, "batch": [32, 8192], "window": 4096},
              "finetune": {"lr": 0.003, "epochs": 2, "batch": 16, "stride": 5},
              "strategy": {"cost_bps": [0.5, 2]},
              "seeds": [1]
            }
            """.formatted(model.toString().replace("\\", "\\\\"));
    }

    record Run(int code, String out, String err) {
    }

    static Run sweep(String... args) {
        String[] full = new String[args.length + 1];
        full[0] = "sweep";
        System.arraycopy(args, 0, full, 1, args.length);
        String[] r = CliCapture.run(full);
        return new Run(Integer.parseInt(r[0]), r[1], r[2]);
    }

    @Test
    void runsTheGridReportsFailuresResumesAndDoesNotDependOnWorkers() throws IOException {
        Path grid = tmp.resolve("grid.json");
        Files.writeString(grid, tinyGrid(MODEL));
        Path out = tmp.resolve("out");

        Run first = sweep("--grid", grid.toString(), "--out", out.toString(), "--workers", "2");
        // 2 windows x (frozen 1 + finetuned 1 + online 2) x 2 costs = 16 tasks, 4 of them the failing online batch
        assertEquals(3, first.code(), first.out() + first.err());   // 3: finished, some tasks failed
        assertTrue(first.out().contains("sweep: 16 tasks, 16 run now, 0 already done, 4 failed"), first.out());
        assertTrue(first.err().contains("16/16 done (4 failed)"), first.err());
        // where the time went; 16 tasks are too few to tell a warmed-up rate from the whole
        assertTrue(first.out().matches("(?s).*time: start-up \\d+\\.\\d s, tasks \\d+\\.\\d s "
            + "\\(\\d+\\.\\d\\d tasks/s\\), report \\d+\\.\\d s\n.*"), first.out());
        List<String> lines = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(17, lines.size());
        assertEquals(TaskResult.header(), lines.get(0));
        int failed = 0;
        for (String line : lines.subList(1, lines.size())) {
            TaskResult r = TaskResult.fromCsvLine(line);
            assertTrue(r != null, line);
            if (r.ok()) {
                assertTrue(r.number("predictions") > 100, line);
                assertTrue(r.get("prediction_hash").matches("[0-9a-f]{16}"), line);
                assertFalse(r.get("isa").isEmpty(), line);
                assertTrue(Double.isFinite(r.number("accuracy")), line);
                if (r.get("arm").equals("finetuned")) {
                    assertTrue(r.number("train_samples") >= 16, line);
                }
                if (r.get("arm").equals("online")) {
                    assertTrue(r.number("revisions") > 0, line);
                }
            } else {
                failed++;
                assertEquals("8192", r.get("batch"), line);
                assertTrue(r.get("error").contains("window (4096) must hold at least a batch (8192)"), line);
            }
        }
        assertEquals(4, failed);
        // the same task with another cost replays the same predictions
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("deflated Sharpe ratio"), html);
        assertTrue(html.contains("configurations were tried"), html);
        assertTrue(Files.size(out.resolve("heatmap.png")) > 1000);
        assertTrue(Files.size(out.resolve("param_cost_bps.png")) > 1000);
        String results = Files.readString(out.resolve("results.csv"));

        // interrupted: two task results lost, a half-written temporary file left, results.csv not merged
        List<Path> taskFiles;
        try (Stream<Path> s = Files.list(out.resolve("tasks"))) {
            taskFiles = s.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
        }
        assertEquals(16, taskFiles.size());
        Files.delete(taskFiles.get(3));
        Files.delete(taskFiles.get(7));
        Files.writeString(out.resolve("tasks").resolve(taskFiles.get(3).getFileName() + ".tmp-99"), "task_id,da");
        Files.delete(out.resolve("results.csv"));
        Run resumed = sweep("--grid", grid.toString(), "--out", out.toString(), "--workers", "2");
        assertTrue(resumed.out().contains("sweep: 16 tasks, 2 run now, 14 already done"), resumed.out());
        assertEquals(results, Files.readString(out.resolve("results.csv")));

        // one worker, another directory: the same rows, byte for byte
        Path single = tmp.resolve("single");
        Run one = sweep("--grid", grid.toString(), "--out", single.toString(), "--workers", "1");
        assertEquals(3, one.code(), one.err());
        assertEquals(results, Files.readString(single.resolve("results.csv")));
    }

    @Test
    void aBadGridIsOneLineNamingTheField() throws IOException {
        Path grid = tmp.resolve("bad.json");
        Files.writeString(grid, tinyGrid(MODEL).replace("\"1h\"", "\"an hour\""));
        Run r = sweep("--grid", grid.toString(), "--out", tmp.resolve("o").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("walk_forward.window: expected a positive duration"), r.err());
    }

    @Test
    void theSparkRunnerAbsentIsSaidInOneLine() throws IOException {
        Path grid = tmp.resolve("grid.json");
        Files.writeString(grid, tinyGrid(MODEL));
        Run r = sweep("--grid", grid.toString(), "--out", tmp.resolve("o").toString(), "--runner", "spark");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("the Spark runner is not on the classpath"), r.err());
    }
}
