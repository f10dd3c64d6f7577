package io.tickgrad.pretrain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tickgrad.market.FeatureSpec;
import io.tickgrad.market.LabelSpec;
import io.tickgrad.market.TickSource;
import io.tickgrad.market.TransferFeatures;
import io.tickgrad.model.Checkpoint;
import io.tickgrad.model.FeatureNormalisation;
import io.tickgrad.nn.Backend;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.NetworkBuilder;
import io.tickgrad.train.Dataset;
import io.tickgrad.train.FitHistory;
import io.tickgrad.train.Fitter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Trains one market network on many instruments at once: each instrument's samples ({@link MarketSamples}) are split
 * in time, the first part for training and the last part (after a gap of one horizon, so no training label reaches
 * into it) for validation; the training rows of all instruments are pooled, the feature normalisation is fitted on
 * them, and a multilayer perceptron (dense + ReLU blocks, a sigmoid output) is trained by {@link BinaryTraining}
 * with early stopping on the pooled validation rows. The checkpoint carries the {@link FeatureSpec} (with its
 * normalisation and a direction label at the horizon) and a {@link #METADATA_KEY} record of the target, the
 * instruments, their spans and validation AUCs, so {@code finetune}, {@code evaluate}, {@code replay} and
 * {@code serve} accept it. Cold path; deterministic for a given seed and instruction set.
 *
 * <p>Runs on the caller's thread. The network it trains is its own and is closed before {@link #run} returns; the
 * tick sources are borrowed.
 */
public final class Pretrainer {
    /** Checkpoint metadata key of the pretraining record (JSON). */
    public static final String METADATA_KEY = "tickgrad.pretrain";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One instrument: a name for the record and its ticks (the caller closes the source).
     *
     * @param name   the instrument's name in the log and the checkpoint's record
     * @param source its ticks in time order, read to the end by {@link #run}; borrowed
     */
    public record Instrument(String name, TickSource source) {
    }

    /**
     * @param target             what the network predicts
     * @param horizon            ticks from decision to label
     * @param hidden             units of each hidden dense + ReLU block
     * @param training           the training protocol (its validation fraction is unused: the split is per
     *                           instrument, {@code validationFraction})
     * @param validationFraction the last part of each instrument held out
     * @param seed               initialisation and shuffling
     */
    public record Options(Target target, int horizon, int[] hidden, BinaryTraining training,
                          double validationFraction, long seed) {
        /**
         * Copies {@code hidden} and validates the components.
         *
         * @param target             what the network predicts
         * @param horizon            ticks from decision to label
         * @param hidden             units of each hidden dense + ReLU block, at least one block, each at least 1
         * @param training           the training protocol (its validation fraction is unused)
         * @param validationFraction the last part of each instrument held out, in (0, 0.9)
         * @param seed               initialisation and shuffling
         * @throws IllegalArgumentException when {@code hidden} is empty or has a size below 1, or
         *                                  {@code validationFraction} is outside (0, 0.9)
         */
        public Options {
            hidden = hidden.clone();
            if (hidden.length == 0) {
                throw new IllegalArgumentException("pretrain: at least one hidden layer");
            }
            for (int h : hidden) {
                if (h < 1) {
                    throw new IllegalArgumentException("pretrain: hidden layer sizes must be >= 1, got " + h);
                }
            }
            if (!(validationFraction > 0 && validationFraction < 0.9)) {
                throw new IllegalArgumentException("pretrain: validation fraction must be in (0, 0.9), got "
                    + validationFraction);
            }
        }
    }

    /**
     * What one instrument contributed.
     *
     * @param name           the instrument's name
     * @param trainRows      its training samples
     * @param validationRows its validation samples (after the gap of one horizon)
     * @param fromNs         exchange time of its first sample's decision, epoch ns
     * @param toNs           exchange time of its last sample's decision, epoch ns (inclusive)
     * @param validationAuc  ROC AUC of the trained network on its validation samples
     */
    public record InstrumentSummary(String name, int trainRows, int validationRows, long fromNs, long toNs,
                                    double validationAuc) {
    }

    /**
     * The outcome, written to the checkpoint's metadata too.
     *
     * @param instruments       what each instrument contributed, in the order given (instruments skipped for too
     *                          few samples are left out)
     * @param trainRows         pooled training samples
     * @param validationRows    pooled validation samples
     * @param validationAuc     ROC AUC on the pooled validation samples
     * @param validationLogLoss log loss on the pooled validation samples
     * @param epochsRun         epochs trained before early stopping or the limit
     * @param bestEpoch         the 0-based epoch whose weights were kept
     * @param positiveRate      the share of label 1 among the training samples
     */
    public record Result(List<InstrumentSummary> instruments, int trainRows, int validationRows, double validationAuc,
                         double validationLogLoss, int epochsRun, int bestEpoch, double positiveRate) {
    }

    private Pretrainer() {
    }

    /**
     * Pretrains and writes the checkpoint to {@code out} (atomically, as {@link Checkpoint#save} does). Instruments
     * with too few labelled samples to split are skipped with a line in {@code log}.
     *
     * @param instruments the instruments to pool, at least one; each source is read to its end
     * @param features    the transfer feature pipeline computed on every instrument
     * @param o           target, horizon, architecture, training protocol, split and seed
     * @param backend     the backend of the network (borrowed)
     * @param out         the checkpoint file, replaced atomically
     * @param log         receives progress lines, on the caller's thread
     * @return what was trained and how well it validates
     * @throws IllegalArgumentException when there is no instrument or none has enough labelled samples
     * @throws java.io.UncheckedIOException when the checkpoint cannot be written
     */
    public static Result run(List<Instrument> instruments, TransferFeatures features, Options o, Backend backend,
                             Path out, Consumer<String> log) {
        if (instruments.isEmpty()) {
            throw new IllegalArgumentException("pretrain: no instrument");
        }
        FeatureSpec raw = FeatureSpec.transfer(features, LabelSpec.ticks(o.horizon(), 0));
        List<MarketSamples> all = new ArrayList<>();
        int[] trainEnd = new int[instruments.size()];
        int[] valStart = new int[instruments.size()];
        int trainRows = 0;
        int valRows = 0;
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        for (int k = 0; k < instruments.size(); k++) {
            MarketSamples s = MarketSamples.collect(raw, instruments.get(k).source(), o.target(), o.horizon());
            int te = (int) Math.floor(s.rows() * (1 - o.validationFraction()));
            int vs = Math.min(s.rows(), te + o.horizon());
            if (te < 1 || vs >= s.rows()) {
                log.accept("pretrain: " + instruments.get(k).name() + ": skipped: " + s.rows() + " labelled samples, "
                    + "too few to split into training and validation (at least "
                    + (int) Math.ceil((o.horizon() + 2) / o.validationFraction()) + ")");
                all.add(null);
                continue;
            }
            all.add(s);
            trainEnd[k] = te;
            valStart[k] = vs;
            trainRows += te;
            valRows += s.rows() - vs;
            from = Math.min(from, s.timeNs()[0]);
            to = Math.max(to, s.timeNs()[te - 1] + 1);
        }
        int width = raw.width();
        float[] x = new float[(trainRows + valRows) * width];
        float[] y = new float[trainRows + valRows];
        int at = 0;
        if (trainRows == 0) {
            throw new IllegalArgumentException("pretrain: no instrument has enough labelled samples");
        }
        for (int k = 0; k < all.size(); k++) {
            MarketSamples s = all.get(k);
            if (s == null) {
                continue;
            }
            System.arraycopy(s.x(), 0, x, at * width, trainEnd[k] * width);
            System.arraycopy(s.y(), 0, y, at, trainEnd[k]);
            at += trainEnd[k];
        }
        int[] valOffset = new int[all.size()];
        for (int k = 0; k < all.size(); k++) {
            MarketSamples s = all.get(k);
            if (s == null) {
                continue;
            }
            int n = s.rows() - valStart[k];
            valOffset[k] = at;
            System.arraycopy(s.x(), valStart[k] * width, x, at * width, n * width);
            System.arraycopy(s.y(), valStart[k], y, at, n);
            at += n;
        }
        FeatureNormalisation stats = FeatureNormalisation.fit(x, trainRows, width);
        stats.applyRows(x, trainRows + valRows);
        Dataset data = new Dataset(x, y, trainRows + valRows, width, 1);
        double positive = 0;
        for (int i = 0; i < trainRows; i++) {
            positive += y[i];
        }
        log.accept(String.format(java.util.Locale.ROOT, "pretrain: %d instruments, %d training and %d validation "
            + "samples, %d features, target %s at %d ticks (%.1f%% positive)", all.stream().filter(java.util.Objects::nonNull).count(), trainRows, valRows, width,
            o.target().id(), o.horizon(), 100 * positive / trainRows));
        BinaryTraining training = new BinaryTraining(o.training().lr(), o.training().epochs(), o.training().batch(),
            (valRows + 0.5) / (trainRows + valRows), o.training().patience(), o.training().weightDecay());
        int maxBatch = Math.max(256, o.training().batch());
        try (Network net = build(width, o.hidden(), backend, maxBatch, o.seed())) {
            FitHistory history = training.fit(net, data, backend, o.seed());
            List<InstrumentSummary> summaries = new ArrayList<>();
            for (int k = 0; k < all.size(); k++) {
                MarketSamples s = all.get(k);
                if (s == null) {
                    continue;
                }
                int n = s.rows() - valStart[k];
                double auc = Fitter.evaluate(net, data.slice(valOffset[k], valOffset[k] + n), 0.5).rocAuc();
                summaries.add(new InstrumentSummary(instruments.get(k).name(), trainEnd[k], n, s.timeNs()[0],
                    s.timeNs()[s.rows() - 1], auc));
            }
            var pooled = Fitter.evaluate(net, data.slice(trainRows, trainRows + valRows), 0.5);
            Result result = new Result(summaries, trainRows, valRows, pooled.rocAuc(), pooled.logLoss(),
                history.epochsRun(), history.bestEpoch(), positive / trainRows);
            FeatureSpec spec = raw.withNormalisation(stats, from, to);
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put(FeatureSpec.METADATA_KEY, spec.toJson());
            meta.put(METADATA_KEY, record(o, result));
            Checkpoint.save(net, out, meta);
            return result;
        }
    }

    /**
     * The pretraining architecture: dense + ReLU per hidden size, then dense(1) + sigmoid.
     *
     * @param inputs   features per sample
     * @param hidden   units of each hidden dense + ReLU block, in order
     * @param backend  the backend that runs it (borrowed)
     * @param maxBatch its row capacity
     * @param seed     the weight initialisation
     * @return a new network owned by the caller (free it with {@link Network#close()})
     */
    public static Network build(int inputs, int[] hidden, Backend backend, int maxBatch, long seed) {
        NetworkBuilder b = Network.builder(inputs);
        for (int h : hidden) {
            b.dense(h).relu();
        }
        return b.dense(1).sigmoid().build(backend, maxBatch, seed);
    }

    private static String record(Options o, Result r) {
        ObjectNode root = JSON.createObjectNode();
        root.put("target", o.target().id());
        root.put("horizonTicks", o.horizon());
        ArrayNode hidden = root.putArray("hidden");
        for (int h : o.hidden()) {
            hidden.add(h);
        }
        root.put("lr", o.training().lr());
        root.put("epochs", o.training().epochs());
        root.put("epochsRun", r.epochsRun());
        root.put("bestEpoch", r.bestEpoch() + 1);
        root.put("batch", o.training().batch());
        root.put("seed", o.seed());
        root.put("validationFraction", o.validationFraction());
        root.put("trainRows", r.trainRows());
        root.put("validationRows", r.validationRows());
        root.put("positiveRate", r.positiveRate());
        root.put("validationAuc", r.validationAuc());
        root.put("validationLogLoss", r.validationLogLoss());
        ArrayNode list = root.putArray("instruments");
        for (InstrumentSummary s : r.instruments()) {
            ObjectNode i = list.addObject();
            i.put("name", s.name());
            i.put("trainRows", s.trainRows());
            i.put("validationRows", s.validationRows());
            i.put("fromNs", s.fromNs());
            i.put("toNs", s.toNs());
            i.put("validationAuc", s.validationAuc());
        }
        return root.toString();
    }

    /**
     * Reads the target and horizon that a pretrained checkpoint's record names.
     *
     * @param metadata the checkpoint's metadata
     * @param source   the checkpoint file, named in errors
     * @return the target and the horizon in ticks; null when the metadata has no {@link #METADATA_KEY} record
     * @throws IllegalArgumentException naming the source when the record is not valid JSON or names an unknown
     *                                  target
     */
    public static Map.Entry<Target, Integer> targetOf(Map<String, String> metadata, String source) {
        String json = metadata.get(METADATA_KEY);
        if (json == null) {
            return null;
        }
        try {
            var root = JSON.readTree(json);
            return Map.entry(Target.parse(root.path("target").asText(), source + ": " + METADATA_KEY + ".target"),
                root.path("horizonTicks").asInt());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": " + METADATA_KEY + " is not valid JSON: "
                + e.getOriginalMessage());
        }
    }
}
