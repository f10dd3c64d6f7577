package io.tickgrad.study;

import io.tickgrad.pretrain.BinaryTraining;
import io.tickgrad.pretrain.Target;

/**
 * How a {@link TransferStudy} runs. An immutable value ({@link #sizes()} returns a copy).
 *
 * @param sizes      labelled training samples per run, ascending
 * @param seeds      runs per size; seed k also picks the k-th of {@code seeds} consecutive test windows at the end
 *                   of the data, so the error bars cover both the data and the initialisation
 * @param testSize   samples per test window
 * @param training   the protocol every trained arm shares (its learning rate is the from-scratch arm's)
 * @param headLr     learning rate of the new head on the frozen trunk
 * @param finetuneLr learning rate of the fine-tuned pretrained network
 * @param logisticLr learning rate of the logistic baseline
 * @param target     the target; null: the pretrained model's own
 * @param horizon    the horizon in ticks; 0: the pretrained model's own
 */
public record StudyOptions(int[] sizes, int seeds, int testSize, BinaryTraining training, float headLr,
                           float finetuneLr, float logisticLr, Target target, int horizon) {
    /**
     * Copies {@code sizes} and validates the components.
     *
     * @param sizes      labelled training samples per run, ascending, each at least 10
     * @param seeds      runs per size, at least 1
     * @param testSize   samples per test window, at least 10
     * @param training   the protocol every trained arm shares
     * @param headLr     learning rate of the new head on the frozen trunk
     * @param finetuneLr learning rate of the fine-tuned pretrained network
     * @param logisticLr learning rate of the logistic baseline
     * @param target     the target; null: the pretrained model's own
     * @param horizon    the horizon in ticks; 0: the pretrained model's own
     * @throws IllegalArgumentException when there is no size, {@code seeds} is below 1, {@code testSize} is below 10,
     *                                  or the sizes are not ascending and at least 10
     */
    public StudyOptions {
        sizes = sizes.clone();
        if (sizes.length == 0 || seeds < 1 || testSize < 10) {
            throw new IllegalArgumentException("study: expected at least one size, one seed and a test window of "
                + "at least 10 samples");
        }
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] < 10 || (i > 0 && sizes[i] <= sizes[i - 1])) {
                throw new IllegalArgumentException("study: sample sizes must be ascending and >= 10, got "
                    + java.util.Arrays.toString(sizes));
            }
        }
    }

    /**
     * Labelled training samples per run.
     *
     * @return a copy of the sizes, ascending
     */
    @Override
    public int[] sizes() {
        return sizes.clone();
    }

    /**
     * Defaults: 250-sample test windows, 60 epochs, batch 32, 20% held out for early stopping, patience 10, no weight
     * decay; learning rates 1e-3 from scratch, 3e-3 for the new head, 3e-4 for fine-tuning and 1e-2 for the
     * logistic baseline; the pretrained model's own target and horizon.
     *
     * @param sizes labelled training samples per run, ascending, each at least 10
     * @param seeds runs per size, at least 1
     * @return the options
     * @throws IllegalArgumentException when the sizes or seeds are out of range
     */
    public static StudyOptions defaults(int[] sizes, int seeds) {
        return new StudyOptions(sizes, seeds, 250, new BinaryTraining(1e-3f, 60, 32, 0.2, 10, 0f), 3e-3f, 3e-4f,
            1e-2f, null, 0);
    }
}
