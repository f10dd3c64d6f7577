package io.tickgrad.market;

import org.agrona.concurrent.UnsafeBuffer;

/** Deterministic synthetic trade streams for the tests. */
public final class TestTicks {
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

    private TestTicks() {
    }

    /** A random-walk price series of n trades, one every 250 ms, from a seed. */
    public static double[] prices(int n, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        double[] p = new double[n];
        double x = 100;
        for (int i = 0; i < n; i++) {
            x *= Math.exp((r.nextDouble() - 0.5) * 0.002);
            p[i] = x;
        }
        return p;
    }

    /** Writes trade i of the series into {@code tick} (its buffer). */
    public static Tick trade(Tick tick, int i, double price, double size) {
        return tick.trade(i, 7, 1_000_000_000_000L + i * 250_000_000L, 0, price, size);
    }

    /** A scratch tick over its own buffer. */
    public static Tick scratch() {
        return new Tick().wrap(new UnsafeBuffer(new byte[TickDescriptor.LENGTH]), 0);
    }

    /**
     * The fewest bytes the current thread allocated running {@code work} in any of {@code rounds} rounds: a JIT
     * recompilation or a one-off lazy initialisation in one round does not fail a zero-allocation check, a
     * per-message allocation shows in every round.
     */
    public static long minAllocatedBytes(Runnable work, int rounds) {
        long min = Long.MAX_VALUE;
        for (int r = 0; r < rounds && min > 0; r++) {
            long before = allocatedBytes();
            work.run();
            min = Math.min(min, allocatedBytes() - before);
        }
        return min;
    }

    /** Allocated bytes of the current thread (HotSpot's per-thread counter). */
    public static long allocatedBytes() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }
}
