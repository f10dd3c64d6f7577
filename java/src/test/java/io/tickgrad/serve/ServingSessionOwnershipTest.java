package io.tickgrad.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.io.ChronicleTickWriter;
import io.tickgrad.market.FeatureSpec;
import io.tickgrad.market.TestTicks;
import io.tickgrad.market.Tick;
import io.tickgrad.model.Checkpoint;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import io.tickgrad.online.OnlineConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session's ownership and thread contract in one JVM: a second session on the same predictions queue or
 * checkpoint directory is refused (the OS lock is the session's own, not only the CLI's) until the first closes;
 * the controls may be called from many threads at once, and exactly one start wins.
 */
class ServingSessionOwnershipTest {
    @TempDir
    Path dir;
    Path model;
    Path ticks;

    @BeforeEach
    void setUp() throws Exception {
        model = dir.resolve("m.safetensors");
        try (NativeCpuBackend backend = NativeCpuBackend.create();
             Network net = Network.builder(32).dense(16).relu().dense(1).sigmoid().build(backend, 1, 3)) {
            Checkpoint.save(net, model, Map.of(FeatureSpec.METADATA_KEY, ServingPipelineTest.SPEC.toJson()));
        }
        ticks = dir.resolve("ticks");
        double[] prices = TestTicks.prices(200, 8);
        try (ChronicleTickWriter writer = ChronicleTickWriter.open(ticks)) {
            Tick tick = TestTicks.scratch();
            for (int i = 0; i < prices.length; i++) {
                writer.onTick(TestTicks.trade(tick, i, prices[i], 1));
            }
        }
    }

    private ServingSession.Builder builder(String predictions) {
        return ServingSession.builder().model(model).ticks(ticks).predictions(dir.resolve(predictions))
            .errors(System.out);
    }

    @Test
    void shouldRefuseOnlineLearningOnABackendThatServesOneThreadAtATime() {
        // the inference and trainer threads would share the reference backend's scratch buffers
        try (io.tickgrad.nn.reference.ReferenceBackend reference = new io.tickgrad.nn.reference.ReferenceBackend()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> builder("p-ref").backend(reference).online(io.tickgrad.online.OnlineConfig.defaults()).open());
            assertTrue(e.getMessage().contains("backend " + reference.name() + " serves one thread at a time"),
                e.getMessage());
            try (ServingSession frozen = builder("p-ref").backend(reference).open()) {   // without learning: served
                frozen.start();
                frozen.stop();
            }
        }
    }

    @Test
    void shouldRefuseASecondSessionOfTheSameOutputsInOneProcess() {
        try (ServingSession first = builder("p").open()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> builder("p").open());
            assertTrue(e.getMessage().contains(dir.resolve("p").toString())
                && e.getMessage().contains("another session of this process"), e.getMessage());
            assertEquals(Long.MIN_VALUE, first.lastPredictedAtOpen());
        }
        try (ServingSession again = builder("p").open()) {   // closed: the output is free again
            assertTrue(again.predictions() >= 0);
        }

        Path checkpoints = dir.resolve("checkpoints");
        OnlineConfig online = OnlineConfig.defaults();
        try (ServingSession first = builder("p1").online(online).checkpoints(checkpoints, 2, 0).open()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> builder("p2").online(online).checkpoints(checkpoints, 2, 0).open());
            assertTrue(e.getMessage().contains("checkpoints directory " + checkpoints), e.getMessage());
            // the refused session let go of what it had taken: p2 is free
            try (ServingSession other = builder("p2").open()) {
                assertTrue(other.predictions() >= 0 && first.predictions() >= 0);
            }
        }
    }

    @Test
    void shouldStartOnceWhenManyThreadsStartAndCloseFromAnyThread() throws Exception {
        ServingSession session = builder("p").open();
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        List<String> refused = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    session.start();
                    started.incrementAndGet();
                } catch (IllegalStateException e) {
                    refused.add(e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            threads.add(t);
            t.start();
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(1, started.get());
        assertEquals(7, refused.size());
        assertTrue(refused.stream().allMatch(m -> m.contains("already started")), refused.toString());
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (session.predictions() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(session.predictions() > 0, "the one started session serves");
        Thread closer = new Thread(session::close);
        closer.start();
        closer.join();
        session.close();   // idempotent, from another thread than the closer
        assertThrows(IllegalStateException.class, session::start);
        try (ServingSession again = builder("p").open()) {
            assertTrue(again.lastPredictedAtOpen() >= 0, "the first session's predictions are in the queue");
        }
    }
}
