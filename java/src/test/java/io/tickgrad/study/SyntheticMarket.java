package io.tickgrad.study;

import io.tickgrad.market.Tick;
import io.tickgrad.market.TickDescriptor;
import io.tickgrad.market.TickHandler;
import io.tickgrad.market.TickSource;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Synthetic daily price series with a known, instrument-free signal: the next return's mean depends on the last
 * return in units of the instrument's own volatility, nonlinearly (continuation after a small move, reversal after
 * a large one), at any volatility level. {@code strength} 0 gives a random walk.
 */
final class SyntheticMarket {
    private SyntheticMarket() {
    }

    static double[] prices(int n, long seed, double sigma, double strength) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] p = new double[n];
        double x = 50 + 100 * r.nextDouble();
        double z = 0;
        for (int i = 0; i < n; i++) {
            double drift = strength * (Math.abs(z) < 1 ? z : -Math.signum(z));
            double e = gaussian(r);
            z = drift + e;
            x *= Math.exp(sigma * z);
            p[i] = x;
        }
        return p;
    }

    private static double gaussian(SplittableRandom r) {
        double u = Math.max(1e-12, r.nextDouble());
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /** The prices as price-only ticks, one a day. */
    static TickSource source(double[] prices) {
        return new TickSource() {
            private final Tick tick = new Tick().wrap(new UnsafeBuffer(new byte[TickDescriptor.LENGTH]), 0);
            private int next;

            @Override
            public int poll(TickHandler handler, int limit) {
                int n = 0;
                while (n < limit && next < prices.length) {
                    tick.priceOnly(next, 1, 86_400_000_000_000L * (10_000 + next), 0, prices[next]);
                    handler.onTick(tick);
                    next++;
                    n++;
                }
                return n;
            }
        };
    }
}
