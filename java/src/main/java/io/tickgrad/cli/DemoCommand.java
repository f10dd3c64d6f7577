package io.tickgrad.cli;

import io.tickgrad.market.ChartSamples;
import io.tickgrad.market.Trades;
import io.tickgrad.model.Checkpoint;
import io.tickgrad.model.keras.KerasModelImporter;
import io.tickgrad.nn.Backend;
import io.tickgrad.nn.Network;
import io.tickgrad.train.Adam;
import io.tickgrad.train.ClassificationReport;
import io.tickgrad.train.Dataset;
import io.tickgrad.train.Featurizer;
import io.tickgrad.train.FitHistory;
import io.tickgrad.train.FitOptions;
import io.tickgrad.train.Fitter;
import io.tickgrad.train.Head;
import io.tickgrad.train.Loss;
import io.tickgrad.train.Trainer;
import io.tickgrad.train.TransferLearning;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The main job on the embedded defaults: the pretrained chart-pattern network fine-tuned into an up/down
 * classifier on the first days of the bundled Bitstamp trades, evaluated on the days after, beside a
 * majority-class baseline and the same architecture trained from scratch.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Fine-tune the shipped chart-pattern network into an up/down head on the bundled Bitstamp trades "
        + "and compare it, on later days, with a majority baseline and the same network trained from scratch.")
final class DemoCommand implements Callable<Integer> {
    private static final int BATCH = 64;

    @Option(names = "--model", description = "Keras model.json of the pretrained network; default: the shipped one")
    Path model;

    @Option(names = "--window", defaultValue = "400", description = "trades per chart window; default ${DEFAULT-VALUE}")
    int window;

    @Option(names = "--horizon", defaultValue = "100", description = "label horizon in trades; default ${DEFAULT-VALUE}")
    int horizon;

    @Option(names = "--stride", defaultValue = "25", description = "trades between samples; default ${DEFAULT-VALUE}")
    int stride;

    @Option(names = "--dead-zone-bps", defaultValue = "5", description = "moves within this are unlabelled")
    double deadZoneBps;

    @Option(names = "--train-days", defaultValue = "4", description = "days of trades used for fine-tuning")
    int trainDays;

    @Option(names = "--epochs", defaultValue = "40")
    int epochs;

    @Option(names = "--seed", defaultValue = "7")
    long seed;

    @Option(names = "--out", defaultValue = "target/demo/chart-updown.safetensors",
        description = "where to save the fine-tuned model; default ${DEFAULT-VALUE}")
    Path out;

    @Mixin
    BackendOption backendOption;

    @Override
    public Integer call() throws Exception {
        Path modelJson = model != null ? model : home().resolve("models/chart-patterns/tf_model/model.json");
        Trades trades = Trades.bundledBitstamp();
        long t0 = trades.time(0);
        int split = trades.indexAtOrAfter(t0 + trainDays * 86_400L);
        System.out.printf(Locale.ROOT, "data: %d Bitstamp BTC/USD trades, %s .. %s; fine-tune on trades before %s, test after%n",
            trades.size(), Instant.ofEpochSecond(t0), Instant.ofEpochSecond(trades.time(trades.size() - 1)),
            Instant.ofEpochSecond(trades.time(split)));
        Dataset train = ChartSamples.build(trades, 0, split, split, window, stride, horizon, deadZoneBps);
        Dataset test = ChartSamples.build(trades, split, trades.size(), trades.size(), window, stride, horizon,
            deadZoneBps);
        System.out.printf(Locale.ROOT, "samples: %d train, %d test (window %d trades -> 400 points, label: sign of the "
            + "move %d trades ahead, dead zone %.1f bps)%n", train.rows(), test.rows(), window, horizon, deadZoneBps);

        FitOptions options = new FitOptions(epochs, BATCH, true, seed, 0.2, 8, true);
        try (Backend backend = backendOption.create();
             Network pretrained = KerasModelImporter.read(modelJson).toNetwork(backend, BATCH);
             Network tuned = TransferLearning.replaceHead(pretrained, Head.binary(), backend, BATCH, seed);
             Network scratch = TransferLearning.replaceHead(pretrained, Head.binary(), backend, BATCH, seed)) {
            System.out.println("pretrained: " + modelJson + " (" + pretrained.parameters().parameterCount()
                + " parameters)");

            // 1. fine-tuned: pretrained trunk frozen, new up/down head trained on cached trunk features
            tuned.freezeFirst(5);
            long start = System.nanoTime();
            Featurizer featurizer = new Featurizer(tuned);
            Dataset features = featurizer.featurize(train);
            FitHistory tunedHistory;
            try (Network head = featurizer.headNetwork(backend, BATCH);
                 Trainer trainer = Trainer.builder(head).loss(Loss.binaryCrossEntropyWithLogits())
                     .optimizer(Adam.adam(1e-3f)).seed(seed).build()) {
                tunedHistory = Fitter.fit(trainer, features, options, new ProgressBar(System.err));
                featurizer.copyBack(head);
            }
            double tunedSeconds = (System.nanoTime() - start) / 1e9;

            // 2. from scratch: the same architecture, every layer trainable, re-initialised
            scratch.initialize(seed + 1);
            scratch.freezeFirst(0);
            start = System.nanoTime();
            FitHistory scratchHistory;
            try (Trainer trainer = Trainer.builder(scratch).loss(Loss.binaryCrossEntropyWithLogits())
                .optimizer(Adam.adam(1e-3f)).seed(seed).build()) {
                scratchHistory = Fitter.fit(trainer, train, options, new ProgressBar(System.err));
            }
            double scratchSeconds = (System.nanoTime() - start) / 1e9;

            ClassificationReport tunedReport = Fitter.evaluate(tuned, test, 0.5);
            ClassificationReport scratchReport = Fitter.evaluate(scratch, test, 0.5);
            ClassificationReport majority = majorityBaseline(train, test);

            System.out.println();
            System.out.println("test span (days after the fine-tuning span):");
            System.out.printf(Locale.ROOT, "%-34s %8s %8s %8s %8s %9s %8s%n", "model", "accuracy", "f1", "roc_auc",
                "log_loss", "brier", "epochs");
            row("majority class (train)", majority, -1);
            row("pretrained trunk + new head", tunedReport, tunedHistory.epochsRun());
            row("same network from scratch", scratchReport, scratchHistory.epochsRun());
            System.out.printf(Locale.ROOT, "training time: fine-tune %.1f s (head only, trunk featurized once), "
                + "from scratch %.1f s (whole network), backend %s%n", tunedSeconds, scratchSeconds, backend.name());
            String winner = tunedReport.rocAuc() >= scratchReport.rocAuc() ? "the fine-tuned head" : "training from scratch";
            System.out.println("by ROC AUC on the test span, " + winner + " did better; an AUC near 0.5 means no "
                + "usable edge at this horizon.");

            Files.createDirectories(out.toAbsolutePath().getParent());
            Checkpoint.save(tuned, out);
            System.out.println("saved the fine-tuned model: " + out);
        }
        return 0;
    }

    private static ClassificationReport majorityBaseline(Dataset train, Dataset test) {
        double up = 0;
        for (int i = 0; i < train.rows(); i++) {
            up += train.target(i, 0);
        }
        float p = up * 2 >= train.rows() ? 1f : 0f;
        float[] scores = new float[test.rows()];
        java.util.Arrays.fill(scores, p);
        return ClassificationReport.of(scores, test.targets(), test.rows(), 1, 0.5);
    }

    private static void row(String name, ClassificationReport r, int epochs) {
        System.out.printf(Locale.ROOT, "%-34s %8.4f %8.4f %8.4f %8.4f %9.4f %8s%n", name, r.accuracy(), r.f1(),
            r.rocAuc(), r.logLoss(), r.brierScore(), epochs < 0 ? "-" : Integer.toString(epochs));
    }

    static Path home() {
        String h = System.getProperty("tickgrad.home");
        return h != null ? Path.of(h) : Path.of("");
    }
}
