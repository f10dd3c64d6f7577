package io.tickgrad.market;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.model.FeatureNormalisation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class OnlineFeaturesTest {
    private static final FeatureSpec ALL = new FeatureSpec(64, 32, new int[] {1, 5, 20}, 10, 16, true, true, null,
        LabelSpec.ticks(10, 1), 0, 0);

    @Test
    void shouldMatchTheChartWindowOfTheLastPrices() {
        double[] prices = TestTicks.prices(500, 1);
        OnlineFeatures f = new OnlineFeatures(FeatureSpec.chart(400, LabelSpec.ticks(100, 5)));
        Tick tick = TestTicks.scratch();
        float[] got = new float[400];
        float[] want = new float[400];
        for (int i = 0; i < prices.length; i++) {
            f.onTick(TestTicks.trade(tick, i, prices[i], 1));
            assertEquals(i >= 399, f.ready());
            if (f.ready() && i % 37 == 0) {
                f.write(got, 0);
                ChartWindow.resampleNormalized(prices, i - 399, 400, 400, want, 0);
                assertArrayEquals(want, got, "tick " + i);
            }
        }
    }

    @Test
    void shouldComputeReturnsVolatilityAndImbalance() {
        FeatureSpec spec = new FeatureSpec(0, 0, new int[] {1, 2}, 1, 3, true, false, null, null, 0, 0);
        OnlineFeatures f = new OnlineFeatures(spec);
        Tick tick = TestTicks.scratch();
        f.onTick(TestTicks.trade(tick, 0, 100, 1));
        f.onTick(TestTicks.trade(tick, 1, 101, 2));   // up: buy 2
        f.onTick(TestTicks.trade(tick, 2, 100, 4));   // down: sell 4
        float[] v = new float[spec.width()];
        f.write(v, 0);
        assertEquals(Math.log(100.0 / 101) * 1e4, v[0], 1e-3);
        assertEquals(0, v[1], 1e-4);
        assertTrue(v[2] > 0, "volatility");
        assertEquals((1 + 2 - 4) / 7.0, v[3], 1e-6);    // tick rule: first trade counts as a buy
        assertEquals(0.25, v[4], 1e-6);                 // seconds since the last tick
    }

    /** Changing every tick after t must not change the vector written at t. */
    @Test
    void shouldNeverSeeTheFuture() {
        double[] a = TestTicks.prices(300, 2);
        double[] b = a.clone();
        int t = 150;
        for (int i = t + 1; i < b.length; i++) {
            b[i] = b[i] * 1.5;
        }
        assertArrayEquals(vectorsUpTo(a, t), vectorsUpTo(b, t));
        assertFalse(Arrays.equals(vectorsUpTo(a, 299), vectorsUpTo(b, 299)));
    }

    private static float[] vectorsUpTo(double[] prices, int t) {
        OnlineFeatures f = new OnlineFeatures(ALL);
        Tick tick = TestTicks.scratch();
        float[] v = new float[ALL.width()];
        // stream the whole series, keep the vector written right after tick t
        float[] kept = null;
        for (int i = 0; i < prices.length; i++) {
            f.onTick(TestTicks.trade(tick, i, prices[i], 1 + i % 3).bid(prices[i] * 0.999).ask(prices[i] * 1.001)
                .bidSize(2).askSize(1));
            if (i == t) {
                f.write(v, 0);
                kept = v.clone();
            }
        }
        return kept;
    }

    @Test
    void shouldMatureLabelsOnlyAfterTheHorizon() {
        HorizonLabeler labeler = new HorizonLabeler(LabelSpec.ticks(3, 10));
        List<String> out = new ArrayList<>();
        double[] prices = {100, 100, 100, 101, 100.05, 100, 100};
        for (int i = 0; i < prices.length; i++) {
            labeler.onTick(i, prices[i], (row, label, ret) -> out.add(row + ":" + label));
            if (i < 3) {
                labeler.decide(i, i, prices[i]);
                assertTrue(out.isEmpty(), "no label before its horizon");
            }
        }
        // row 0: 100 -> 101 up; row 1: 100 -> 100.05 inside 10 bps; row 2: 100 -> 100 inside
        assertEquals(List.of("0:1", "1:-1", "2:-1"), out);
        LabelSpec byTime = LabelSpec.time(1_000, 0);
        assertEquals(0, byTime.label(100, 99));
    }

    @Test
    void shouldMatureTimeHorizonsAtTheFirstTickAtOrAfterThem() {
        HorizonLabeler labeler = new HorizonLabeler(LabelSpec.time(1_000, 0));
        List<String> out = new ArrayList<>();
        HorizonLabeler.Outcome sink = (row, label, ret) -> out.add(row + ":" + label + ":" + Math.round(ret * 1e4));
        labeler.onTick(0, 100, sink);
        labeler.decide(0, 0, 100);
        labeler.onTick(999, 110, sink);
        assertTrue(out.isEmpty(), "999 ns is before the 1,000 ns horizon");
        labeler.onTick(1_500, 99, sink);
        assertEquals(List.of("0:0:-100"), out);
        assertEquals(0, labeler.pending());
    }

    @Test
    void shouldMatureEveryDecisionOnceAcrossCompactionAndGrowthAllocatingNothingOnceSized() {
        for (int horizon : new int[] {5, 3_000}) {   // 5 pending: compacted in place; 3,000: grown past 1,024
            HorizonLabeler labeler = new HorizonLabeler(LabelSpec.ticks(horizon, 0));
            long[] next = {0};
            HorizonLabeler.Outcome check = (row, label, ret) -> {
                assertEquals(next[0]++, row, "decisions mature once each, in order");
                assertEquals(ret > 0 ? 1 : 0, label);
            };
            int ticks = 20_000;
            for (int i = 0; i < ticks; i++) {
                labeler.onTick(i, 100 + (i * 7919 % 13), check);
                labeler.decide(i, i, 100 + (i * 7919 % 13));
                assertEquals(Math.min(i + 1, horizon), labeler.pending());
            }
            assertEquals(ticks - horizon, next[0]);
            int[] at = {ticks};
            long allocated = TestTicks.minAllocatedBytes(() -> {
                for (int i = 0; i < 3_000; i++, at[0]++) {
                    labeler.onTick(at[0], 100 + (at[0] * 7919 % 13), check);
                    labeler.decide(at[0], at[0], 100 + (at[0] * 7919 % 13));
                }
            }, 3);
            assertEquals(0, allocated, "bytes allocated over 3,000 ticks, horizon " + horizon);
        }
    }

    @Test
    void shouldRoundTripTheSpecThroughJson() {
        FeatureSpec fitted = ALL.withNormalisation(new FeatureNormalisation(new float[ALL.width()],
            filled(ALL.width(), 2f)), 5, 6);
        FeatureSpec back = FeatureSpec.fromJson(fitted.toJson(), "m.safetensors");
        assertEquals(fitted, back);
        assertEquals(ALL.width(), back.width());
        assertEquals(5, back.trainFromNs());
    }

    @Test
    void shouldAllocateNothingPerTickAfterWarmUp() {
        OnlineFeatures f = new OnlineFeatures(ALL.withNormalisation(new FeatureNormalisation(new float[ALL.width()],
            filled(ALL.width(), 2f)), 0, 0));
        double[] prices = TestTicks.prices(20_000, 3);
        Tick tick = TestTicks.scratch();
        UnsafeBuffer out = new UnsafeBuffer(new byte[ALL.width() * 4]);
        run(f, prices, tick, out, 0, 10_000);
        long allocated = TestTicks.minAllocatedBytes(() -> run(f, prices, tick, out, 10_000, 20_000), 5);
        assertEquals(0, allocated, "bytes allocated over 10,000 ticks");
    }

    private static void run(OnlineFeatures f, double[] prices, Tick tick, UnsafeBuffer out, int from, int to) {
        for (int i = from; i < to; i++) {
            f.onTick(TestTicks.trade(tick, i, prices[i], 1));
            if (f.ready()) {
                f.write(out, 0);
            }
        }
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }
}
