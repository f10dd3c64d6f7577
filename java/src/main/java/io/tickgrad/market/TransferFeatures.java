package io.tickgrad.market;

/**
 * Features that mean the same on every instrument, for a network pretrained on many: nothing in them depends on
 * the price level, the tick size or the instrument's volatility. Part of a {@link FeatureSpec}; appended after its
 * other columns, in this order:
 * <ol>
 *   <li>per lag L in {@code scaledLags}: the log return over L ticks divided by the slow EWMA volatility of one-tick
 *       log returns times sqrt(L), clipped to [-8, 8] (a z-score of the move);</li>
 *   <li>the volatility regime: ln(fast EWMA volatility / slow EWMA volatility), clipped to [-5, 5];</li>
 *   <li>when {@code range}: the last bar's range ln(high / low) over the slow volatility, clipped to [0, 20], and
 *       where the close sits in the bar, 2 (close - low) / (high - low) - 1 (both 0 for other shapes and for a bar
 *       with high = low);</li>
 *   <li>when {@code volume}: ln(size / EWMA of sizes, slow half-life) of the last trade or bar, clipped to [-5, 5]
 *       (0 for shapes without a size);</li>
 *   <li>when {@code spread}: the last quote's relative spread (ask - bid) / mid over the slow volatility, clipped to
 *       [0, 20] (0 before any quote and for shapes without one);</li>
 *   <li>when {@code timeOfDay}: sin and cos of 2 pi (UTC seconds into the day) / 86400 (meaningful for intraday
 *       data; constant on daily data).</li>
 * </ol>
 * The volatilities start from the first one-tick return; the pipeline's warm-up covers {@code slowHalfLife} ticks.
 *
 * @param scaledLags   lags in ticks, each >= 1
 * @param fastHalfLife half-life in ticks of the fast variance EWMA, >= 1
 * @param slowHalfLife half-life in ticks of the slow variance EWMA, > fastHalfLife
 * @param range        whether the bar range and close location are features
 * @param volume       whether the size over its EWMA is a feature
 * @param spread       whether the quoted spread over volatility is a feature
 * @param timeOfDay    whether sin and cos of the UTC time of day are features
 */
public record TransferFeatures(int[] scaledLags, int fastHalfLife, int slowHalfLife, boolean range, boolean volume,
                               boolean spread, boolean timeOfDay) {
    /**
     * Checks the lags and half-lives.
     *
     * @param scaledLags   lags in ticks, each >= 1 (copied)
     * @param fastHalfLife half-life in ticks of the fast variance EWMA
     * @param slowHalfLife half-life in ticks of the slow variance EWMA
     * @param range        whether the bar range and close location are features
     * @param volume       whether the size over its EWMA is a feature
     * @param spread       whether the quoted spread over volatility is a feature
     * @param timeOfDay    whether sin and cos of the UTC time of day are features
     * @throws IllegalArgumentException when a lag is below 1 or the half-lives are not {@code 1 <= fast < slow}
     */
    public TransferFeatures {
        scaledLags = scaledLags == null ? new int[0] : scaledLags.clone();
        for (int lag : scaledLags) {
            if (lag < 1) {
                throw new IllegalArgumentException("features: transfer.scaledLags must be >= 1, got " + lag);
            }
        }
        if (fastHalfLife < 1 || slowHalfLife <= fastHalfLife) {
            throw new IllegalArgumentException("features: transfer half-lives must satisfy 1 <= fast < slow, got "
                + fastHalfLife + " and " + slowHalfLife);
        }
    }

    /**
     * The set used by the shipped market network: z-scored returns over 1, 2, 5, 10 and 20 ticks, regime 5/60.
     *
     * @return bar range and volume on, spread and time of day off
     */
    public static TransferFeatures daily() {
        return new TransferFeatures(new int[] {1, 2, 5, 10, 20}, 5, 60, true, true, false, false);
    }

    /**
     * The lags of the scaled returns.
     *
     * @return a copy of the lags, in ticks
     */
    @Override
    public int[] scaledLags() {
        return scaledLags.clone();
    }

    /**
     * Floats these features add to the vector.
     *
     * @return the width, in floats
     */
    public int width() {
        return scaledLags.length + 1 + (range ? 2 : 0) + (volume ? 1 : 0) + (spread ? 1 : 0) + (timeOfDay ? 2 : 0);
    }

    /**
     * Ticks needed before the features are complete and the slow volatility has seen one half-life.
     *
     * @return the warm-up, in ticks
     */
    public int warmupTicks() {
        int need = slowHalfLife + 1;
        for (int lag : scaledLags) {
            need = Math.max(need, lag + 1);
        }
        return need;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransferFeatures t && java.util.Arrays.equals(scaledLags, t.scaledLags)
            && fastHalfLife == t.fastHalfLife && slowHalfLife == t.slowHalfLife && range == t.range
            && volume == t.volume && spread == t.spread && timeOfDay == t.timeOfDay;
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(scaledLags) * 31 + slowHalfLife * 7 + fastHalfLife;
    }
}
