package io.tickgrad.tabular;

import io.tickgrad.nn.Network;
import io.tickgrad.tensor.Slab;
import io.tickgrad.train.Dataset;
import io.tickgrad.train.Fitter;
import io.tickgrad.train.Trainer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.agrona.MutableDirectBuffer;

/**
 * Mini-batch training of a one-output probability network with a weight per row (class weights), seeded
 * shuffles, and early stopping on the weighted validation log loss with the best epoch's weights restored.
 */
public final class WeightedFitter {
    /**
     * What a run did.
     *
     * @param trainLoss       weighted mean training loss per epoch
     * @param validationLoss  weighted validation log loss per epoch (empty without validation rows)
     * @param bestEpoch       0-based epoch whose weights were kept (the last one without validation rows)
     */
    public record Summary(List<Double> trainLoss, List<Double> validationLoss, int bestEpoch) {
        /**
         * The number of epochs run.
         *
         * @return epochs
         */
        public int epochsRun() {
            return trainLoss.size();
        }
    }

    private WeightedFitter() {
    }

    /**
     * Trains on {@code train} with {@code weights} (one per row); with a non-empty {@code validation} (and its
     * weights) keeps the weights of the epoch with the lowest validation loss and stops after {@code patience}
     * epochs without improvement (0 = run every epoch).
     *
     * Runs on the caller's thread, the only one using the trainer.
     *
     * @param trainer           the trainer (built with sample weighting)
     * @param train             the training rows
     * @param weights           one weight per training row
     * @param validation        the validation rows, or an empty dataset
     * @param validationWeights one weight per validation row
     * @param epochs            most passes over the training rows
     * @param batch             rows per step
     * @param patience          epochs without improvement before stopping, 0 = never
     * @param seed              seed of the shuffles
     * @return what the run did
     */
    public static Summary fit(Trainer trainer, Dataset train, float[] weights, Dataset validation,
                              float[] validationWeights, int epochs, int batch, int patience, long seed) {
        Network net = trainer.network();
        if (train.featureCount() != net.inputs() || train.targetCount() != 1 || net.outputs() != 1) {
            throw new IllegalArgumentException("weighted fitting needs one output and " + net.inputs()
                + " features, got " + train.featureCount() + " features and " + train.targetCount() + " targets");
        }
        if (weights.length != train.rows()) {
            throw new IllegalArgumentException(train.rows() + " rows but " + weights.length + " weights");
        }
        if (batch > net.maxBatch()) {
            throw new IllegalArgumentException("batch " + batch + " exceeds the network's max batch " + net.maxBatch());
        }
        boolean validating = validation != null && validation.rows() > 0;
        SplittableRandom random = new SplittableRandom(seed);
        int f = train.featureCount();
        float[] xb = new float[batch * f];
        float[] yb = new float[batch];
        MutableDirectBuffer w = trainer.sampleWeights();
        List<Double> trainLoss = new ArrayList<>();
        List<Double> validationLoss = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        int bestEpoch = -1;
        int since = 0;
        try (Slab bestParams = Slab.ofBytes("best-parameters", net.parameterSlab().byteLength())) {
            for (int epoch = 0; epoch < epochs; epoch++) {
                int[] order = Dataset.permutation(train.rows(), random);
                double sum = 0;
                double weightSum = 0;
                for (int start = 0; start < train.rows(); start += batch) {
                    int n = Math.min(batch, train.rows() - start);
                    double bw = 0;
                    for (int i = 0; i < n; i++) {
                        int r = order[start + i];
                        System.arraycopy(train.features(), r * f, xb, i * f, f);
                        yb[i] = train.targets()[r];
                        w.putFloat(i * Float.BYTES, weights[r]);
                        bw += weights[r];
                    }
                    net.writeInput(xb, n);
                    trainer.writeTargets(yb, n);
                    float loss = trainer.step(n, true);
                    if (Float.isFinite(loss)) {
                        sum += (double) loss * n;
                        weightSum += bw;
                    }
                }
                trainLoss.add(weightSum == 0 ? Double.NaN : sum / weightSum);
                if (!validating) {
                    bestEpoch = epoch;
                    continue;
                }
                double v = logLoss(Fitter.predict(net, validation.features(), validation.rows()),
                    validation.targets(), validationWeights);
                validationLoss.add(v);
                if (v < best) {
                    best = v;
                    bestEpoch = epoch;
                    since = 0;
                    bestParams.copyFrom(net.parameterSlab());
                } else if (patience > 0 && ++since >= patience) {
                    break;
                }
            }
            if (validating && bestEpoch >= 0) {
                net.parameterSlab().copyFrom(bestParams);
            }
        }
        return new Summary(trainLoss, validationLoss, bestEpoch);
    }

    /** Weighted mean binary log loss of probabilities, clipped to [1e-7, 1 - 1e-7]. */
    static double logLoss(float[] p, float[] y, float[] weights) {
        double sum = 0;
        double wsum = 0;
        for (int i = 0; i < p.length; i++) {
            double q = Math.min(Math.max(p[i], 1e-7), 1 - 1e-7);
            double l = y[i] >= 0.5f ? -Math.log(q) : -Math.log(1 - q);
            double wi = weights == null ? 1 : weights[i];
            sum += wi * l;
            wsum += wi;
        }
        return wsum == 0 ? Double.NaN : sum / wsum;
    }
}
