package io.tickgrad.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;

/**
 * Per-feature standardisation statistics fitted on a training span, x' = (x - mean) / scale, stored in a
 * checkpoint's metadata so that serving applies exactly what training saw.
 */
public final class FeatureNormalisation {
    /** The metadata key of the statistics in a checkpoint. */
    public static final String METADATA_KEY = "tickgrad.normalisation";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final float[] mean;
    private final float[] scale;

    /**
     * Statistics given per feature (copied).
     *
     * @param mean  the mean of each feature, finite
     * @param scale the divisor of each feature, finite and &gt; 0, same length as mean
     * @throws IllegalArgumentException when the lengths differ or are 0, or a value is out of range
     */
    public FeatureNormalisation(float[] mean, float[] scale) {
        if (mean.length != scale.length || mean.length == 0) {
            throw new IllegalArgumentException("mean and scale need the same non-zero length, got " + mean.length
                + " and " + scale.length);
        }
        for (int i = 0; i < scale.length; i++) {
            if (!(scale[i] > 0) || !Float.isFinite(scale[i]) || !Float.isFinite(mean[i])) {
                throw new IllegalArgumentException("feature " + i + ": mean must be finite and scale finite and > 0, got "
                    + mean[i] + " and " + scale[i]);
            }
        }
        this.mean = mean.clone();
        this.scale = scale.clone();
    }

    /**
     * Fits mean and standard deviation per column of [rows, cols]; a constant column gets scale 1.
     *
     * @param x    rows x cols floats, row-major
     * @param rows rows to fit on
     * @param cols features per row
     * @return the statistics
     */
    public static FeatureNormalisation fit(float[] x, int rows, int cols) {
        float[] m = new float[cols];
        float[] s = new float[cols];
        for (int c = 0; c < cols; c++) {
            double sum = 0;
            for (int r = 0; r < rows; r++) {
                sum += x[r * cols + c];
            }
            double mu = rows == 0 ? 0 : sum / rows;
            double ss = 0;
            for (int r = 0; r < rows; r++) {
                double d = x[r * cols + c] - mu;
                ss += d * d;
            }
            double sd = rows == 0 ? 0 : Math.sqrt(ss / rows);
            m[c] = (float) mu;
            s[c] = sd > 1e-12 ? (float) sd : 1f;
        }
        return new FeatureNormalisation(m, s);
    }

    /**
     * The number of features these statistics cover.
     *
     * @return the width of a row
     */
    public int features() {
        return mean.length;
    }

    /**
     * Normalises {@link #features()} values of {@code x} from {@code offset} in place (one row); allocates nothing.
     *
     * @param x      the values
     * @param offset index of the row's first value
     */
    public void apply(float[] x, int offset) {
        for (int i = 0; i < mean.length; i++) {
            x[offset + i] = (x[offset + i] - mean[i]) / scale[i];
        }
    }

    /**
     * Normalises every row of [rows, features] in place.
     *
     * @param x    rows x features floats, row-major
     * @param rows the number of rows
     */
    public void applyRows(float[] x, int rows) {
        for (int r = 0; r < rows; r++) {
            apply(x, r * mean.length);
        }
    }

    /**
     * The means.
     *
     * @return a copy
     */
    public float[] mean() {
        return mean.clone();
    }

    /**
     * The divisors.
     *
     * @return a copy
     */
    public float[] scale() {
        return scale.clone();
    }

    /**
     * The JSON form stored in a checkpoint under {@link #METADATA_KEY}: {@code {"mean": [...], "scale": [...]}}.
     *
     * @return compact JSON text
     */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode m = root.putArray("mean");
        ArrayNode s = root.putArray("scale");
        for (int i = 0; i < mean.length; i++) {
            m.add(mean[i]);
            s.add(scale[i]);
        }
        return root.toString();
    }

    /**
     * Parses the JSON form.
     *
     * @param json   the text written by {@link #toJson()}
     * @param source where it came from (a file name), for messages
     * @return the statistics
     * @throws IllegalArgumentException naming the source and what was expected
     */
    public static FeatureNormalisation fromJson(String json, String source) {
        try {
            JsonNode root = JSON.readTree(json);
            JsonNode m = root.get("mean");
            JsonNode s = root.get("scale");
            if (m == null || s == null || !m.isArray() || !s.isArray()) {
                throw new IllegalArgumentException(source + ": " + METADATA_KEY + " needs arrays 'mean' and 'scale'");
            }
            float[] mean = new float[m.size()];
            float[] scale = new float[s.size()];
            for (int i = 0; i < mean.length; i++) {
                mean[i] = (float) m.get(i).asDouble(Double.NaN);
            }
            for (int i = 0; i < scale.length; i++) {
                scale[i] = (float) s.get(i).asDouble(Double.NaN);
            }
            return new FeatureNormalisation(mean, scale);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": " + METADATA_KEY + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith(source) ? e
                : new IllegalArgumentException(source + ": " + METADATA_KEY + ": " + e.getMessage());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureNormalisation && Arrays.equals(mean, ((FeatureNormalisation) o).mean)
            && Arrays.equals(scale, ((FeatureNormalisation) o).scale);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(scale);
    }
}
