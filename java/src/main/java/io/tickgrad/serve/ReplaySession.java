package io.tickgrad.serve;

import io.tickgrad.backtest.BacktestRun;
import io.tickgrad.io.ChronicleTickSource;
import io.tickgrad.market.LabelSpec;
import io.tickgrad.market.TickSource;
import io.tickgrad.nn.Backend;
import io.tickgrad.nn.Precision;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import io.tickgrad.online.OnlineConfig;
import java.nio.file.Path;
import java.util.Objects;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

/**
 * A backtest as a library type: what {@code tickgrad replay} (and each arm of {@code demo} and of a sweep) runs,
 * for a strategy in the same process. It serves a model over recorded ticks with the serving logic of
 * {@link ServingSession} ({@link InferenceService}, and with online learning the same learner, trainer and weight
 * slots), labels each prediction at its horizon and collects the rows in a {@link BacktestRun}, from which
 * {@link io.tickgrad.backtest.BacktestSummary#of} or {@link io.tickgrad.backtest.BacktestReport#write} make the
 * same numbers and report as the command line.
 *
 * <pre>{@code
 * try (ReplaySession replay = ReplaySession.builder().model(Path.of("model.safetensors"))
 *         .ticks(Path.of("ticks")).span(fromNs, Long.MAX_VALUE).online(OnlineConfig.defaults()).open()) {
 *     Replay.ReplayResult r = replay.run();
 *     BacktestSummary s = BacktestSummary.of(r.backtest(), BacktestOptions.defaults()
 *         .withHoldRows(replay.defaultHoldRows()));
 * }
 * }</pre>
 *
 * <p><b>Synchronous and deterministic</b>: {@link #run()} replays on the caller's thread, to the end of the ticks
 * (or to the span's end), and returns. Ticks before the span's start only warm the features; ticks in
 * [fromNs, toNs) are predicted. With online learning the trainer runs on the same thread after every tick, so it
 * sees each sample as soon as its label matures and publishes before the next tick. Every clock the replayed logic
 * reads is a replay clock (the exchange time of the tick being replayed, standing still while the trainer works), so
 * the round time budget runs the live code path without ever cutting a round short, and the same ticks, weights and
 * configuration give the same rows bit for bit. Only {@link Replay.ReplayResult#elapsedNs()} and the per-row latency
 * column read a real clock.
 *
 * <p><b>Threads and memory</b>: not thread-safe; one thread opens, runs and closes a session. A model, backend or
 * tick source passed to the builder stays the caller's (the model's own weights are never changed: online learning
 * trains a copy); what the session opens from a path (the model, the native CPU backend, the ticks queue, read-only)
 * it closes in {@link #close()}. The online learner's native memory is freed when {@link #run()} returns.
 */
public final class ReplaySession implements AutoCloseable {
    private final ServingModel model;
    private final Backend ownedBackend;
    private final boolean ownsModel;
    private final TickSource source;
    private final boolean ownsSource;
    private final String ticksName;
    private final LabelSpec label;
    private final long fromNs;
    private final long toNs;
    private final OnlineConfig online;
    private final NanoClock runClock;
    private final BacktestRun backtest;
    private Replay.ReplayResult result;
    private boolean closed;

    private ReplaySession(Builder b, Backend ownedBackend, ServingModel model, TickSource source, LabelSpec label) {
        this.ownedBackend = ownedBackend;
        this.model = model;
        this.ownsModel = b.modelFile != null;
        this.source = source;
        this.ownsSource = b.ticksQueue != null;
        this.ticksName = b.ticksQueue != null ? b.ticksQueue.toString() : "the tick source";
        this.label = label;
        this.fromNs = b.fromNs;
        this.toNs = b.toNs;
        this.online = b.online;
        this.runClock = b.runClock;
        this.backtest = b.backtest != null ? b.backtest : new BacktestRun();
    }

    /**
     * A builder with the defaults of {@code tickgrad replay}: the whole stream predicted, the model's own label,
     * no online learning, the native CPU backend (owned) for a model opened from a file, fp32 weights.
     *
     * @return a new builder; not thread-safe
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Replays the ticks to their end (or to the span's end) on the calling thread and returns what it saw; the rows
     * are in {@link Replay.ReplayResult#backtest()}. Runs once per session.
     *
     * @return the counts, the online report and learning curve (with online learning), and the rows
     * @throws IllegalStateException when the session already ran or is closed
     */
    public Replay.ReplayResult run() {
        if (closed || result != null) {
            throw new IllegalStateException("replay session: " + (closed ? "closed" : "already ran"));
        }
        Replay replay = new Replay(model, label, fromNs, toNs, backtest, online);
        result = replay.drive(source, runClock);
        return result;
    }

    /**
     * Refuses a replay that produced nothing to report, naming the ticks queue: one without tick records (empty,
     * or another kind of queue: the records it holds are described), one whose every tick was bad, or one with too
     * few valid ticks in the span for the model's feature warm-up.
     *
     * @throws IllegalStateException    before {@link #run()}
     * @throws IllegalArgumentException when nothing was replayed, with the reason in one line
     */
    public void requireSomethingReplayed() {
        Replay.ReplayResult replayed = result();
        long total = replayed.ticks() + replayed.badTicks();
        if (total == 0) {
            String found = source instanceof ChronicleTickSource c ? c.describeForeignDocuments() : "no records";
            throw new IllegalArgumentException(ticksName + ": holds no tick records (found " + found
                + "); expected a ticks queue written by tickgrad record");
        }
        if (replayed.ticks() == 0) {
            String first = replayed.badTickReport().lines().filter(l -> l.startsWith("bad ticks"))
                .findFirst().orElse("");
            throw new IllegalArgumentException(ticksName + ": no valid tick: all " + replayed.badTicks()
                + " ticks were bad (" + first.replaceFirst("^bad ticks skipped: ", "") + ")");
        }
        if (replayed.predictions() == 0) {
            throw new IllegalArgumentException(ticksName + ": no prediction: " + replayed.ticks() + " valid ticks in "
                + "the replayed span, but the model's features need " + model.features().warmupTicks()
                + " before the first prediction (and --from/--to may narrow the span)");
        }
    }

    /**
     * @return what {@link #run()} returned
     * @throws IllegalStateException before {@link #run()}
     */
    public Replay.ReplayResult result() {
        if (result == null) {
            throw new IllegalStateException("replay session: not run yet");
        }
        return result;
    }

    /** @return the model replayed (the caller's, or the one the session loaded) */
    public ServingModel model() {
        return model;
    }

    /** @return the label the predictions are scored against: the builder's, else the model's own */
    public LabelSpec label() {
        return label;
    }

    /**
     * @return the strategy's default predictions between decisions, so that positions do not overlap: the label's
     *         horizon in ticks, or 1 for a label with a time horizon
     */
    public int defaultHoldRows() {
        return label.horizonTicks() > 0 ? label.horizonTicks() : 1;
    }

    /** @return the rows collected so far (all of them after {@link #run()}); owned by the session's caller */
    public BacktestRun backtest() {
        return backtest;
    }

    /**
     * Closes what the session opened from paths (the ticks queue, the model, the backend); what the builder was
     * given stays open. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(ownsSource ? source : null, ownsModel ? model : null, ownedBackend);
    }

    private static void closeQuietly(AutoCloseable... resources) {
        RuntimeException first = null;
        for (AutoCloseable r : resources) {
            if (r == null) {
                continue;
            }
            try {
                r.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e instanceof RuntimeException re ? re : new IllegalStateException(e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** What a replay runs over; {@link #open()} checks it and opens what is given as paths. Not thread-safe. */
    public static final class Builder {
        private ServingModel model;
        private Path modelFile;
        private Backend backend;
        private Precision precision = Precision.FP32;
        private TickSource ticks;
        private Path ticksQueue;
        private LabelSpec label;
        private long fromNs = Long.MIN_VALUE;
        private long toNs = Long.MAX_VALUE;
        private OnlineConfig online;
        private NanoClock runClock = SystemNanoClock.INSTANCE;
        private BacktestRun backtest;

        private Builder() {
        }

        /**
         * @param value a loaded model; stays the caller's (not closed, weights never changed)
         * @return this
         */
        public Builder model(ServingModel value) {
            this.model = Objects.requireNonNull(value, "model");
            this.modelFile = null;
            return this;
        }

        /**
         * @param file a checkpoint with its feature spec (tickgrad.features), loaded by {@link #open()} on the
         *             {@link #backend(Backend) backend} at the {@link #precision(Precision) precision}, and closed
         *             with the session
         * @return this
         */
        public Builder model(Path file) {
            this.modelFile = Objects.requireNonNull(file, "model file");
            this.model = null;
            return this;
        }

        /**
         * @param value the backend a model given as a file is loaded on; stays the caller's (default: a native CPU
         *              backend the session creates and closes)
         * @return this
         */
        public Builder backend(Backend value) {
            this.backend = value;
            return this;
        }

        /**
         * @param value the precision of a model given as a file (fp32, or a bf16 or int8 inference copy packed at
         *              load)
         * @return this
         */
        public Builder precision(Precision value) {
            this.precision = Objects.requireNonNull(value, "precision");
            return this;
        }

        /**
         * @param dir a ticks queue written by {@code tickgrad record}, opened read-only from its start and closed
         *            with the session
         * @return this
         */
        public Builder ticks(Path dir) {
            this.ticksQueue = Objects.requireNonNull(dir, "ticks queue");
            this.ticks = null;
            return this;
        }

        /**
         * @param source ticks in exchange-time order, polled until it hands none; stays the caller's
         * @return this
         */
        public Builder ticks(TickSource source) {
            this.ticks = Objects.requireNonNull(source, "tick source");
            this.ticksQueue = null;
            return this;
        }

        /**
         * @param value the label to score against (null: the model's own, from its feature spec)
         * @return this
         */
        public Builder label(LabelSpec value) {
            this.label = value;
            return this;
        }

        /**
         * @param from the first exchange time predicted, epoch ns (Long.MIN_VALUE: the first tick); earlier ticks
         *             only warm the features
         * @param to   the exchange time at which the replay stops, exclusive, epoch ns (Long.MAX_VALUE: the end)
         * @return this
         */
        public Builder span(long from, long to) {
            this.fromNs = from;
            this.toNs = to;
            return this;
        }

        /**
         * @param config online learning while replaying (null: the weights stay fixed)
         * @return this
         */
        public Builder online(OnlineConfig config) {
            this.online = config;
            return this;
        }

        /**
         * @param clock times the whole run for {@link Replay.ReplayResult#elapsedNs()}, in ns; nothing replayed
         *              depends on it (default: the system's)
         * @return this
         */
        public Builder runClock(NanoClock clock) {
            this.runClock = Objects.requireNonNull(clock, "run clock");
            return this;
        }

        /**
         * @param rows where the predictions go (default: a new, empty run); rows are appended
         * @return this
         */
        public Builder into(BacktestRun rows) {
            this.backtest = Objects.requireNonNull(rows, "backtest run");
            return this;
        }

        /**
         * Opens the session: loads a model given as a file, opens a ticks queue given as a directory, and settles
         * the label; nothing is replayed until {@link ReplaySession#run()}.
         *
         * @return the open session; the caller closes it
         * @throws IllegalArgumentException when the model or the ticks are missing, a file does not load, or
         *                                  neither the builder nor the model's feature spec gives a label
         */
        public ReplaySession open() {
            if (model == null && modelFile == null) {
                throw new IllegalArgumentException("replay session: a model is required");
            }
            if (ticks == null && ticksQueue == null) {
                throw new IllegalArgumentException("replay session: ticks are required (a queue or a tick source)");
            }
            Backend ownedBackend = null;
            ServingModel sv = model;
            TickSource src = ticks;
            try {
                if (modelFile != null) {
                    Backend be = backend;
                    if (be == null) {
                        ownedBackend = NativeCpuBackend.create();
                        be = ownedBackend;
                    }
                    sv = ServingModel.load(modelFile, be, precision);
                }
                if (ticksQueue != null) {
                    src = ChronicleTickSource.open(ticksQueue);
                }
                LabelSpec spec = label != null ? label : sv.features().label();
                if (spec == null) {
                    throw new IllegalArgumentException("replay: the model's feature spec has no label and none was "
                        + "given");
                }
                return new ReplaySession(this, ownedBackend, sv, src, spec);
            } catch (RuntimeException | Error e) {
                closeQuietly(ticksQueue != null ? src : null, modelFile != null ? sv : null, ownedBackend);
                throw e;
            }
        }
    }
}
