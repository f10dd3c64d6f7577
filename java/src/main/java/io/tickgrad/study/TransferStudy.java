package io.tickgrad.study;

import io.tickgrad.market.FeatureSpec;
import io.tickgrad.market.TickSource;
import io.tickgrad.model.Checkpoint;
import io.tickgrad.nn.Backend;
import io.tickgrad.nn.Dense;
import io.tickgrad.nn.Layer;
import io.tickgrad.nn.Network;
import io.tickgrad.pretrain.MarketSamples;
import io.tickgrad.pretrain.Pretrainer;
import io.tickgrad.pretrain.Target;
import io.tickgrad.train.ClassificationReport;
import io.tickgrad.train.Dataset;
import io.tickgrad.train.Fitter;
import io.tickgrad.train.Head;
import io.tickgrad.train.TransferLearning;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Measures transfer on an instrument a pretrained model never saw, walk-forward: the samples (the model's own
 * feature pipeline and normalisation) are labelled by the target; seed k's test window is the k-th of
 * {@code seeds} consecutive windows of {@code testSize} samples at the end of the data, and for each size N its
 * training set is the N samples just before that window whose labels are known by the window's first decision.
 * Every arm of one (size, seed) sees exactly the same training and test rows, so arms are compared by paired
 * differences over seeds. Cold path; deterministic for a given seed set and instruction set.
 *
 * <p>Runs on the caller's thread. It loads the pretrained network once and closes it, and each arm's network
 * before the next; the tick source is borrowed.
 */
public final class TransferStudy {
    private TransferStudy() {
    }

    /**
     * Runs the study of {@code model} on {@code unseen}. The target and horizon are the options' when set, else the
     * ones the checkpoint's pretraining record (or its label spec) names. A (size, seed) with too few samples before
     * its test window or a single class in training is skipped with a line in {@code log}.
     *
     * @param model      the pretrained checkpoint, with a feature spec in its metadata
     * @param instrument the unseen instrument's name for the log and the report
     * @param unseen     its ticks in time order, read to the end; borrowed, not closed
     * @param o          sizes, seeds, test window and the training protocol of each arm
     * @param backend    the backend of every network (borrowed)
     * @param log        gets one line per (size, seed) with each arm's test AUC, on the caller's thread
     * @return every run and the figures derived from them
     * @throws IllegalArgumentException when the instrument has too few labelled samples for the test windows and the
     *                                  smallest size, or the checkpoint's metadata is missing or malformed
     * @throws java.io.UncheckedIOException when the checkpoint cannot be read or is not a valid checkpoint
     */
    public static StudyResult run(Path model, String instrument, TickSource unseen, StudyOptions o, Backend backend,
                                  Consumer<String> log) {
        Map<String, String> meta = Checkpoint.readMetadata(model);
        FeatureSpec spec = FeatureSpec.fromMetadata(meta, model.toString());
        Map.Entry<Target, Integer> own = Pretrainer.targetOf(meta, model.toString());
        Target target = o.target() != null ? o.target() : own != null ? own.getKey() : Target.DIRECTION;
        int horizon = o.horizon() > 0 ? o.horizon() : own != null ? own.getValue()
            : spec.label() != null && spec.label().horizonTicks() > 0 ? spec.label().horizonTicks() : 1;
        MarketSamples samples = MarketSamples.collect(spec, unseen, target, horizon);
        int rows = samples.rows();
        int firstTest = rows - o.seeds() * o.testSize();
        if (firstTest <= 0 || samples.labelKnownBefore(firstTest) < o.sizes()[0]) {
            throw new IllegalArgumentException("study: " + instrument + " has " + rows + " labelled samples; "
                + o.seeds() + " test windows of " + o.testSize() + " and the smallest training size "
                + o.sizes()[0] + " need at least " + (o.seeds() * o.testSize() + o.sizes()[0] + horizon));
        }
        int regimeColumn = regimeColumn(spec);
        List<Arm> arms = new ArrayList<>(List.of(Arm.FROZEN, Arm.FINETUNED, Arm.PARTIAL, Arm.SCRATCH,
            Arm.LOGISTIC));
        if (target == Target.LARGE_MOVE && regimeColumn >= 0) {
            arms.add(Arm.EWMA);
        }
        List<StudyResult.Run> runs = new ArrayList<>();
        int maxBatch = Math.max(256, o.training().batch());
        try (Network pretrained = Checkpoint.load(model, backend, maxBatch)) {
            int trunkParamLayers = countDense(pretrained) - 1;
            for (int size : o.sizes()) {
                for (int k = 0; k < o.seeds(); k++) {
                    int testStart = firstTest + k * o.testSize();
                    int trainEnd = samples.labelKnownBefore(testStart);
                    int trainStart = trainEnd - size;
                    if (trainStart < 0) {
                        log.accept("size " + size + ", seed " + k + ": only " + trainEnd + " samples before the test "
                            + "window; skipped");
                        continue;
                    }
                    Dataset train = samples.dataset(trainStart, trainEnd);
                    Dataset test = samples.dataset(testStart, testStart + o.testSize());
                    if (!bothClasses(train)) {
                        log.accept("size " + size + ", seed " + k + ": one class only in training; skipped");
                        continue;
                    }
                    long seed = 1000L * k + size;
                    StringBuilder line = new StringBuilder("size " + size + ", seed " + k + ":");
                    for (Arm arm : arms) {
                        ClassificationReport r = arm == Arm.EWMA ? scoreColumn(test, regimeColumn)
                            : trainAndTest(arm, pretrained, trunkParamLayers, train, test, o, backend, maxBatch, seed);
                        runs.add(new StudyResult.Run(arm, size, k, train.rows(), test.rows(), r.rocAuc(),
                            arm == Arm.EWMA ? Double.NaN : r.logLoss(), samples.timeNs()[trainStart],
                            samples.timeNs()[testStart], samples.timeNs()[testStart + o.testSize() - 1]));
                        line.append(String.format(java.util.Locale.ROOT, " %s %.3f", arm.id(), r.rocAuc()));
                    }
                    log.accept(line.toString());
                }
            }
        }
        return StudyResult.of(instrument, model.getFileName().toString(), target, horizon, rows,
            samples.positiveRate(firstTest, rows), arms, o, runs);
    }

    private static ClassificationReport trainAndTest(Arm arm, Network pretrained, int trunkParamLayers, Dataset train,
                                                     Dataset test, StudyOptions o, Backend backend, int maxBatch,
                                                     long seed) {
        try (Network net = start(arm, pretrained, trunkParamLayers, backend, maxBatch, seed)) {
            float lr = switch (arm) {
                case FROZEN -> o.headLr();
                case FINETUNED, PARTIAL -> o.finetuneLr();
                case LOGISTIC -> o.logisticLr();
                default -> o.training().lr();
            };
            o.training().withLr(lr).fit(net, train, backend, seed);
            return Fitter.evaluate(net, test, 0.5);
        }
    }

    private static Network start(Arm arm, Network pretrained, int trunkParamLayers, Backend backend, int maxBatch,
                                 long seed) {
        switch (arm) {
            case FROZEN: {
                Network net = TransferLearning.replaceHead(pretrained, Head.binary(), backend, maxBatch, seed);
                net.freezeFirst(trunkParamLayers);
                return net;
            }
            case FINETUNED: {
                Network net = copyLayers(pretrained, backend, maxBatch);
                net.copyParametersFrom(pretrained);
                for (var e : net.parameters().entries()) {
                    e.setTrainable(true);
                }
                return net;
            }
            case PARTIAL: {
                Network net = copyLayers(pretrained, backend, maxBatch);
                net.copyParametersFrom(pretrained);
                net.freezeFirst(1);
                return net;
            }
            case SCRATCH: {
                Network net = copyLayers(pretrained, backend, maxBatch);
                net.initialize(seed);
                return net;
            }
            default:
                return Network.builder(pretrained.inputs()).dense(1).sigmoid().build(backend, maxBatch, seed);
        }
    }

    private static Network copyLayers(Network from, Backend backend, int maxBatch) {
        List<Layer> layers = new ArrayList<>();
        for (Layer l : from.layers()) {
            layers.add(l.copy());
        }
        return Network.create(from.inputs(), layers, backend, maxBatch);
    }

    private static int countDense(Network net) {
        int n = 0;
        for (Layer l : net.layers()) {
            if (l instanceof Dense) {
                n++;
            }
        }
        return n;
    }

    /** The column of the volatility regime, ln(fast / slow EWMA volatility), in the spec's vector; -1 if none. */
    static int regimeColumn(FeatureSpec spec) {
        if (spec.transfer() == null) {
            return -1;
        }
        return spec.width() - spec.transfer().width() + spec.transfer().scaledLags().length;
    }

    /** Scores the test rows by one feature column, untrained (a monotone forecast: AUC is unchanged by scaling). */
    private static ClassificationReport scoreColumn(Dataset test, int column) {
        int n = test.rows();
        float[] scores = new float[n];
        double max = 0;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, Math.abs(test.feature(i, column)));
        }
        for (int i = 0; i < n; i++) {
            // a logistic squash keeps the order, so the AUC is the column's own
            scores[i] = (float) (1 / (1 + Math.exp(-test.feature(i, column) / Math.max(max, 1e-9) * 4)));
        }
        return ClassificationReport.of(scores, test.targets(), n, 1, 0.5);
    }

    private static boolean bothClasses(Dataset d) {
        boolean zero = false;
        boolean one = false;
        for (int i = 0; i < d.rows(); i++) {
            if (d.target(i, 0) > 0.5f) {
                one = true;
            } else {
                zero = true;
            }
        }
        return zero && one;
    }
}
