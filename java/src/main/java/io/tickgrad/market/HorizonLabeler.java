package io.tickgrad.market;

import java.util.Arrays;

/**
 * Matures labels online: each decision is remembered with its price, tick count and time, and labelled only when
 * a later tick reaches its horizon ({@link LabelSpec}), so no label is ever known before its horizon has passed.
 * Decisions whose horizon is never reached stay unlabelled.
 */
public final class HorizonLabeler {
    /** Receives matured outcomes. */
    @FunctionalInterface
    public interface Outcome {
        /**
         * @param row           the id given to {@link #decide}
         * @param label         1 up, 0 down, -1 inside the dead zone
         * @param forwardReturn simple return from the decision price to the horizon price
         */
        void onOutcome(int row, int label, double forwardReturn);
    }

    private final LabelSpec spec;
    private int[] rows = new int[1024];
    private double[] prices = new double[1024];
    private long[] ticks = new long[1024];
    private long[] times = new long[1024];
    private int first;
    private int end;
    private long tickCount;

    public HorizonLabeler(LabelSpec spec) {
        this.spec = spec;
    }

    /**
     * Feeds one valid tick: first matures every pending decision whose horizon this tick reaches, using this tick's
     * price. Call it before {@link #decide} for the same tick.
     */
    public void onTick(long exchangeTimeNs, double price, Outcome outcome) {
        tickCount++;
        while (first < end) {
            boolean due = spec.horizonTicks() > 0 ? tickCount - ticks[first] >= spec.horizonTicks()
                : exchangeTimeNs - times[first] >= spec.horizonNs();
            if (!due) {
                break;
            }
            double from = prices[first];
            outcome.onOutcome(rows[first], spec.label(from, price), price / from - 1);
            first++;
        }
        if (first == end) {
            first = 0;
            end = 0;
        }
    }

    /** Registers a decision taken at the last tick fed to {@link #onTick}. */
    public void decide(int row, long exchangeTimeNs, double price) {
        if (end == rows.length) {
            compactOrGrow();
        }
        rows[end] = row;
        prices[end] = price;
        ticks[end] = tickCount;
        times[end] = exchangeTimeNs;
        end++;
    }

    /** Decisions still waiting for their horizon. */
    public int pending() {
        return end - first;
    }

    /** Moves the pending decisions to the front, in place (no allocation), or grows when over half full. */
    private void compactOrGrow() {
        int n = end - first;
        if (n * 2 > rows.length) {
            int cap = rows.length * 2;
            rows = Arrays.copyOfRange(rows, first, first + cap);
            prices = Arrays.copyOfRange(prices, first, first + cap);
            ticks = Arrays.copyOfRange(ticks, first, first + cap);
            times = Arrays.copyOfRange(times, first, first + cap);
        } else {
            System.arraycopy(rows, first, rows, 0, n);
            System.arraycopy(prices, first, prices, 0, n);
            System.arraycopy(ticks, first, ticks, 0, n);
            System.arraycopy(times, first, times, 0, n);
        }
        first = 0;
        end = n;
    }
}
