package io.tickgrad.tabular;

import java.util.List;

/**
 * How a tabular model is fitted.
 *
 * @param hidden              units of the hidden ReLU layers; empty = logistic regression (no hidden layer)
 * @param epochs              most passes over the training rows
 * @param batchSize           rows per step (1..256)
 * @param learningRate        AdamW learning rate
 * @param weightDecay         AdamW decoupled weight decay
 * @param validationFraction  share of rows held out, stratified by label, for early stopping and the threshold;
 *                            0 = none (the threshold is then chosen on the training rows)
 * @param patience            stop after this many epochs without a better validation loss (0 = never)
 * @param classWeighting      class weights in the loss
 * @param thresholdGoal       what the threshold is chosen for
 * @param seed                seed of the split, the initial weights and the shuffles
 * @param columns             column kinds, ignored columns, unknown-category policy
 */
public record TabularFitOptions(List<Integer> hidden, int epochs, int batchSize, float learningRate, float weightDecay,
                                double validationFraction, int patience, ClassWeighting classWeighting,
                                ThresholdGoal thresholdGoal, long seed, ColumnOptions columns) {
    /** The network's batch capacity; also the largest batch size. */
    public static final int MAX_BATCH = 256;

    /**
     * Validates the components (the hidden sizes are copied).
     *
     * @param hidden             units of the hidden ReLU layers, each at least 1
     * @param epochs             most passes, at least 1
     * @param batchSize          rows per step, in [1, {@link #MAX_BATCH}]
     * @param learningRate       AdamW learning rate, &gt; 0
     * @param weightDecay        AdamW weight decay, &gt;= 0
     * @param validationFraction share held out, in [0, 1)
     * @param patience           epochs without improvement, &gt;= 0
     * @param classWeighting     class weights in the loss
     * @param thresholdGoal      what the threshold is chosen for
     * @param seed               seed of the split, weights and shuffles
     * @param columns            column options
     * @throws IllegalArgumentException naming the option out of range
     */
    public TabularFitOptions {
        hidden = List.copyOf(hidden);
        for (int h : hidden) {
            if (h < 1) {
                throw new IllegalArgumentException("hidden layer sizes must be >= 1, got " + hidden);
            }
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (batchSize < 1 || batchSize > MAX_BATCH) {
            throw new IllegalArgumentException("batch size must be in [1, " + MAX_BATCH + "], got " + batchSize);
        }
        if (!(learningRate > 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("learning rate must be > 0 and weight decay >= 0");
        }
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in [0, 1), got " + validationFraction);
        }
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be >= 0, got " + patience);
        }
    }

    /**
     * Two hidden layers (32, 16), up to 60 epochs of 64 with patience 8, AdamW 0.003 with decay 1e-4, 20%
     * stratified validation, no class weights, threshold for the best F1, seed 42, inferred columns.
     *
     * @return the options
     */
    public static TabularFitOptions defaults() {
        return new TabularFitOptions(List.of(32, 16), 60, 64, 3e-3f, 1e-4f, 0.2, 8, ClassWeighting.NONE,
            ThresholdGoal.bestF1(), 42, ColumnOptions.defaults());
    }

    /**
     * The same options with no hidden layer: logistic regression.
     *
     * @return the new options
     */
    public TabularFitOptions logisticRegression() {
        return withHidden(List.of());
    }

    /**
     * A copy with another value of one option.
     *
     * @param value units of the hidden layers; empty for logistic regression
     * @return the new options
     * @throws IllegalArgumentException when the value is out of range
     */
    public TabularFitOptions withHidden(List<Integer> value) {
        return new TabularFitOptions(value, epochs, batchSize, learningRate, weightDecay, validationFraction, patience,
            classWeighting, thresholdGoal, seed, columns);
    }

    /**
     * A copy with another value of one option.
     *
     * @param value most passes over the training rows, at least 1
     * @return the new options
     * @throws IllegalArgumentException when the value is out of range
     */
    public TabularFitOptions withEpochs(int value) {
        return new TabularFitOptions(hidden, value, batchSize, learningRate, weightDecay, validationFraction, patience,
            classWeighting, thresholdGoal, seed, columns);
    }

    /**
     * A copy with another value of one option.
     *
     * @param value rows per step, in [1, 256]
     * @return the new options
     * @throws IllegalArgumentException when the value is out of range
     */
    public TabularFitOptions withBatchSize(int value) {
        return new TabularFitOptions(hidden, epochs, value, learningRate, weightDecay, validationFraction, patience,
            classWeighting, thresholdGoal, seed, columns);
    }

    /**
     * A copy with another value of one option.
     *
     * @param value the AdamW learning rate, &gt; 0
     * @return the new options
     * @throws IllegalArgumentException when the value is out of range
     */
    public TabularFitOptions withLearningRate(float value) {
        return new TabularFitOptions(hidden, epochs, batchSize, value, weightDecay, validationFraction, patience,
            classWeighting, thresholdGoal, seed, columns);
    }

    /**
     * A copy with another value of one option.
     *
     * @param value the AdamW weight decay, &gt;= 0
     * @return the new options
     * @throws IllegalArgumentException when the value is out of range
     */
    public TabularFitOptions withWeightDecay(float value) {
        return new TabularFitOptions(hidden, epochs, batchSize, learningRate, value, validationFraction, patience,
            classWeighting, thresholdGoal, seed, columns);
    }

    /**
     * A copy with another value of one option.
     *
     * @param value the held-out share, in [0, 1)
     * @return the new options
     * @throws IllegalArgumentException when the value is out of range
     */
    public TabularFitOptions withValidationFraction(double value) {
        return new TabularFitOptions(hidden, epochs, batchSize, learningRate, weightDecay, value, patience,
            classWeighting, thresholdGoal, seed, columns);
    }

    /**
     * A copy with another value of one option.
     *
     * @param value epochs without improvement before stopping, 0 = never
     * @return the new options
     * @throws IllegalArgumentException when the value is out of range
     */
    public TabularFitOptions withPatience(int value) {
        return new TabularFitOptions(hidden, epochs, batchSize, learningRate, weightDecay, validationFraction, value,
            classWeighting, thresholdGoal, seed, columns);
    }

    /**
     * A copy with another value of one option.
     *
     * @param value the class weights
     * @return the new options
     * @throws IllegalArgumentException when the value is out of range
     */
    public TabularFitOptions withClassWeighting(ClassWeighting value) {
        return new TabularFitOptions(hidden, epochs, batchSize, learningRate, weightDecay, validationFraction, patience,
            value, thresholdGoal, seed, columns);
    }

    /**
     * A copy with another value of one option.
     *
     * @param value what the threshold is chosen for
     * @return the new options
     * @throws IllegalArgumentException when the value is out of range
     */
    public TabularFitOptions withThresholdGoal(ThresholdGoal value) {
        return new TabularFitOptions(hidden, epochs, batchSize, learningRate, weightDecay, validationFraction, patience,
            classWeighting, value, seed, columns);
    }

    /**
     * A copy with another value of one option.
     *
     * @param value the seed of the split, the weights and the shuffles
     * @return the new options
     * @throws IllegalArgumentException when the value is out of range
     */
    public TabularFitOptions withSeed(long value) {
        return new TabularFitOptions(hidden, epochs, batchSize, learningRate, weightDecay, validationFraction, patience,
            classWeighting, thresholdGoal, value, columns);
    }

    /**
     * A copy with another value of one option.
     *
     * @param value column kinds, ignored columns and the unseen-category policy
     * @return the new options
     * @throws IllegalArgumentException when the value is out of range
     */
    public TabularFitOptions withColumns(ColumnOptions value) {
        return new TabularFitOptions(hidden, epochs, batchSize, learningRate, weightDecay, validationFraction, patience,
            classWeighting, thresholdGoal, seed, value);
    }
}
