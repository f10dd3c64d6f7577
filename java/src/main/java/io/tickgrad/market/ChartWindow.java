package io.tickgrad.market;

import java.util.List;
import org.agrona.MutableDirectBuffer;

/**
 * Turns a price series of any length into the fixed-width input of a chart-pattern network: linear resampling
 * to {@code points} values (both endpoints kept), then division by the L2 norm of the resampled values.
 *
 * <p>This is exactly the preprocessing of the npm package technicalindicators 3.1.0
 * ({@code lib/patterndetection/patterndetection.js}: {@code l2Normalize(interpolateArray(values, 400))}),
 * computed in double as JavaScript does and rounded to float32 once at the end, as {@code tf.tensor2d} does;
 * the result is bit-identical to upstream's for finite input. For resampled point {@code i} of {@code m}, with
 * {@code t = i * ((n - 1) / (m - 1))}: {@code v = x[floor t] + (x[ceil t] - x[floor t]) * (t - floor t)};
 * point 0 is {@code x[0]} and point {@code m - 1} is {@code x[n - 1]}. The squares are summed in index order.
 *
 * <p>The writing methods allocate nothing (the resampled values are computed twice instead of being stored),
 * so they can run on the serving path; bad input (fewer than two values, a non-finite value, a zero or
 * overflowing norm, a destination too small) throws {@link IllegalArgumentException} naming what was found.
 */
public final class ChartWindow {
    /** The width the shipped chart-pattern network expects. */
    public static final int UPSTREAM_POINTS = 400;

    /**
     * The output classes of the shipped chart-pattern network, in upstream's order ({@code oneHotMap} in
     * patterndetection.js): inverse head and shoulders, trending up, double bottom, head and shoulders,
     * trending down, double top.
     */
    public static final List<String> UPSTREAM_CLASSES = List.of("IHS", "TU", "DB", "HS", "TD", "DT");

    private ChartWindow() {
    }

    /**
     * Resamples the whole series to {@link #UPSTREAM_POINTS} values and L2-normalises them, into a new array.
     *
     * @param prices the series, oldest first, at least 2
     * @return a new array of {@link #UPSTREAM_POINTS} floats
     */
    public static float[] upstreamWindow(double[] prices) {
        float[] out = new float[UPSTREAM_POINTS];
        resampleNormalized(prices, 0, prices == null ? 0 : prices.length, UPSTREAM_POINTS, out, 0);
        return out;
    }

    /**
     * Resamples {@code prices[from, from + length)} to {@code points} values, L2-normalised, written as float32
     * to {@code dst[dstOffset, dstOffset + points)}. Allocates nothing.
     *
     * @param prices    the price history
     * @param from      index of the window's first price
     * @param length    prices in the window, at least 2
     * @param points    values to resample to, at least 2
     * @param dst       the destination
     * @param dstOffset index of the first value written
     */
    public static void resampleNormalized(double[] prices, int from, int length, int points, float[] dst,
                                          int dstOffset) {
        if (dst == null) {
            throw new IllegalArgumentException("chart window: destination array is null");
        }
        checkRange("destination array", dst.length, dstOffset, points);
        double norm = norm(prices, from, length, points);
        for (int i = 0; i < points; i++) {
            dst[dstOffset + i] = (float) (resampled(prices, from, length, points, i) / norm);
        }
    }

    /**
     * As {@link #resampleNormalized(double[], int, int, int, float[], int)}, writing {@code points} float32 values
     * (native byte order, as {@code io.tickgrad.nn.Network#input()} reads them) at {@code byteOffset}.
     *
     * @param prices     the price history
     * @param from       index of the window's first price
     * @param length     prices in the window, at least 2
     * @param points     values to resample to, at least 2
     * @param dst        the destination, e.g. a network's input rows
     * @param byteOffset byte offset of the first value written
     */
    public static void resampleNormalized(double[] prices, int from, int length, int points, MutableDirectBuffer dst,
                                          int byteOffset) {
        if (dst == null) {
            throw new IllegalArgumentException("chart window: destination buffer is null");
        }
        if (points >= 2 && (byteOffset < 0 || (long) byteOffset + (long) points * Float.BYTES > dst.capacity())) {
            throw new IllegalArgumentException("chart window: destination buffer of " + dst.capacity()
                + " bytes cannot hold " + points + " floats at byte offset " + byteOffset);
        }
        double norm = norm(prices, from, length, points);
        for (int i = 0; i < points; i++) {
            dst.putFloat(byteOffset + i * Float.BYTES, (float) (resampled(prices, from, length, points, i) / norm));
        }
    }

    /** The L2 norm of the resampled values, after validating the arguments and every input value. */
    private static double norm(double[] prices, int from, int length, int points) {
        if (prices == null) {
            throw new IllegalArgumentException("chart window: price series is null");
        }
        if (points < 2) {
            throw new IllegalArgumentException("chart window: needs at least 2 output points, got " + points);
        }
        if (length < 2) {
            throw new IllegalArgumentException("chart window: needs a price series of at least 2 values, got "
                + length);
        }
        checkRange("price series", prices.length, from, length);
        for (int i = from; i < from + length; i++) {
            if (!Double.isFinite(prices[i])) {
                throw new IllegalArgumentException("chart window: price at index " + i + " is not finite: "
                    + prices[i]);
            }
        }
        double sum = 0;
        for (int i = 0; i < points; i++) {
            double v = resampled(prices, from, length, points, i);
            sum = sum + v * v;
        }
        double norm = Math.sqrt(sum);
        if (norm == 0) {
            throw new IllegalArgumentException("chart window: the resampled series is all zeros (L2 norm 0); "
                + "it cannot be normalised");
        }
        if (!Double.isFinite(norm)) {
            throw new IllegalArgumentException("chart window: the L2 norm of the resampled series overflows ("
                + norm + "); rescale the prices");
        }
        return norm;
    }

    /** Resampled point i of m, by upstream's formula. */
    private static double resampled(double[] x, int from, int n, int m, int i) {
        if (i == 0) {
            return x[from];
        }
        if (i == m - 1) {
            return x[from + n - 1];
        }
        double spring = (double) (n - 1) / (m - 1);
        double t = i * spring;
        double lower = Math.floor(t);
        double upper = Math.ceil(t);
        double before = x[from + (int) lower];
        double after = x[from + (int) upper];
        return before + (after - before) * (t - lower);
    }

    private static void checkRange(String what, int capacity, int offset, int count) {
        if (offset < 0 || count < 0 || (long) offset + count > capacity) {
            throw new IllegalArgumentException("chart window: " + what + " of length " + capacity
                + " has no range [" + offset + ", " + ((long) offset + count) + ")");
        }
    }
}
