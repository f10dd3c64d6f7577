package io.tickgrad.train;

/** Progress callbacks of a {@link Fitter} run (the CLI draws its progress bar from these). */
public interface FitListener {
    /** A listener that ignores every event. */
    FitListener NONE = new FitListener() {
    };

    /**
     * After each step: 1-based step count within the whole run, and the total steps planned. Called on the fitting
     * thread; keep it cheap.
     *
     * @param step       steps taken so far, from 1
     * @param totalSteps steps planned for the whole run (fewer run when training stops early)
     * @param epoch      the current epoch, from 0
     * @param loss       the step's batch loss (not finite for a rejected step)
     */
    default void onStep(long step, long totalSteps, int epoch, double loss) {
    }

    /**
     * After each epoch, on the fitting thread.
     *
     * @param epoch          the epoch just finished, from 0
     * @param trainLoss      the mean training loss over its rows
     * @param validationLoss the validation loss, NaN without a validation split
     */
    default void onEpoch(int epoch, double trainLoss, double validationLoss) {
    }
}
