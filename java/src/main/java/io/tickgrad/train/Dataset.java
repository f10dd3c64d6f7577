package io.tickgrad.train;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * An in-memory table of samples: features [rows, featureCount] and targets [rows, targetCount], row-major
 * float arrays. Used by fit and evaluate; the serving path never touches it.
 */
public final class Dataset {
    private final float[] features;
    private final float[] targets;
    private final int rows;
    private final int featureCount;
    private final int targetCount;

    public Dataset(float[] features, float[] targets, int rows, int featureCount, int targetCount) {
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
    }

    public int rows() {
        return rows;
    }

    public int featureCount() {
        return featureCount;
    }

    public int targetCount() {
        return targetCount;
    }

    /** The backing feature array (not a copy). */
    public float[] features() {
        return features;
    }

    /** The backing target array (not a copy). */
    public float[] targets() {
        return targets;
    }

    public float feature(int row, int col) {
        return features[row * featureCount + col];
    }

    public float target(int row, int col) {
        return targets[row * targetCount + col];
    }

    /** The rows in {@code order[from, to)}, copied. */
    public Dataset select(int[] order, int from, int to) {
        int n = to - from;
        float[] f = new float[n * featureCount];
        float[] t = new float[n * targetCount];
        for (int i = 0; i < n; i++) {
            int r = order[from + i];
            System.arraycopy(features, r * featureCount, f, i * featureCount, featureCount);
            System.arraycopy(targets, r * targetCount, t, i * targetCount, targetCount);
        }
        return new Dataset(f, t, n, featureCount, targetCount);
    }

    /** Rows [from, to) in order, copied. */
    public Dataset slice(int from, int to) {
        if (from < 0 || to > rows || from > to) {
            throw new IndexOutOfBoundsException("rows [" + from + ", " + to + ") of " + rows);
        }
        return new Dataset(Arrays.copyOfRange(features, from * featureCount, to * featureCount),
            Arrays.copyOfRange(targets, from * targetCount, to * targetCount), to - from, featureCount, targetCount);
    }

    /** The same rows with other targets (for example a new head's labels). */
    public Dataset withTargets(float[] newTargets, int newTargetCount) {
        return new Dataset(features, newTargets, rows, featureCount, newTargetCount);
    }

    /** The same rows with other features (for example cached trunk outputs). */
    public Dataset withFeatures(float[] newFeatures, int newFeatureCount) {
        return new Dataset(newFeatures, targets, rows, newFeatureCount, targetCount);
    }

    /** A seeded permutation of the row indices (Fisher-Yates). */
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
