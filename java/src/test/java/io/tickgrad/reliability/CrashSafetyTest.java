package io.tickgrad.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.model.CheckpointFormatException;
import io.tickgrad.model.CheckpointStore;
import io.tickgrad.nn.Backend;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import io.tickgrad.tensor.ParamEntry;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of checkpoints: a real child JVM writing checkpoints in a loop is killed with SIGKILL at random
 * moments, many times; after every kill the newest checkpoint loads and is one that was written whole. A corrupt
 * newest checkpoint is refused with its name, or skipped for the newest valid one when fallback is asked for.
 */
class CrashSafetyTest {
    private static final int KILLS = 30;
    /** The same flags Surefire gives this JVM (Agrona needs them); kept in step with tickgrad.jvmFlags. */
    private static final List<String> JVM_FLAGS = List.of("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED");
    private static NativeCpuBackend backend;

    /** The network the child saves: about 0.5 MB per checkpoint, so a kill often lands inside a write. */
    static Network network(Backend backend) {
        return Network.builder(64).dense(256).relu().dense(256).relu().dense(1).build(backend, 1, 1);
    }

    @BeforeAll
    static void open() {
        backend = NativeCpuBackend.create();
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    @Test
    void shouldKeepTheLatestCheckpointValidWhenTheWriterIsKilled(@TempDir Path dir) throws Exception {
        Path storeDir = dir.resolve("store");
        SplittableRandom random = new SplittableRandom(20261128);
        CheckpointStore store = new CheckpointStore(storeDir, 3);
        int temporaryFilesSeen = 0;
        long lastVersion = 0;
        long started = System.nanoTime();
        for (int kill = 0; kill < KILLS; kill++) {
            Process child = new ProcessBuilder(command(storeDir)).redirectErrorStream(true).start();
            AtomicLong reported = new AtomicLong(-1);
            Thread reader = readSavedLines(child, reported);
            // wait until this child has saved once, then kill it at a random moment of its save loop
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (reported.get() < 0 && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertTrue(child.isAlive(), () -> "the writer exited early: " + child.exitValue());
            Thread.sleep(random.nextInt(120));
            child.destroyForcibly();   // SIGKILL on Linux
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the writer did not die");
            reader.join(5_000);
            assertEquals(137, child.exitValue(), "killed by SIGKILL");

            try (Stream<Path> files = Files.list(storeDir)) {
                temporaryFilesSeen += (int) files.filter(p -> p.getFileName().toString().endsWith(".tmp")).count();
            }
            List<Long> versions = store.versions();
            assertFalse(versions.isEmpty(), "kill " + kill + ": no checkpoint at all");
            CheckpointStore.Loaded latest = store.loadLatest(backend, 1, false);   // no fallback: must be whole
            try (Network net = latest.network()) {
                long v = latest.version();
                assertTrue(v >= reported.get() && v <= reported.get() + 1, "kill " + kill + ": latest " + v
                    + " but the writer reported " + reported.get());
                assertTrue(v >= lastVersion, "kill " + kill + ": went back from " + lastVersion + " to " + v);
                for (ParamEntry e : net.parameters().entries()) {
                    float[] values = net.getParameter(e.name());
                    for (float f : values) {
                        assertEquals((float) v, f, "kill " + kill + ": " + e.name() + " of version " + v);
                    }
                }
                lastVersion = v;
            }
            assertTrue(versions.size() <= 3 + 1, "kept " + versions);
        }
        System.out.printf("crash safety: %d SIGKILLs of a checkpoint writer in %.1f s; versions reached %d; the"
                + " latest checkpoint loaded whole after every kill; temporary files found after kills: %d (never"
                + " listed, removed by the next save)%n", KILLS, (System.nanoTime() - started) / 1e9, lastVersion,
            temporaryFilesSeen);
        assertTrue(lastVersion > KILLS, "the writer saved too few checkpoints to test anything: " + lastVersion);
    }

    @Test
    void shouldRefuseACorruptLatestCheckpointOrFallBackToTheNewestValid(@TempDir Path dir) throws IOException {
        CheckpointStore store = new CheckpointStore(dir, 5);
        try (Network net = network(backend)) {
            for (int i = 1; i <= 4; i++) {
                net.initialize(i);
                assertEquals(i, store.save(net));
            }
        }
        Files.writeString(dir.resolve(".checkpoint-000000000005.safetensors.1234abcd.tmp"), "half a write");
        Files.writeString(dir.resolve("notes.txt"), "not a checkpoint");
        assertEquals(List.of(1L, 2L, 3L, 4L), store.versions());
        // the newest is truncated, the one before has a flipped byte in its header
        Path v4 = store.file(4);
        byte[] b4 = Files.readAllBytes(v4);
        Files.write(v4, Arrays.copyOf(b4, b4.length / 2));
        Path v3 = store.file(3);
        byte[] b3 = Files.readAllBytes(v3);
        b3[20] ^= 0x5b;
        Files.write(v3, b3);

        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> store.loadLatest(backend, 1, false));
        assertTrue(e.getMessage().contains(v4.toString()), e.getMessage());
        assertTrue(e.getCause() instanceof CheckpointFormatException, e.toString());
        System.out.println("corrupt latest, no fallback: " + e.getMessage());

        CheckpointStore.Loaded loaded = store.loadLatest(backend, 1, true);
        try (Network net = loaded.network()) {
            assertEquals(2, loaded.version());
            assertEquals(2, loaded.skipped().size());
            assertTrue(loaded.skipped().get(0).contains(v4.toString()), loaded.skipped().get(0));
            assertTrue(loaded.skipped().get(1).contains(v3.toString()), loaded.skipped().get(1));
            try (Network expected = network(backend)) {
                expected.initialize(2);
                for (ParamEntry p : expected.parameters().entries()) {
                    assertTrue(Arrays.equals(expected.getParameter(p.name()), net.getParameter(p.name())), p.name());
                }
            }
            System.out.println("corrupt latest, fallback: loaded version 2, skipped " + loaded.skipped());
            // the next save continues after the newest file and clears the temporary one
            assertEquals(5, store.save(net));
            try (Stream<Path> files = Files.list(dir)) {
                assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")));
            }
        }

        for (long v : store.versions()) {
            Files.write(store.file(v), new byte[0]);
        }
        UncheckedIOException none = assertThrows(UncheckedIOException.class, () -> store.loadLatest(backend, 1, true));
        assertTrue(none.getMessage().contains("all 5 are corrupt"), none.getMessage());
        CheckpointStore empty = new CheckpointStore(dir.resolve("empty"), 1);
        UncheckedIOException nothing = assertThrows(UncheckedIOException.class,
            () -> empty.loadLatest(backend, 1, true));
        assertTrue(nothing.getMessage().contains("found none"), nothing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CheckpointStore(dir, 0));
    }

    private static List<String> command(Path storeDir) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JVM_FLAGS);
        cmd.add("-Xmx128m");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(CheckpointWriterMain.class.getName());
        cmd.add(storeDir.toString());
        cmd.add("3");
        return cmd;
    }

    private static Thread readSavedLines(Process child, AtomicLong reported) {
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("saved ")) {
                        reported.set(Long.parseLong(line.substring(6).trim()));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // the child was killed mid-line
            }
        }, "checkpoint-writer-output");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
