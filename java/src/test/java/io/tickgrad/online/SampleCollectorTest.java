package io.tickgrad.online;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.market.LabelSpec;
import io.tickgrad.market.TestTicks;
import io.tickgrad.tensor.Slab;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The collector through its {@link SampleSink} alone, with no ring buffer: each served sample reaches the sink once
 * its label matures, with its tick, resume index, exchange time, label and values; dead-zone moves never do; a sink
 * that refuses a sample makes the collector drop and count it and go on, without allocating.
 */
class SampleCollectorTest {
    private static final int WIDTH = 3;
    private static final int HORIZON = 5;
    private static final LabelSpec LABEL = LabelSpec.ticks(HORIZON, 1);

    private record Taken(long sequence, long resumeIndex, long exchangeTimeNs, int label, int length, float[] values) {
    }

    /** What a sink kept of one sample (the flyweight is valid only during the call). */
    private static Taken copy(MaturedSample s) {
        float[] v = new float[s.width()];
        for (int i = 0; i < v.length; i++) {
            v[i] = s.buffer().getFloat(s.valuesOffset() + i * Float.BYTES);
        }
        return new Taken(s.tickSequence(), s.resumeIndex(), s.exchangeTimeNs(), s.label(), s.length(), v);
    }

    /** Serves tick i: its values are {i, i + 0.5, -i}, its resume index 100 + i, its exchange time i ms. */
    private static void serve(SampleCollector collector, Slab values, double[] prices, int from, int to) {
        UnsafeBuffer b = values.buffer();
        for (int i = from; i < to; i++) {
            collector.onValidTick(i * 1_000_000L, prices[i]);
            b.putFloat(0, i);
            b.putFloat(Float.BYTES, i + 0.5f);
            b.putFloat(2 * Float.BYTES, -i);
            collector.onPrediction(i, 100 + i, i * 1_000_000L, prices[i], values.address());
        }
    }

    @Test
    void shouldHandEachMaturedSampleToTheSinkWithItsLabelAndValues() {
        double[] prices = TestTicks.prices(300, 21);
        List<Taken> taken = new ArrayList<>();
        try (Slab values = Slab.ofFloats("values", WIDTH);
             SampleCollector collector = new SampleCollector(LABEL, WIDTH, HORIZON + 1, s -> taken.add(copy(s)))) {
            serve(collector, values, prices, 0, prices.length);
            int k = 0;
            long deadZone = 0;
            for (int i = 0; i + HORIZON < prices.length; i++) {
                int label = LABEL.label(prices[i], prices[i + HORIZON]);
                if (label < 0) {
                    deadZone++;
                    continue;
                }
                Taken t = taken.get(k++);
                assertEquals(i, t.sequence());
                assertEquals(100 + i, t.resumeIndex());
                assertEquals(i * 1_000_000L, t.exchangeTimeNs());
                assertEquals(label, t.label(), "label of tick " + i);
                assertEquals(MaturedSample.length(WIDTH), t.length());
                assertArrayEquals(new float[] {i, i + 0.5f, -i}, t.values(), "values of tick " + i);
            }
            assertEquals(k, taken.size(), "no sample beyond the matured ones");
            assertEquals(taken.size(), collector.sent());
            assertEquals(deadZone, collector.deadZone());
            assertTrue(deadZone > 0 && taken.size() > 200, "the series exercises both: " + deadZone + " dead-zone, "
                + taken.size() + " sent");
            assertEquals(HORIZON, collector.pending(), "the last horizon's samples still wait for their label");
        }
    }

    @Test
    void shouldDropAndCountWhatTheSinkRefusesAndAllocateNothing() {
        double[] prices = TestTicks.prices(20_000, 22);
        long[] offered = {0};
        long[] kept = {0};
        try (Slab values = Slab.ofFloats("values", WIDTH);
             SampleCollector collector = new SampleCollector(LABEL, WIDTH, HORIZON + 1, s -> {
                 offered[0]++;
                 if ((offered[0] & 1) == 0) {
                     return false;   // a full channel: every other sample is refused
                 }
                 kept[0]++;
                 return true;
             })) {
            serve(collector, values, prices, 0, 1_000);
            int[] at = {1_000};
            long allocated = TestTicks.minAllocatedBytes(() -> {
                serve(collector, values, prices, at[0], at[0] + 1_000);
                at[0] += 1_000;
            }, 5);
            assertEquals(0, allocated, "collecting 1000 samples allocated bytes");
            assertEquals(kept[0], collector.sent());
            assertEquals(offered[0] - kept[0], collector.droppedRingFull());
            assertTrue(collector.droppedRingFull() > 0);
            assertEquals(offered[0] + collector.deadZone(), at[0] - HORIZON, "every matured sample was offered once");
        }
    }
}
