package io.tickgrad.train;

import io.tickgrad.nn.Network;
import io.tickgrad.tensor.Slab;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.agrona.MutableDirectBuffer;

/**
 * Runs epochs of mini-batch training over a {@link Dataset}, with seeded shuffling, a validation split and early
 * stopping, and predicts whole datasets in chunks of the network's maximum batch.
 *
 * <p>Every method runs on the caller's thread, which must be the only one using the trainer and its network meanwhile;
 * they allocate Java arrays per call (cold path) and no native memory beyond a best-weights slab that {@code fit}
 * frees before it returns.
 */
public final class Fitter {
    private Fitter() {
    }

    /**
     * Trains without a listener; see {@link #fit(Trainer, Dataset, FitOptions, FitListener)}.
     *
     * @param trainer the trainer of the network
     * @param data    the samples, their widths matching the network's inputs and outputs
     * @param options epochs, batch size, shuffling, validation split and early stopping
     * @return the per-epoch losses and how the run ended
     */
    public static FitHistory fit(Trainer trainer, Dataset data, FitOptions options) {
        return fit(trainer, data, options, FitListener.NONE);
    }

    /**
     * Trains for {@code options.epochs()} epochs of mini-batches over the training rows (the rows before the
     * validation split), evaluates the validation loss after each epoch, stops early after {@code patience} epochs
     * without improvement and then restores the best weights when asked. Runs on the caller's thread, which must be the
     * only one using the trainer and its network; allocates per call (not a hot-path method).
     *
     * @param trainer  the trainer of the network
     * @param data     the samples; with sample weights the trainer must have been built with {@link LossWeights}
     * @param options  epochs, batch size (at most the network's max batch), shuffling, split and early stopping
     * @param listener told of every step and epoch, on this thread
     * @return the per-epoch losses and how the run ended
     * @throws IllegalArgumentException when shapes do not match, the batch exceeds the network's max batch, no
     *                                  training rows remain, or the sample weights cannot be used
     */
    public static FitHistory fit(Trainer trainer, Dataset data, FitOptions options, FitListener listener) {
        Network net = trainer.network();
        checkShapes(net, data);
        if (options.batchSize() > net.maxBatch()) {
            throw new IllegalArgumentException("batch size " + options.batchSize() + " exceeds the network's max batch "
                + net.maxBatch());
        }
        int validationRows = (int) Math.floor(data.rows() * options.validationSplit());
        int trainRows = data.rows() - validationRows;
        if (trainRows < 1) {
            throw new IllegalArgumentException("no training rows left after a validation split of "
                + options.validationSplit() + " of " + data.rows() + " rows");
        }
        if (data.weighted() && trainer.lossWeights() == null) {
            throw new IllegalArgumentException("the dataset has sample weights but the trainer was built without "
                + "lossWeights(...); expected Trainer.builder(net).lossWeights(LossWeights.sampleWeighted()) or "
                + "class / positive-class weights, so the weighted mean is PyTorch's");
        }
        Dataset train = data.slice(0, trainRows);
        if (train.weighted() && allZero(train.sampleWeights())) {
            throw new IllegalArgumentException("sample weights: every one of the " + trainRows + " training rows "
                + "(before the validation split) is 0, so nothing would train; expected at least one weight > 0");
        }
        Dataset validation = validationRows > 0 ? data.slice(trainRows, data.rows()) : null;
        SplittableRandom random = new SplittableRandom(options.seed());
        FitHistory history = new FitHistory();
        int batch = options.batchSize();
        long stepsPerEpoch = (trainRows + batch - 1) / batch;
        long totalSteps = stepsPerEpoch * options.epochs();
        long stepCount = 0;
        double bestLoss = Double.POSITIVE_INFINITY;
        int sinceBest = 0;
        Slab best = null;
        float[] xb = new float[batch * net.inputs()];
        float[] yb = new float[batch * net.outputs()];
        try {
            for (int epoch = 0; epoch < options.epochs(); epoch++) {
                int[] order = options.shuffle() ? Dataset.permutation(trainRows, random) : identity(trainRows);
                double sum = 0;
                long counted = 0;
                for (int start = 0; start < trainRows; start += batch) {
                    int n = Math.min(batch, trainRows - start);
                    gather(train, order, start, n, xb, yb);
                    float loss;
                    if (train.weighted()) {
                        net.writeInput(xb, n);
                        trainer.writeTargets(yb, n);
                        MutableDirectBuffer w = trainer.sampleWeights();
                        for (int i = 0; i < n; i++) {
                            w.putFloat(i * Float.BYTES, train.sampleWeight(order[start + i]));
                        }
                        loss = trainer.step(n, true);
                    } else {
                        loss = trainer.step(xb, yb, n);
                    }
                    if (Float.isFinite(loss)) {
                        sum += (double) loss * n;
                        counted += n;
                    }
                    listener.onStep(++stepCount, totalSteps, epoch, loss);
                }
                double trainLoss = counted == 0 ? Double.NaN : sum / counted;
                double validationLoss = validation == null ? Double.NaN : loss(trainer, validation);
                history.record(trainLoss, validationLoss);
                listener.onEpoch(epoch, trainLoss, validationLoss);
                if (validation != null) {
                    if (validationLoss < bestLoss) {
                        bestLoss = validationLoss;
                        sinceBest = 0;
                        history.setBestEpoch(epoch);
                        if (options.patience() > 0 && options.restoreBest()) {
                            if (best == null) {
                                best = Slab.ofBytes("best-parameters", net.parameterSlab().byteLength());
                            }
                            best.copyFrom(net.parameterSlab());
                        }
                    } else if (options.patience() > 0 && ++sinceBest >= options.patience()) {
                        history.setStoppedEarly();
                        break;
                    }
                }
            }
            if (best != null) {
                net.parameterSlab().copyFrom(best);
            }
        } finally {
            if (best != null) {
                best.close();
            }
        }
        return history;
    }

    /**
     * Mean loss over a dataset in predict mode: with a trainer built with {@link LossWeights}, the mean of the batch
     * losses under its class or positive-class weights; sample weights are not applied.
     *
     * @param trainer the trainer whose loss and network to use
     * @param data    the samples
     * @return the mean loss over every row
     */
    public static double loss(Trainer trainer, Dataset data) {
        Network net = trainer.network();
        checkShapes(net, data);
        int batch = net.maxBatch();
        float[] xb = new float[batch * net.inputs()];
        float[] yb = new float[batch * net.outputs()];
        int[] order = identity(data.rows());
        double sum = 0;
        for (int start = 0; start < data.rows(); start += batch) {
            int n = Math.min(batch, data.rows() - start);
            gather(data, order, start, n, xb, yb);
            net.writeInput(xb, n);
            trainer.writeTargets(yb, n);
            sum += (double) trainer.evaluateLoss(n) * n;
        }
        return data.rows() == 0 ? Double.NaN : sum / data.rows();
    }

    /**
     * Predictions [rows, outputs] for every row of {@code features} [rows, inputs].
     *
     * @param net      the network
     * @param features rows x inputs floats, row-major
     * @param rows     number of rows, any count (run in chunks of maxBatch)
     * @return a new array of rows x outputs floats, row-major
     */
    public static float[] predict(Network net, float[] features, int rows) {
        if (features.length != (long) rows * net.inputs()) {
            throw new IllegalArgumentException("features: expected " + (long) rows * net.inputs() + " floats, got "
                + features.length);
        }
        float[] out = new float[rows * net.outputs()];
        int batch = net.maxBatch();
        float[] xb = new float[batch * net.inputs()];
        float[] yb = new float[batch * net.outputs()];
        for (int start = 0; start < rows; start += batch) {
            int n = Math.min(batch, rows - start);
            System.arraycopy(features, start * net.inputs(), xb, 0, n * net.inputs());
            net.predict(xb, n, yb);
            System.arraycopy(yb, 0, out, start * net.outputs(), n * net.outputs());
        }
        return out;
    }

    /**
     * Classification metrics of the network on a dataset.
     *
     * @param net       the network, whose outputs are probabilities
     * @param data      the samples and their labels
     * @param threshold the positive-class probability threshold (binary)
     * @return the report
     */
    public static ClassificationReport evaluate(Network net, Dataset data, double threshold) {
        checkShapes(net, data);
        float[] scores = predict(net, data.features(), data.rows());
        return ClassificationReport.of(scores, data.targets(), data.rows(), net.outputs(), threshold);
    }

    /**
     * Regression metrics of the network on a dataset, one report per output, every row counted as independent and
     * R^2 taken against the mean of the labels. With {@code logOutput} the network predicts the log of its forecast
     * (a QLIKE head), and exp(output) is compared with the labels.
     *
     * @param net       the network
     * @param data      the samples and their labels, one target column per output
     * @param logOutput whether the network's outputs are logs of the forecast
     * @return one report per output column
     */
    public static List<RegressionReport> evaluateRegression(Network net, Dataset data, boolean logOutput) {
        checkShapes(net, data);
        float[] out = predict(net, data.features(), data.rows());
        int outputs = net.outputs();
        List<RegressionReport> reports = new ArrayList<>(outputs);
        for (int o = 0; o < outputs; o++) {
            double[] f = new double[data.rows()];
            double[] y = new double[data.rows()];
            for (int r = 0; r < data.rows(); r++) {
                double v = out[r * outputs + o];
                f[r] = logOutput ? Math.exp(v) : v;
                y[r] = data.targets()[r * outputs + o];
            }
            reports.add(RegressionReport.of(f, y));
        }
        return reports;
    }

    private static void gather(Dataset d, int[] order, int start, int n, float[] xb, float[] yb) {
        int f = d.featureCount();
        int t = d.targetCount();
        for (int i = 0; i < n; i++) {
            int r = order[start + i];
            System.arraycopy(d.features(), r * f, xb, i * f, f);
            System.arraycopy(d.targets(), r * t, yb, i * t, t);
        }
    }

    private static boolean allZero(float[] w) {
        for (float v : w) {
            if (v != 0f) {
                return false;
            }
        }
        return true;
    }

    private static int[] identity(int n) {
        int[] o = new int[n];
        for (int i = 0; i < n; i++) {
            o[i] = i;
        }
        return o;
    }

    private static void checkShapes(Network net, Dataset data) {
        if (data.featureCount() != net.inputs()) {
            throw new IllegalArgumentException("dataset has " + data.featureCount() + " features, the network expects "
                + net.inputs());
        }
        if (data.targetCount() != net.outputs()) {
            throw new IllegalArgumentException("dataset has " + data.targetCount() + " target columns, the network has "
                + net.outputs() + " outputs");
        }
    }
}
