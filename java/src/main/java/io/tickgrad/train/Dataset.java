package io.tickgrad.train;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * An in-memory table of samples: features [rows, featureCount] and targets [rows, targetCount], row-major
 * float arrays, and optionally a weight per sample ({@link #withSampleWeights}). Used by fit and evaluate; the
 * serving path never touches it.
 *
 * <p>Plain Java arrays, no native memory. Not copied on construction; do not change the arrays while a fit reads them.
 */
public final class Dataset {
    private final float[] features;
    private final float[] targets;
    private final int rows;
    private final int featureCount;
    private final int targetCount;
    private final float[] sampleWeights;   // null: unweighted

    /**
     * A dataset over the given arrays, which are kept (not copied).
     *
     * @param features     rows x featureCount floats, row-major
     * @param targets      rows x targetCount floats, row-major
     * @param rows         number of samples, at least 0
     * @param featureCount features per row, at least 1
     * @param targetCount  targets per row, at least 1
     * @throws IllegalArgumentException when a count is out of range or an array's length does not match
     */
    public Dataset(float[] features, float[] targets, int rows, int featureCount, int targetCount) {
        this(features, targets, rows, featureCount, targetCount, null);
    }

    private Dataset(float[] features, float[] targets, int rows, int featureCount, int targetCount,
                    float[] sampleWeights) {
        if (rows < 0 || featureCount < 1 || targetCount < 1) {
            throw new IllegalArgumentException("dataset needs rows >= 0, featureCount >= 1, targetCount >= 1; got "
                + rows + ", " + featureCount + ", " + targetCount);
        }
        if (features.length != (long) rows * featureCount) {
            throw new IllegalArgumentException("features: expected " + (long) rows * featureCount + " floats ("
                + rows + " rows x " + featureCount + "), got " + features.length);
        }
        if (targets.length != (long) rows * targetCount) {
            throw new IllegalArgumentException("targets: expected " + (long) rows * targetCount + " floats ("
                + rows + " rows x " + targetCount + "), got " + targets.length);
        }
        this.features = features;
        this.targets = targets;
        this.rows = rows;
        this.featureCount = featureCount;
        this.targetCount = targetCount;
        this.sampleWeights = sampleWeights;
    }

    /**
     * The same rows with a weight per sample (like a sample_weight), used by {@link Fitter#fit} with a trainer built
     * with {@link LossWeights}: the loss is the weighted mean {@code sum w_b loss_b / sum w_b}.
     *
     * @param weights [rows], each finite and >= 0, not all 0 (copied)
     * @return a new dataset sharing the features and targets
     * @throws IllegalArgumentException naming the first bad row (1-based)
     */
    public Dataset withSampleWeights(float[] weights) {
        if (weights.length != rows) {
            throw new IllegalArgumentException("sample weights: found " + weights.length + " for " + rows
                + " rows; expected one per row");
        }
        boolean any = false;
        for (int r = 0; r < rows; r++) {
            LossWeights.requireWeight("sample weight of row " + (r + 1), weights[r]);
            any |= weights[r] > 0;
        }
        if (rows > 0 && !any) {
            throw new IllegalArgumentException("sample weights: every one of the " + rows + " is 0, so no row "
                + "would count; expected at least one weight > 0");
        }
        return new Dataset(features, targets, rows, featureCount, targetCount, weights.clone());
    }

    /**
     * Whether the rows carry sample weights.
     *
     * @return true after {@link #withSampleWeights}
     */
    public boolean weighted() {
        return sampleWeights != null;
    }

    /**
     * The backing sample weights [rows] (not a copy), or null when unweighted.
     *
     * @return the weights array itself, or null
     */
    public float[] sampleWeights() {
        return sampleWeights;
    }

    /**
     * The sample weight of a row (1 when unweighted).
     *
     * @param row the row index, from 0
     * @return the weight
     */
    public float sampleWeight(int row) {
        return sampleWeights == null ? 1f : sampleWeights[row];
    }

    /**
     * The number of samples.
     *
     * @return rows
     */
    public int rows() {
        return rows;
    }

    /**
     * The width of a feature row.
     *
     * @return features per row
     */
    public int featureCount() {
        return featureCount;
    }

    /**
     * The width of a target row.
     *
     * @return targets per row
     */
    public int targetCount() {
        return targetCount;
    }

    /**
     * The backing feature array (not a copy).
     *
     * @return rows x featureCount floats, row-major
     */
    public float[] features() {
        return features;
    }

    /**
     * The backing target array (not a copy).
     *
     * @return rows x targetCount floats, row-major
     */
    public float[] targets() {
        return targets;
    }

    /**
     * One feature value.
     *
     * @param row the row index, from 0
     * @param col the feature index, from 0
     * @return features[row * featureCount + col]
     */
    public float feature(int row, int col) {
        return features[row * featureCount + col];
    }

    /**
     * One target value.
     *
     * @param row the row index, from 0
     * @param col the target index, from 0
     * @return targets[row * targetCount + col]
     */
    public float target(int row, int col) {
        return targets[row * targetCount + col];
    }

    /**
     * The rows in {@code order[from, to)}, copied.
     *
     * @param order row indices
     * @param from  first position in {@code order}, inclusive
     * @param to    last position in {@code order}, exclusive
     * @return a new dataset of to - from rows, sample weights included
     */
    public Dataset select(int[] order, int from, int to) {
        int n = to - from;
        float[] f = new float[n * featureCount];
        float[] t = new float[n * targetCount];
        float[] w = sampleWeights == null ? null : new float[n];
        for (int i = 0; i < n; i++) {
            int r = order[from + i];
            System.arraycopy(features, r * featureCount, f, i * featureCount, featureCount);
            System.arraycopy(targets, r * targetCount, t, i * targetCount, targetCount);
            if (w != null) {
                w[i] = sampleWeights[r];
            }
        }
        return new Dataset(f, t, n, featureCount, targetCount, w);
    }

    /**
     * Rows [from, to) in order, copied.
     *
     * @param from first row, inclusive
     * @param to   last row, exclusive
     * @return a new dataset of to - from rows
     */
    public Dataset slice(int from, int to) {
        if (from < 0 || to > rows || from > to) {
            throw new IndexOutOfBoundsException("rows [" + from + ", " + to + ") of " + rows);
        }
        return new Dataset(Arrays.copyOfRange(features, from * featureCount, to * featureCount),
            Arrays.copyOfRange(targets, from * targetCount, to * targetCount), to - from, featureCount, targetCount,
            sampleWeights == null ? null : Arrays.copyOfRange(sampleWeights, from, to));
    }

    /**
     * The same rows with other targets (for example a new head's labels).
     *
     * @param newTargets     rows x newTargetCount floats, row-major (kept, not copied)
     * @param newTargetCount targets per row
     * @return a new dataset sharing the features and weights
     */
    public Dataset withTargets(float[] newTargets, int newTargetCount) {
        return new Dataset(features, newTargets, rows, featureCount, newTargetCount, sampleWeights);
    }

    /**
     * The same rows with other features (for example cached trunk outputs).
     *
     * @param newFeatures     rows x newFeatureCount floats, row-major (kept, not copied)
     * @param newFeatureCount features per row
     * @return a new dataset sharing the targets and weights
     */
    public Dataset withFeatures(float[] newFeatures, int newFeatureCount) {
        return new Dataset(newFeatures, targets, rows, newFeatureCount, targetCount, sampleWeights);
    }

    /**
     * A seeded permutation of the row indices (Fisher-Yates).
     *
     * @param n      the number of indices
     * @param random the source of randomness; the same seed gives the same permutation
     * @return the indices 0 to n - 1 in shuffled order
     */
    public static int[] permutation(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        return order;
    }
}
