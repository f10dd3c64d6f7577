package io.tickgrad.train;

/** Progress callbacks of a {@link Fitter} run (the CLI draws its progress bar from these). */
public interface FitListener {
    FitListener NONE = new FitListener() {
    };

    /** After each step: 1-based step count within the whole run, and the total steps planned. */
    default void onStep(long step, long totalSteps, int epoch, double loss) {
    }

    default void onEpoch(int epoch, double trainLoss, double validationLoss) {
    }
}
