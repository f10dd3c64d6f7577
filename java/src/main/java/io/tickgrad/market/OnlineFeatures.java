package io.tickgrad.market;

import io.tickgrad.model.FeatureNormalisation;
import org.agrona.MutableDirectBuffer;

/**
 * The feature pipeline of a {@link FeatureSpec}, updated one tick at a time. All state lives in arrays sized at
 * construction, so {@link #onTick} and the {@code write} methods allocate nothing. A vector written after tick t
 * depends only on ticks up to and including t: nothing here can see the future.
 *
 * <p>Prices are kept in a ring written twice (at i and i + capacity), so the last {@code n} prices are always one
 * contiguous range, which the chart window reads without copying.
 *
 * <p>Threads: single-threaded, one pipeline per stream (the inference thread in a session). Java arrays only, no
 * native memory.
 */
public final class OnlineFeatures {
    private final FeatureSpec spec;
    private final int[] lags;
    private final FeatureNormalisation normalisation;
    private final int capacity;
    private final double[] prices;
    private int head;
    private long count;
    private final float[] vector;

    private final double ewmaLambda;
    private double ewmaVariance;
    private boolean ewmaStarted;

    private final double[] signedSizes;
    private final double[] absSizes;
    private int sizeHead;
    private double signedSum;
    private double absSum;
    private int lastSign = 1;

    private long lastTimeNs = Long.MIN_VALUE;
    private double secondsSinceLast;
    private double spreadBps;
    private double bookImbalance;
    private double barRangeBps;

    private final TransferFeatures transfer;
    private final int[] scaledLags;
    private final double fastLambda;
    private final double slowLambda;
    private double fastVariance;
    private double slowVariance;
    private double sizeEwma;
    private boolean sizeStarted;
    private double lastSize = Double.NaN;
    private double barLogRange;
    private double closeLocation;

    /**
     * Builds the pipeline (cold path): every array it will use is allocated here. Single-threaded: one pipeline per
     * stream.
     *
     * @param spec the features, their order and normalisation
     */
    public OnlineFeatures(FeatureSpec spec) {
        this.spec = spec;
        this.lags = spec.returnLags();
        this.normalisation = spec.normalisation();
        this.capacity = spec.warmupTicks();
        this.prices = new double[2 * capacity];
        this.vector = new float[spec.width()];
        this.ewmaLambda = spec.ewmaVolHalfLife() > 0 ? Math.pow(0.5, 1.0 / spec.ewmaVolHalfLife()) : 0;
        int w = Math.max(1, spec.sizeImbalanceWindow());
        this.signedSizes = new double[w];
        this.absSizes = new double[w];
        this.transfer = spec.transfer();
        this.scaledLags = transfer == null ? new int[0] : transfer.scaledLags();
        this.fastLambda = transfer == null ? 0 : Math.pow(0.5, 1.0 / transfer.fastHalfLife());
        this.slowLambda = transfer == null ? 0 : Math.pow(0.5, 1.0 / transfer.slowHalfLife());
    }

    /**
     * The features this pipeline computes.
     *
     * @return the spec
     */
    public FeatureSpec spec() {
        return spec;
    }

    /**
     * Floats per vector.
     *
     * @return the spec's width
     */
    public int width() {
        return vector.length;
    }

    /**
     * Ticks seen.
     *
     * @return ticks fed to {@link #onTick}
     */
    public long count() {
        return count;
    }

    /**
     * Whether enough ticks have been seen for a complete vector.
     *
     * @return true once warm
     */
    public boolean ready() {
        return count >= capacity;
    }

    /**
     * The last price seen (NaN before any).
     *
     * @return the price
     */
    public double lastPrice() {
        return count == 0 ? Double.NaN : prices[head + capacity - 1];
    }

    /**
     * Updates the state with one valid tick (the caller has checked it: positive finite price, time not going
     * backwards). Allocates nothing.
     *
     * @param tick the tick, read during the call only
     */
    public void onTick(Tick tick) {
        double price = tick.price();
        long time = tick.exchangeTimeNs();
        double previous = lastPrice();
        byte kind = tick.kind();
        if (tick.hasQuote()) {
            double bid = tick.bid();
            double ask = tick.ask();
            double mid = (bid + ask) * 0.5;
            spreadBps = mid > 0 ? (ask - bid) / mid * 1e4 : 0;
            double bs = tick.bidSize();
            double as = tick.askSize();
            double depth = bs + as;
            bookImbalance = depth > 0 && Double.isFinite(depth) ? (bs - as) / depth : 0;
        }
        if (count > 0) {
            double r = Math.log(price / previous);
            if (ewmaStarted) {
                ewmaVariance = ewmaLambda * ewmaVariance + (1 - ewmaLambda) * r * r;
            } else {
                ewmaVariance = r * r;
                ewmaStarted = true;
            }
            if (transfer != null) {
                if (count == 1) {
                    fastVariance = r * r;
                    slowVariance = r * r;
                } else {
                    fastVariance = fastLambda * fastVariance + (1 - fastLambda) * r * r;
                    slowVariance = slowLambda * slowVariance + (1 - slowLambda) * r * r;
                }
            }
            if (kind == TickKind.TRADE || kind == TickKind.BAR) {   // the tick rule: trades and bar closes
                if (price > previous) {
                    lastSign = 1;
                } else if (price < previous) {
                    lastSign = -1;
                }
            }
            secondsSinceLast = (time - lastTimeNs) * 1e-9;
        }
        barRangeBps = kind == TickKind.BAR ? Math.log(tick.high() / tick.low()) * 1e4 : 0;
        if (transfer != null) {
            onTransferTick(tick, kind, time);
        }
        if (spec.sizeImbalanceWindow() > 0 && tick.hasSize()) {
            double size = tick.size();
            signedSum -= signedSizes[sizeHead];
            absSum -= absSizes[sizeHead];
            signedSizes[sizeHead] = lastSign * size;
            absSizes[sizeHead] = size;
            signedSum += lastSign * size;
            absSum += size;
            sizeHead = sizeHead + 1 == signedSizes.length ? 0 : sizeHead + 1;
        }
        lastTimeNs = time;
        prices[head] = price;
        prices[head + capacity] = price;
        head = head + 1 == capacity ? 0 : head + 1;
        count++;
    }

    private void onTransferTick(Tick tick, byte kind, long time) {
        if (kind == TickKind.BAR) {
            double high = tick.high();
            double low = tick.low();
            barLogRange = Math.log(high / low);
            closeLocation = high > low ? 2 * (tick.price() - low) / (high - low) - 1 : 0;
        } else {
            barLogRange = 0;
            closeLocation = 0;
        }
        if (transfer.volume() && tick.hasSize()) {
            double size = tick.size();
            if (size > 0 && Double.isFinite(size)) {
                if (sizeStarted) {
                    sizeEwma = slowLambda * sizeEwma + (1 - slowLambda) * size;
                } else {
                    sizeEwma = size;
                    sizeStarted = true;
                }
                lastSize = size;
            }
        }
        lastTimeOfDayNs = Math.floorMod(time, 86_400_000_000_000L);
    }

    private long lastTimeOfDayNs;

    private int writeTransfer(float[] dst, int at) {
        double slowVol = Math.sqrt(slowVariance);
        double now = prices[head + capacity - 1];
        for (int lag : scaledLags) {
            double r = Math.log(now / prices[head + capacity - 1 - lag]);
            dst[at++] = (float) (slowVol > 0 ? clip(r / (slowVol * Math.sqrt(lag)), 8) : 0);
        }
        dst[at++] = (float) (slowVariance > 0 && fastVariance > 0
            ? clip(0.5 * Math.log(fastVariance / slowVariance), 5) : 0);
        if (transfer.range()) {
            dst[at++] = (float) (slowVol > 0 ? Math.min(20, barLogRange / slowVol) : 0);
            dst[at++] = (float) closeLocation;
        }
        if (transfer.volume()) {
            dst[at++] = (float) (sizeStarted && sizeEwma > 0 ? clip(Math.log(lastSize / sizeEwma), 5) : 0);
        }
        if (transfer.spread()) {
            dst[at++] = (float) (slowVol > 0 ? Math.min(20, spreadBps * 1e-4 / slowVol) : 0);
        }
        if (transfer.timeOfDay()) {
            double angle = 2 * Math.PI * lastTimeOfDayNs / 86_400e9;
            dst[at++] = (float) Math.sin(angle);
            dst[at++] = (float) Math.cos(angle);
        }
        return at;
    }

    private static double clip(double v, double bound) {
        return Math.max(-bound, Math.min(bound, v));
    }

    /**
     * The slow EWMA variance of one-tick log returns (0 without transfer features): the volatility scale.
     *
     * @return the variance of one-tick log returns (squared, unitless)
     */
    public double slowVariance() {
        return slowVariance;
    }

    /**
     * Computes the (normalised) vector into {@code dst[offset, offset + width)}. Call only when {@link #ready()}.
     *
     * @param dst    the destination
     * @param offset index of the first value written
     */
    public void write(float[] dst, int offset) {
        int c = 0;
        if (spec.chartWindow() > 0) {
            ChartWindow.resampleNormalized(prices, head + capacity - spec.chartWindow(), spec.chartWindow(),
                spec.chartPoints(), dst, offset);
            c = spec.chartPoints();
        }
        double now = prices[head + capacity - 1];
        for (int lag : lags) {
            dst[offset + c++] = (float) (Math.log(now / prices[head + capacity - 1 - lag]) * 1e4);
        }
        if (spec.ewmaVolHalfLife() > 0) {
            dst[offset + c++] = (float) (Math.sqrt(ewmaVariance) * 1e4);
        }
        if (spec.sizeImbalanceWindow() > 0) {
            dst[offset + c++] = absSum > 0 ? (float) (signedSum / absSum) : 0f;
        }
        if (spec.timeSinceLast()) {
            dst[offset + c++] = (float) secondsSinceLast;
        }
        if (spec.quotes()) {
            dst[offset + c++] = (float) spreadBps;
            dst[offset + c++] = (float) bookImbalance;
        }
        if (spec.barRange()) {
            dst[offset + c++] = (float) barRangeBps;
        }
        if (transfer != null) {
            c = writeTransfer(dst, offset + c) - offset;
        }
        if (normalisation != null) {
            normalisation.apply(dst, offset);
        }
    }

    /**
     * As {@link #write(float[], int)}, as native-order float32 at {@code byteOffset} (a network's input row).
     *
     * @param dst        the destination, e.g. {@code network.input()}
     * @param byteOffset byte offset of the first value written
     */
    public void write(MutableDirectBuffer dst, int byteOffset) {
        write(vector, 0);
        for (int i = 0; i < vector.length; i++) {
            dst.putFloat(byteOffset + i * Float.BYTES, vector[i]);
        }
    }
}
