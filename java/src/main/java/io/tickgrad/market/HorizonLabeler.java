package io.tickgrad.market;

import java.util.Arrays;

/**
 * Matures labels online: each decision is remembered with its price, tick count and time, and labelled only when
 * a later tick reaches its horizon ({@link LabelSpec}), so no label is ever known before its horizon has passed.
 * Decisions whose horizon is never reached stay unlabelled. Real-valued targets (realised volatility, variance,
 * absolute move) and the large-move class come from the running sum of squared one-tick log returns (in bps^2) of
 * the prices fed to {@link #onTick}; nothing is allocated once the buffers are sized.
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

        /**
         * As {@link #onOutcome(int, int, double)}, with the label's value as a number: the real-valued target
         * ({@link LabelSpec.Target#realValued()}; {@code label} is then -1), or the class (1.0, 0.0; NaN for no
         * label). The labeler calls this one; by default it drops {@code target}.
         *
         * @param row           the id given to {@link HorizonLabeler#decide}
         * @param label         1 up, 0 down, -1 for none (or a real-valued target)
         * @param forwardReturn simple return from the decision price to the horizon price
         * @param target        the label as a number, in the label's unit
         */
        default void onOutcome(int row, int label, double forwardReturn, double target) {
            onOutcome(row, label, forwardReturn);
        }
    }

    private final LabelSpec spec;
    private int[] rows = new int[1024];
    private double[] prices = new double[1024];
    private long[] ticks = new long[1024];
    private long[] times = new long[1024];
    // the running sum of squared one-tick log returns (bps^2) at each decision, and the recent volatility then
    private double[] sumSqAt = new double[1024];
    private double[] recentVol = new double[1024];
    private int first;
    private int end;
    private long tickCount;
    private double lastPrice = Double.NaN;
    private double sumSq;
    // large_move: (tick count, time, sumSq) of past ticks, as far back as the lookback needs (a ring)
    private final boolean history;
    private long[] histTick = new long[16];
    private long[] histTime = new long[16];
    private double[] histSum = new double[16];
    private int histFirst;
    private int histSize;

    /**
     * A labeler of decisions by {@code spec}. Single-threaded: one labeler per stream; after warm-up it allocates only
     * when the pending decisions outgrow their arrays.
     *
     * @param spec the label
     */
    public HorizonLabeler(LabelSpec spec) {
        this.spec = spec;
        this.history = spec.target() == LabelSpec.Target.LARGE_MOVE;
    }

    /**
     * Feeds one valid tick: first matures every pending decision whose horizon this tick reaches, using this tick's
     * price. Call it before {@link #decide} for the same tick.
     *
     * @param exchangeTimeNs the tick's exchange time, epoch ns
     * @param price          the tick's price
     * @param outcome        receives each matured decision, on this thread
     */
    public void onTick(long exchangeTimeNs, double price, Outcome outcome) {
        tickCount++;
        if (lastPrice > 0 && price > 0) {
            double r = Math.log(price / lastPrice) * 1e4;
            if (Double.isFinite(r)) {
                sumSq += r * r;
            }
        }
        if (price > 0 && Double.isFinite(price)) {
            lastPrice = price;
        }
        if (history) {
            remember(exchangeTimeNs);
        }
        while (first < end) {
            boolean due = spec.horizonTicks() > 0 ? tickCount - ticks[first] >= spec.horizonTicks()
                : exchangeTimeNs - times[first] >= spec.horizonNs();
            if (!due) {
                break;
            }
            double from = prices[first];
            int label = -1;
            double target;
            switch (spec.target()) {
                case REALISED_VOL: target = Math.sqrt(Math.max(0, sumSq - sumSqAt[first])); break;
                case REALISED_VAR: target = Math.max(0, sumSq - sumSqAt[first]); break;
                case ABS_MOVE: target = Math.abs(Math.log(price / from)) * 1e4; break;
                case LARGE_MOVE: {
                    double move = Math.abs(Math.log(price / from)) * 1e4;
                    double vol = recentVol[first];
                    label = vol > 0 && Double.isFinite(move) ? (move > spec.largeMoveK() * vol ? 1 : 0) : -1;
                    target = label < 0 ? Double.NaN : label;
                    break;
                }
                default:
                    label = spec.label(from, price);
                    target = label < 0 ? Double.NaN : label;
            }
            if (!Double.isFinite(target)) {
                target = Double.NaN;
            }
            outcome.onOutcome(rows[first], label, price / from - 1, target);
            first++;
        }
        if (first == end) {
            first = 0;
            end = 0;
        }
    }

    /**
     * Registers a decision taken at the last tick fed to {@link #onTick}.
     *
     * @param row            an id handed back with the outcome
     * @param exchangeTimeNs the decision tick's exchange time, epoch ns
     * @param price          the decision tick's price
     */
    public void decide(int row, long exchangeTimeNs, double price) {
        if (end == rows.length) {
            compactOrGrow();
        }
        rows[end] = row;
        prices[end] = price;
        ticks[end] = tickCount;
        times[end] = exchangeTimeNs;
        sumSqAt[end] = sumSq;
        recentVol[end] = history ? recentVolatility(exchangeTimeNs) : Double.NaN;
        end++;
    }

    /**
     * The large-move label's recent volatility per horizon at the last tick: sqrt(sum of squared returns over the
     * lookback / lookback horizons), NaN until the history covers the lookback.
     */
    private double recentVolatility(long exchangeTimeNs) {
        if (histSize == 0) {
            return Double.NaN;
        }
        int i = histFirst;   // the oldest kept: the start of the lookback window once it is covered
        boolean covered = spec.horizonTicks() > 0
            ? tickCount - histTick[i] == (long) spec.horizonTicks() * spec.volLookback()
            : exchangeTimeNs - histTime[i] >= spec.horizonNs() * spec.volLookback();
        return covered ? Math.sqrt(Math.max(0, sumSq - histSum[i]) / spec.volLookback()) : Double.NaN;
    }

    /** Appends this tick to the history and drops what the lookback no longer needs. */
    private void remember(long exchangeTimeNs) {
        if (histSize == histTick.length) {
            int cap = histTick.length * 2;
            histTick = unroll(histTick, cap);
            histTime = unroll(histTime, cap);
            double[] s = new double[cap];
            for (int k = 0; k < histSize; k++) {
                s[k] = histSum[(histFirst + k) % histSum.length];
            }
            histSum = s;
            histFirst = 0;
        }
        int at = (histFirst + histSize) % histTick.length;
        histTick[at] = tickCount;
        histTime[at] = exchangeTimeNs;
        histSum[at] = sumSq;
        histSize++;
        if (spec.horizonTicks() > 0) {
            long keep = (long) spec.horizonTicks() * spec.volLookback();
            while (tickCount - histTick[histFirst] > keep) {
                drop();
            }
        } else {
            // keep the latest tick at or before now - lookback as the window's start
            long window = spec.horizonNs() * spec.volLookback();
            while (histSize > 1 && exchangeTimeNs - histTime[(histFirst + 1) % histTime.length] >= window) {
                drop();
            }
        }
    }

    private void drop() {
        histFirst = (histFirst + 1) % histTick.length;
        histSize--;
    }

    private long[] unroll(long[] a, int cap) {
        long[] out = new long[cap];
        for (int k = 0; k < histSize; k++) {
            out[k] = a[(histFirst + k) % a.length];
        }
        return out;
    }

    /**
     * Decisions still waiting for their horizon.
     *
     * @return the count
     */
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
            sumSqAt = Arrays.copyOfRange(sumSqAt, first, first + cap);
            recentVol = Arrays.copyOfRange(recentVol, first, first + cap);
        } else {
            System.arraycopy(rows, first, rows, 0, n);
            System.arraycopy(prices, first, prices, 0, n);
            System.arraycopy(ticks, first, ticks, 0, n);
            System.arraycopy(times, first, times, 0, n);
            System.arraycopy(sumSqAt, first, sumSqAt, 0, n);
            System.arraycopy(recentVol, first, recentVol, 0, n);
        }
        first = 0;
        end = n;
    }
}
