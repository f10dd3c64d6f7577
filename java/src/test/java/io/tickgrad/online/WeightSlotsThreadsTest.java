package io.tickgrad.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.nn.Network;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import io.tickgrad.tensor.ParamCopy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The documented misuse of {@link WeightSlots}: one publisher thread and one reader thread. A publication from a
 * second thread, and a second thread taking up a new revision, get an {@link IllegalStateException} naming both
 * threads; the owner goes on unharmed. (WeightSlotsConcurrencyTest holds the contract under correct use: no torn
 * weights.)
 */
class WeightSlotsThreadsTest {
    private static final int THREADS = 8;
    private static NativeCpuBackend backend;

    @BeforeAll
    static void open() {
        backend = NativeCpuBackend.create();
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    private static Network network() {
        return Network.builder(4).dense(8).tanh().dense(1).build(backend, 1, 3);
    }

    @Test
    void shouldLetOnlyOneOfManyRacingThreadsPublish() throws Exception {
        try (Network a = network(); Network b = network(); Network source = network();
             WeightSlots slots = WeightSlots.of(a, b, 1, 0)) {
            ParamCopy copy = ParamCopy.trainable(source.parameters(), a.parameters());
            CountDownLatch go = new CountDownLatch(1);
            AtomicInteger owners = new AtomicInteger();
            List<String> refusals = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                Thread t = new Thread(() -> {
                    try {
                        go.await();
                        for (int k = 0; k < 100; k++) {
                            slots.tryPublish(copy, source.parameterSlab());
                        }
                        owners.incrementAndGet();
                    } catch (IllegalStateException e) {
                        refusals.add(e.getMessage());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "publisher-" + i);
                threads.add(t);
                t.start();
            }
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(1, owners.get(), "exactly one thread publishes");
            assertEquals(THREADS - 1, refusals.size());
            for (String m : refusals) {
                assertTrue(m.contains("one publisher thread only") && m.contains("publisher-"), m);
            }
            assertEquals(1, slots.publishedRevision(), "the owner published once; the reader has taken up nothing");
        }
    }

    @Test
    void shouldRefuseASecondReaderThreadWhenItTakesUpANewRevision() throws Exception {
        try (Network a = network(); Network b = network(); Network source = network();
             WeightSlots slots = WeightSlots.of(a, b, 1, 0)) {
            ParamCopy copy = ParamCopy.trainable(source.parameters(), a.parameters());
            assertTrue(slots.tryPublish(copy, source.parameterSlab()));   // revision 1, by this thread
            AtomicReference<Network> first = new AtomicReference<>();
            Thread reader = new Thread(() -> first.set(slots.acquire()), "reader-one");
            reader.start();
            reader.join();
            assertSame(slots.slot(1), first.get(), "the first reader took up revision 1");
            assertTrue(slots.tryPublish(copy, source.parameterSlab()));   // revision 2
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread second = new Thread(() -> {
                try {
                    slots.acquire();
                } catch (Throwable t) {
                    thrown.set(t);
                }
            }, "reader-two");
            second.start();
            second.join();
            assertTrue(thrown.get() instanceof IllegalStateException, String.valueOf(thrown.get()));
            assertTrue(thrown.get().getMessage().contains("reader-two") && thrown.get().getMessage()
                .contains("reader-one"), thrown.get().getMessage());
            assertEquals(1, slots.acquiredRevision(), "the refused reader took nothing up");
        }
    }
}
