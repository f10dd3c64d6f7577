package io.tickgrad.backtest.sweep;

import io.tickgrad.backtest.BacktestOptions;
import io.tickgrad.backtest.BacktestRun;
import io.tickgrad.backtest.BacktestSummary;
import io.tickgrad.backtest.StrategyReturns;
import io.tickgrad.backtest.sweep.SweepGrid.Arm;
import io.tickgrad.market.LabelSpec;
import io.tickgrad.nn.Backend;
import io.tickgrad.online.OnlineConfig;
import io.tickgrad.serve.Replay;
import io.tickgrad.serve.ReplaySession;
import io.tickgrad.serve.ServingModel;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Runs one task: builds the model (from the file's image, read once per process: {@link ModelImages}), fine-tunes it
 * offline on the training span (finetuned arm), replays the evaluation window (fine-tuning online for the online arm)
 * and summarises it. Any error becomes a failed row; nothing escapes.
 * The row depends only on the task, the job's files and the instruction set: no clock enters it.
 */
public final class TaskExecutor {
    private TaskExecutor() {
    }

    /**
     * Runs one task on the calling thread, through a {@link io.tickgrad.serve.ReplaySession}.
     *
     * @param task    the task
     * @param job     what every task shares (model, labels, strategy hold, fine-tuning stride)
     * @param model   where the model file is on this machine
     * @param queue   where the task's ticks queue is on this machine
     * @param queues  this thread's open queues, kept from task to task
     * @param backend this thread's engine
     * @param isa     the instruction set the kernels run (recorded in the row)
     * @return its row; a failed row, with the error on one line, when anything went wrong (nothing is thrown but a
     *         virtual-machine error other than out-of-memory)
     */
    public static TaskResult run(SweepTask task, SweepJob job, Path model, Path queue, WorkerQueues queues,
                                 Backend backend, String isa) {
        try {
            return replay(task, job, model, queue, queues, backend, isa);
        } catch (Throwable e) {
            if (e instanceof VirtualMachineError && !(e instanceof OutOfMemoryError)) {
                throw (VirtualMachineError) e;
            }
            try {
                queues.discard(queue);
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            return TaskResult.failed(task, isa, e);
        }
    }

    private static TaskResult replay(SweepTask task, SweepJob job, Path model, Path queue, WorkerQueues queues,
                                     Backend backend, String isa) throws Exception {
        try (ServingModel serving = ModelImages.of(model).open(backend)) {
            LabelSpec own = serving.features().label();
            LabelSpec label = own;
            if (task.horizon() > 0) {
                double deadZone = !Double.isNaN(job.deadZoneBps()) ? job.deadZoneBps() : own != null
                    ? own.deadZoneBps() : 0;
                label = own != null ? own.withHorizonTicks(task.horizon(), deadZone)
                    : LabelSpec.ticks(task.horizon(), deadZone);
            } else if (label == null) {
                throw new IllegalArgumentException(model + ": the model has no label spec; give label.horizon");
            } else if (!Double.isNaN(job.deadZoneBps())) {
                label = own.withDeadZoneBps(job.deadZoneBps());
            }
            int trainSamples = 0;
            if (task.arm() == Arm.FINETUNED) {
                trainSamples = OfflineFinetune.run(serving.network(), serving.features(), label,
                    queues.fromStart(queue), task.trainFromNs(), task.trainToNs(), job.finetuneStride(), task.lr(),
                    task.epochs(), task.batch(), task.seed(), backend);
            }
            OnlineConfig online = null;
            if (task.arm() == Arm.ONLINE) {
                online = OnlineConfig.defaults().withRoundBudgetNs(0).withLearningRate((float) task.lr())
                    .withStepsPerRound(task.steps()).withCadence(task.cadence()).withWindow(task.sampleWindow())
                    .withBatch(task.batch()).withSeed(task.seed());
            }
            Replay.ReplayResult replayed;
            int defaultHold;
            try (ReplaySession session = ReplaySession.builder().model(serving).ticks(queues.fromStart(queue))
                .label(label).span(task.evalFromNs(), task.evalToNs()).online(online).open()) {
                replayed = session.run();
                defaultHold = session.defaultHoldRows();
            }
            BacktestRun run = replayed.backtest();
            int hold = job.hold() != null ? job.hold() : defaultHold;
            BacktestOptions options = BacktestOptions.defaults()
                .withThresholds(task.longThreshold(), task.shortThreshold()).withCostBps(task.costBps())
                .withHoldRows(hold);
            BacktestSummary s = BacktestSummary.of(run, options);
            Map<String, String> m = task.parameters();
            m.put("isa", isa);
            m.put("status", TaskResult.OK);
            m.put("error", "");
            m.put("predictions", Long.toString(run.size()));
            BacktestSummary.Prediction p = s.prediction();
            m.put("labelled", Long.toString(s.rows().labelled()));
            m.put("unlabelled", Long.toString(s.rows().unlabelled()));
            m.put("up_rate", num(p.upRate()));
            m.put("accuracy", num(p.accuracy()));
            m.put("precision", num(p.report() == null ? Double.NaN : p.report().precision()));
            m.put("recall", num(p.report() == null ? Double.NaN : p.report().recall()));
            m.put("f1", num(p.f1()));
            m.put("roc_auc", num(p.rocAuc()));
            m.put("auc_std_err", num(p.aucStdErr()));
            m.put("log_loss", num(p.logLoss()));
            m.put("brier", num(p.brier()));
            BacktestSummary.Strategy st = s.strategy();
            m.put("periods", Long.toString(st.periods()));
            m.put("long_periods", Long.toString(st.longPeriods()));
            m.put("short_periods", Long.toString(st.shortPeriods()));
            m.put("trades", Long.toString(st.trades()));
            m.put("gross_pnl_bps", num(st.grossPnlBps()));
            m.put("cost_paid_bps", num(st.costPaidBps()));
            m.put("net_pnl_bps", num(st.netPnlBps()));
            m.put("hit_rate", num(st.hitRate()));
            m.put("mean_net_bps", num(st.meanNetBps()));
            m.put("std_net_bps", num(st.stdNetBps()));
            double[] moments = Moments.skewKurtosis(StrategyReturns.netBps(run, options));
            m.put("skew_net", num(moments[0]));
            m.put("kurtosis_net", num(moments[1]));
            m.put("sharpe_per_period", num(st.sharpePerPeriod()));
            m.put("periods_per_year", num(st.periodsPerYear()));
            m.put("sharpe_annualised", num(st.sharpeAnnualised()));
            m.put("max_drawdown_bps", num(st.maxDrawdownBps()));
            m.put("turnover", num(st.turnover()));
            m.put("turnover_per_day", num(st.turnoverPerDay()));
            m.put("exposure", num(st.exposure()));
            m.put("train_samples", task.arm() == Arm.FINETUNED ? Integer.toString(trainSamples) : "");
            m.put("revisions", task.arm() == Arm.ONLINE ? Long.toString(replayed.revisions()) : "");
            m.put("bad_ticks", Long.toString(replayed.badTicks()));
            m.put("prediction_hash", hash(run));
            return new TaskResult(m);
        }
    }

    /** Non-finite numbers are empty cells; finite ones are written exactly (shortest round-trip form). */
    static String num(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "";
    }

    /**
     * 16 hex digits of the SHA-256 of the prediction stream: each row's tick sequence, exchange time, score bits,
     * label and forward-return bits (latency, a wall-clock figure, is left out).
     */
    static String hash(BacktestRun run) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            ByteBuffer b = ByteBuffer.allocate(32);
            for (int i = 0; i < run.size(); i++) {
                b.clear();
                b.putLong(run.tickSequence(i)).putLong(run.exchangeTimeNs(i)).putInt(Float.floatToIntBits(run.score(i)))
                    .putInt(run.label(i)).putLong(Double.doubleToLongBits(run.forwardReturn(i)));
                sha.update(b.array(), 0, b.position());
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
