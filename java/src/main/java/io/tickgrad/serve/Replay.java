package io.tickgrad.serve;

import io.tickgrad.backtest.BacktestRun;
import io.tickgrad.market.HorizonLabeler;
import io.tickgrad.market.LabelSpec;
import io.tickgrad.market.Prediction;
import io.tickgrad.market.Tick;
import io.tickgrad.market.TickHandler;
import io.tickgrad.market.TickSource;
import io.tickgrad.online.OnlineConfig;
import io.tickgrad.train.LearningCurve;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.SystemNanoClock;

/**
 * A backtest pass over recorded ticks: the serving logic ({@link InferenceService}) runs on every tick; ticks
 * before {@code fromNs} only warm the features; predictions are made for ticks in [fromNs, toNs) and collected in a
 * {@link BacktestRun}; each prediction's label matures when a later tick reaches its horizon. The predictions
 * depend only on the ticks and the weights, so the same input gives the same scores bit for bit.
 *
 * <p>With online learning ({@link #run(TickSource, ServingModel, LabelSpec, long, long, BacktestRun, OnlineConfig)}),
 * the trainer runs on the same thread after every tick: it sees each sample as soon as its label matures, trains
 * at the set cadence and publishes before the next tick, so an online replay is deterministic too: the trainer's
 * clock is a replay clock (the replayed tick's exchange time, which stands still during a round), so the round time
 * budget runs the serving code path without ever cutting a round short.
 *
 * <p>With a real-valued label ({@link LabelSpec#realValued()}), the run is marked real-valued: each row also gets
 * the forecast in the label's units ({@link LabelSpec#forecast}: the output, or exp(output) for a log-output
 * head), the naive forecast (the mean of the labels matured before the prediction, NaN before the first) and, at
 * its horizon, the realised label.
 */
public final class Replay implements TickHandler {
    private final InferenceService service;
    private final HorizonLabeler labeler;
    private final BacktestRun run;
    private final long fromNs;
    private final long toNs;
    private final HorizonLabeler.Outcome outcome;
    private final OnlineLearning online;
    // the replay clock: the exchange time of the tick being replayed; it stands still while the trainer works
    private final CachedNanoClock replayClock = new CachedNanoClock();
    private final LabelSpec spec;
    // the naive forecast of a real-valued label: the running mean of the labels matured so far
    private double maturedSum;
    private long maturedCount;
    private boolean pendingDecision;
    private boolean done;

    private Replay(ServingModel model, LabelSpec label, long fromNs, long toNs, BacktestRun run, OnlineConfig config) {
        this.run = run;
        this.fromNs = fromNs;
        this.toNs = toNs;
        this.labeler = new HorizonLabeler(label);
        this.spec = label;
        if (label.realValued()) {
            run.markRealValued(label.describe(), "the mean of the labels matured before each prediction");
        } else if (label.target() != LabelSpec.Target.DIRECTION) {
            run.markNotDirectional();
        }
        this.outcome = new HorizonLabeler.Outcome() {
            @Override
            public void onOutcome(int row, int l, double forwardReturn) {
                run.setOutcome(row, l, forwardReturn);
            }

            @Override
            public void onOutcome(int row, int l, double forwardReturn, double target) {
                run.setOutcome(row, l, forwardReturn);
                if (run.realValued()) {
                    run.setTarget(row, target);
                    if (Double.isFinite(target)) {
                        maturedSum += target;
                        maturedCount++;
                    }
                }
            }
        };
        if (config == null) {
            this.online = null;
            this.service = new InferenceService(model, this::collect, new OffsetEpochNanoClock(), null);
        } else {
            this.online = OnlineLearning.start(model, config, null, this::collect, new OffsetEpochNanoClock(), null,
                null, replayClock);
            this.service = online.service();
        }
    }

    /**
     * Replays {@code source} to its end (or to {@code toNs}) through {@code model}, labelling with the model's own
     * label spec unless {@code label} is given, and returns the counts; predictions go into {@code run}.
     */
    public static ReplayResult run(TickSource source, ServingModel model, LabelSpec label, long fromNs, long toNs,
                                   BacktestRun run) {
        return run(source, model, label, fromNs, toNs, run, null);
    }

    /**
     * As {@link #run(TickSource, ServingModel, LabelSpec, long, long, BacktestRun)}, fine-tuning the model online
     * as it goes when {@code online} is given (the model's own weights are not changed).
     */
    public static ReplayResult run(TickSource source, ServingModel model, LabelSpec label, long fromNs, long toNs,
                                   BacktestRun run, OnlineConfig online) {
        return run(source, model, label, fromNs, toNs, run, online, SystemNanoClock.INSTANCE);
    }

    /**
     * As {@link #run(TickSource, ServingModel, LabelSpec, long, long, BacktestRun, OnlineConfig)}, with the clock
     * that times the whole run ({@link ReplayResult#elapsedNs()} only; nothing replayed depends on it).
     */
    public static ReplayResult run(TickSource source, ServingModel model, LabelSpec label, long fromNs, long toNs,
                                   BacktestRun run, OnlineConfig online, NanoClock runClock) {
        LabelSpec spec = label != null ? label : model.features().label();
        if (spec == null) {
            throw new IllegalArgumentException("replay: the model's feature spec has no label and none was given");
        }
        Replay replay = new Replay(model, spec, fromNs, toNs, run, online);
        try {
            long start = runClock.nanoTime();
            while (!replay.done && source.poll(replay, 4096) > 0) {
                // the handler stops itself at toNs
            }
            long elapsed = runClock.nanoTime() - start;
            InferenceService s = replay.service;
            OnlineLearning o = replay.online;
            return new ReplayResult(s.ticks(), s.badTicks().total(), s.badTicks().report(), s.predictions(),
                replay.labeler.pending(), elapsed, o == null ? null : o.report(),
                o == null ? null : o.learner().curve(), o == null ? 0 : o.slots().publishedRevision());
        } finally {
            if (replay.online != null) {
                replay.online.close();
            }
        }
    }

    @Override
    public void onTick(Tick tick) {
        if (done) {
            return;
        }
        if (tick.exchangeTimeNs() >= toNs) {
            done = true;
            return;
        }
        replayClock.update(tick.exchangeTimeNs());
        service.predicting(tick.exchangeTimeNs() >= fromNs);
        long validBefore = service.ticks();
        pendingDecision = false;
        service.onTick(tick);
        if (service.ticks() == validBefore) {
            return;
        }
        labeler.onTick(tick.exchangeTimeNs(), tick.price(), outcome);
        if (pendingDecision) {
            labeler.decide(run.size() - 1, tick.exchangeTimeNs(), tick.price());
        }
        if (online != null) {
            online.trainer().doWork();
        }
    }

    private void collect(Prediction p) {
        run.add(p.tickSequence(), p.tickExchangeTimeNs(), service.features().lastPrice(), p.output(0),
            BacktestRun.NO_LABEL, Double.NaN, p.decisionEndNs() - p.decisionStartNs());
        if (run.realValued()) {
            run.setForecast(run.size() - 1, spec.forecast(p.output(0)),
                maturedCount == 0 ? Double.NaN : maturedSum / maturedCount);
        }
        pendingDecision = true;
    }

    /**
     * What a replay saw: valid and bad ticks, predictions, labels still unknown at the end, and its run time; with
     * online learning, its report, learning curve and the number of weight revisions published (else null, null,
     * 0).
     */
    public record ReplayResult(long ticks, long badTicks, String badTickReport, long predictions,
                               long unlabelledAtEnd, long elapsedNs, String onlineReport, LearningCurve curve,
                               long revisions) {
    }
}
