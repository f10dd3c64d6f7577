package io.tickgrad.market;

import io.tickgrad.train.Dataset;
import java.util.Arrays;

/**
 * Labelled samples for the chart network: at every {@code stride}-th trade, the last {@code window} trade prices
 * resampled to 400 points and L2-normalised (the pretrained network's input), labelled 1 when the price
 * {@code horizon} trades later is higher by more than the dead zone, 0 when lower by more than it; moves inside
 * the dead zone give no sample. Features use only trades up to and including the decision trade; the label uses
 * the trade {@code horizon} later, so a sample exists only once its label has matured.
 */
public final class ChartSamples {
    private ChartSamples() {
    }

    /**
     * Samples whose decision trade lies in [{@code fromIndex}, {@code toIndex}) and whose label trade lies before
     * {@code labelLimit} (so a training span's labels never reach into the test span).
     *
     * @param trades      the trades
     * @param fromIndex   first decision trade, inclusive
     * @param toIndex     last decision trade, exclusive
     * @param labelLimit  trades at or after this index are never used as a label
     * @param window      prices in each chart window
     * @param stride      trades between decisions, at least 1
     * @param horizon     trades from the decision to its label
     * @param deadZoneBps moves within this many basis points give no sample
     * @return the samples: 400 chart features and one 1/0 target per row
     */
    public static Dataset build(Trades trades, int fromIndex, int toIndex, int labelLimit, int window, int stride,
                                int horizon, double deadZoneBps) {
        if (window < 2 || stride < 1 || horizon < 1 || deadZoneBps < 0) {
            throw new IllegalArgumentException("window >= 2, stride >= 1, horizon >= 1, dead zone >= 0 required");
        }
        int points = ChartWindow.UPSTREAM_POINTS;
        double[] prices = trades.prices();
        int start = Math.max(fromIndex, window - 1);
        int capacity = Math.max(0, (toIndex - start) / stride + 1);
        float[] x = new float[capacity * points];
        float[] y = new float[capacity];
        int n = 0;
        for (int t = start; t < toIndex; t += stride) {
            int labelAt = t + horizon;
            if (labelAt >= labelLimit || labelAt >= prices.length) {
                break;
            }
            double moveBps = (prices[labelAt] / prices[t] - 1) * 1e4;
            if (Math.abs(moveBps) <= deadZoneBps) {
                continue;
            }
            ChartWindow.resampleNormalized(prices, t - window + 1, window, points, x, n * points);
            y[n] = moveBps > 0 ? 1f : 0f;
            n++;
        }
        return new Dataset(Arrays.copyOf(x, n * points), Arrays.copyOf(y, n), n, points, 1);
    }
}
