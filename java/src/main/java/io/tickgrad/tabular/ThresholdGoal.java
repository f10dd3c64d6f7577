package io.tickgrad.tabular;

import java.util.Locale;

/**
 * What the decision threshold is chosen for on the validation rows: the best F1, or the highest threshold whose
 * recall reaches a target (catch at least that share of defaults or frauds, with as few alarms as that allows).
 *
 * @param kind          best F1 or target recall
 * @param targetRecall  the recall to reach, in (0, 1]; NaN for best F1
 */
public record ThresholdGoal(Kind kind, double targetRecall) {

    public enum Kind { BEST_F1, TARGET_RECALL }

    public ThresholdGoal {
        if (kind == Kind.TARGET_RECALL && !(targetRecall > 0 && targetRecall <= 1)) {
            throw new IllegalArgumentException("target recall must be in (0, 1], got " + targetRecall);
        }
    }

    public static ThresholdGoal bestF1() {
        return new ThresholdGoal(Kind.BEST_F1, Double.NaN);
    }

    public static ThresholdGoal targetRecall(double recall) {
        return new ThresholdGoal(Kind.TARGET_RECALL, recall);
    }

    /** Parses "f1" or "recall=R" (as in recall=0.8). */
    public static ThresholdGoal parse(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("f1")) {
            return bestF1();
        }
        if (s.startsWith("recall=") || s.startsWith("recall:")) {
            try {
                return targetRecall(Double.parseDouble(s.substring(7)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("threshold goal '" + spec + "': the recall must be a number");
            }
        }
        throw new IllegalArgumentException("threshold goal must be f1 or recall=R (as in recall=0.8), got '" + spec + "'");
    }

    @Override
    public String toString() {
        return kind == Kind.BEST_F1 ? "f1" : "recall=" + targetRecall;
    }
}
