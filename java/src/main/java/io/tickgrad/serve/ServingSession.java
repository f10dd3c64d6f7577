package io.tickgrad.serve;

import io.tickgrad.io.ChroniclePredictionSource;
import io.tickgrad.io.ChroniclePredictionWriter;
import io.tickgrad.io.ChronicleTickSource;
import io.tickgrad.io.OutputLock;
import io.tickgrad.market.PredictionSink;
import io.tickgrad.market.Tick;
import io.tickgrad.model.Checkpoint;
import io.tickgrad.nn.Backend;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import io.tickgrad.online.OnlineCheckpoints;
import io.tickgrad.online.OnlineConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.SystemNanoClock;

/**
 * Crash-safe serving as a library type: what {@code tickgrad serve} does, for a strategy in the same process.
 * It opens a model, a ticks queue, a predictions queue and/or an in-process prediction callback, and optionally
 * a checkpoint directory and an online-learning configuration; {@link #start()} runs the inference agent (and the
 * trainer agent) on threads of their own; {@link #close()} stops them and frees everything.
 *
 * <p>What opening does, in order:
 * <ol>
 *   <li><b>Suppression</b>: the predictions queue's last tick sequence is read; ticks up to it are re-read (they
 *       rebuild the features) but never predicted again.</li>
 *   <li><b>Resume</b> (with checkpoints): the newest checkpoint that loads is served instead of the model, the ticks
 *       queue is read from the index it covers, and samples up to the tick it was trained through are skipped.</li>
 *   <li><b>Base-model check</b>: a checkpoint trained from another base model is refused, naming both.</li>
 *   <li><b>Optimizer restore</b>: the optimizer's state the checkpoint holds (Adam's moments and step count) is put
 *       back; without it learning starts with fresh moments.</li>
 *   <li>With online learning, the distance bound stays around the base model's weights across restarts, new
 *       weights are published to the inference thread through {@link io.tickgrad.online.WeightSlots}, and closing writes a final
 *       checkpoint of the newest trained weights.</li>
 * </ol>
 * So after a kill -9 and a new session over the same directories, every tick is predicted exactly once.
 *
 * <p><b>One owner per output</b>: opening takes an OS lock ({@link OutputLock}) on the predictions queue and the
 * checkpoint directory, held until {@link #close()} (or the process ends, {@code kill -9} included); a second
 * session on either, in this process or another, is refused with an {@link IllegalStateException} that names the
 * directory (and the holder's pid), before anything is read or written there.
 *
 * <p>Threads: a session may be shared. Its controls ({@link #start()}, {@link #pauseLearning(boolean)},
 * {@link #stop()}, {@link #close()}) are synchronized and may be called from any thread, a shutdown hook included;
 * a second {@link #start()} throws {@link IllegalStateException}. The inference and trainer agents run on threads of
 * their own, which the session starts; they are the only threads that touch the networks, so the {@link #service()}
 * and {@link #learning()} objects must not be driven from another thread while the session runs. The prediction
 * callback runs on the inference thread, once per prediction; the {@link io.tickgrad.market.Prediction}
 * it gets is a flyweight valid only during the call, and the callback must not block, throw or allocate if the
 * hot path is to stay allocation-free. The counters ({@link #ticks()}, {@link #predictions()}, ...) may be read
 * from any thread while serving (plain reads of values another thread writes: a recent value, not a snapshot).
 * Native memory (networks, slabs, rings) belongs to the session and is freed by {@link #close()}; a
 * {@link Builder#backend(Backend) backend} passed in stays the caller's.
 */
public final class ServingSession implements AutoCloseable {
    private final Backend backend;
    private final boolean ownsBackend;
    private final ServingModel serving;
    private final ServingModel base;
    private final ChronicleTickSource source;
    private final ChroniclePredictionWriter writer;
    private final OnlineLearning learning;
    private final InferenceService service;
    private final OnlineCheckpoints.Resume resume;
    private final long lastPredicted;
    private final boolean optimizerRestored;
    private final IdleStrategy idle;
    private final IdleStrategy trainerIdle;
    private final AgentErrors inferenceErrors;
    private final AgentErrors trainerErrors;
    private final Histogram latency;
    private final OutputLock predictionsLock;
    private final OutputLock checkpointsLock;
    private InferenceAgent inferenceAgent;
    private AgentRunner inferenceRunner;
    private AgentRunner trainerRunner;
    private boolean closed;

    private ServingSession(Builder b, Consumer<String> notices, OutputLock predictionsLock, OutputLock checkpointsLock) {
        this.predictionsLock = predictionsLock;
        this.checkpointsLock = checkpointsLock;
        this.lastPredicted = b.predictions == null ? Long.MIN_VALUE
            : ChroniclePredictionSource.lastTickSequence(b.predictions);
        long baseVersion = b.checkpoints == null ? 0 : ServingModel.versionOf(b.model);
        OnlineCheckpoints.Resume found = null;
        if (b.checkpoints != null) {
            found = OnlineCheckpoints.latest(b.checkpoints);
            if (found != null) {
                found.skipped().forEach(m -> notices.accept("skipped a checkpoint that does not load: " + m));
                if (found.baseVersion() != baseVersion) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT, "%s was trained from a base model "
                        + "of version %016x, but --model %s is version %016x: pass the model those checkpoints "
                        + "started from, or a new --checkpoints directory", found.file(), found.baseVersion(),
                        b.model, baseVersion));
                }
                notices.accept(String.format(Locale.ROOT, "resuming from checkpoint %s: ticks from queue index %x, "
                    + "samples after tick %d", found.file(), found.resumeIndex(), found.trainedThrough()));
            }
        }
        this.resume = found;
        if (lastPredicted != Long.MIN_VALUE) {
            notices.accept(String.format(Locale.ROOT, "the predictions queue ends at tick %d: ticks up to it are not "
                + "predicted again", lastPredicted));
        }
        this.idle = b.idle;
        this.latency = b.latency;
        this.trainerIdle = b.trainerIdle;
        this.inferenceErrors = new AgentErrors("inference", b.errors);
        this.trainerErrors = new AgentErrors("trainer", b.errors);
        this.ownsBackend = b.backend == null;
        Path modelFile = found == null ? b.model : found.file();
        Backend be = null;
        ServingModel sv = null;
        ServingModel bs = null;
        ChronicleTickSource src = null;
        ChroniclePredictionWriter wr = null;
        OnlineLearning ol = null;
        try {
            be = ownsBackend ? NativeCpuBackend.create() : b.backend;
            if (b.online != null && !be.concurrentKernels()) {
                throw new IllegalArgumentException("online learning while serving: the inference and trainer threads "
                    + "share one backend, and backend " + be.name() + " serves one thread at a time; expected the "
                    + "native CPU backend (or serve without online learning, or replay with it)");
            }
            sv = ServingModel.load(modelFile, be, b.precision);
            // resumed: the distance bound stays around the base model, not the checkpoint
            bs = found != null && b.online != null ? ServingModel.load(b.model, be) : null;
            src = ChronicleTickSource.openAt(b.ticks, found == null ? Tick.NO_SOURCE_INDEX : found.resumeIndex());
            wr = b.predictions == null ? null : ChroniclePredictionWriter.open(b.predictions);
            PredictionSink sink = sinkOf(wr, b.listener);
            if (b.online != null) {
                ol = OnlineLearning.start(sv, b.online, b.checkpoints == null ? null : new OnlineCheckpoints(
                    b.checkpoints, b.keepCheckpoints, sv.features(), baseVersion, b.checkpointIntervalNs,
                    b.trainerClock.nanoTime()), sink, b.clock, b.latency, bs == null ? null : bs.network(),
                    b.trainerClock);
            }
            this.service = ol != null ? ol.service() : new InferenceService(sv, sink, b.clock, b.latency);
            service.suppressThrough(lastPredicted);
            boolean restored = false;
            if (ol != null && found != null) {
                ol.learner().skipThrough(found.trainedThrough());
                restored = found.optimizerSteps() >= 0 && ol.learner().restoreOptimizerState(
                    Checkpoint.readState(found.file()), found.optimizerSteps());
                notices.accept(restored ? "optimizer state restored (" + found.optimizerSteps() + " Adam steps)"
                    : "the checkpoint holds no optimizer state for these weights: Adam starts with fresh moments");
            }
            this.optimizerRestored = restored;
        } catch (RuntimeException | Error e) {
            closeQuietly(ol, wr, src, bs, sv, ownsBackend ? be : null);
            throw e;
        }
        this.backend = be;
        this.serving = sv;
        this.base = bs;
        this.source = src;
        this.writer = wr;
        this.learning = ol;
    }

    private static PredictionSink sinkOf(ChroniclePredictionWriter writer, PredictionSink listener) {
        if (writer == null) {
            return listener;
        }
        if (listener == null) {
            return writer;
        }
        return p -> {
            writer.onPrediction(p);     // the queue first: a strategy that acts on it never runs ahead of the record
            listener.onPrediction(p);
        };
    }

    /**
     * A builder with the defaults of {@code tickgrad serve}: native CPU backend (owned), backoff idle strategy for
     * inference, sleeping for the trainer, 5 checkpoints kept, at most one every 10 s, the wall clock.
     *
     * @return a new builder; not thread-safe
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the inference agent (and, with online learning, the trainer agent) on threads of their own.
     *
     * @throws IllegalStateException when already started or closed
     */
    public synchronized void start() {
        if (closed || inferenceRunner != null) {
            throw new IllegalStateException("serving session: " + (closed ? "closed" : "already started"));
        }
        inferenceAgent = new InferenceAgent(source, service, 256);
        inferenceRunner = new AgentRunner(idle, inferenceErrors, null, inferenceAgent);
        AgentRunner.startOnThread(inferenceRunner);
        if (learning != null) {
            trainerRunner = new AgentRunner(trainerIdle, trainerErrors, null, learning.trainer());
            AgentRunner.startOnThread(trainerRunner);
        }
    }

    /** @return the serving logic (counters, bad ticks, suppression), whose handler the inference thread drives */
    public InferenceService service() {
        return service;
    }

    /** @return the online learning (learner, trainer, weight slots), or null when the session does not learn */
    public OnlineLearning learning() {
        return learning;
    }

    /** @return the model served at the start: the newest checkpoint after a resume, else the model */
    public ServingModel model() {
        return serving;
    }

    /** @return the checkpoint this session resumed from, or null when it started from the model */
    public OnlineCheckpoints.Resume resume() {
        return resume;
    }

    /** @return the tick sequence of the predictions queue's last prediction at opening, or Long.MIN_VALUE */
    public long lastPredictedAtOpen() {
        return lastPredicted;
    }

    /** @return the latency histogram given to the builder (null when none); read it after {@link #close()} */
    public Histogram latency() {
        return latency;
    }

    /** @return whether the resumed checkpoint's optimizer state was put back */
    public boolean optimizerRestored() {
        return optimizerRestored;
    }

    /** @return valid ticks handed to the service so far (any thread; a recent value) */
    public long ticks() {
        return service.ticks();
    }

    /** @return predictions made so far (any thread; a recent value) */
    public long predictions() {
        return service.predictions();
    }

    /** @return ticks seen so far, valid or not: a measure of progress for an idle timeout (any thread) */
    public long activity() {
        return service.ticks() + service.badTicks().total();
    }

    /**
     * @return what ended the inference agent (a prediction that could not be appended: a full disk), or null while
     *         it runs or when it ended normally; any thread
     */
    public Throwable failure() {
        return inferenceAgent == null ? null : inferenceAgent.failure();
    }

    /** @return what the ticks queue held besides tick records, in words (for an error message) */
    public String describeForeignDocuments() {
        return source.describeForeignDocuments();
    }

    /** @return errors thrown by the inference agent's duty cycle so far */
    public long inferenceErrors() {
        return inferenceErrors.count();
    }

    /** @return errors thrown by the trainer agent's duty cycle so far */
    public long trainerErrors() {
        return trainerErrors.count();
    }

    /**
     * Pauses or resumes online learning; serving goes on either way. No effect without online learning.
     *
     * @param paused true to pause
     */
    public synchronized void pauseLearning(boolean paused) {
        if (learning != null && paused != learning.learner().isPaused()) {
            if (paused) {
                learning.learner().pause();
            } else {
                learning.learner().resume();
            }
        }
    }

    /** @return whether online learning is paused (false without online learning) */
    public boolean learningPaused() {
        return learning != null && learning.learner().isPaused();
    }

    /**
     * Stops the agents and waits for their threads to end; the trainer's close writes the final checkpoint of the
     * newest trained weights. Counters and reports stay readable until {@link #close()}. Idempotent; any thread.
     */
    public synchronized void stop() {
        try {
            if (inferenceRunner != null) {
                inferenceRunner.close();
            }
        } finally {
            if (trainerRunner != null) {
                trainerRunner.close();
            }
        }
    }

    /**
     * {@link #stop() Stops} the agents, then closes the queues and frees the native memory of the networks, slots
     * and rings (and the backend, when the session created it), and lets go of the output locks. Idempotent; any
     * thread.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stop();
        } finally {
            closeQuietly(learning, writer, source, base, serving, ownsBackend ? backend : null, checkpointsLock,
                predictionsLock);
        }
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

    /** What a session opens; {@link #open()} checks it and opens everything. Not thread-safe. */
    public static final class Builder {
        private Path model;
        private Path ticks;
        private Path predictions;
        private PredictionSink listener;
        private Path checkpoints;
        private int keepCheckpoints = 5;
        private long checkpointIntervalNs = 10_000_000_000L;
        private OnlineConfig online;
        private io.tickgrad.nn.Precision precision = io.tickgrad.nn.Precision.FP32;
        private Backend backend;
        private IdleStrategy idle = IdleStrategies.parse("backoff");
        private IdleStrategy trainerIdle = IdleStrategies.parse("sleeping");
        private EpochNanoClock clock = new OffsetEpochNanoClock();
        private NanoClock trainerClock = SystemNanoClock.INSTANCE;
        private Histogram latency;
        private Consumer<String> notices = s -> { };
        private PrintStream errors = System.err;

        private Builder() {
        }

        /**
         * @param file the checkpoint to serve, with its feature spec (tickgrad.features); with checkpoints, the base
         *             model that every checkpoint must have started from
         * @return this
         */
        public Builder model(Path file) {
            this.model = file;
            return this;
        }

        /**
         * @param value the precision of the serving weights (fp32, or a bf16 or int8 inference copy packed at load)
         * @return this
         */
        public Builder precision(io.tickgrad.nn.Precision value) {
            this.precision = java.util.Objects.requireNonNull(value, "precision");
            return this;
        }

        /**
         * @param dir the ticks queue, read from its start (or from a resumed checkpoint's index)
         * @return this
         */
        public Builder ticks(Path dir) {
            this.ticks = dir;
            return this;
        }

        /**
         * @param dir the predictions queue (created when missing); its last prediction sets what is suppressed
         * @return this
         */
        public Builder predictions(Path dir) {
            this.predictions = dir;
            return this;
        }

        /**
         * @param sink called on the inference thread with each prediction, after the predictions queue (if any);
         *             the prediction is a flyweight valid only during the call; must not throw or block
         * @return this
         */
        public Builder onPrediction(PredictionSink sink) {
            this.listener = sink;
            return this;
        }

        /**
         * @param dir checkpoints of the published weights and the ticks-queue index they cover (needs online)
         * @param keep checkpoints kept, at least 1
         * @param intervalNs the least time between two checkpoints, in ns (0: after every publication)
         * @return this
         */
        public Builder checkpoints(Path dir, int keep, long intervalNs) {
            this.checkpoints = dir;
            this.keepCheckpoints = keep;
            this.checkpointIntervalNs = intervalNs;
            return this;
        }

        /**
         * @param config online learning while serving (null: the weights stay fixed)
         * @return this
         */
        public Builder online(OnlineConfig config) {
            this.online = config;
            return this;
        }

        /**
         * @param value the backend to compute on; stays the caller's (default: a native CPU backend the session
         *              creates and closes)
         * @return this
         */
        public Builder backend(Backend value) {
            this.backend = value;
            return this;
        }

        /**
         * @param inference the inference thread's idle strategy
         * @param trainer the trainer thread's idle strategy
         * @return this
         */
        public Builder idle(IdleStrategy inference, IdleStrategy trainer) {
            this.idle = Objects.requireNonNull(inference, "inference idle strategy");
            this.trainerIdle = Objects.requireNonNull(trainer, "trainer idle strategy");
            return this;
        }

        /**
         * @param value the clock of the decision timestamps and checkpoint intervals, in epoch ns
         * @return this
         */
        public Builder clock(EpochNanoClock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * @param value the monotonic clock of the trainer's round time budget and the checkpoint interval, in ns
         *              (default: the system's); read on the trainer thread
         * @return this
         */
        public Builder trainerClock(NanoClock value) {
            this.trainerClock = Objects.requireNonNull(value, "trainer clock");
            return this;
        }

        /**
         * @param histogram records tick receive time to prediction complete, in ns (null: not recorded); written
         *                  by the inference thread: read it after {@link ServingSession#close()}
         * @return this
         */
        public Builder latency(Histogram histogram) {
            this.latency = histogram;
            return this;
        }

        /**
         * @param sink receives one-line notices while opening (resume, suppression, optimizer restore)
         * @return this
         */
        public Builder notices(Consumer<String> sink) {
            this.notices = Objects.requireNonNull(sink, "notices");
            return this;
        }

        /**
         * @param out where agent errors are printed (the first five in full, then only counted)
         * @return this
         */
        public Builder errors(PrintStream out) {
            this.errors = Objects.requireNonNull(out, "errors");
            return this;
        }

        /**
         * Opens the session: reads what the predictions queue and the checkpoints hold, loads the model, opens the
         * queues; nothing runs until {@link ServingSession#start()}.
         *
         * @return the open session; the caller closes it
         * @throws IllegalArgumentException when a required part is missing, checkpoints come without online
         *                                  learning, or the checkpoints started from another base model
         * @throws IllegalStateException    when another session (in this process or another) owns the predictions
         *                                  queue or the checkpoint directory
         */
        public ServingSession open() {
            if (model == null || ticks == null) {
                throw new IllegalArgumentException("serving session: a model and a ticks queue are required");
            }
            if (predictions == null && listener == null) {
                throw new IllegalArgumentException("serving session: predictions need a place to go: a predictions "
                    + "queue, an onPrediction callback, or both");
            }
            if (checkpoints != null && online == null) {
                throw new IllegalArgumentException("--checkpoints needs --online (plain serving has no state to "
                    + "checkpoint)");
            }
            if (checkpoints != null && keepCheckpoints < 1) {
                throw new IllegalArgumentException("serving session: keep at least 1 checkpoint, got "
                    + keepCheckpoints);
            }
            // one owner per output: taken before anything is read from it, held until close
            OutputLock predictionsLock = predictions == null ? null : OutputLock.acquire(predictions,
                "predictions queue");
            OutputLock checkpointsLock = null;
            try {
                checkpointsLock = checkpoints == null ? null : OutputLock.acquire(checkpoints, "checkpoints directory");
                return new ServingSession(this, notices, predictionsLock, checkpointsLock);
            } catch (RuntimeException | Error e) {
                closeQuietly(checkpointsLock, predictionsLock);
                throw e;
            }
        }
    }
}
