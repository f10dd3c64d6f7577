package io.tickgrad.tabular;

import java.util.Arrays;

/**
 * Chooses a decision threshold from scores and 0/1 labels. A row is predicted positive when its score is at
 * or above the threshold, and the candidates are the distinct scores themselves, so the chosen threshold
 * reproduces exactly the confusion matrix it was chosen for.
 */
public final class ThresholdSelector {
    private ThresholdSelector() {
    }

    /**
     * The threshold that meets {@code goal} on these rows; 0.5 when there are no positives.
     *
     * @param scores probabilities of the positive class
     * @param labels 0/1 labels, same length
     * @param goal   what to choose for
     * @return the threshold, in [0, 1]
     */
    public static double choose(float[] scores, float[] labels, ThresholdGoal goal) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a]));
        long positives = 0;
        for (float y : labels) {
            if (y >= 0.5f) {
                positives++;
            }
        }
        if (positives == 0 || n == 0) {
            return 0.5;
        }
        long tp = 0;
        long fp = 0;
        double best = Double.NEGATIVE_INFINITY;
        double bestThreshold = scores[order[0]];
        int i = 0;
        while (i < n) {
            float t = scores[order[i]];
            while (i < n && scores[order[i]] == t) {   // a tie group is predicted together
                if (labels[order[i]] >= 0.5f) {
                    tp++;
                } else {
                    fp++;
                }
                i++;
            }
            double recall = (double) tp / positives;
            if (goal.kind() == ThresholdGoal.Kind.TARGET_RECALL) {
                if (recall >= goal.targetRecall() - 1e-12) {
                    return t;   // the highest threshold that reaches the recall
                }
            } else {
                double f1 = 2.0 * tp / (2.0 * tp + fp + (positives - tp));
                if (f1 > best) {
                    best = f1;
                    bestThreshold = t;
                }
            }
        }
        return goal.kind() == ThresholdGoal.Kind.TARGET_RECALL ? scores[order[n - 1]] : bestThreshold;
    }
}
