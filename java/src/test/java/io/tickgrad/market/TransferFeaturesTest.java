package io.tickgrad.market;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TransferFeaturesTest {
    private static final TransferFeatures ALL = new TransferFeatures(new int[] {1, 3}, 2, 8, true, true, true, true);

    @Test
    void oldSpecsKeepTheirJsonAndWidth() {
        FeatureSpec old = new FeatureSpec(64, 32, new int[] {1, 4}, 16, 16, true, true, null, LabelSpec.ticks(5, 1), 0,
            0, true);
        assertFalse(old.toJson().contains("transfer"), "no new key in a spec without transfer features");
        FeatureSpec back = FeatureSpec.fromJson(old.toJson(), "old");
        assertNull(back.transfer());
        assertEquals(old.width(), back.width());
        assertEquals(old, back);
    }

    @Test
    void roundTripsThroughJson() {
        FeatureSpec spec = FeatureSpec.transfer(ALL, LabelSpec.ticks(1, 0));
        FeatureSpec back = FeatureSpec.fromJson(spec.toJson(), "x");
        assertEquals(ALL, back.transfer());
        assertEquals(2 + 1 + 2 + 1 + 1 + 2, back.width());
        assertEquals(9, back.warmupTicks(), "the slow half-life plus one");
    }

    @Test
    void refusesBadHalfLivesAndLags() {
        assertThrows(IllegalArgumentException.class, () -> new TransferFeatures(new int[] {1}, 5, 5, false, false, false, false));
        assertThrows(IllegalArgumentException.class, () -> new TransferFeatures(new int[] {0}, 1, 5, false, false, false, false));
    }

    /** The point of the features: an instrument at another price level and volatility gives the same vector. */
    @Test
    void sameVectorAtAnyPriceLevelAndVolatility() {
        double[] p = TestTicks.prices(200, 3);
        float[] a = run(p, 1, 1);
        float[] b = run(p, 1000, 3);
        assertEquals(a.length, b.length);
        for (int i = 0; i < a.length; i++) {
            if (i == 5) {
                continue;   // the volume column: sizes differ by design below
            }
            assertEquals(a[i], b[i], 2e-4, "column " + i);
        }
    }

    @Test
    void scaledReturnIsTheMoveOverSlowVolatility() {
        double[] p = TestTicks.prices(50, 9);
        float[] v = run(p, 1, 1);
        double lambda = Math.pow(0.5, 1.0 / 8);
        double var = 0;
        for (int i = 1; i < p.length; i++) {
            double r = Math.log(p[i] / p[i - 1]);
            var = i == 1 ? r * r : lambda * var + (1 - lambda) * r * r;
        }
        double expected = Math.log(p[49] / p[46]) / (Math.sqrt(var) * Math.sqrt(3));
        assertEquals(expected, v[1], 1e-4);
        double angle = 2 * Math.PI * ((1_000_000_000_000L + 49 * 250_000_000L) % 86_400_000_000_000L) / 86_400e9;
        assertArrayEquals(new float[] {(float) Math.sin(angle), (float) Math.cos(angle)},
            new float[] {v[7], v[8]}, 1e-5f);
        assertEquals(0f, v[6], "no quote, no spread");
    }

    @Test
    void spreadIsTheRelativeSpreadOverSlowVolatility() {
        OnlineFeatures f = new OnlineFeatures(FeatureSpec.transfer(ALL, null));
        Tick t = TestTicks.scratch();
        double[] mids = TestTicks.prices(40, 4);
        double var = 0;
        double lambda = Math.pow(0.5, 1.0 / 8);
        for (int i = 0; i < mids.length; i++) {
            double half = mids[i] * 1e-4 * (1 + i % 3);
            t.quote(i, 7, 1_000_000_000_000L + i * 250_000_000L, 0, mids[i] - half, mids[i] + half, 5, 3);
            f.onTick(t);
            if (i > 0) {
                double r = Math.log(t.price() / previousMid);
                var = i == 1 ? r * r : lambda * var + (1 - lambda) * r * r;
            }
            previousMid = t.price();
        }
        float[] v = new float[f.width()];
        f.write(v, 0);
        double last = mids[39];
        double rel = 2 * last * 1e-4 * (1 + 39 % 3) / last;
        assertEquals(rel / Math.sqrt(var), v[6], 1e-3 * Math.max(1, rel / Math.sqrt(var)));
    }

    private double previousMid;

    @Test
    void allocatesNothingPerTickAfterWarmUp() {
        FeatureSpec spec = FeatureSpec.transfer(ALL, null);
        float[] ones = new float[spec.width()];
        java.util.Arrays.fill(ones, 2f);
        OnlineFeatures f = new OnlineFeatures(spec.withNormalisation(
            new io.tickgrad.model.FeatureNormalisation(new float[spec.width()], ones), 0, 0));
        double[] p = TestTicks.prices(20_000, 5);
        Tick t = TestTicks.scratch();
        float[] v = new float[f.width()];
        int[] at = {0};
        Runnable ticks = () -> {
            for (int n = 0; n < 5_000; n++, at[0]++) {
                f.onTick(TestTicks.trade(t, at[0], p[at[0]], 1 + at[0] % 5));
                if (f.ready()) {
                    f.write(v, 0);
                }
            }
        };
        ticks.run();
        assertEquals(0, TestTicks.minAllocatedBytes(ticks, 3), "bytes allocated over 5,000 ticks");
    }

    /** Features after the last of {@code prices}, rescaled: log returns times {@code volScale}, level times {@code level}. */
    private static float[] run(double[] prices, double level, double volScale) {
        OnlineFeatures f = new OnlineFeatures(FeatureSpec.transfer(ALL, null));
        Tick t = TestTicks.scratch();
        double x = prices[0] * level;
        for (int i = 0; i < prices.length; i++) {
            if (i > 0) {
                x *= Math.exp(Math.log(prices[i] / prices[i - 1]) * volScale);
            }
            f.onTick(TestTicks.trade(t, i, x, 1 + (i % 7) * level));
        }
        float[] v = new float[f.width()];
        f.write(v, 0);
        return v;
    }
}
