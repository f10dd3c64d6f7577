package io.tickgrad.serve;

import io.tickgrad.market.OnlineFeatures;
import io.tickgrad.market.Prediction;
import io.tickgrad.market.PredictionDescriptor;
import io.tickgrad.market.PredictionSink;
import io.tickgrad.market.Tick;
import io.tickgrad.market.TickHandler;
import io.tickgrad.nn.Network;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The serving logic, with no queue in sight: each valid tick updates the online features; once they are warm, the
 * features go into the network's input row, one native predict runs, and the prediction (outputs, model version,
 * tick and decision timestamps) is handed to the {@link PredictionSink} — a queue appender, or the strategy itself
 * in-process. Bad ticks are counted and skipped. After warm-up nothing here allocates, locks or throws.
 */
public final class InferenceService implements TickHandler {
    private final ServingModel model;
    private final Network network;
    private final OnlineFeatures features;
    private final PredictionSink sink;
    private final EpochNanoClock clock;
    private final BadTicks badTicks = new BadTicks();
    private final Histogram latency;
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[PredictionDescriptor.LENGTH]);
    private final Prediction prediction = new Prediction().wrap(scratch, 0);
    private final int outputs;
    private boolean predicting = true;
    private long ticks;
    private long predictions;
    private long warming;
    private long unmeasured;

    /**
     * @param latency records tick receive time to prediction complete, in ns (null: not recorded)
     */
    public InferenceService(ServingModel model, PredictionSink sink, EpochNanoClock clock, Histogram latency) {
        this.model = model;
        this.network = model.network();
        this.features = new OnlineFeatures(model.features());
        this.sink = sink;
        this.clock = clock;
        this.latency = latency;
        this.outputs = network.outputs();
    }

    /** When false, ticks only update the features (replay warm-up before its start time). */
    public void predicting(boolean on) {
        this.predicting = on;
    }

    @Override
    public void onTick(Tick tick) {
        long start = clock.nanoTime();
        if (badTicks.check(tick) != BadTicks.OK) {
            return;
        }
        ticks++;
        features.onTick(tick);
        if (!features.ready()) {
            warming++;
            return;
        }
        if (!predicting) {
            return;
        }
        features.write(network.input(), 0);
        network.predict(1);
        DirectBuffer out = network.output();
        prediction.tickSequence(tick.sequence()).tickExchangeTimeNs(tick.exchangeTimeNs())
            .tickReceiveTimeNs(tick.receiveTimeNs()).instrumentId(tick.instrumentId())
            .modelVersion(model.version()).decisionStartNs(start).outputCount(outputs);
        for (int i = 0; i < outputs; i++) {
            prediction.output(i, out.getFloat(i * Float.BYTES));
        }
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
    }

    public BadTicks badTicks() {
        return badTicks;
    }

    /** Valid ticks seen. */
    public long ticks() {
        return ticks;
    }

    public long predictions() {
        return predictions;
    }

    /** Valid ticks seen before the features were complete. */
    public long warming() {
        return warming;
    }

    /** Predictions left out of the latency histogram: a backlog older than its range (10 s), or clock skew. */
    public long unmeasured() {
        return unmeasured;
    }

    public OnlineFeatures features() {
        return features;
    }

    public ServingModel model() {
        return model;
    }
}
