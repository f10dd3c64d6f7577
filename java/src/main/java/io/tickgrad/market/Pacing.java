package io.tickgrad.market;

import java.util.concurrent.locks.LockSupport;

/** Pacers for a recording ({@link CsvTickImporter.Pacer}): a fixed rate, or the recorded gaps. Cold path. */
public final class Pacing {
    private Pacing() {
    }

    /**
     * At most {@code ticksPerSecond}, on a schedule from the first tick (a late tick does not push the rest back).
     *
     * @param ticksPerSecond the rate, &gt; 0 (not checked)
     * @return a pacer for one import (it keeps the schedule's start)
     */
    public static CsvTickImporter.Pacer fixedRate(double ticksPerSecond) {
        double periodNs = 1e9 / ticksPerSecond;
        return new CsvTickImporter.Pacer() {
            private long start = Long.MIN_VALUE;
            private long count;

            @Override
            public void awaitTurn(long exchangeTimeNs) throws InterruptedException {
                long now = System.nanoTime();
                if (start == Long.MIN_VALUE) {
                    start = now;
                }
                sleepUntil(start + (long) (count++ * periodNs));
            }
        };
    }

    /**
     * The exchange-time gaps between ticks divided by {@code speed}, each wait capped at {@code maxGapNs} (a night
     * or a weekend in a recording does not stop the replay for hours).
     *
     * @param speed    the replay speed, &gt; 0 (2 = twice as fast as recorded; not checked)
     * @param maxGapNs the longest wait, nanoseconds
     * @return a pacer for one import
     */
    public static CsvTickImporter.Pacer recordedGaps(double speed, long maxGapNs) {
        return new CsvTickImporter.Pacer() {
            private long lastExchange = Long.MIN_VALUE;
            private long due;

            @Override
            public void awaitTurn(long exchangeTimeNs) throws InterruptedException {
                long now = System.nanoTime();
                if (lastExchange == Long.MIN_VALUE) {
                    due = now;
                } else {
                    long gap = (long) (Math.max(0, exchangeTimeNs - lastExchange) / speed);
                    due = Math.max(due, now - maxGapNs) + Math.min(gap, maxGapNs);
                }
                lastExchange = exchangeTimeNs;
                sleepUntil(due);
            }
        };
    }

    private static void sleepUntil(long deadlineNs) throws InterruptedException {
        long left;
        while ((left = deadlineNs - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                throw new InterruptedException("pacing interrupted");
            }
        }
    }
}
