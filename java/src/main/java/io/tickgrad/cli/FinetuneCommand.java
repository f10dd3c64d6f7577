package io.tickgrad.cli;

import io.tickgrad.model.Checkpoint;
import io.tickgrad.nativeio.Abi;
import io.tickgrad.nn.Activation;
import io.tickgrad.nn.ActivationLayer;
import io.tickgrad.nn.Backend;
import io.tickgrad.nn.Dense;
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
import io.tickgrad.train.LearningRateSchedule;
import io.tickgrad.train.Loss;
import io.tickgrad.train.LossWeights;
import io.tickgrad.train.Optimizer;
import io.tickgrad.train.RegressionReport;
import io.tickgrad.train.Sgd;
import io.tickgrad.train.Trainer;
import io.tickgrad.train.TransferLearning;
import io.tickgrad.train.WeightDecayGroups;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "finetune", mixinStandardHelpOptions = true,
    description = "Fine-tune a model on a labelled numeric CSV (no header): freeze, replace the head, train, save.")
final class FinetuneCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "pretrained checkpoint (.safetensors)")
    Path model;

    @Option(names = "--train", required = true,
        description = "numeric CSV without a header: features and one label column (and a --weight-column)")
    Path train;

    @Option(names = "--out", required = true, description = "where to write the fine-tuned checkpoint")
    Path out;

    @Option(names = "--label-column", defaultValue = "-1", description = "0-based label column; -1 = the last")
    int labelColumn;

    @Option(names = "--label-columns", split = ",",
        description = "regression with several outputs: the 0-based label columns, one per output, in output order "
            + "(negative: counted from the end); every other column is a feature")
    int[] labelColumns;

    @Option(names = "--freeze", defaultValue = "-1",
        description = "freeze the first N layers with parameters; default: the model's own trainable flags")
    int freeze;

    @Option(names = "--head", description = "replace the head: binary, softmax:N or regression[:N]")
    String head;

    @Option(names = "--loss", description = "bce_logits, bce, softmax_xent, mse, huber, qlike (variance targets; the "
        + "head predicts log-variance); default: from the output layer")
    String loss;

    @Option(names = "--optimizer", defaultValue = "adam", description = "sgd, adam or adamw; default ${DEFAULT-VALUE}")
    String optimizer;

    @Option(names = "--lr", defaultValue = "0.001", description = "learning rate; default ${DEFAULT-VALUE}")
    float lr;

    @Option(names = "--beta1", description = "Adam/AdamW: first-moment decay; default 0.9")
    Float beta1;

    @Option(names = "--beta2", description = "Adam/AdamW: second-moment decay; default 0.999")
    Float beta2;

    @Option(names = "--eps", description = "Adam/AdamW: epsilon; default 1e-7")
    Float eps;

    @Option(names = "--weight-decay", defaultValue = "0",
        description = "weight decay (L2 for sgd and adam, decoupled for adamw) on every parameter unless "
            + "--no-decay-bias-norm; default ${DEFAULT-VALUE}")
    float weightDecay;

    @Option(names = "--decay-bias-norm", negatable = true, defaultValue = "true", fallbackValue = "true",
        description = "--no-decay-bias-norm: no weight decay on biases and layer-norm gamma/beta (the usual AdamW "
            + "practice); by default every parameter decays, as PyTorch's optimizers do")
    boolean decayBiasNorm;

    @Option(names = "--class-weights", split = ",",
        description = "softmax cross-entropy: one weight per class, w0,w1,... (CrossEntropyLoss(weight=)); the loss "
            + "is the weighted mean, divided by the sum of the targets' weights")
    float[] classWeights;

    @Option(names = "--pos-weight",
        description = "binary cross-entropy on logits: the weight of the positive class (BCEWithLogitsLoss("
            + "pos_weight=)), e.g. negatives/positives")
    Float posWeight;

    @Option(names = {"--weight-column", "--weight-col"},
        description = "0-based column of per-sample weights (>= 0; negative: counted from the end), not a feature; "
            + "the loss is the weighted mean sum(w loss) / sum(w)")
    Integer weightColumn;

    @Option(names = "--momentum", description = "SGD only: momentum; default 0")
    Float momentum;

    @Option(names = "--nesterov", description = "SGD only: Nesterov momentum (needs --momentum > 0)")
    Boolean nesterov;

    @Option(names = "--lr-schedule", defaultValue = "constant",
        description = "constant, cosine (linear warm-up over --warmup-steps, then cosine decay to --min-lr at the "
            + "last step) or step (multiply by --gamma every --step-size steps); default ${DEFAULT-VALUE}")
    String lrSchedule;

    @Option(names = "--warmup-steps", description = "cosine schedule: warm-up steps; default 0")
    Long warmupSteps;

    @Option(names = "--min-lr", description = "cosine schedule: the final learning rate; default 0")
    Double minLr;

    @Option(names = "--step-size", description = "step schedule: steps between decays")
    Long stepSize;

    @Option(names = "--gamma", description = "step schedule: the decay factor; default 0.1")
    Double gamma;

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
        CliFiles.requireInputFile(model, "--model");
        CliFiles.requireInputFile(train, "--train");
        CliFiles.requireOutput(out, "--out");
        checkOptions();
        Head newHead = parseHead();
        Loss requestedLoss = parseLoss();
        NumericCsv csv = NumericCsv.read(train);
        int trainRows = csv.rows() - (int) Math.floor(csv.rows() * validationSplit);
        if (trainRows < 1) {
            throw new OptionException("--validation-split " + validationSplit, "leaves no training row of the "
                + csv.rows() + " in " + train, "expected a split that keeps at least one row for training");
        }
        int weightIndex = weightColumn == null ? -1 : SampleWeightColumn.resolve(csv, train, weightColumn);
        float[] sampleWeights = weightIndex < 0 ? null
            : SampleWeightColumn.read(csv, train, weightIndex, trainRows);
        int rowsPerStep = ModelBatch.forCheckpoint(model, batch, csv.rows(), "--batch");
        FitOptions options = new FitOptions(epochs, rowsPerStep, shuffle, seed, validationSplit, patience, true);
        try (Backend backend = backendOption.create();
             Network pretrained = Checkpoint.load(model, backend, rowsPerStep)) {
            Network net = newHead == null ? pretrained
                : TransferLearning.replaceHead(pretrained, newHead, backend, rowsPerStep, seed);
            try {
                if (freeze >= 0) {
                    net.freezeFirst(freeze);
                }
                Loss lossFn = requestedLoss != null ? requestedLoss : defaultLoss(net);
                LabelledCsv.LabelKind kind = labelKind(net, lossFn);
                LossWeights weights = lossWeights(net, lossFn);
                Dataset data = labelColumns != null
                    ? LabelledCsv.toDataset(csv, train, labelColumns, "--label-columns", net.inputs(), net.outputs(),
                        kind, weightIndex)
                    : LabelledCsv.toDataset(csv, train, new int[] {labelColumn}, "--label-column", net.inputs(),
                        net.outputs(), kind, weightIndex);
                if (sampleWeights != null) {
                    data = data.withSampleWeights(sampleWeights);
                }
                if (kind != LabelledCsv.LabelKind.VALUE) {
                    LabelledCsv.requireTwoClasses(data.slice(0, trainRows), kind, train);
                }
                if (net.parameters().trainableParameterCount() == 0) {
                    throw new OptionException("--freeze " + freeze, "leaves no trainable parameter in " + model,
                        "expected at least one trainable layer");
                }
                if (!decayBiasNorm) {
                    WeightDecayGroups.excludeBiasesAndNormalisation(net);
                }
                long stepsPerEpoch = (trainRows + rowsPerStep - 1) / rowsPerStep;
                LearningRateSchedule schedule = schedule(stepsPerEpoch * epochs);
                System.err.printf(Locale.ROOT, "tickgrad finetune: %d rows, %d of %d parameters trainable, loss %s%s, "
                        + "%s%s%s%n",
                    data.rows(), net.parameters().trainableParameterCount(), net.parameters().parameterCount(),
                    lossFn, weights == null ? "" : " with " + weights
                        + (sampleWeights != null && weights.weights().length > 0 ? " and sample weights" : ""),
                    createOptimizer().describe(), decayBiasNorm ? "" : " (no decay on biases and norms)",
                    lrSchedule.equals("constant") ? "" : ", schedule " + lrSchedule);
                FitHistory history = fit(net, backend, data, lossFn, weights, options, schedule);
                for (int e = 0; e < history.epochsRun(); e++) {
                    System.err.printf(Locale.ROOT, "epoch %d: train loss %.5f%s%n", e + 1, history.trainLoss().get(e),
                        Double.isNaN(history.validationLoss().get(e)) ? ""
                            : String.format(Locale.ROOT, ", validation loss %.5f", history.validationLoss().get(e)));
                }
                if (history.stoppedEarly()) {
                    System.err.println("stopped early; kept the weights of epoch " + (history.bestEpoch() + 1));
                }
                if (kind != LabelledCsv.LabelKind.VALUE && isProbabilityOutput(net)) {
                    int valRows = (int) Math.floor(data.rows() * validationSplit);
                    Dataset evalSet = valRows > 0 ? data.slice(data.rows() - valRows, data.rows()) : data;
                    ClassificationReport report = Fitter.evaluate(net, evalSet, 0.5);
                    System.out.println((valRows > 0 ? "validation" : "training") + " metrics:");
                    System.out.println(report);
                }
                boolean logOutput = lossFn.kind() == Abi.LOSS_QLIKE;
                if (kind == LabelledCsv.LabelKind.VALUE && lastLayer(net) instanceof Dense) {
                    int valRows = (int) Math.floor(data.rows() * validationSplit);
                    Dataset evalSet = valRows > 0 ? data.slice(data.rows() - valRows, data.rows()) : data;
                    printRegression(net, evalSet, logOutput, valRows > 0 ? "validation" : "training");
                }
                if (logOutput) {
                    Checkpoint.save(net, out, Map.of(OUTPUT_METADATA_KEY, "log"));
                } else {
                    Checkpoint.save(net, out);
                }
                System.err.println("tickgrad finetune: wrote " + out);
            } finally {
                if (net != pretrained) {
                    net.close();
                }
            }
        }
        return 0;
    }

    /** Every option either takes effect or is refused here, before any file is read. */
    private void checkOptions() {
        String opt = optimizer.toLowerCase(Locale.ROOT);
        if (!opt.equals("sgd") && !opt.equals("adam") && !opt.equals("adamw")) {
            throw new OptionException("--optimizer " + optimizer, "unknown optimizer", "expected sgd, adam or adamw");
        }
        if (opt.equals("sgd")) {
            for (Object[] o : new Object[][] {{"--beta1", beta1}, {"--beta2", beta2}, {"--eps", eps}}) {
                if (o[1] != null) {
                    throw new OptionException(o[0] + " " + o[1], "given with --optimizer sgd, which has no such "
                        + "parameter", "expected it only with --optimizer adam or adamw (SGD takes --momentum and "
                        + "--nesterov)");
                }
            }
            if (Boolean.TRUE.equals(nesterov) && (momentum == null || momentum == 0f)) {
                throw new OptionException("--nesterov", "without momentum (Nesterov's look-ahead needs a velocity)",
                    "expected --momentum > 0 with it, as PyTorch requires");
            }
        } else {
            if (momentum != null) {
                throw new OptionException("--momentum " + momentum, "given with --optimizer " + opt + ", which has no "
                    + "momentum parameter", "expected it only with --optimizer sgd (Adam's momentum is --beta1)");
            }
            if (nesterov != null) {
                throw new OptionException("--nesterov", "given with --optimizer " + opt, "expected it only with "
                    + "--optimizer sgd");
            }
        }
        requireFinite("--lr", lr, 0, false);
        requireFinite("--weight-decay", weightDecay, 0, true);
        requireFinite("--clip-norm", clipNorm, 0, true);
        if (beta1 != null && !(beta1 >= 0 && beta1 < 1)) {
            throw new OptionException("--beta1 " + beta1, "out of range", "expected a number in [0, 1)");
        }
        if (beta2 != null && !(beta2 >= 0 && beta2 < 1)) {
            throw new OptionException("--beta2 " + beta2, "out of range", "expected a number in [0, 1)");
        }
        if (eps != null) {
            requireFinite("--eps", eps, 0, false);
        }
        if (momentum != null && !(momentum >= 0 && momentum < 1)) {
            throw new OptionException("--momentum " + momentum, "out of range", "expected a number in [0, 1)");
        }
        ModelBatch.requirePositive(batch, "--batch");
        if (epochs < 1) {
            throw new OptionException("--epochs " + epochs, "not a positive number", "expected at least 1");
        }
        if (patience < 0) {
            throw new OptionException("--patience " + patience, "negative", "expected 0 (off) or more epochs");
        }
        if (!(validationSplit >= 0 && validationSplit < 1)) {
            throw new OptionException("--validation-split " + validationSplit, "out of range",
                "expected a fraction in [0, 1)");
        }
        if (patience > 0 && validationSplit == 0) {
            throw new OptionException("--patience " + patience, "without a validation split, early stopping has "
                + "nothing to watch", "expected --validation-split > 0 with it");
        }
        if (labelColumns != null && labelColumn != -1) {
            throw new OptionException("--label-column", "given with --label-columns", "expected one of the two");
        }
        checkScheduleOptions();
        checkWeightOptions();
    }

    /** Class, positive-class and sample weights, and the weight-decay groups: refused here when they cannot apply. */
    private void checkWeightOptions() {
        if (classWeights != null && posWeight != null) {
            throw new OptionException("--pos-weight", "given with --class-weights", "expected --class-weights for a "
                + "softmax output or --pos-weight for one sigmoid output, not both");
        }
        if (classWeights != null) {
            boolean any = false;
            for (int c = 0; c < classWeights.length; c++) {
                float w = classWeights[c];
                if (!(w >= 0 && Float.isFinite(w))) {
                    throw new OptionException("--class-weights", "weight " + c + " is " + w,
                        "expected finite weights >= 0, one per class");
                }
                any |= w > 0;
            }
            if (!any) {
                throw new OptionException("--class-weights", "every weight is 0, so no sample would count",
                    "expected at least one weight > 0");
            }
        }
        if (posWeight != null && !(posWeight > 0 && Float.isFinite(posWeight))) {
            throw new OptionException("--pos-weight " + posWeight, "out of range", "expected a finite weight > 0 "
                + "(1 = unweighted)");
        }
        if (!decayBiasNorm && weightDecay == 0f) {
            throw new OptionException("--no-decay-bias-norm", "given without weight decay, so it changes nothing",
                "expected it with --weight-decay > 0");
        }
    }

    /** The loss weighting the options ask for (null: none), refused when it does not fit the loss or the outputs. */
    private LossWeights lossWeights(Network net, Loss lossFn) {
        if (classWeights != null) {
            if (!lossFn.name().equals("softmax_xent")) {
                throw new OptionException("--class-weights", "given with loss " + lossFn + ", which has no classes "
                    + "to weigh", "expected a softmax output (--loss softmax_xent, --head softmax:N); for one "
                    + "sigmoid output use --pos-weight");
            }
            if (classWeights.length != net.outputs()) {
                throw new OptionException("--class-weights", classWeights.length + " weight(s) for a model with "
                    + net.outputs() + " classes", "expected one weight per class");
            }
            return LossWeights.classWeights(classWeights);
        }
        if (posWeight != null) {
            if (!lossFn.name().equals("bce_logits")) {
                throw new OptionException("--pos-weight " + posWeight, "given with loss " + lossFn,
                    "expected --loss bce_logits (one sigmoid output, --head binary), as BCEWithLogitsLoss takes "
                        + "pos_weight; for a softmax output use --class-weights");
            }
            return LossWeights.positiveClassWeight(posWeight);
        }
        return weightColumn != null ? LossWeights.sampleWeighted() : null;
    }

    private void checkScheduleOptions() {
        String s = lrSchedule.toLowerCase(Locale.ROOT);
        boolean cosine = s.equals("cosine");
        boolean step = s.equals("step");
        if (!cosine && !step && !s.equals("constant")) {
            throw new OptionException("--lr-schedule " + lrSchedule, "unknown schedule",
                "expected constant, cosine or step");
        }
        if (!cosine && (warmupSteps != null || minLr != null)) {
            throw new OptionException(warmupSteps != null ? "--warmup-steps" : "--min-lr", "given with --lr-schedule "
                + s, "expected it only with --lr-schedule cosine");
        }
        if (!step && (stepSize != null || gamma != null)) {
            throw new OptionException(stepSize != null ? "--step-size" : "--gamma", "given with --lr-schedule " + s,
                "expected it only with --lr-schedule step");
        }
        if (step && stepSize == null) {
            throw new OptionException("--lr-schedule step", "without --step-size", "expected --step-size N (steps "
                + "between decays)");
        }
        if (stepSize != null && stepSize < 1) {
            throw new OptionException("--step-size " + stepSize, "not a positive number", "expected at least 1");
        }
        if (gamma != null && !(gamma > 0 && gamma <= 1)) {
            throw new OptionException("--gamma " + gamma, "out of range", "expected a factor in (0, 1]");
        }
        if (warmupSteps != null && warmupSteps < 0) {
            throw new OptionException("--warmup-steps " + warmupSteps, "negative", "expected 0 or more");
        }
        if (minLr != null && !(minLr >= 0 && minLr <= lr)) {
            throw new OptionException("--min-lr " + minLr, "out of range", "expected a rate in [0, --lr " + lr + "]");
        }
    }

    private LearningRateSchedule schedule(long totalSteps) {
        switch (lrSchedule.toLowerCase(Locale.ROOT)) {
            case "cosine": {
                long warmup = warmupSteps == null ? 0 : warmupSteps;
                if (warmup >= totalSteps) {
                    throw new OptionException("--warmup-steps " + warmup, "not below the " + totalSteps
                        + " steps of training", "expected fewer warm-up steps than --epochs x steps per epoch");
                }
                return LearningRateSchedule.cosineWithWarmup(warmup, totalSteps, minLr == null ? 0 : minLr);
            }
            case "step":
                return LearningRateSchedule.stepDecay(stepSize, gamma == null ? 0.1 : gamma);
            default:
                return LearningRateSchedule.constant();
        }
    }

    private static void requireFinite(String option, float v, float min, boolean minAllowed) {
        if (!Float.isFinite(v) || v < min || (!minAllowed && v == min)) {
            throw new OptionException(option + " " + v, "out of range", "expected a finite number "
                + (minAllowed ? ">= " : "> ") + min);
        }
    }

    private Head parseHead() {
        if (head == null) {
            return null;
        }
        try {
            return Head.parse(head);
        } catch (IllegalArgumentException e) {
            throw new OptionException("--head " + head, e.getMessage(), "expected binary, softmax:N or regression[:N]");
        }
    }

    private Loss parseLoss() {
        if (loss == null) {
            return null;
        }
        try {
            return Loss.fromName(loss);
        } catch (IllegalArgumentException e) {
            throw new OptionException("--loss " + loss, "unknown loss", "expected bce_logits, bce, softmax_xent, mse, "
                + "huber or qlike");
        }
    }

    /** The labels the loss needs from the model's outputs; refuses a loss that cannot train this output. */
    private LabelledCsv.LabelKind labelKind(Network net, Loss lossFn) {
        String name = lossFn.name();
        int outputs = net.outputs();
        String where = head != null ? "the new head (--head " + head + ")" : "the model " + model;
        if (name.equals("softmax_xent")) {
            if (outputs < 2) {
                throw new OptionException("--loss softmax_xent", where + " has 1 output, on which softmax "
                    + "cross-entropy is always 0 and trains nothing", "expected a model with one output per class "
                    + "(--head softmax:N), or --loss bce_logits for a binary label");
            }
            if (!(lastLayer(net) instanceof Softmax)) {
                throw new OptionException("--loss softmax_xent", where + " does not end in a softmax layer",
                    "expected a softmax output (--head softmax:N)");
            }
            return LabelledCsv.LabelKind.CLASS_INDEX;
        }
        if (name.startsWith("bce")) {
            boolean sigmoid = isSigmoid(lastLayer(net));
            if (name.equals("bce_logits") && !sigmoid) {
                throw new OptionException("--loss bce_logits", where + " does not end in a sigmoid layer",
                    "expected a sigmoid output (--head binary)");
            }
            if (outputs != 1) {
                throw new OptionException("--loss " + name, where + " has " + outputs + " outputs",
                    "expected one sigmoid output for a 0/1 label (--head binary)");
            }
            return LabelledCsv.LabelKind.BINARY;
        }
        if (name.equals("qlike") && !(lastLayer(net) instanceof Dense)) {
            throw new OptionException("--loss qlike", where + " ends in a " + lastLayer(net).type() + " layer",
                "expected a linear output predicting log-variance (--head regression)");
        }
        if (name.equals("qlike")) {
            return LabelledCsv.LabelKind.VALUE;
        }
        // mse, huber: regression on the values; a multi-output model with one label column keeps the class index
        // encoding (one-hot targets), as before
        if (outputs > 1 && labelColumns == null) {
            return LabelledCsv.LabelKind.CLASS_INDEX;
        }
        return LabelledCsv.LabelKind.VALUE;
    }

    /**
     * Checkpoint metadata key saying what the output is: "log" when the network predicts the log of its forecast
     * (a QLIKE head: log-variance), so metrics and consumers take exp(output).
     */
    static final String OUTPUT_METADATA_KEY = "tickgrad.output";

    /** Prints RMSE, MAE, R^2 (against the mean of these labels) and Spearman of each output on {@code d}. */
    private static void printRegression(Network net, Dataset d, boolean log, String what) {
        int outputs = net.outputs();
        List<RegressionReport> reports = Fitter.evaluateRegression(net, d, log);
        for (int o = 0; o < outputs; o++) {
            System.out.println(what + " metrics" + (outputs == 1 ? "" : " of output " + o)
                + (log ? " (forecast = exp(output))" : "") + ":");
            System.out.println(reports.get(o));
        }
    }

    private static Layer lastLayer(Network net) {
        return net.layers().get(net.layers().size() - 1);
    }

    private static boolean isSigmoid(Layer l) {
        return l instanceof ActivationLayer a && a.activation() == Activation.SIGMOID;
    }

    static boolean isProbabilityOutput(Network net) {
        Layer last = lastLayer(net);
        return last instanceof Softmax || isSigmoid(last);
    }

    private FitHistory fit(Network net, Backend backend, Dataset data, Loss lossFn, LossWeights weights,
                           FitOptions options, LearningRateSchedule schedule) {
        boolean useFeaturizer = featurize && net.firstTrainableLayer() > 0;
        if (!useFeaturizer) {
            try (Trainer trainer = Trainer.builder(net).loss(lossFn).lossWeights(weights).optimizer(createOptimizer())
                .schedule(schedule).clipGradientNorm(clipNorm).seed(seed).build()) {
                return Fitter.fit(trainer, data, options, new ProgressBar(System.err));
            }
        }
        Featurizer featurizer = new Featurizer(net);
        Dataset features = featurizer.featurize(data);
        try (Network headNet = featurizer.headNetwork(backend, options.batchSize());
             Trainer trainer = Trainer.builder(headNet).loss(lossFn).lossWeights(weights).optimizer(createOptimizer())
                 .schedule(schedule).clipGradientNorm(clipNorm).seed(seed).build()) {
            FitHistory history = Fitter.fit(trainer, features, options, new ProgressBar(System.err));
            featurizer.copyBack(headNet);
            return history;
        }
    }

    private Optimizer createOptimizer() {
        float b1 = beta1 == null ? 0.9f : beta1;
        float b2 = beta2 == null ? 0.999f : beta2;
        float e = eps == null ? 1e-7f : eps;
        switch (optimizer.toLowerCase(Locale.ROOT)) {
            case "sgd":
                return new Sgd(lr, momentum == null ? 0f : momentum, Boolean.TRUE.equals(nesterov), weightDecay);
            case "adam":
                return new Adam(lr, b1, b2, e, weightDecay, false);
            case "adamw":
                return new Adam(lr, b1, b2, e, weightDecay, true);
            default:
                throw new OptionException("--optimizer " + optimizer, "unknown optimizer", "expected sgd, adam or adamw");
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
