package io.tickgrad.ta4j;

import io.tickgrad.market.ChartWindow;
import org.agrona.MutableDirectBuffer;
import org.ta4j.core.BarSeries;

/**
 * The chart-pattern network's input from bars: the closes of the last {@code window} bars, resampled linearly to
 * {@link ChartWindow#UPSTREAM_POINTS} points and divided by their L2 norm (the upstream preprocessing of the
 * pretrained network in {@code models/chart-patterns/}). Not thread-safe: one instance per indicator.
 */
public final class ChartFeatures implements BarFeatures {
    private final int window;
    private final double[] closes;

    /**
     * @param window closes per chart, at least 2 (the scored bar's close and the {@code window - 1} before it)
     */
    public ChartFeatures(int window) {
        if (window < 2) {
            throw new IllegalArgumentException("chart features: window must be at least 2 bars, got " + window);
        }
        this.window = window;
        this.closes = new double[window];
    }

    @Override
    public int count() {
        return ChartWindow.UPSTREAM_POINTS;
    }

    @Override
    public int unstableBars() {
        return window - 1;
    }

    @Override
    public void write(BarSeries series, int index, MutableDirectBuffer input, int byteOffset) {
        int from = index - window + 1;
        if (from < series.getBeginIndex() || index > series.getEndIndex()) {
            throw new IllegalArgumentException("chart features: bar " + index + " needs bars [" + from + ", "
                + index + "] but series '" + series.getName() + "' holds [" + series.getBeginIndex() + ", "
                + series.getEndIndex() + "]");
        }
        for (int i = 0; i < window; i++) {
            closes[i] = series.getBar(from + i).getClosePrice().doubleValue();
        }
        ChartWindow.resampleNormalized(closes, 0, window, ChartWindow.UPSTREAM_POINTS, input, byteOffset);
    }
}
