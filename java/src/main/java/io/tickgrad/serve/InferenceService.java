package io.tickgrad.serve;

import io.tickgrad.market.FeatureSpec;
import io.tickgrad.market.OnlineFeatures;
import io.tickgrad.market.Prediction;
import io.tickgrad.market.PredictionDescriptor;
import io.tickgrad.market.PredictionSink;
import io.tickgrad.market.Tick;
import io.tickgrad.market.TickHandler;
import io.tickgrad.market.TickValidator;
import io.tickgrad.nn.Network;
import io.tickgrad.online.SampleCollector;
import io.tickgrad.online.WeightSlots;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The serving logic, with no queue in sight: each valid tick updates the online features; once they are warm, the
 * features go into the input row of the network holding the latest published weights ({@link WeightSlots}), one
 * native predict runs, and the prediction (outputs, model version and revision, tick and decision timestamps) is
 * handed to the {@link PredictionSink} — a queue appender, or the strategy itself in-process. Bad ticks are counted
 * and skipped. After warm-up nothing here allocates, locks or throws.
 *
 * <p>With online learning attached ({@link #attachLearning}), each served sample also goes to a
 * {@link SampleCollector}, which sends it to the trainer once its label has matured. After a restart,
 * {@link #suppressThrough} keeps ticks that were already predicted before the crash from being predicted twice
 * while they rebuild the features and the samples.
 *
 * <p>Single-threaded: {@link #onTick} and every setter run on the inference thread (or the one thread of a replay);
 * the counters may be read from another thread as recent values. The service allocates only on-heap scratch; the
 * networks and slots it serves from belong to the caller (or to {@link OnlineLearning}).
 */
public final class InferenceService implements TickHandler {
    private final ServingModel model;
    private final WeightSlots slots;
    private final OnlineFeatures features;
    private final PredictionSink sink;
    private final EpochNanoClock clock;
    private final TickValidator badTicks = new TickValidator();
    private final Histogram latency;
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[PredictionDescriptor.LENGTH]);
    private final Prediction prediction = new Prediction().wrap(scratch, 0);
    private final int outputs;
    private boolean predicting = true;
    private long ticks;
    private long predictions;
    private long warming;
    private long unmeasured;
    private long suppressed;
    private long suppressThrough = Long.MIN_VALUE;
    private SampleCollector collector;
    private int sampleLayer = -1;
    private final long[] recentIndexes;
    private long indexCount;

    /**
     * Serves the model's own network with fixed weights.
     *
     * @param model   the model: its network, feature spec and version; stays the caller's and must stay open
     * @param sink    receives each prediction on the calling thread; the prediction is a flyweight valid only
     *                during the call
     * @param clock   the clock of the decision timestamps, epoch ns
     * @param latency records tick receive time to prediction complete, in ns (null: not recorded)
     */
    public InferenceService(ServingModel model, PredictionSink sink, EpochNanoClock clock, Histogram latency) {
        this(model, WeightSlots.fixed(model.network(), model.version()), sink, clock, latency);
    }

    /**
     * Serves whatever revision {@code slots} publishes; {@code model} gives the feature pipeline.
     *
     * @param model   the feature pipeline and version; stays the caller's
     * @param slots   the weights to predict with; the service is their one reader
     * @param sink    receives each prediction on the calling thread (a flyweight valid only during the call)
     * @param clock   the clock of the decision timestamps, epoch ns
     * @param latency records tick receive time to prediction complete, in ns (null: not recorded)
     */
    public InferenceService(ServingModel model, WeightSlots slots, PredictionSink sink, EpochNanoClock clock,
                            Histogram latency) {
        this.model = model;
        this.slots = slots;
        this.features = new OnlineFeatures(model.features());
        this.sink = sink;
        this.clock = clock;
        this.latency = latency;
        this.outputs = model.network().outputs();
        this.recentIndexes = new long[resumeMargin(model.features())];
    }

    /**
     * Valid ticks a restart re-reads before a sample's tick so that the features (and thus the sample) come out
     * as they were: the feature window, plus ten half-lives of the volatility average, whose older ticks then
     * weigh under 0.1 %.
     */
    static int resumeMargin(FeatureSpec spec) {
        long m = Math.max(spec.warmupTicks(), spec.sizeImbalanceWindow()) + 10L * Math.max(0, spec.ewmaVolHalfLife());
        return (int) Math.min(m, 1 << 20);
    }

    /**
     * Sends every served sample to {@code collector}: the output of layer {@code splitLayer - 1} of the serving
     * network (a frozen trunk's output), or the features when {@code splitLayer} is 0. Cold path.
     *
     * @param collector  receives each served sample on the inference thread; stays the caller's
     * @param splitLayer the first trainable layer: the sample is the input of this layer
     * @throws IllegalArgumentException when the collector's width is not that layer's input width
     */
    public void attachLearning(SampleCollector collector, int splitLayer) {
        int width = splitLayer == 0 ? model.network().inputs()
            : model.network().layers().get(splitLayer - 1).outFeatures();
        if (collector.width() != width) {
            throw new IllegalArgumentException("sample collector takes " + collector.width() + " floats, but layer "
                + splitLayer + " of the serving network takes " + width);
        }
        this.collector = collector;
        this.sampleLayer = splitLayer - 1;
    }

    /**
     * Ticks with a sequence at or below {@code tickSequence} are processed (features, samples) but their predictions
     * are not handed on: they were before a restart. Cold path.
     *
     * @param tickSequence the last tick sequence already predicted (Long.MIN_VALUE: none)
     */
    public void suppressThrough(long tickSequence) {
        this.suppressThrough = tickSequence;
    }

    /**
     * When false, ticks only update the features (replay warm-up before its start time).
     *
     * @param on whether warm ticks are predicted
     */
    public void predicting(boolean on) {
        this.predicting = on;
    }

    @Override
    public void onTick(Tick tick) {
        long start = clock.nanoTime();
        if (badTicks.check(tick) != TickValidator.OK) {
            return;
        }
        ticks++;
        recentIndexes[(int) (indexCount++ % recentIndexes.length)] = tick.sourceIndex();
        features.onTick(tick);
        if (collector != null) {
            collector.onValidTick(tick.exchangeTimeNs(), tick.price());
        }
        if (!features.ready()) {
            warming++;
            return;
        }
        if (!predicting) {
            return;
        }
        Network network = slots.acquire();
        features.write(network.input(), 0);
        network.predict(1);
        DirectBuffer out = network.output();
        prediction.tickSequence(tick.sequence()).tickExchangeTimeNs(tick.exchangeTimeNs())
            .tickReceiveTimeNs(tick.receiveTimeNs()).instrumentId(tick.instrumentId())
            .modelVersion(slots.version()).modelRevision(slots.acquiredRevision()).decisionStartNs(start)
            .outputCount(outputs);
        for (int i = 0; i < outputs; i++) {
            prediction.output(i, out.getFloat(i * Float.BYTES));
        }
        if (tick.sequence() > suppressThrough) {
            long end = clock.nanoTime();
            prediction.decisionEndNs(end);
            predictions++;
            if (latency != null && tick.receiveTimeNs() > 0) {
                long ns = end - tick.receiveTimeNs();
                if (ns >= 0 && ns <= latency.getHighestTrackableValue()) {
                    latency.recordValue(ns);
                } else {
                    unmeasured++;
                }
            }
            sink.onPrediction(prediction);
        } else {
            suppressed++;
        }
        if (collector != null) {
            // after the prediction is out: keeping the sample is not on the tick-to-prediction path
            collector.onPrediction(tick.sequence(), resumeIndex(), tick.exchangeTimeNs(), tick.price(),
                sampleLayer < 0 ? network.inputAddress() : network.predictOutputAddress(sampleLayer));
        }
    }

    /** Source index of the valid tick {@link #resumeMargin} valid ticks back (or of the first one seen). */
    private long resumeIndex() {
        long back = Math.min(indexCount, recentIndexes.length);
        return recentIndexes[(int) ((indexCount - back) % recentIndexes.length)];
    }

    /** @return the validator that judged every tick, with the count and reasons of the bad ones */
    public TickValidator badTicks() {
        return badTicks;
    }

    /** @return valid ticks seen */
    public long ticks() {
        return ticks;
    }

    /** @return predictions handed to the sink (suppressed ones not counted) */
    public long predictions() {
        return predictions;
    }

    /** @return valid ticks seen before the features were complete */
    public long warming() {
        return warming;
    }

    /**
     * @return predictions left out of the latency histogram: a backlog older than its range (10 s), or clock skew
     */
    public long unmeasured() {
        return unmeasured;
    }

    /** @return predictions not handed on because their tick was predicted before a restart */
    public long suppressed() {
        return suppressed;
    }

    /** @return the collector of online-learning samples, or null */
    public SampleCollector collector() {
        return collector;
    }

    /** @return the weight slots predicted from (a fixed pair without online learning) */
    public WeightSlots slots() {
        return slots;
    }

    /** @return the online features, updated by every valid tick (last price, warm-up state) */
    public OnlineFeatures features() {
        return features;
    }

    /** @return the model served: its feature spec and version */
    public ServingModel model() {
        return model;
    }
}
