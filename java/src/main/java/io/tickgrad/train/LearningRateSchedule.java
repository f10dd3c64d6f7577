package io.tickgrad.train;

/** The learning rate at each optimizer step (counted from 0), given the optimizer's base rate. */
@FunctionalInterface
public interface LearningRateSchedule {

    double rate(long step, double baseRate);

    /** The base rate at every step. */
    static LearningRateSchedule constant() {
        return (step, base) -> base;
    }

    /** base * gamma^(floor(step / every)). */
    static LearningRateSchedule stepDecay(long every, double gamma) {
        if (every < 1) {
            throw new IllegalArgumentException("step decay interval must be >= 1, got " + every);
        }
        OptimizerChecks.positive("step decay gamma", gamma);
        return (step, base) -> base * Math.pow(gamma, (double) (step / every));
    }

    /**
     * Linear warm-up from base/warmupSteps to base over {@code warmupSteps}, then a cosine decay to
     * {@code minRate} at {@code totalSteps}, and {@code minRate} after.
     */
    static LearningRateSchedule cosineWithWarmup(long warmupSteps, long totalSteps, double minRate) {
        if (warmupSteps < 0 || totalSteps <= warmupSteps) {
            throw new IllegalArgumentException("cosine schedule needs 0 <= warmup (" + warmupSteps
                + ") < total steps (" + totalSteps + ")");
        }
        OptimizerChecks.nonNegative("minimum learning rate", minRate);
        return (step, base) -> {
            if (step < warmupSteps) {
                return base * (step + 1) / warmupSteps;
            }
            if (step >= totalSteps) {
                return minRate;
            }
            double progress = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
            return minRate + 0.5 * (base - minRate) * (1 + Math.cos(Math.PI * progress));
        };
    }
}
