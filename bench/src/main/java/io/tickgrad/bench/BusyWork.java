package io.tickgrad.bench;

import org.openjdk.jmh.infra.Blackhole;

/**
 * Busy work ({@code Blackhole.consumeCPU}) calibrated to the mean length of a call: timed beside the call, its
 * latency percentiles are what the machine itself adds to code that short (PredictBench's {@code platform},
 * PredictLatencyBench's platform rows).
 */
final class BusyWork {
    private BusyWork() {
    }

    /** consumeCPU tokens whose mean length matches {@code callNs}. */
    static long tokensFor(double callNs) {
        double nsPerToken = meanNanos(() -> Blackhole.consumeCPU(1000), 20_000) / 1000;
        return Math.max(1, Math.round(callNs / nsPerToken));
    }

    /** Mean nanoseconds of one call, timed after as many untimed calls (the JIT compiles the loop first). */
    static double meanNanos(Runnable call, int times) {
        for (int i = 0; i < times; i++) {
            call.run();
        }
        long start = System.nanoTime();
        for (int i = 0; i < times; i++) {
            call.run();
        }
        return (System.nanoTime() - start) / (double) times;
    }
}
