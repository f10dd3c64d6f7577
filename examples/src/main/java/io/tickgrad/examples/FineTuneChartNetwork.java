package io.tickgrad.examples;

import io.tickgrad.market.ChartSamples;
import io.tickgrad.market.Trades;
import io.tickgrad.model.Checkpoint;
import io.tickgrad.nn.Backend;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import io.tickgrad.train.Adam;
import io.tickgrad.train.ClassificationReport;
import io.tickgrad.train.Dataset;
import io.tickgrad.train.Featurizer;
import io.tickgrad.train.FitOptions;
import io.tickgrad.train.Fitter;
import io.tickgrad.train.Head;
import io.tickgrad.train.Loss;
import io.tickgrad.train.Trainer;
import io.tickgrad.train.TransferLearning;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Transfer learning: the pretrained chart-pattern network's five Dense-256 layers, frozen, under a new up/down
 * head trained on the first four days of the bundled Bitstamp trades and evaluated on the days after.
 * Run from the repository root (it reads models/ and writes target/examples/).
 */
public final class FineTuneChartNetwork {
    public static void main(String[] args) throws Exception {
        Trades trades = Trades.bundledBitstamp();                 // 100,000 BTC/USD trades (ta4j-examples jar)
        int split = trades.indexAtOrAfter(trades.time(0) + 4 * 86_400L);
        // windows of 400 trades resampled to the network's 400 inputs; label: up 100 trades later (5 bps dead zone)
        Dataset train = ChartSamples.build(trades, 0, split, split, 400, 25, 100, 5);
        Dataset test = ChartSamples.build(trades, split, trades.size(), trades.size(), 400, 25, 100, 5);
        Path out = Path.of("target/examples/updown-tuned.safetensors");
        Files.createDirectories(out.getParent());

        try (Backend backend = NativeCpuBackend.create();
             Network pretrained = Checkpoint.load(Path.of("models/chart-patterns/chart-patterns.safetensors"),
                                                  backend, 64);
             Network net = TransferLearning.replaceHead(pretrained, Head.binary(), backend, 64, 42)) {
            net.freezeFirst(5);                                   // keep the five pretrained Dense-256 layers
            Featurizer featurizer = new Featurizer(net);          // run the frozen trunk once...
            Dataset features = featurizer.featurize(train);
            try (Network head = featurizer.headNetwork(backend, 64);
                 Trainer trainer = Trainer.builder(head).loss(Loss.binaryCrossEntropyWithLogits())
                                          .optimizer(Adam.adam(1e-3f)).seed(7).build()) {
                Fitter.fit(trainer, features, FitOptions.defaults().withEpochs(10)
                                                        .withValidationSplit(0.2).withEarlyStopping(3, true));
                featurizer.copyBack(head);                        // ...and train only the head on cached features
            }
            ClassificationReport report = Fitter.evaluate(net, test, 0.5);
            System.out.println("train samples " + train.rows() + ", test samples " + test.rows());
            System.out.println("test: " + report);                // accuracy, precision, recall, F1, ROC AUC, ...
            Checkpoint.save(net, out);                            // atomic: temporary file, fsync, rename
            System.out.println("saved " + out);
        }
    }
}
