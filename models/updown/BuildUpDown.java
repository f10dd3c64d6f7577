// Builds models/updown/updown.safetensors: the pretrained chart-pattern network's trunk (technicalindicators 3.1.0,
// MIT) with a new up/down head fine-tuned on the first days of the bundled Bitstamp trades. Run by build.sh as a
// single-file Java program against the tickgrad CLI jar; deterministic for a given seed and backend.
import io.tickgrad.market.ChartSamples;
import io.tickgrad.market.FeatureSpec;
import io.tickgrad.market.LabelSpec;
import io.tickgrad.market.Trades;
import io.tickgrad.model.Checkpoint;
import io.tickgrad.model.keras.KerasModelImporter;
import io.tickgrad.nn.Backend;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.cpu.NativeCpuBackend;
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
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

public final class BuildUpDown {
    static final int WINDOW = 400;        // trades per chart window (resampled to the trunk's 400 points)
    static final int HORIZON = 100;       // label: sign of the move 100 trades ahead
    static final double DEAD_ZONE_BPS = 5;
    static final int STRIDE = 25;         // trades between training samples
    static final int TRAIN_DAYS = 4;
    static final int EPOCHS = 40;
    static final int BATCH = 64;
    static final long SEED = 7;

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        Path trunk = root.resolve("models/chart-patterns/tf_model/model.json");
        Path out = root.resolve("models/updown/updown.safetensors");
        Trades trades = Trades.bundledBitstamp();
        long t0 = trades.time(0);
        int split = trades.indexAtOrAfter(t0 + TRAIN_DAYS * 86_400L);
        Dataset train = ChartSamples.build(trades, 0, split, split, WINDOW, STRIDE, HORIZON, DEAD_ZONE_BPS);
        Dataset test = ChartSamples.build(trades, split, trades.size(), trades.size(), WINDOW, STRIDE, HORIZON,
            DEAD_ZONE_BPS);
        System.out.printf(Locale.ROOT, "trades %d; train on [%s, %s): %d samples; test after: %d samples%n",
            trades.size(), Instant.ofEpochSecond(t0), Instant.ofEpochSecond(trades.time(split)), train.rows(),
            test.rows());
        FitOptions options = new FitOptions(EPOCHS, BATCH, true, SEED, 0.2, 8, true);
        try (Backend backend = NativeCpuBackend.create();
             Network pretrained = KerasModelImporter.read(trunk).toNetwork(backend, BATCH);
             Network tuned = TransferLearning.replaceHead(pretrained, Head.binary(), backend, BATCH, SEED)) {
            tuned.freezeFirst(5);
            Featurizer featurizer = new Featurizer(tuned);
            Dataset features = featurizer.featurize(train);
            FitHistory history;
            try (Network head = featurizer.headNetwork(backend, BATCH);
                 Trainer trainer = Trainer.builder(head).loss(Loss.binaryCrossEntropyWithLogits())
                     .optimizer(Adam.adam(1e-3f)).seed(SEED).build()) {
                history = Fitter.fit(trainer, features, options);
                featurizer.copyBack(head);
            }
            ClassificationReport trainReport = Fitter.evaluate(tuned, train, 0.5);
            ClassificationReport testReport = Fitter.evaluate(tuned, test, 0.5);
            System.out.printf(Locale.ROOT, "epochs %d (best %d)%ntrain: %s%ntest:  %s%n", history.epochsRun(),
                history.bestEpoch(), trainReport, testReport);
            // the pipeline the network expects, and the span it was trained on (labels never reach past it)
            FeatureSpec spec = FeatureSpec.chart(WINDOW, LabelSpec.ticks(HORIZON, DEAD_ZONE_BPS))
                .withTrainSpan(t0 * 1_000_000_000L, trades.time(split) * 1_000_000_000L);
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put(FeatureSpec.METADATA_KEY, spec.toJson());
            meta.put("tickgrad.model_card", "models/updown/MODEL_CARD.md");
            Checkpoint.save(tuned, out, meta);
            System.out.println("saved " + out);
        }
    }
}
