package io.tickgrad.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.cli.Main;
import io.tickgrad.io.ChroniclePredictionSource;
import io.tickgrad.io.ChronicleTickWriter;
import io.tickgrad.market.FeatureSpec;
import io.tickgrad.market.TestTicks;
import io.tickgrad.market.Tick;
import io.tickgrad.model.Checkpoint;
import io.tickgrad.model.CheckpointStore;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import io.tickgrad.online.OnlineCheckpoints;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** serve --online from the command line: the pause file, a checkpoint on a graceful stop, a restart from it. */
class CommandLineServeOnlineTest {
    private static final int TICKS = 3_000;

    @TempDir
    Path dir;

    private String serve(String... extra) {
        String[] base = {"serve", "--ticks", dir.resolve("ticks").toString(), "--model",
            dir.resolve("m.safetensors").toString(), "--online", "--online-cadence", "16", "--online-batch", "16",
            "--online-window", "256", "--idle", "sleeping", "--exit-when-idle-ms", "400"};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        PrintStream out = System.out;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            assertEquals(0, Main.run(args), () -> o.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
        }
        String text = o.toString(StandardCharsets.UTF_8);
        System.out.print(text);
        return text;
    }

    private static int count(Path predictions) {
        int[] n = {0};
        try (ChroniclePredictionSource source = ChroniclePredictionSource.open(predictions)) {
            while (source.poll(p -> n[0]++, 4096) > 0) {
                // drain
            }
        }
        return n[0];
    }

    @Test
    void shouldPauseOnAFileCheckpointOnStopAndResumeWithoutPredictingTwice() throws Exception {
        try (NativeCpuBackend backend = NativeCpuBackend.create();
             Network net = Network.builder(32).dense(64).relu().dense(64).relu().dense(1).sigmoid()
                 .build(backend, 1, 3)) {
            Checkpoint.save(net, dir.resolve("m.safetensors"),
                Map.of(FeatureSpec.METADATA_KEY, ServingPipelineTest.SPEC.toJson()));
        }
        double[] prices = TestTicks.prices(TICKS, 8);
        try (ChronicleTickWriter writer = ChronicleTickWriter.open(dir.resolve("ticks"))) {
            Tick tick = TestTicks.scratch();
            for (int i = 0; i < TICKS; i++) {
                writer.onTick(TestTicks.trade(tick, i, prices[i], 1));
            }
        }
        int servable = TICKS - (ServingPipelineTest.SPEC.warmupTicks() - 1);

        // paused from the start: serves every tick, trains nothing
        Path pause = dir.resolve("pause");
        Files.writeString(pause, "");
        String paused = serve("--predictions", dir.resolve("p1").toString(), "--pause-file", pause.toString());
        assertTrue(paused.contains("online learning paused"), paused);
        assertTrue(paused.contains("; 0 rounds,"), paused);
        assertEquals(servable, count(dir.resolve("p1")));

        // learning, with checkpoints: a graceful stop checkpoints the last published weights
        Path checkpoints = dir.resolve("ckpt");
        String learned = serve("--predictions", dir.resolve("p2").toString(), "--checkpoints", checkpoints.toString(),
            "--checkpoint-every-ms", "3600000");
        assertFalse(learned.contains("; 0 rounds,"), learned);
        assertEquals(servable, count(dir.resolve("p2")));
        assertEquals(1, new CheckpointStore(checkpoints, 5).versions().size(), "one checkpoint, written on stop");

        // a restart resumes from it and predicts nothing twice
        String resumed = serve("--predictions", dir.resolve("p2").toString(), "--checkpoints", checkpoints.toString());
        assertTrue(resumed.contains("resuming from checkpoint"), resumed);
        assertTrue(resumed.contains("optimizer state restored ("), "the stop's checkpoint holds Adam's moments: " + resumed);
        assertTrue(resumed.contains("predictions 0,"), resumed);
        assertEquals(servable, count(dir.resolve("p2")));
        // every checkpoint, the restart's too, names the base model it started from, not the checkpoint it resumed
        long base = ServingModel.versionOf(dir.resolve("m.safetensors"));
        CheckpointStore store = new CheckpointStore(checkpoints, 5);
        for (long v : store.versions()) {
            assertEquals(String.format("%016x", base),
                Checkpoint.readMetadata(store.file(v)).get(OnlineCheckpoints.BASE_VERSION_KEY));
        }

        // checkpoints trained from another base model are refused, with the files and the way out named
        try (NativeCpuBackend backend = NativeCpuBackend.create();
             Network other = Network.builder(32).dense(64).relu().dense(64).relu().dense(1).sigmoid()
                 .build(backend, 1, 4)) {
            Checkpoint.save(other, dir.resolve("other.safetensors"),
                Map.of(FeatureSpec.METADATA_KEY, ServingPipelineTest.SPEC.toJson()));
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldErr = System.err;
        int status;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            status = Main.run("serve", "--ticks", dir.resolve("ticks").toString(), "--model",
                dir.resolve("other.safetensors").toString(), "--predictions", dir.resolve("p3").toString(), "--online",
                "--checkpoints", checkpoints.toString(), "--exit-when-idle-ms", "400");
        } finally {
            System.setErr(oldErr);
        }
        String message = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, status, message);
        assertTrue(message.contains("was trained from a base model of version " + String.format("%016x", base)), message);
        assertTrue(message.contains("other.safetensors") && message.contains("new --checkpoints directory"), message);
    }
}
