package io.tickgrad.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Per-epoch training and validation loss of a {@link Fitter} run, and where it stopped. */
public final class FitHistory {
    private final List<Double> trainLoss = new ArrayList<>();
    private final List<Double> validationLoss = new ArrayList<>();
    private int bestEpoch = -1;
    private boolean stoppedEarly;

    void record(double train, double validation) {
        trainLoss.add(train);
        validationLoss.add(validation);
    }

    void setBestEpoch(int epoch) {
        this.bestEpoch = epoch;
    }

    void setStoppedEarly() {
        this.stoppedEarly = true;
    }

    /**
     * Mean training loss per epoch.
     *
     * @return one value per epoch run, unmodifiable
     */
    public List<Double> trainLoss() {
        return Collections.unmodifiableList(trainLoss);
    }

    /**
     * Validation loss per epoch (NaN without a validation split).
     *
     * @return one value per epoch run, unmodifiable
     */
    public List<Double> validationLoss() {
        return Collections.unmodifiableList(validationLoss);
    }

    /**
     * The number of epochs that ran (fewer than planned when training stopped early).
     *
     * @return epochs run
     */
    public int epochsRun() {
        return trainLoss.size();
    }

    /**
     * The epoch (0-based) with the lowest validation loss, or -1 without validation.
     *
     * @return the best epoch
     */
    public int bestEpoch() {
        return bestEpoch;
    }

    /**
     * Whether early stopping ended the run before the planned epochs.
     *
     * @return true when stopped early
     */
    public boolean stoppedEarly() {
        return stoppedEarly;
    }
}
