package io.tickgrad.market;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FeatureFittingTest {
    @Test
    void shouldStandardiseScalarColumnsOnTheTrainingSpanOnly() {
        FeatureSpec spec = new FeatureSpec(16, 8, new int[] {1, 4}, 5, 8, true, false, null, LabelSpec.ticks(5, 0),
            0, 0);
        double[] prices = TestTicks.prices(3_000, 4);
        long splitNs = 1_000_000_000_000L + 2_000 * 250_000_000L;
        FeatureSpec fitted = FeatureFitting.fit(spec, source(prices), 0, splitNs);
        assertEquals(splitNs, fitted.trainToNs());
        float[] mean = fitted.normalisation().mean();
        float[] scale = fitted.normalisation().scale();
        for (int i = 0; i < 8; i++) {
            assertEquals(0f, mean[i]);
            assertEquals(1f, scale[i]);
        }
        // over the training span, normalised scalar columns have mean ~0 and sd ~1
        OnlineFeatures f = new OnlineFeatures(fitted);
        Tick tick = TestTicks.scratch();
        float[] v = new float[fitted.width()];
        double[] sum = new double[v.length];
        double[] sq = new double[v.length];
        int n = 0;
        for (int i = 0; i < 2_000; i++) {
            f.onTick(TestTicks.trade(tick, i, prices[i], 1 + i % 5));
            if (f.ready()) {
                f.write(v, 0);
                for (int c = 8; c < v.length; c++) {
                    sum[c] += v[c];
                    sq[c] += v[c] * (double) v[c];
                }
                n++;
            }
        }
        for (int c = 8; c < v.length; c++) {
            double m = sum[c] / n;
            assertEquals(0, m, 1e-3, "column " + c);
            double sd = Math.sqrt(sq[c] / n - m * m);
            assertEquals(c == v.length - 1 ? 0 : 1, sd, 1e-3, "column " + c);   // time since last: constant
        }
    }

    private static TickSource source(double[] prices) {
        Tick tick = TestTicks.scratch();
        int[] next = {0};
        return (handler, limit) -> {
            int k = 0;
            while (k < limit && next[0] < prices.length) {
                handler.onTick(TestTicks.trade(tick, next[0], prices[next[0]], 1 + next[0] % 5));
                next[0]++;
                k++;
            }
            return k;
        };
    }
}
