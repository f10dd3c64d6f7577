package io.tickgrad.serve;

import io.tickgrad.backtest.BacktestRun;
import io.tickgrad.market.HorizonLabeler;
import io.tickgrad.market.LabelSpec;
import io.tickgrad.market.Prediction;
import io.tickgrad.market.Tick;
import io.tickgrad.market.TickHandler;
import io.tickgrad.market.TickSource;
import org.agrona.concurrent.OffsetEpochNanoClock;

/**
 * A backtest pass over recorded ticks: the serving logic ({@link InferenceService}) runs on every tick; ticks
 * before {@code fromNs} only warm the features; predictions are made for ticks in [fromNs, toNs) and collected in a
 * {@link BacktestRun}; each prediction's label matures when a later tick reaches its horizon. The predictions
 * depend only on the ticks and the weights, so the same input gives the same scores bit for bit.
 */
public final class Replay implements TickHandler {
    private final InferenceService service;
    private final HorizonLabeler labeler;
    private final BacktestRun run;
    private final long fromNs;
    private final long toNs;
    private final HorizonLabeler.Outcome outcome;
    private boolean pendingDecision;
    private boolean done;

    private Replay(ServingModel model, LabelSpec label, long fromNs, long toNs, BacktestRun run) {
        this.run = run;
        this.fromNs = fromNs;
        this.toNs = toNs;
        this.labeler = new HorizonLabeler(label);
        this.outcome = run::setOutcome;
        this.service = new InferenceService(model, this::collect, new OffsetEpochNanoClock(), null);
    }

    /**
     * Replays {@code source} to its end (or to {@code toNs}) through {@code model}, labelling with the model's own
     * label spec unless {@code label} is given, and returns the counts; predictions go into {@code run}.
     */
    public static ReplayResult run(TickSource source, ServingModel model, LabelSpec label, long fromNs, long toNs,
                                   BacktestRun run) {
        LabelSpec spec = label != null ? label : model.features().label();
        if (spec == null) {
            throw new IllegalArgumentException("replay: the model's feature spec has no label and none was given");
        }
        Replay replay = new Replay(model, spec, fromNs, toNs, run);
        long start = System.nanoTime();
        while (!replay.done && source.poll(replay, 4096) > 0) {
            // the handler stops itself at toNs
        }
        long elapsed = System.nanoTime() - start;
        InferenceService s = replay.service;
        return new ReplayResult(s.ticks(), s.badTicks().total(), s.badTicks().report(), s.predictions(),
            replay.labeler.pending(), elapsed);
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
    }

    private void collect(Prediction p) {
        run.add(p.tickSequence(), p.tickExchangeTimeNs(), service.features().lastPrice(), p.output(0),
            BacktestRun.NO_LABEL, Double.NaN, p.decisionEndNs() - p.decisionStartNs());
        pendingDecision = true;
    }

    /** What a replay saw: valid and bad ticks, predictions, labels still unknown at the end, and its run time. */
    public record ReplayResult(long ticks, long badTicks, String badTickReport, long predictions,
                               long unlabelledAtEnd, long elapsedNs) {
    }
}
