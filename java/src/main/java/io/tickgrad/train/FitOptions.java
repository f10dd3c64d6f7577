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

    /** 10 epochs of 32, shuffled with seed 42, no validation, no early stopping. */
    public static FitOptions defaults() {
        return new FitOptions(10, 32, true, 42, 0, 0, true);
    }

    public FitOptions withEpochs(int value) {
        return new FitOptions(value, batchSize, shuffle, seed, validationSplit, patience, restoreBest);
    }

    public FitOptions withBatchSize(int value) {
        return new FitOptions(epochs, value, shuffle, seed, validationSplit, patience, restoreBest);
    }

    public FitOptions withShuffle(boolean value, long seedValue) {
        return new FitOptions(epochs, batchSize, value, seedValue, validationSplit, patience, restoreBest);
    }

    public FitOptions withValidationSplit(double value) {
        return new FitOptions(epochs, batchSize, shuffle, seed, value, patience, restoreBest);
    }

    public FitOptions withEarlyStopping(int patienceValue, boolean restoreBestValue) {
        return new FitOptions(epochs, batchSize, shuffle, seed, validationSplit, patienceValue, restoreBestValue);
    }
}
