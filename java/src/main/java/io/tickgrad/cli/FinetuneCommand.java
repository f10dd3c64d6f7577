package io.tickgrad.cli;

import io.tickgrad.model.Checkpoint;
import io.tickgrad.nn.Activation;
import io.tickgrad.nn.ActivationLayer;
import io.tickgrad.nn.Backend;
import io.tickgrad.nn.Layer;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.Softmax;
import io.tickgrad.train.Adam;
import io.tickgrad.train.ClassificationReport;
import io.tickgrad.train.Dataset;
import io.tickgrad.train.Featurizer;
import io.tickgrad.train.FitHistory;
import io.tickgrad.train.FitOptions;
import io.tickgrad.train.Fitter;
import io.tickgrad.train.Head;
import io.tickgrad.train.Loss;
import io.tickgrad.train.Optimizer;
import io.tickgrad.train.Sgd;
import io.tickgrad.train.Trainer;
import io.tickgrad.train.TransferLearning;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "finetune", mixinStandardHelpOptions = true,
    description = "Fine-tune a model on a labelled numeric CSV (no header): freeze, replace the head, train, save.")
final class FinetuneCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "pretrained checkpoint (.safetensors)")
    Path model;

    @Option(names = "--train", required = true, description = "CSV: features and one label column")
    Path train;

    @Option(names = "--out", required = true, description = "where to write the fine-tuned checkpoint")
    Path out;

    @Option(names = "--label-column", defaultValue = "-1", description = "0-based label column; -1 = the last")
    int labelColumn;

    @Option(names = "--freeze", defaultValue = "-1",
        description = "freeze the first N layers with parameters; default: the model's own trainable flags")
    int freeze;

    @Option(names = "--head", description = "replace the head: binary, softmax:N or regression[:N]")
    String head;

    @Option(names = "--loss", description = "bce_logits, bce, softmax_xent, mse, huber; default: from the output layer")
    String loss;

    @Option(names = "--optimizer", defaultValue = "adam", description = "sgd, adam or adamw; default ${DEFAULT-VALUE}")
    String optimizer;

    @Option(names = "--lr", defaultValue = "0.001", description = "learning rate; default ${DEFAULT-VALUE}")
    float lr;

    @Option(names = "--beta1", defaultValue = "0.9")
    float beta1;

    @Option(names = "--beta2", defaultValue = "0.999")
    float beta2;

    @Option(names = "--eps", defaultValue = "1e-7")
    float eps;

    @Option(names = "--weight-decay", defaultValue = "0")
    float weightDecay;

    @Option(names = "--momentum", defaultValue = "0", description = "SGD momentum")
    float momentum;

    @Option(names = "--nesterov", description = "SGD with Nesterov momentum")
    boolean nesterov;

    @Option(names = "--clip-norm", defaultValue = "0", description = "global gradient-norm clipping; 0 = off")
    float clipNorm;

    @Option(names = "--batch", defaultValue = "32")
    int batch;

    @Option(names = "--epochs", defaultValue = "10")
    int epochs;

    @Option(names = "--shuffle", negatable = true, defaultValue = "true", fallbackValue = "true",
        description = "shuffle every epoch (--no-shuffle to keep the file order)")
    boolean shuffle;

    @Option(names = "--seed", defaultValue = "42")
    long seed;

    @Option(names = "--validation-split", defaultValue = "0", description = "fraction held out from the end")
    double validationSplit;

    @Option(names = "--patience", defaultValue = "0", description = "early stopping patience in epochs; 0 = off")
    int patience;

    @Option(names = "--featurize", negatable = true, defaultValue = "true", fallbackValue = "true",
        description = "run the frozen trunk once and train the head on cached features (default on)")
    boolean featurize;

    @Mixin
    BackendOption backendOption;

    @Override
    public Integer call() {
        NumericCsv csv = NumericCsv.read(train);
        FitOptions options = new FitOptions(epochs, batch, shuffle, seed, validationSplit, patience, true);
        try (Backend backend = backendOption.create(); Network pretrained = Checkpoint.load(model, backend, batch)) {
            Network net = head == null ? pretrained
                : TransferLearning.replaceHead(pretrained, Head.parse(head), backend, batch, seed);
            try {
                if (freeze >= 0) {
                    net.freezeFirst(freeze);
                }
                Dataset data = LabelledCsv.toDataset(csv, train, labelColumn, net.inputs(), net.outputs());
                Loss lossFn = loss != null ? Loss.fromName(loss) : defaultLoss(net);
                System.err.printf(Locale.ROOT, "tickgrad finetune: %d rows, %d of %d parameters trainable, loss %s, %s%n",
                    data.rows(), net.parameters().trainableParameterCount(), net.parameters().parameterCount(),
                    lossFn, createOptimizer().describe());
                FitHistory history = fit(net, backend, data, lossFn, options);
                for (int e = 0; e < history.epochsRun(); e++) {
                    System.err.printf(Locale.ROOT, "epoch %d: train loss %.5f%s%n", e + 1, history.trainLoss().get(e),
                        Double.isNaN(history.validationLoss().get(e)) ? ""
                            : String.format(Locale.ROOT, ", validation loss %.5f", history.validationLoss().get(e)));
                }
                if (history.stoppedEarly()) {
                    System.err.println("stopped early; kept the weights of epoch " + (history.bestEpoch() + 1));
                }
                if (lossFn.name().contains("bce") || lossFn.name().contains("softmax")) {
                    int valRows = (int) Math.floor(data.rows() * validationSplit);
                    Dataset evalSet = valRows > 0 ? data.slice(data.rows() - valRows, data.rows()) : data;
                    ClassificationReport report = Fitter.evaluate(net, evalSet, 0.5);
                    System.out.println((valRows > 0 ? "validation" : "training") + " metrics:");
                    System.out.println(report);
                }
                Checkpoint.save(net, out);
                System.err.println("tickgrad finetune: wrote " + out);
            } finally {
                if (net != pretrained) {
                    net.close();
                }
            }
        }
        return 0;
    }

    private FitHistory fit(Network net, Backend backend, Dataset data, Loss lossFn, FitOptions options) {
        boolean useFeaturizer = featurize && net.firstTrainableLayer() > 0;
        if (!useFeaturizer) {
            try (Trainer trainer = Trainer.builder(net).loss(lossFn).optimizer(createOptimizer())
                .clipGradientNorm(clipNorm).seed(seed).build()) {
                return Fitter.fit(trainer, data, options, new ProgressBar(System.err));
            }
        }
        Featurizer featurizer = new Featurizer(net);
        Dataset features = featurizer.featurize(data);
        try (Network headNet = featurizer.headNetwork(backend, batch);
             Trainer trainer = Trainer.builder(headNet).loss(lossFn).optimizer(createOptimizer())
                 .clipGradientNorm(clipNorm).seed(seed).build()) {
            FitHistory history = Fitter.fit(trainer, features, options, new ProgressBar(System.err));
            featurizer.copyBack(headNet);
            return history;
        }
    }

    private Optimizer createOptimizer() {
        switch (optimizer.toLowerCase(Locale.ROOT)) {
            case "sgd":
                return new Sgd(lr, momentum, nesterov, weightDecay);
            case "adam":
                return new Adam(lr, beta1, beta2, eps, weightDecay, false);
            case "adamw":
                return new Adam(lr, beta1, beta2, eps, weightDecay, true);
            default:
                throw new IllegalArgumentException("--optimizer must be sgd, adam or adamw, got '" + optimizer + "'");
        }
    }

    static Loss defaultLoss(Network net) {
        Layer last = net.layers().get(net.layers().size() - 1);
        if (last instanceof Softmax) {
            return Loss.softmaxCrossEntropy();
        }
        if (last instanceof ActivationLayer && ((ActivationLayer) last).activation() == Activation.SIGMOID) {
            return Loss.binaryCrossEntropyWithLogits();
        }
        return Loss.meanSquaredError();
    }
}
