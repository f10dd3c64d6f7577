package io.tickgrad.pretrain;

import io.tickgrad.nn.Backend;
import io.tickgrad.nn.Network;
import io.tickgrad.train.Adam;
import io.tickgrad.train.Dataset;
import io.tickgrad.train.Featurizer;
import io.tickgrad.train.FitHistory;
import io.tickgrad.train.FitOptions;
import io.tickgrad.train.Fitter;
import io.tickgrad.train.Loss;
import io.tickgrad.train.Trainer;

/**
 * One protocol for training a network with a sigmoid output on 0/1 labels, shared by pretraining and by every arm
 * of a study so that they differ only in their starting weights: Adam, binary cross-entropy on logits, shuffled
 * mini-batches, the chronologically last {@code validationFraction} of the rows held out for early stopping with
 * the best epoch's weights restored. A frozen prefix is run once (featurized) and only the trainable layers
 * train. Deterministic for a given seed and instruction set.
 *
 * <p>An immutable value; {@link #fit} runs on the caller's thread and must not overlap another use of the same
 * network.
 *
 * @param lr                 Adam learning rate
 * @param epochs             the most epochs
 * @param batch              rows per step (capped at the training rows)
 * @param validationFraction held out from the end for early stopping, in [0, 1)
 * @param patience           epochs without a better validation loss before stopping; 0 runs every epoch
 * @param weightDecay        decoupled weight decay (AdamW) when > 0
 */
public record BinaryTraining(float lr, int epochs, int batch, double validationFraction, int patience,
                             float weightDecay) {
    /**
     * Validates the components.
     *
     * @param lr                 Adam learning rate, &gt; 0
     * @param epochs             the most epochs, at least 1
     * @param batch              rows per step, at least 1 (capped at the training rows)
     * @param validationFraction held out from the end for early stopping, in [0, 1)
     * @param patience           epochs without a better validation loss before stopping, at least 0
     * @param weightDecay        decoupled weight decay (AdamW) when &gt; 0; 0 for none
     * @throws IllegalArgumentException when {@code lr} is not positive, {@code epochs} or {@code batch} is below 1,
     *                                  {@code validationFraction} is outside [0, 1), {@code patience} is negative or
     *                                  {@code weightDecay} is negative (or any of them NaN)
     */
    public BinaryTraining {
        if (!(lr > 0) || epochs < 1 || batch < 1 || !(validationFraction >= 0 && validationFraction < 1)
            || patience < 0 || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("training: expected lr > 0, epochs >= 1, batch >= 1, validation in "
                + "[0, 1), patience >= 0 and weight decay >= 0; got " + lr + ", " + epochs + ", " + batch + ", "
                + validationFraction + ", " + patience + ", " + weightDecay);
        }
    }

    /**
     * The same protocol with another learning rate.
     *
     * @param value the Adam learning rate, &gt; 0
     * @return a new protocol; this one is unchanged
     * @throws IllegalArgumentException when {@code value} is not positive
     */
    public BinaryTraining withLr(float value) {
        return new BinaryTraining(value, epochs, batch, validationFraction, patience, weightDecay);
    }

    /**
     * Trains {@code net}'s trainable layers in place on {@code data}. With a frozen prefix the prefix is run once over
     * {@code data} and a head network made of the trainable layers trains on its outputs; the trained weights are
     * copied back into {@code net}. The best epoch's weights are kept when early stopping is on.
     *
     * @param net     the network to train, output width 1 (a sigmoid); borrowed, its max batch must hold a batch
     * @param data    rows x inputs features with one 0/1 target column, in time order (the validation rows are
     *                the last ones)
     * @param backend the backend of the head network made when a prefix is frozen (borrowed)
     * @param seed    the shuffling of the mini-batches (the trainer's seed)
     * @return the per-epoch training and validation losses and the best epoch
     */
    public FitHistory fit(Network net, Dataset data, Backend backend, long seed) {
        int rows = data.rows();
        int validation = (int) Math.floor(rows * validationFraction);
        int b = Math.max(1, Math.min(batch, rows - validation));
        // the validation split as Fitter reads it: floor(rows * split) == validation exactly
        double split = validation == 0 ? 0 : (validation + 0.5) / rows;
        FitOptions options = new FitOptions(epochs, b, true, seed, split, validation == 0 ? 0 : patience,
            validation > 0 && patience > 0);
        Adam optimizer = weightDecay > 0 ? new Adam(lr, 0.9f, 0.999f, 1e-7f, weightDecay, true) : Adam.adam(lr);
        if (net.firstTrainableLayer() <= 0) {
            try (Trainer trainer = Trainer.builder(net).loss(Loss.binaryCrossEntropyWithLogits()).optimizer(optimizer)
                .seed(seed).build()) {
                return Fitter.fit(trainer, data, options);
            }
        }
        Featurizer featurizer = new Featurizer(net);
        Dataset features = featurizer.featurize(data);
        try (Network head = featurizer.headNetwork(backend, Math.max(b, 1));
             Trainer trainer = Trainer.builder(head).loss(Loss.binaryCrossEntropyWithLogits()).optimizer(optimizer)
                 .seed(seed).build()) {
            FitHistory history = Fitter.fit(trainer, features, options);
            featurizer.copyBack(head);
            return history;
        }
    }
}
