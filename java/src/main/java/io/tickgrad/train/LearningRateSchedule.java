package io.tickgrad.train;

/** The learning rate at each optimizer step (counted from 0), given the optimizer's base rate. */
@FunctionalInterface
public interface LearningRateSchedule {

    /**
     * The learning rate of a step. Called once per training step on the trainer's thread; must not allocate.
     *
     * @param step     the step index, from 0
     * @param baseRate the optimizer's base rate
     * @return the rate to use for that step
     */
    double rate(long step, double baseRate);

    /**
     * The base rate at every step.
     *
     * @return the schedule
     */
    static LearningRateSchedule constant() {
        return (step, base) -> base;
    }

    /**
     * base * gamma^(floor(step / every)).
     *
     * @param every steps between decays, at least 1
     * @param gamma the factor applied at each decay, e.g. 0.5
     * @return the schedule
     */
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
     *
     * @param warmupSteps steps of linear warm-up (0 for none)
     * @param totalSteps  the step at which the decay reaches minRate
     * @param minRate     the final rate (absolute, not a fraction of the base)
     * @return the schedule
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
