package io.tickgrad.market;

import io.tickgrad.model.FeatureNormalisation;
import java.util.Arrays;

/**
 * Fits a pipeline's normalisation on a training span: runs the features over the span's ticks and takes the mean
 * and standard deviation of every scalar column. The chart window's columns are left as they are (mean 0,
 * scale 1): they are already L2-normalised, and the pretrained trunk expects them so. Cold path.
 */
public final class FeatureFitting {
    private FeatureFitting() {
    }

    /**
     * Reads {@code source} to its end, computing a vector at every tick in [fromNs, toNs) once the features are
     * warm, and returns the spec with the fitted statistics and the span recorded. Ticks with a non-positive price
     * or a time going backwards are skipped, as the serving loop skips them.
     *
     * @param spec   the pipeline to fit
     * @param source the recorded ticks, read on the caller's thread
     * @param fromNs start of the fitting span, epoch ns, inclusive
     * @param toNs   end of the fitting span, epoch ns, exclusive
     * @return the spec with normalisation and span
     * @throws IllegalArgumentException when the span holds no complete vector
     */
    public static FeatureSpec fit(FeatureSpec spec, TickSource source, long fromNs, long toNs) {
        FeatureSpec raw = spec.withNormalisation(null, fromNs, toNs);
        OnlineFeatures features = new OnlineFeatures(raw);
        int width = raw.width();
        float[][] rows = {new float[width * 1024]};
        int[] n = {0};
        long[] lastTime = {Long.MIN_VALUE};
        TickHandler handler = tick -> {
            long t = tick.exchangeTimeNs();
            if (t >= toNs || !(tick.price() > 0) || Double.isInfinite(tick.price()) || t < lastTime[0]) {
                return;
            }
            lastTime[0] = t;
            features.onTick(tick);
            if (t >= fromNs && features.ready()) {
                if ((n[0] + 1) * width > rows[0].length) {
                    rows[0] = Arrays.copyOf(rows[0], rows[0].length * 2);
                }
                features.write(rows[0], n[0] * width);
                n[0]++;
            }
        };
        while (source.poll(handler, 4096) > 0) {
            // to the end of the source
        }
        if (n[0] == 0) {
            throw new IllegalArgumentException("feature fitting: no complete feature vector in the span [" + fromNs
                + ", " + toNs + ") ns; it needs at least " + raw.warmupTicks() + " ticks");
        }
        FeatureNormalisation stats = FeatureNormalisation.fit(rows[0], n[0], width);
        float[] mean = stats.mean();
        float[] scale = stats.scale();
        for (int i = 0; i < raw.chartPoints(); i++) {
            mean[i] = 0f;
            scale[i] = 1f;
        }
        return raw.withNormalisation(new FeatureNormalisation(mean, scale), fromNs, toNs);
    }
}
