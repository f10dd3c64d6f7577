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
 * The per-tick engine of a backtest, which {@link ReplaySession} drives: the serving logic
 * ({@link InferenceService}) runs on every tick; ticks before {@code fromNs} only warm the features; predictions are
 * made for ticks in [fromNs, toNs) and collected in a {@link BacktestRun}; each prediction's label matures when a
 * later tick reaches its horizon. The predictions depend only on the ticks and the weights, so the same input gives
 * the same scores bit for bit. The static {@code run} methods are shorthand for a {@link ReplaySession}.
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
 *
 * <p>Single-threaded: {@link #onTick(Tick)} is called by the thread that drives the replay, nothing else.
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

    Replay(ServingModel model, LabelSpec label, long fromNs, long toNs, BacktestRun run, OnlineConfig config) {
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
     * label spec unless {@code label} is given, and returns the counts; predictions go into {@code run}. Shorthand
     * for a {@link ReplaySession} over these arguments.
     *
     * @param source ticks in exchange-time order; stays the caller's
     * @param model  the model; stays the caller's, its weights unchanged
     * @param label  the label to score against, or null for the model's own
     * @param fromNs the first exchange time predicted, epoch ns (Long.MIN_VALUE: the first tick)
     * @param toNs   the exchange time at which to stop, exclusive, epoch ns (Long.MAX_VALUE: the end)
     * @param run    where the rows are appended
     * @return what the replay saw
     * @throws IllegalArgumentException when neither {@code label} nor the model's feature spec gives a label
     */
    public static ReplayResult run(TickSource source, ServingModel model, LabelSpec label, long fromNs, long toNs,
                                   BacktestRun run) {
        return run(source, model, label, fromNs, toNs, run, null);
    }

    /**
     * As {@link #run(TickSource, ServingModel, LabelSpec, long, long, BacktestRun)}, fine-tuning the model online
     * as it goes when {@code online} is given (the model's own weights are not changed).
     *
     * @param source ticks in exchange-time order; stays the caller's
     * @param model  the model; stays the caller's, its weights unchanged
     * @param label  the label to score against, or null for the model's own
     * @param fromNs the first exchange time predicted, epoch ns
     * @param toNs   the exchange time at which to stop, exclusive, epoch ns
     * @param run    where the rows are appended
     * @param online online learning while replaying, or null
     * @return what the replay saw
     * @throws IllegalArgumentException when neither {@code label} nor the model's feature spec gives a label
     */
    public static ReplayResult run(TickSource source, ServingModel model, LabelSpec label, long fromNs, long toNs,
                                   BacktestRun run, OnlineConfig online) {
        return run(source, model, label, fromNs, toNs, run, online, SystemNanoClock.INSTANCE);
    }

    /**
     * As {@link #run(TickSource, ServingModel, LabelSpec, long, long, BacktestRun, OnlineConfig)}, with the clock
     * that times the whole run ({@link ReplayResult#elapsedNs()} only; nothing replayed depends on it).
     *
     * @param source   ticks in exchange-time order; stays the caller's
     * @param model    the model; stays the caller's, its weights unchanged
     * @param label    the label to score against, or null for the model's own
     * @param fromNs   the first exchange time predicted, epoch ns
     * @param toNs     the exchange time at which to stop, exclusive, epoch ns
     * @param run      where the rows are appended
     * @param online   online learning while replaying, or null
     * @param runClock times the run, in ns
     * @return what the replay saw
     * @throws IllegalArgumentException when neither {@code label} nor the model's feature spec gives a label
     */
    public static ReplayResult run(TickSource source, ServingModel model, LabelSpec label, long fromNs, long toNs,
                                   BacktestRun run, OnlineConfig online, NanoClock runClock) {
        try (ReplaySession session = ReplaySession.builder().model(model).ticks(source).label(label)
            .span(fromNs, toNs).online(online).runClock(runClock).into(run).open()) {
            return session.run();
        }
    }

    /** Polls {@code source} until it runs dry or the span ends, then frees the online learner; caller's thread. */
    ReplayResult drive(TickSource source, NanoClock runClock) {
        try {
            long start = runClock.nanoTime();
            while (!done && source.poll(this, 4096) > 0) {
                // the handler stops itself at toNs
            }
            long elapsed = runClock.nanoTime() - start;
            return new ReplayResult(service.ticks(), service.badTicks().total(), service.badTicks().report(),
                service.predictions(), labeler.pending(), elapsed, online == null ? null : online.report(),
                online == null ? null : online.learner().curve(), online == null ? 0 : online.slots().publishedRevision(),
                run);
        } finally {
            if (online != null) {
                online.close();
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
     * What a replay saw.
     *
     * @param ticks           valid ticks replayed (warm-up included)
     * @param badTicks        ticks the validator refused, skipped
     * @param badTickReport   the reasons for the bad ticks, one line each (empty when none)
     * @param predictions     predictions made (ticks in the span after the features' warm-up)
     * @param unlabelledAtEnd predictions whose label had not matured when the ticks ended
     * @param elapsedNs       wall time of the replay, ns (the only figure that depends on the machine)
     * @param onlineReport    the online learner's report, or null without online learning
     * @param curve           the online learning curve, or null without online learning
     * @param revisions       weight revisions published by online learning (0 without)
     * @param backtest        the rows: one per prediction, with its label once matured
     */
    public record ReplayResult(long ticks, long badTicks, String badTickReport, long predictions,
                               long unlabelledAtEnd, long elapsedNs, String onlineReport, LearningCurve curve,
                               long revisions, BacktestRun backtest) {
    }
}
