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

    /** What the threshold optimises. */
    public enum Kind {
        /** The threshold with the highest F1. */
        BEST_F1,
        /** The highest threshold whose recall reaches the target. */
        TARGET_RECALL
    }

    /**
     * Validates the components.
     *
     * @param kind         best F1 or target recall
     * @param targetRecall the recall to reach, in (0, 1] for a target recall; ignored for best F1
     * @throws IllegalArgumentException when a target recall is outside (0, 1]
     */
    public ThresholdGoal {
        if (kind == Kind.TARGET_RECALL && !(targetRecall > 0 && targetRecall <= 1)) {
            throw new IllegalArgumentException("target recall must be in (0, 1], got " + targetRecall);
        }
    }

    /**
     * The threshold with the best F1 on the validation rows.
     *
     * @return the goal
     */
    public static ThresholdGoal bestF1() {
        return new ThresholdGoal(Kind.BEST_F1, Double.NaN);
    }

    /**
     * The highest threshold whose recall on the validation rows reaches {@code recall}.
     *
     * @param recall the share of positives to catch, in (0, 1]
     * @return the goal
     * @throws IllegalArgumentException when the recall is outside (0, 1]
     */
    public static ThresholdGoal targetRecall(double recall) {
        return new ThresholdGoal(Kind.TARGET_RECALL, recall);
    }

    /**
     * Parses "f1" or "recall=R" (as in recall=0.8).
     *
     * @param spec the text
     * @return the goal
     * @throws IllegalArgumentException naming the accepted forms
     */
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
