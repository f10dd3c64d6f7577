package io.tickgrad.pretrain;

import io.tickgrad.market.FeatureSpec;
import io.tickgrad.market.OnlineFeatures;
import io.tickgrad.market.TickHandler;
import io.tickgrad.market.TickSource;
import io.tickgrad.train.Dataset;
import java.util.Arrays;

/**
 * Labelled samples of one instrument, in time order: the feature vector of a {@link FeatureSpec} at every valid
 * tick once the pipeline is warm, labelled by a {@link Target} at {@code horizon} ticks later. A vector depends only
 * on ticks up to its decision; a label only on the price at the horizon; decisions whose horizon lies past the end
 * give no sample. Ticks with a non-positive or infinite price or a time going backwards are skipped, as serving
 * skips them. Cold path.
 *
 * <p>A plain Java value: the arrays are held as given, not copied, and must not be changed. Safe to read from any
 * thread once built.
 *
 * @param x          rows x width features, row-major (normalised when the spec carries a normalisation)
 * @param y          0/1 labels, one per row
 * @param decisionAt the index of each sample's decision among the valid ticks (sample i's label is known at
 *                   valid tick decisionAt[i] + horizon), ascending
 * @param timeNs     exchange time of each decision, epoch ns, non-decreasing
 * @param rows       the number of samples
 * @param width      features per sample (the spec's vector width)
 * @param horizon    ticks from decision to label, at least 1
 */
public record MarketSamples(float[] x, float[] y, int[] decisionAt, long[] timeNs, int rows, int width,
                            int horizon) {

    /**
     * Reads {@code source} to its end (until a poll hands no tick) on the caller's thread and labels every decision
     * whose horizon lies within the data.
     *
     * @param spec    the feature pipeline and its normalisation, if any
     * @param source  the ticks of one instrument in time order; borrowed, not closed
     * @param target  what the label says about the move over the horizon
     * @param horizon ticks from decision to label, at least 1
     * @return the samples, possibly none
     * @throws IllegalArgumentException when {@code horizon} is below 1
     */
    public static MarketSamples collect(FeatureSpec spec, TickSource source, Target target, int horizon) {
        if (horizon < 1) {
            throw new IllegalArgumentException("samples: horizon must be >= 1 tick, got " + horizon);
        }
        OnlineFeatures features = new OnlineFeatures(spec);
        int width = features.width();
        float[][] x = {new float[width * 1024]};
        double[][] prices = {new double[1024]};
        double[][] variance = {new double[1024]};
        long[][] times = {new long[1024]};
        boolean[][] hasRow = {new boolean[1024]};
        int[] valid = {0};
        int[] rows = {0};
        long[] lastTime = {Long.MIN_VALUE};
        TickHandler handler = tick -> {
            long t = tick.exchangeTimeNs();
            double p = tick.price();
            if (!(p > 0) || Double.isInfinite(p) || t < lastTime[0]) {
                return;
            }
            lastTime[0] = t;
            features.onTick(tick);
            int i = valid[0]++;
            if (i == prices[0].length) {
                int cap = i * 2;
                prices[0] = Arrays.copyOf(prices[0], cap);
                variance[0] = Arrays.copyOf(variance[0], cap);
                times[0] = Arrays.copyOf(times[0], cap);
                hasRow[0] = Arrays.copyOf(hasRow[0], cap);
            }
            prices[0][i] = p;
            times[0][i] = t;
            variance[0][i] = features.slowVariance();
            if (features.ready()) {
                if ((rows[0] + 1) * width > x[0].length) {
                    x[0] = Arrays.copyOf(x[0], x[0].length * 2);
                }
                features.write(x[0], rows[0] * width);
                rows[0]++;
                hasRow[0][i] = true;
            }
        };
        while (source.poll(handler, 4096) > 0) {
            // to the end of the source
        }
        int n = valid[0];
        float[] outX = new float[rows[0] * width];
        float[] outY = new float[rows[0]];
        int[] at = new int[rows[0]];
        long[] outT = new long[rows[0]];
        int row = 0;
        int kept = 0;
        for (int i = 0; i < n; i++) {
            if (!hasRow[0][i]) {
                continue;
            }
            int r = row++;
            if (i + horizon >= n) {
                continue;
            }
            int label = target.label(Math.log(prices[0][i + horizon] / prices[0][i]), variance[0][i], horizon);
            if (label < 0) {
                continue;
            }
            System.arraycopy(x[0], r * width, outX, kept * width, width);
            outY[kept] = label;
            at[kept] = i;
            outT[kept] = times[0][i];
            kept++;
        }
        return new MarketSamples(Arrays.copyOf(outX, kept * width), Arrays.copyOf(outY, kept), Arrays.copyOf(at, kept),
            Arrays.copyOf(outT, kept), kept, width, horizon);
    }

    /**
     * Rows [from, to) as a dataset with one 0/1 target column.
     *
     * @param from the first row, inclusive
     * @param to   the end row, exclusive, at least {@code from}
     * @return a new dataset of (to - from) x width features (copies of the rows)
     * @throws ArrayIndexOutOfBoundsException when the range lies outside [0, rows]
     */
    public Dataset dataset(int from, int to) {
        return new Dataset(Arrays.copyOfRange(x, from * width, to * width), Arrays.copyOfRange(y, from, to), to - from,
            width, 1);
    }

    /**
     * The share of label 1 among rows [from, to).
     *
     * @param from the first row, inclusive
     * @param to   the end row, exclusive
     * @return the positive rate in [0, 1]; NaN for an empty range
     */
    public double positiveRate(int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += y[i];
        }
        return to > from ? s / (to - from) : Double.NaN;
    }

    /**
     * The first row whose label is not yet known at the decision of row {@code row}: training rows for a test that
     * starts at {@code row} must end before it (their horizon reached at or before the test's first decision).
     *
     * @param row the first row of the test, in [0, rows)
     * @return the end (exclusive) of the rows whose labels are known by {@code row}'s decision, in [0, row]
     */
    public int labelKnownBefore(int row) {
        int limit = decisionAt[row] - horizon;
        int lo = 0;
        int hi = row;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (decisionAt[mid] <= limit) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
