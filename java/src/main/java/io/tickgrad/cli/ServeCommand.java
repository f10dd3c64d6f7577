package io.tickgrad.cli;

import io.tickgrad.nn.Backend;
import io.tickgrad.online.OnlineConfig;
import io.tickgrad.serve.IdleStrategies;
import io.tickgrad.serve.InferenceService;
import io.tickgrad.serve.LatencyReport;
import io.tickgrad.serve.OnlineLearning;
import io.tickgrad.serve.ServingModel;
import io.tickgrad.serve.ServingSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
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
        ServingSession.Builder builder = ServingSession.builder().model(model).precision(precisionOption.get()).ticks(ticks)
            .predictions(predictions)
            .online(online).idle(IdleStrategies.parse(idle), IdleStrategies.parse(trainerIdle))
            .latency(latency).notices(System.out::println).errors(System.out);
        if (checkpoints != null) {
            builder.checkpoints(checkpoints, keepCheckpoints, checkpointEveryMs * 1_000_000L);
        }
        if (checkpoints != null && online == null) {
            throw new IllegalArgumentException("--checkpoints needs --online (plain serving has no state to checkpoint)");
        }
        if (sameDirectory(ticks, predictions)) {
            throw new IllegalArgumentException("--predictions " + predictions + ": is the ticks queue (--ticks " + ticks
                + "); expected a queue of its own for the predictions");
        }
        if (checkpoints != null && (sameDirectory(checkpoints, predictions) || sameDirectory(checkpoints, ticks))) {
            throw new IllegalArgumentException("--checkpoints " + checkpoints + ": is a queue directory; expected a "
                + "directory of its own for the checkpoints");
        }
        if (!awaitTicksQueue(stop)) {
            throw new IllegalStateException("--ticks " + ticks + ": no ticks queue appeared there within "
                + exitWhenIdleMs + " ms (--exit-when-idle-ms); expected a queue written by tickgrad record");
        }
        // the session takes the OS locks of --predictions and --checkpoints: one owner per output
        try (Backend backend = backendOption.create();
             ServingSession session = builder.backend(backend).open()) {
            // registered only now: from here on the finally below always releases it; an error before this
            // point must not leave a hook that waits forever and so stops the JVM from exiting
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                serve(session, online, stop);
            } finally {
                finished.countDown();
                if (!stop.get()) {
                    Runtime.getRuntime().removeShutdownHook(hook);
                }
            }
        }
        return 0;
    }

    private void serve(ServingSession session, OnlineConfig online, AtomicBoolean stop) throws InterruptedException {
        ServingModel serving = session.model();
        InferenceService service = session.service();
        OnlineLearning learning = session.learning();
        System.out.printf(Locale.ROOT, "serving %s (version %016x, %d features) from %s to %s, idle %s%s%n",
            serving.file(), serving.version(), serving.features().width(), ticks, predictions, idle,
            learning == null ? "" : ", learning online (" + online + ")");
        try {
            if (learning != null && pauseFile != null) {
                followPauseFile(session);   // before the first tick, so a paused start never trains
            }
            session.start();
            long lastSeen = -1;
            long lastChange = System.nanoTime();
            while (!stop.get() && session.failure() == null) {
                Thread.sleep(20);
                if (learning != null && pauseFile != null) {
                    followPauseFile(session);
                }
                long seen = session.activity();
                if (seen != lastSeen) {
                    lastSeen = seen;
                    lastChange = System.nanoTime();
                } else if (exitWhenIdleMs > 0 && System.nanoTime() - lastChange > exitWhenIdleMs * 1_000_000L) {
                    break;
                }
            }
        } finally {
            session.stop();   // stops the agents; the trainer's close writes the final checkpoint
        }
        System.out.printf(Locale.ROOT, "ticks %d (warm-up %d), predictions %d, bad ticks %d%s%n", service.ticks(),
            service.warming(), service.predictions(), service.badTicks().total(),
            service.suppressed() > 0 ? ", " + service.suppressed() + " ticks re-read after a restart (not "
                + "predicted again)" : "");
        System.out.print(service.badTicks().report());
        if (session.inferenceErrors() + session.trainerErrors() > 0) {
            System.out.printf(Locale.ROOT, "agent errors: inference %d, trainer %d%n", session.inferenceErrors(),
                session.trainerErrors());
        }
        if (learning != null) {
            System.out.println(learning.report());
        }
        if (service.unmeasured() > 0) {
            System.out.printf(Locale.ROOT, "%d predictions left out of the latency histogram: their ticks were "
                + "received over 10 s earlier (a recorded backlog), or the clocks disagree%n", service.unmeasured());
        }
        LatencyReport.print("tick receive -> prediction latency", session.latency(), System.out);
        if (session.failure() != null) {
            throw new IllegalStateException(session.failure().getMessage() + "; the inference thread stopped, "
                + "every prediction appended before it is in " + predictions);
        }
        if (session.inferenceErrors() > 0) {
            throw new IllegalStateException(session.inferenceErrors() + " errors in the inference thread (the first "
                + "are printed above); expected none");
        }
        if (service.ticks() == 0) {
            throw new IllegalArgumentException("--ticks " + ticks + ": " + (service.badTicks().total() > 0
                ? "no valid tick: all " + service.badTicks().total() + " ticks were bad"
                : "no tick records (found " + session.describeForeignDocuments() + ")")
                + "; expected ticks written by tickgrad record");
        }
    }

    private static boolean sameDirectory(Path a, Path b) {
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    /**
     * Waits until the ticks queue exists (a recorder may start after the server). Returns false when
     * --exit-when-idle-ms passes first.
     */
    private boolean awaitTicksQueue(AtomicBoolean stop) throws InterruptedException {
        long start = System.nanoTime();
        boolean told = false;
        while (!ticksQueueExists()) {
            if (!told) {
                System.out.println("waiting for the ticks queue " + ticks + " to appear");
                told = true;
            }
            if (stop.get() || (exitWhenIdleMs > 0 && System.nanoTime() - start > exitWhenIdleMs * 1_000_000L)) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    private boolean ticksQueueExists() {
        return Files.isDirectory(ticks) && (Files.isRegularFile(ticks.resolve("metadata.cq4t"))
            || hasDataFile(ticks));
    }

    private static boolean hasDataFile(Path dir) {
        try (var s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().endsWith(".cq4"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private void followPauseFile(ServingSession session) {
        boolean pause = Files.exists(pauseFile);
        if (pause != session.learningPaused()) {
            session.pauseLearning(pause);
            System.out.println("online learning " + (pause ? "paused (" + pauseFile + " exists)" : "resumed"));
        }
    }
}
