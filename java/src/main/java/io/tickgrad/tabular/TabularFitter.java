package io.tickgrad.tabular;

import io.tickgrad.nn.Backend;
import io.tickgrad.nn.Dense;
import io.tickgrad.nn.Layer;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.NetworkBuilder;
import io.tickgrad.train.Adam;
import io.tickgrad.train.Dataset;
import io.tickgrad.train.Fitter;
import io.tickgrad.train.Head;
import io.tickgrad.train.Loss;
import io.tickgrad.train.Trainer;
import io.tickgrad.train.TransferLearning;
import java.util.ArrayList;
import java.util.List;

/**
 * Fits a {@link TabularModel} on a table: label, stratified validation split, preprocessing fitted on the
 * training rows, a ReLU network (or logistic regression) trained with binary cross-entropy and optional class
 * weights, early stopping on the validation loss, and the threshold chosen on the validation rows. Also
 * fine-tunes a pretrained tabular model on a smaller related table with its trunk frozen, through
 * {@link TransferLearning#replaceHead} and {@link Network#freezeFirst}.
 *
 * <p>Runs on the caller's thread; the backend is borrowed; the model returned owns a new network that the caller
 * closes.
 */
public final class TabularFitter {
    private TabularFitter() {
    }

    /**
     * Fits a new model predicting {@code labelColumn} (class 1 = {@code positiveValue}, or chosen as
     * {@link LabelColumn#fit} says when null).
     *
     * Runs on the caller's thread.
     *
     * @param table         the training table
     * @param labelColumn   the label's header name
     * @param positiveValue the value that is class 1, or null to choose it
     * @param options       how to fit
     * @param backend       the backend of the new network (borrowed)
     * @return the model (owning its network: close it) and what the fit did
     * @throws TabularDataException when the table or label cannot be used
     */
    public static TabularFitResult fit(CsvTable table, String labelColumn, String positiveValue,
                                       TabularFitOptions options, Backend backend) {
        LabelColumn label = LabelColumn.fit(table, labelColumn, positiveValue);
        float[] y = label.targets(table);
        StratifiedSplit split = StratifiedSplit.of(y, options.validationFraction(), options.seed());
        TabularPreprocessor pre = TabularPreprocessor.fit(table, label, split.train(), options.columns());
        requireSize(pre.width(), options.hidden());
        NetworkBuilder b = Network.builder(pre.width());
        for (int units : options.hidden()) {
            b.dense(units).relu();
        }
        b.dense(1).sigmoid();
        Network net = b.build(backend, TabularFitOptions.MAX_BATCH, options.seed());
        return train(net, pre, table, y, split, options, options.hidden());
    }

    /**
     * Refuses hidden sizes whose network would not fit (parameters or activations over one slab) before anything
     * is allocated; the message starts with "hidden layer sizes".
     */
    static void requireSize(int inputs, java.util.List<Integer> hidden) {
        long params = 0;
        long perRow = inputs;
        long width = inputs;
        for (int h : hidden) {
            params += width * h + h;
            perRow += 3L * h;
            width = h;
        }
        params += width + 1;
        long activations = perRow * TabularFitOptions.MAX_BATCH;
        long max = io.tickgrad.model.ModelLimits.MAX_SLAB_FLOATS;
        if (params > max || activations > max) {
            throw new IllegalArgumentException("hidden layer sizes " + hidden + ": with " + inputs + " encoded inputs "
                + "the network needs " + params + " parameters and " + activations + " floats of activations; "
                + "expected at most " + max + " of each (2 GiB)");
        }
    }

    /**
     * Fine-tunes {@code pretrained} on {@code table}: its preprocessing is kept (the trunk was trained on that
     * encoding; the table must have its feature columns), its head is replaced by a new binary head, and with
     * {@code freezeTrunk} every layer before the head is frozen. The label may be another column or positive
     * value than in pretraining. {@code options.hidden()} and {@code options.columns()} are not used.
     *
     * @param pretrained    the model to start from (read only; not closed)
     * @param table         the new training table
     * @param labelColumn   the label's header name
     * @param positiveValue the value that is class 1, or null to choose it
     * @param freezeTrunk   whether to freeze every layer before the head
     * @param options       how to fit
     * @param backend       the backend of the new network (borrowed)
     * @return a new model (owning its network) and what the fit did
     * @throws TabularDataException when the table lacks a feature column or the label cannot be used
     */
    public static TabularFitResult fineTune(TabularModel pretrained, CsvTable table, String labelColumn,
                                            String positiveValue, boolean freezeTrunk, TabularFitOptions options,
                                            Backend backend) {
        if (pretrained.hidden().isEmpty()) {
            throw new IllegalArgumentException("the pretrained model is a logistic regression: it has no trunk to "
                + "keep; fit a new model instead");
        }
        LabelColumn label = LabelColumn.fit(table, labelColumn, positiveValue);
        float[] y = label.targets(table);
        StratifiedSplit split = StratifiedSplit.of(y, options.validationFraction(), options.seed());
        TabularPreprocessor pre = pretrained.preprocessor().withLabel(label);
        Network net = TransferLearning.replaceHead(pretrained.network(), Head.binary(), backend,
            TabularFitOptions.MAX_BATCH, options.seed());
        try {
            int withParameters = 0;
            for (Layer l : net.layers()) {
                if (l instanceof Dense) {
                    withParameters++;
                }
            }
            net.freezeFirst(freezeTrunk ? withParameters - 1 : 0);
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
        return train(net, pre, table, y, split, options, pretrained.hidden());
    }

    private static TabularFitResult train(Network net, TabularPreprocessor pre, CsvTable table, float[] y,
                                          StratifiedSplit split, TabularFitOptions options, List<Integer> hidden) {
        try {
            TableWarnings warnings = new TableWarnings();
            float[] x = pre.encode(table, warnings);
            Dataset all = new Dataset(x, y, table.rowCount(), pre.width(), 1);
            Dataset train = all.select(split.train(), 0, split.train().length);
            Dataset validation = all.select(split.validation(), 0, split.validation().length);
            double[] classWeights = options.classWeighting().weights(train.targets());
            float[] w = weightsOf(train.targets(), classWeights);
            float[] vw = weightsOf(validation.targets(), classWeights);
            WeightedFitter.Summary summary;
            try (Trainer trainer = Trainer.builder(net).loss(Loss.binaryCrossEntropyWithLogits())
                .optimizer(new Adam(options.learningRate(), 0.9f, 0.999f, 1e-7f, options.weightDecay(), true))
                .seed(options.seed()).build()) {
                summary = WeightedFitter.fit(trainer, train, w, validation, vw, options.epochs(),
                    options.batchSize(), options.patience(), options.seed());
            }
            Dataset chooseOn = validation.rows() > 0 ? validation : train;
            float[] scores = Fitter.predict(net, chooseOn.features(), chooseOn.rows());
            double threshold = ThresholdSelector.choose(scores, chooseOn.targets(), options.thresholdGoal());
            BinaryEvaluation eval = BinaryEvaluation.of(scores, chooseOn.targets(), threshold);
            TabularModel model = new TabularModel(net, pre, threshold, options.thresholdGoal(), new ArrayList<>(hidden));
            return new TabularFitResult(model, eval, summary, train.rows(), validation.rows());
        } catch (RuntimeException | Error e) {
            net.close();
            throw e;
        }
    }

    private static float[] weightsOf(float[] labels, double[] classWeights) {
        float[] w = new float[labels.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) classWeights[labels[i] >= 0.5f ? 1 : 0];
        }
        return w;
    }
}
