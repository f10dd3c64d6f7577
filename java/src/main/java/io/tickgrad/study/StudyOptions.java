package io.tickgrad.study;

import io.tickgrad.pretrain.BinaryTraining;
import io.tickgrad.pretrain.Target;

/**
 * How a {@link TransferStudy} runs.
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

    @Override
    public int[] sizes() {
        return sizes.clone();
    }

    /** Defaults: 250-sample test windows, 60 epochs, batch 32, 20% held out for early stopping, patience 10. */
    public static StudyOptions defaults(int[] sizes, int seeds) {
        return new StudyOptions(sizes, seeds, 250, new BinaryTraining(1e-3f, 60, 32, 0.2, 10, 0f), 3e-3f, 3e-4f,
            1e-2f, null, 0);
    }
}
