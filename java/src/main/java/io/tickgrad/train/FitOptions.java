package io.tickgrad.train;

/**
 * How {@link Fitter} runs: epochs, batch size, shuffling, validation split and early stopping.
 *
 * @param epochs           passes over the training rows (>= 1)
 * @param batchSize        rows per step (1..network max batch); the last batch of an epoch may be smaller
 * @param shuffle          reshuffle the training rows every epoch
 * @param seed             seed of the shuffles
 * @param validationSplit  fraction of rows held out for validation, taken from the end as Keras does (0 = none)
 * @param patience         early stopping: stop after this many epochs without a better validation loss (0 = off)
 * @param restoreBest      with early stopping, restore the weights of the best epoch at the end
 */
public record FitOptions(int epochs, int batchSize, boolean shuffle, long seed, double validationSplit,
                         int patience, boolean restoreBest) {

    /**
     * Validates the components.
     *
     * @param epochs          passes over the training rows, at least 1
     * @param batchSize       rows per step, at least 1
     * @param shuffle         reshuffle the training rows every epoch
     * @param seed            seed of the shuffles
     * @param validationSplit fraction of rows held out, in [0, 1)
     * @param patience        epochs without improvement before stopping, 0 = off
     * @param restoreBest     restore the best epoch's weights at the end
     * @throws IllegalArgumentException when epochs or batchSize is below 1, validationSplit is outside [0, 1) or
     *                                  patience is negative
     */
    public FitOptions {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (!(validationSplit >= 0 && validationSplit < 1)) {
            throw new IllegalArgumentException("validation split must be in [0, 1), got " + validationSplit);
        }
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be >= 0, got " + patience);
        }
    }

    /**
     * 10 epochs of 32, shuffled with seed 42, no validation, no early stopping.
     *
     * @return the options
     */
    public static FitOptions defaults() {
        return new FitOptions(10, 32, true, 42, 0, 0, true);
    }

    /**
     * A copy with another number of epochs.
     *
     * @param value epochs, at least 1
     * @return the new options
     */
    public FitOptions withEpochs(int value) {
        return new FitOptions(value, batchSize, shuffle, seed, validationSplit, patience, restoreBest);
    }

    /**
     * A copy with another batch size.
     *
     * @param value rows per step, at least 1 and at most the network's max batch
     * @return the new options
     */
    public FitOptions withBatchSize(int value) {
        return new FitOptions(epochs, value, shuffle, seed, validationSplit, patience, restoreBest);
    }

    /**
     * A copy with other shuffling.
     *
     * @param value     whether to reshuffle every epoch
     * @param seedValue the seed of the shuffles
     * @return the new options
     */
    public FitOptions withShuffle(boolean value, long seedValue) {
        return new FitOptions(epochs, batchSize, value, seedValue, validationSplit, patience, restoreBest);
    }

    /**
     * A copy with another validation split.
     *
     * @param value the fraction of rows held out from the end, in [0, 1)
     * @return the new options
     */
    public FitOptions withValidationSplit(double value) {
        return new FitOptions(epochs, batchSize, shuffle, seed, value, patience, restoreBest);
    }

    /**
     * A copy with other early stopping (needs a validation split to take effect).
     *
     * @param patienceValue    epochs without a better validation loss before stopping; 0 turns it off
     * @param restoreBestValue whether to restore the best epoch's weights at the end
     * @return the new options
     */
    public FitOptions withEarlyStopping(int patienceValue, boolean restoreBestValue) {
        return new FitOptions(epochs, batchSize, shuffle, seed, validationSplit, patienceValue, restoreBestValue);
    }
}
