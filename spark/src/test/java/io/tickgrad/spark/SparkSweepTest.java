package io.tickgrad.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.backtest.sweep.EmbeddedRunner;
import io.tickgrad.backtest.sweep.Sweep;
import io.tickgrad.backtest.sweep.SweepRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark runner on local[2] gives results.csv identical, byte for byte (prediction hashes included), to the
 * embedded runner on the same grid: a task's row does not depend on where it ran, nor on the other tasks of its
 * Spark task (batches of two here, a failing task among them). A small grid: starting Spark takes seconds.
 */
class SparkSweepTest {
    static final Path MODEL = Path.of("../models/updown/updown.safetensors").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @Test
    void sparkLocalAndEmbeddedGiveIdenticalRows() throws Exception {
        Path grid = tmp.resolve("grid.json");
        Files.writeString(grid, """
            {
              "name": "spark identity",
              "model": "%s",
              "data": [{"name": "btc", "csv": "bundled"}],
              "walk_forward": {"start": "2013-11-29T00:00:00Z", "end": "2013-11-29T02:00:00Z", "window": "1h"},
              "arms": ["frozen", "finetuned", "online"],
              "online": {"lr": 0.003, "cadence": 32, "batch": [32, 8192], "window": 4096},
              "finetune": {"lr": 0.003, "epochs": 2, "batch": 16, "stride": 5},
              "seeds": [1, 2, 3, 4, 5]
            }
            """.formatted(MODEL));
        Path embedded = tmp.resolve("embedded");
        Sweep.Outcome a;
        try (SweepRunner r = new EmbeddedRunner(2)) {
            a = Sweep.run(grid, embedded, r, new Sweep.Options(null, false, System.err));
        }
        Path spark = tmp.resolve("spark");
        Sweep.Outcome b;
        try (SweepRunner r = new SparkSweepRunnerFactory().create("local[2]", 0)) {
            assertEquals(2, r.slots());
            b = Sweep.run(grid, spark, r, new Sweep.Options(null, false, System.err));
        }
        // frozen 1, fine-tuned 5 seeds, online 2 batches x 5 seeds: 16 tasks, run in Spark tasks of 2
        assertEquals(16, a.tasks());
        assertEquals(16, b.ran());
        assertEquals(2, SparkSweepRunner.batches(io.tickgrad.backtest.sweep.SweepTask.expand(
            io.tickgrad.backtest.sweep.SweepGrid.read(grid)), 2).get(0).size());
        assertEquals(5, b.failed());   // the online batch of 8192 in a window of 4096, on both runners
        String rows = Files.readString(embedded.resolve("results.csv"));
        assertTrue(rows.lines().filter(l -> l.contains(",ok,")).allMatch(l -> l.matches(".*,[0-9a-f]{16}$")), rows);
        assertEquals(rows, Files.readString(spark.resolve("results.csv")));
    }
}
