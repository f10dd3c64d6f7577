package io.tickgrad.cli;

import io.tickgrad.io.ChroniclePredictionSource;
import io.tickgrad.io.ChroniclePredictionWriter;
import io.tickgrad.io.ChronicleTickSource;
import io.tickgrad.market.Tick;
import io.tickgrad.model.Checkpoint;
import io.tickgrad.nn.Backend;
import io.tickgrad.serve.AgentErrors;
import io.tickgrad.serve.IdleStrategies;
import io.tickgrad.serve.InferenceAgent;
import io.tickgrad.serve.InferenceService;
import io.tickgrad.serve.LatencyReport;
import io.tickgrad.serve.OnlineCheckpoints;
import io.tickgrad.serve.OnlineLearning;
import io.tickgrad.serve.ServingModel;
import io.tickgrad.train.OnlineConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.OffsetEpochNanoClock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Serves a model: tails a ticks queue, appends predictions, prints the tick-to-prediction latency on exit. With
 * {@code --online} a trainer thread fine-tunes the model from its matured predictions and the inference thread
 * picks up each new revision of the weights on its next tick.
 *
 * <p>Restarts: ticks already in the predictions queue are never predicted again (their sequences are at or below
 * the last prediction's). With {@code --checkpoints}, online learning checkpoints the published weights with the
 * ticks-queue index they cover; a restart serves the newest checkpoint and re-reads the ticks queue from that
 * index, which rebuilds the features and the samples not yet trained on, so after a kill -9 no tick is predicted
 * twice and none is skipped.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Tail a ticks queue with an inference agent and append a prediction per tick to a predictions queue; "
        + "prints the tick-to-prediction latency histogram on exit (Ctrl-C, or --exit-when-idle-ms). With --online, "
        + "fine-tune the model online while serving; with --checkpoints, resume from the newest checkpoint.")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--ticks", required = true, description = "ticks queue directory (read from its start)")
    Path ticks;

    @Option(names = "--predictions", required = true, description = "predictions queue directory (created if missing)")
    Path predictions;

    @Option(names = "--model", required = true, description = "checkpoint with its feature spec (tickgrad.features)")
    Path model;

    @Option(names = "--idle", defaultValue = "backoff",
        description = "idle strategy: " + IdleStrategies.NAMES + "; default ${DEFAULT-VALUE}")
    String idle;

    @Option(names = "--exit-when-idle-ms", defaultValue = "0",
        description = "stop after this long without a new tick (0: run until interrupted)")
    long exitWhenIdleMs;

    @Option(names = "--checkpoints", description = "with --online: directory of checkpoints of the published weights "
        + "and the ticks-queue index they cover; a restart resumes from the newest")
    Path checkpoints;

    @Option(names = "--checkpoint-every-ms", defaultValue = "10000",
        description = "the least time between two checkpoints, ms; default ${DEFAULT-VALUE}")
    long checkpointEveryMs;

    @Option(names = "--keep-checkpoints", defaultValue = "5", description = "checkpoints kept; default ${DEFAULT-VALUE}")
    int keepCheckpoints;

    @Option(names = "--trainer-idle", defaultValue = "sleeping",
        description = "idle strategy of the trainer thread: " + IdleStrategies.NAMES + "; default ${DEFAULT-VALUE}")
    String trainerIdle;

    @Option(names = "--pause-file", description = "with --online: learning pauses while this file exists and resumes "
        + "when it is removed (serving goes on either way)")
    Path pauseFile;

    @Mixin
    BackendOption backendOption;

    @Mixin
    PrecisionOption precisionOption;

    @Mixin
    OnlineOptions onlineOptions;

    @Override
    public Integer call() throws Exception {
        Histogram latency = LatencyReport.newHistogram();
        CountDownLatch finished = new CountDownLatch(1);
        AtomicBoolean stop = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            stop.set(true);
            try {
                finished.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tickgrad-serve-shutdown");
        OnlineConfig online = onlineOptions.config();
        if (checkpoints != null && online == null) {
            throw new IllegalArgumentException("--checkpoints needs --online (plain serving has no state to checkpoint)");
        }
        long lastPredicted = ChroniclePredictionSource.lastTickSequence(predictions);
        Path modelFile = model;
        long startIndex = Tick.NO_SOURCE_INDEX;
        long trainedThrough = Long.MIN_VALUE;
        long baseVersion = checkpoints == null ? 0 : ServingModel.versionOf(model);   // recorded in checkpoints
        OnlineCheckpoints.Resume resume = null;
        if (checkpoints != null) {
            resume = OnlineCheckpoints.latest(checkpoints);
            if (resume != null) {
                resume.skipped().forEach(m -> System.out.println("skipped a checkpoint that does not load: " + m));
                if (resume.baseVersion() != baseVersion) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT, "%s was trained from a base model "
                        + "of version %016x, but --model %s is version %016x: pass the model those checkpoints "
                        + "started from, or a new --checkpoints directory", resume.file(), resume.baseVersion(),
                        model, baseVersion));
                }
                modelFile = resume.file();
                startIndex = resume.resumeIndex();
                trainedThrough = resume.trainedThrough();
                System.out.printf(Locale.ROOT, "resuming from checkpoint %s: ticks from queue index %x, samples "
                    + "after tick %d%n", modelFile, startIndex, trainedThrough);
            }
        }
        if (lastPredicted != Long.MIN_VALUE) {
            System.out.printf(Locale.ROOT, "the predictions queue ends at tick %d: ticks up to it are not predicted "
                + "again%n", lastPredicted);
        }
        boolean resumed = !modelFile.equals(model);
        // registered only now: from here on the finally below always releases it; an error before this point must
        // not leave a hook that waits forever and so stops the JVM from exiting
        Runtime.getRuntime().addShutdownHook(hook);
        try (Backend backend = backendOption.create();
             ServingModel serving = ServingModel.load(modelFile, backend, precisionOption.get());
             // resumed: the distance bound stays around the base model, not the checkpoint
             ServingModel base = resumed && online != null ? ServingModel.load(model, backend) : null;
             ChronicleTickSource source = ChronicleTickSource.openAt(ticks, startIndex);
             ChroniclePredictionWriter sink = ChroniclePredictionWriter.open(predictions);
             OnlineLearning learning = online == null ? null : OnlineLearning.start(serving, online,
                 checkpoints == null ? null : new OnlineCheckpoints(checkpoints, keepCheckpoints, serving.features(),
                     baseVersion, checkpointEveryMs * 1_000_000L), sink, new OffsetEpochNanoClock(), latency,
                 base == null ? null : base.network())) {
            InferenceService service = learning != null ? learning.service()
                : new InferenceService(serving, sink, new OffsetEpochNanoClock(), latency);
            service.suppressThrough(lastPredicted);
            if (learning != null) {
                learning.learner().skipThrough(trainedThrough);
                if (resume != null) {
                    restoreOptimizer(learning, resume);
                }
            }
            InferenceAgent agent = new InferenceAgent(source, service, 256);
            System.out.printf(Locale.ROOT, "serving %s (version %016x, %d features) from %s to %s, idle %s%s%n",
                modelFile, serving.version(), serving.features().width(), ticks, predictions, idle,
                learning == null ? "" : ", learning online (" + online + ")");
            AgentErrors inferenceErrors = new AgentErrors("inference", System.out);
            AgentErrors trainerErrors = new AgentErrors("trainer", System.out);
            try (AgentRunner runner = new AgentRunner(IdleStrategies.parse(idle), inferenceErrors, null, agent);
                 AgentRunner trainer = learning == null ? null : new AgentRunner(IdleStrategies.parse(trainerIdle),
                     trainerErrors, null, learning.trainer())) {
                if (learning != null && pauseFile != null) {
                    followPauseFile(learning);   // before the first tick, so a paused start never trains
                }
                AgentRunner.startOnThread(runner);
                if (trainer != null) {
                    AgentRunner.startOnThread(trainer);
                }
                long lastSeen = -1;
                long lastChange = System.nanoTime();
                while (!stop.get()) {
                    Thread.sleep(20);
                    if (learning != null && pauseFile != null) {
                        followPauseFile(learning);
                    }
                    long seen = service.ticks() + service.badTicks().total();
                    if (seen != lastSeen) {
                        lastSeen = seen;
                        lastChange = System.nanoTime();
                    } else if (exitWhenIdleMs > 0 && System.nanoTime() - lastChange > exitWhenIdleMs * 1_000_000L) {
                        break;
                    }
                }
            }
            System.out.printf(Locale.ROOT, "ticks %d (warm-up %d), predictions %d, bad ticks %d%s%n", service.ticks(),
                service.warming(), service.predictions(), service.badTicks().total(),
                service.suppressed() > 0 ? ", " + service.suppressed() + " ticks re-read after a restart (not "
                    + "predicted again)" : "");
            System.out.print(service.badTicks().report());
            if (inferenceErrors.count() + trainerErrors.count() > 0) {
                System.out.printf(Locale.ROOT, "agent errors: inference %d, trainer %d%n", inferenceErrors.count(),
                    trainerErrors.count());
            }
            if (learning != null) {
                System.out.println(learning.report());
            }
            if (service.unmeasured() > 0) {
                System.out.printf(Locale.ROOT, "%d predictions left out of the latency histogram: their ticks were "
                    + "received over 10 s earlier (a recorded backlog), or the clocks disagree%n", service.unmeasured());
            }
            LatencyReport.print("tick receive -> prediction latency", latency, System.out);
        } finally {
            finished.countDown();
            if (!stop.get()) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        }
        return 0;
    }

    /** Puts back the optimizer's moments a checkpoint holds; without them learning starts with fresh ones. */
    private static void restoreOptimizer(OnlineLearning learning, OnlineCheckpoints.Resume resume) {
        boolean restored = resume.optimizerSteps() >= 0 && learning.learner().restoreOptimizerState(
            Checkpoint.readState(resume.file()), resume.optimizerSteps());
        System.out.println(restored ? "optimizer state restored (" + resume.optimizerSteps() + " Adam steps)"
            : "the checkpoint holds no optimizer state for these weights: Adam starts with fresh moments");
    }

    private void followPauseFile(OnlineLearning learning) {
        boolean pause = Files.exists(pauseFile);
        if (pause != learning.learner().isPaused()) {
            if (pause) {
                learning.learner().pause();
            } else {
                learning.learner().resume();
            }
            System.out.println("online learning " + (pause ? "paused (" + pauseFile + " exists)" : "resumed"));
        }
    }
}
