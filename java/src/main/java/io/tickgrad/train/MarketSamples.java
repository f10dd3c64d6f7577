package io.tickgrad.train;

import io.tickgrad.market.FeatureSpec;
import io.tickgrad.market.HorizonLabeler;
import io.tickgrad.market.LabelSpec;
import io.tickgrad.market.OnlineFeatures;
import io.tickgrad.market.TickHandler;
import io.tickgrad.market.TickSource;
import java.util.Arrays;

/**
 * Labelled samples from recorded ticks, for offline training: every {@code stride}-th valid tick of [fromNs, toNs)
 * (once the features are warm) gives the feature vector of {@code spec} and, when its horizon matures inside the
 * span, the label of {@code label} as the one target column: the class (1/0) of a direction or large-move label,
 * or the real value of a regression target ({@link LabelSpec.Target#realValued()}). Samples without a label (dead
 * zone, horizon past the span, no volatility history yet) are dropped. Ticks with a non-positive or infinite price,
 * or going back in time, are skipped. Deterministic.
 */
public final class MarketSamples {
    private MarketSamples() {
    }

    /**
     * Reads {@code source} to its end or to {@code toNs} and returns the labelled samples in time order.
     *
     * @param spec   the features of each sample
     * @param label  the label (target) of each sample
     * @param source the recorded ticks, read on the caller's thread
     * @param fromNs first tick time to sample, epoch nanoseconds, inclusive
     * @param toNs   end of the span, epoch nanoseconds, exclusive
     * @param stride take every stride-th valid tick, at least 1
     * @return the samples, one target column
     * @throws IllegalArgumentException when stride is below 1
     */
    public static Dataset of(FeatureSpec spec, LabelSpec label, TickSource source, long fromNs, long toNs, int stride) {
        if (stride < 1) {
            throw new IllegalArgumentException("samples: stride must be >= 1, got " + stride);
        }
        OnlineFeatures features = new OnlineFeatures(spec);
        HorizonLabeler labeler = new HorizonLabeler(label);
        int width = features.width();
        float[][] x = {new float[width * 256]};
        float[][] y = {new float[256]};
        int[] n = {0};
        long[] valid = {0};
        long[] lastTime = {Long.MIN_VALUE};
        boolean[] done = {false};
        HorizonLabeler.Outcome outcome = new HorizonLabeler.Outcome() {
            @Override
            public void onOutcome(int row, int l, double r) {
                y[0][row] = l < 0 ? Float.NaN : l;
            }

            @Override
            public void onOutcome(int row, int l, double r, double target) {
                y[0][row] = (float) target;
            }
        };
        TickHandler handler = tick -> {
            long t = tick.exchangeTimeNs();
            if (done[0] || t >= toNs) {
                done[0] = true;
                return;
            }
            double p = tick.price();
            if (!(p > 0) || Double.isInfinite(p) || t < lastTime[0]) {
                return;
            }
            lastTime[0] = t;
            features.onTick(tick);
            labeler.onTick(t, p, outcome);
            if (t >= fromNs && features.ready() && valid[0]++ % stride == 0) {
                if ((n[0] + 1) * width > x[0].length) {
                    x[0] = Arrays.copyOf(x[0], x[0].length * 2);
                    y[0] = Arrays.copyOf(y[0], y[0].length * 2);
                }
                features.write(x[0], n[0] * width);
                y[0][n[0]] = Float.NaN;   // until its label matures
                labeler.decide(n[0], t, p);
                n[0]++;
            }
        };
        while (!done[0] && source.poll(handler, 4096) > 0) {
            // to the end of the span
        }
        int kept = 0;
        for (int i = 0; i < n[0]; i++) {
            if (Float.isFinite(y[0][i])) {
                System.arraycopy(x[0], i * width, x[0], kept * width, width);
                y[0][kept] = y[0][i];
                kept++;
            }
        }
        return new Dataset(Arrays.copyOf(x[0], kept * width), Arrays.copyOf(y[0], kept), kept, width, 1);
    }
}
