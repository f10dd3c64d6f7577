package io.tickgrad.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.market.Prediction;
import io.tickgrad.market.PredictionDescriptor;
import io.tickgrad.market.Tick;
import io.tickgrad.market.TestTicks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChronicleQueueTest {
    @TempDir
    Path dir;

    @Test
    void shouldReadBackEveryTickAsWritten() {
        Tick tick = TestTicks.scratch();
        List<String> written = new ArrayList<>();
        try (ChronicleTickWriter writer = ChronicleTickWriter.open(dir.resolve("ticks"))) {
            assertEquals(0, writer.nextSequence());
            for (int i = 0; i < 100; i++) {
                TestTicks.trade(tick, i, 100 + i, i);
                if (i % 2 == 0) {
                    tick.bid(99 + i).ask(101 + i);
                }
                written.add(tick.toString());
                writer.onTick(tick);
            }
            assertEquals(100, writer.nextSequence());
        }
        List<String> read = new ArrayList<>();
        try (ChronicleTickSource source = ChronicleTickSource.open(dir.resolve("ticks"))) {
            while (source.poll(t -> read.add(t.toString()), 7) > 0) {
                // drain
            }
            assertEquals(0, source.poll(t -> read.add("more"), 7));
        }
        assertEquals(written, read);
    }

    @Test
    void rewindReadsTheQueueAgainFromItsFirstTick() {
        Tick tick = TestTicks.scratch();
        List<String> written = new ArrayList<>();
        try (ChronicleTickWriter writer = ChronicleTickWriter.open(dir.resolve("ticks"))) {
            for (int i = 0; i < 50; i++) {
                TestTicks.trade(tick, i, 100 + i, i);
                written.add(tick.toString());
                writer.onTick(tick);
            }
        }
        try (ChronicleTickSource source = ChronicleTickSource.open(dir.resolve("ticks"))) {
            List<String> first = new ArrayList<>();
            assertEquals(20, source.poll(t -> first.add(t.toString()), 20));
            assertEquals(written.subList(0, 20), first);
            List<String> again = new ArrayList<>();
            assertTrue(source.rewind() == source);
            while (source.poll(t -> again.add(t.toString()), 7) > 0) {
                // drain
            }
            assertEquals(written, again);
            assertEquals(0, source.foreignDocuments());
        }
    }

    @Test
    void shouldReadPredictionsInPlace() {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[PredictionDescriptor.LENGTH]);
        Prediction p = new Prediction().wrap(buffer, 0);
        try (ChroniclePredictionWriter writer = ChroniclePredictionWriter.open(dir.resolve("p"));
             ChroniclePredictionSource source = ChroniclePredictionSource.open(dir.resolve("p"))) {
            for (int i = 0; i < 10; i++) {
                writer.onPrediction(p.tickSequence(i).modelVersion(42).outputCount(1).output(0, i / 10f));
            }
            List<Float> outs = new ArrayList<>();
            assertEquals(10, source.poll(q -> outs.add(q.output(0) + q.tickSequence() + q.modelVersion()), 100));
            assertEquals(42f + 9 + 0.9f, outs.get(9), 1e-6);
        }
    }

    /**
     * Appending and tailing a tick, through the mapped files, allocates nothing per message after warm-up. Chronicle's
     * own housekeeping may allocate a few bytes now and then (seen: 0 to 56 bytes in 10,000 messages), far below
     * the 16 bytes per message that the smallest per-message object would cost.
     */
    @Test
    void shouldAllocateNothingPerMessageAfterWarmUp() {
        Tick tick = TestTicks.scratch();
        double[] sum = new double[1];
        try (ChronicleTickWriter writer = ChronicleTickWriter.open(dir.resolve("alloc"));
             ChronicleTickSource source = ChronicleTickSource.open(dir.resolve("alloc"))) {
            io.tickgrad.market.TickHandler handler = t -> sum[0] += t.price();
            for (int i = 0; i < 20_000; i++) {
                writer.onTick(TestTicks.trade(tick, i, 100, 1));
                source.poll(handler, 1);
            }
            int[] seq = {20_000};
            long allocated = TestTicks.minAllocatedBytes(() -> {
                for (int i = 0; i < 10_000; i++, seq[0]++) {
                    writer.onTick(TestTicks.trade(tick, seq[0], 100, 1));
                    source.poll(handler, 1);
                }
            }, 5);
            assertTrue(allocated < 1_000, "bytes allocated over 10,000 append+read: " + allocated);
            assertEquals(100.0 * seq[0], sum[0]);
        }
    }
}
