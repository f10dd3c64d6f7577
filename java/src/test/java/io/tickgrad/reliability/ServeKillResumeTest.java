package io.tickgrad.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.io.ChroniclePredictionSource;
import io.tickgrad.io.ChronicleTickWriter;
import io.tickgrad.market.FeatureSpec;
import io.tickgrad.market.LabelSpec;
import io.tickgrad.market.Tick;
import io.tickgrad.market.TestTicks;
import io.tickgrad.model.Checkpoint;
import io.tickgrad.model.CheckpointStore;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import io.tickgrad.serve.ServingModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code tickgrad serve --online} process is killed with SIGKILL at random moments while a live feed keeps
 * appending ticks, and restarted each time. In the end the predictions queue must hold exactly one prediction for
 * every tick from the first one the features can serve to the last: none twice, none skipped. The restarts must
 * have resumed from online-learning checkpoints, and learning must have gone on after them.
 */
class ServeKillResumeTest {
    private static final int TICKS = 30_000;
    private static final int TICKS_PER_MS = 4;
    private static final int KILLS = 3;
    /** Ticks appended only once the last process runs, so that it has some to predict however slow the restarts. */
    private static final int TAIL = 2_000;
    private static final FeatureSpec SPEC = FeatureSpec.chart(64, LabelSpec.ticks(20, 0));

    @Test
    void shouldPredictEveryTickExactlyOnceAcrossKillsAndRestarts(@TempDir Path dir) throws Exception {
        killAndResume(dir, false);
    }

    /** The same with a strategy's process that uses the library's ServingSession in process, not the CLI. */
    @Test
    void shouldPredictEveryTickExactlyOnceWithTheSessionInProcess(@TempDir Path dir) throws Exception {
        killAndResume(dir, true);
    }

    private static void killAndResume(Path dir, boolean inProcess) throws Exception {
        Path ticks = dir.resolve("ticks");
        Path predictions = dir.resolve("predictions");
        Path checkpoints = dir.resolve("checkpoints");
        Path model = dir.resolve("model.safetensors");
        try (NativeCpuBackend backend = NativeCpuBackend.create();
             Network net = Network.builder(SPEC.width()).dense(16).relu().dense(1).sigmoid().build(backend, 1, 7)) {
            Checkpoint.save(net, model, Map.of(FeatureSpec.METADATA_KEY, SPEC.toJson()));
        }
        try (ChronicleTickWriter writer = ChronicleTickWriter.open(ticks)) {
            writer.onTick(TestTicks.trade(TestTicks.scratch(), 0, 100, 1));   // the queue exists before serve starts
        }
        AtomicReference<Throwable> feedFailure = new AtomicReference<>();
        Thread feed = new Thread(() -> feed(ticks, 1, TICKS - TAIL, feedFailure), "live-feed");
        feed.start();

        SplittableRandom random = new SplittableRandom(20261128);
        CheckpointStore store = new CheckpointStore(checkpoints, 5);
        List<Path> logs = new ArrayList<>();
        for (int kill = 0; kill < KILLS; kill++) {
            Path log = dir.resolve("serve-" + kill + ".log");
            logs.add(log);
            Process child = start(inProcess, ticks, predictions, checkpoints, model, log, 0);
            long checkpointsBefore = newest(store);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            // kill only once this process has written two checkpoints of its own
            while (child.isAlive() && System.nanoTime() < deadline && newest(store) < checkpointsBefore + 2) {
                Thread.sleep(5);
            }
            assertTrue(child.isAlive(), () -> "serve exited early: " + read(log));
            Thread.sleep(random.nextInt(200));
            child.destroyForcibly();   // SIGKILL on Linux
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "serve did not die");
            assertEquals(137, child.exitValue(), "killed by SIGKILL");
        }
        Path lastLog = dir.resolve("serve-final.log");
        logs.add(lastLog);
        Process last = start(inProcess, ticks, predictions, checkpoints, model, lastLog, 3000);
        feed.join();
        feed(ticks, TICKS - TAIL, TICKS, feedFailure);
        assertTrue(feedFailure.get() == null, () -> "feed failed: " + feedFailure.get());
        assertTrue(last.waitFor(120, TimeUnit.SECONDS), () -> "the last serve did not finish: " + read(lastLog));
        assertEquals(0, last.exitValue(), () -> read(lastLog));

        // every tick from the first complete feature vector on, exactly once, in order
        List<long[]> seen = new ArrayList<>();
        try (ChroniclePredictionSource source = ChroniclePredictionSource.open(predictions)) {
            while (source.poll(p -> seen.add(new long[] {p.tickSequence(), p.modelVersion(), p.modelRevision()}),
                4096) > 0) {
                // drain
            }
        }
        long first = SPEC.warmupTicks() - 1;
        StringBuilder all = new StringBuilder();
        for (Path log : logs) {
            all.append("--- ").append(log.getFileName()).append('\n').append(read(log));
        }
        assertEquals(TICKS - first, seen.size(), () -> "one prediction per servable tick; logs:\n" + all);
        for (int i = 0; i < seen.size(); i++) {
            assertEquals(first + i, seen.get(i)[0], "prediction " + i);
        }
        int resumed = 0;
        int restoredMoments = 0;
        for (Path log : logs.subList(1, logs.size())) {
            String text = read(log);
            resumed += text.contains("resuming from checkpoint") ? 1 : 0;
            restoredMoments += text.contains("optimizer state restored") ? 1 : 0;
            // each restart says whether Adam's moments came back (a checkpoint taken while newer weights waited to be
            // published holds none)
            assertTrue(text.contains("optimizer state restored") || text.contains("Adam starts with fresh moments"),
                text);
        }
        assertEquals(KILLS, resumed, "every restart resumed from a checkpoint");
        long baseVersion = ServingModel.versionOf(model);
        long lastVersion = seen.get(seen.size() - 1)[1];
        assertTrue(lastVersion != baseVersion, "the final process served a checkpoint, not the initial model");
        assertTrue(seen.get(seen.size() - 1)[2] > 0, "learning went on after the last restart: " + read(lastLog));
        if (inProcess) {   // the in-process callback saw every prediction the last process made
            String line = lastLine(read(lastLog), "session: predictions ");
            String[] counts = line.replace("session: predictions ", "").split(", callback calls ");
            assertEquals(2, counts.length, line);
            assertEquals(counts[0], counts[1], line);
            assertTrue(Long.parseLong(counts[0]) > 0, line);
        }
        System.out.printf((inProcess ? "ServingSession in process: " : "") + "serve --online killed %d times under a live feed of %d ticks: %d predictions, each tick "
            + "once; %d of %d restarts took Adam's moments back; final process: %s%n", KILLS, TICKS, seen.size(),
            restoredMoments, KILLS, lastLine(read(lastLog), "online learning"));
    }

    private static long newest(CheckpointStore store) {
        List<Long> versions = store.versions();
        return versions.isEmpty() ? 0 : versions.get(versions.size() - 1);
    }

    /**
     * Appends ticks {@code from} to {@code to} (exclusive) at about TICKS_PER_MS per millisecond, like a live feed that
     * does not wait for serve.
     */
    private static void feed(Path ticks, int from, int to, AtomicReference<Throwable> failure) {
        try (ChronicleTickWriter writer = ChronicleTickWriter.open(ticks)) {
            double[] prices = TestTicks.prices(TICKS, 5);
            Tick tick = TestTicks.scratch();
            long start = System.nanoTime();
            for (int i = from; i < to; i++) {
                while (System.nanoTime() - start < (i - from) * 1_000_000L / TICKS_PER_MS) {
                    Thread.onSpinWait();
                }
                writer.onTick(TestTicks.trade(tick, i, prices[i], 1 + i % 7));
            }
        } catch (Throwable t) {
            failure.set(t);
        }
    }

    private static Process start(boolean inProcess, Path ticks, Path predictions, Path checkpoints, Path model,
                                 Path log, long exitWhenIdleMs) throws IOException {
        List<String> cmd = inProcess ? ChildJvm.main(SessionServerMain.class, ticks.toString(), predictions.toString(),
            checkpoints.toString(), model.toString(), Long.toString(exitWhenIdleMs)) : ChildJvm.tickgrad("serve", "--ticks", ticks.toString(), "--predictions",
            predictions.toString(), "--model", model.toString(), "--online", "--checkpoints", checkpoints.toString(),
            "--checkpoint-every-ms", "50", "--online-batch", "16", "--online-cadence", "16", "--online-window", "256",
            "--idle", "sleeping", "--exit-when-idle-ms", Long.toString(exitWhenIdleMs));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** The log, cut to its first and last 4000 characters. */
    private static String read(Path log) {
        try {
            String s = Files.readString(log);
            return s.length() <= 8000 ? s : s.substring(0, 4000) + "\n[... " + (s.length() - 8000) + " characters ...]\n"
                + s.substring(s.length() - 4000);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static String lastLine(String text, String prefix) {
        String found = "";
        for (String line : text.split("\n")) {
            if (line.startsWith(prefix)) {
                found = line;
            }
        }
        return found;
    }
}
