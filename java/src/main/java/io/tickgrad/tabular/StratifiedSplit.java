package io.tickgrad.tabular;

import io.tickgrad.train.Dataset;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A seeded train/validation split that keeps the positive rate of both parts close to the whole: each class is
 * shuffled and {@code fraction} of it, rounded, goes to validation.
 *
 * @param train       row indices of the training part, ascending
 * @param validation  row indices of the validation part, ascending
 */
public record StratifiedSplit(int[] train, int[] validation) {

    /**
     * Splits the rows by label.
     *
     * @param labels   0/1 labels, one per row
     * @param fraction the share of each class that goes to validation, in [0, 1)
     * @param seed     the seed of the shuffles
     * @return the split
     */
    public static StratifiedSplit of(float[] labels, double fraction, long seed) {
        int n = labels.length;
        int pos = 0;
        for (float y : labels) {
            if (y >= 0.5f) {
                pos++;
            }
        }
        int[] positives = new int[pos];
        int[] negatives = new int[n - pos];
        int p = 0;
        int q = 0;
        for (int i = 0; i < n; i++) {
            if (labels[i] >= 0.5f) {
                positives[p++] = i;
            } else {
                negatives[q++] = i;
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        shuffle(positives, random);
        shuffle(negatives, random);
        int vp = (int) Math.round(positives.length * fraction);
        int vn = (int) Math.round(negatives.length * fraction);
        int[] validation = new int[vp + vn];
        int[] train = new int[n - vp - vn];
        System.arraycopy(positives, 0, validation, 0, vp);
        System.arraycopy(negatives, 0, validation, vp, vn);
        System.arraycopy(positives, vp, train, 0, positives.length - vp);
        System.arraycopy(negatives, vn, train, positives.length - vp, negatives.length - vn);
        Arrays.sort(train);
        Arrays.sort(validation);
        return new StratifiedSplit(train, validation);
    }

    private static void shuffle(int[] a, SplittableRandom random) {
        int[] order = Dataset.permutation(a.length, random);
        int[] copy = a.clone();
        for (int i = 0; i < a.length; i++) {
            a[i] = copy[order[i]];
        }
    }
}
