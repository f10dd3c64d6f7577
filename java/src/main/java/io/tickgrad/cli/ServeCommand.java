package io.tickgrad.cli;

import io.tickgrad.io.ChroniclePredictionWriter;
import io.tickgrad.io.ChronicleTickSource;
import io.tickgrad.nn.Backend;
import io.tickgrad.serve.IdleStrategies;
import io.tickgrad.serve.InferenceAgent;
import io.tickgrad.serve.InferenceService;
import io.tickgrad.serve.LatencyReport;
import io.tickgrad.serve.ServingModel;
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

/** Serves a model: tails a ticks queue, appends predictions, prints the tick-to-prediction latency on exit. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Tail a ticks queue with an inference agent and append a prediction per tick to a predictions queue; "
        + "prints the tick-to-prediction latency histogram on exit (Ctrl-C, or --exit-when-idle-ms).")
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

    @Mixin
    BackendOption backendOption;

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
        Runtime.getRuntime().addShutdownHook(hook);
        try (Backend backend = backendOption.create();
             ServingModel serving = ServingModel.load(model, backend);
             ChronicleTickSource source = ChronicleTickSource.open(ticks);
             ChroniclePredictionWriter sink = ChroniclePredictionWriter.open(predictions)) {
            InferenceService service = new InferenceService(serving, sink, new OffsetEpochNanoClock(), latency);
            InferenceAgent agent = new InferenceAgent(source, service, 256);
            System.out.printf(Locale.ROOT, "serving %s (version %016x, %d features) from %s to %s, idle %s%n", model,
                serving.version(), serving.features().width(), ticks, predictions, idle);
            try (AgentRunner runner = new AgentRunner(IdleStrategies.parse(idle), Throwable::printStackTrace, null,
                agent)) {
                AgentRunner.startOnThread(runner);
                long lastSeen = -1;
                long lastChange = System.nanoTime();
                while (!stop.get()) {
                    Thread.sleep(20);
                    long seen = service.ticks() + service.badTicks().total();
                    if (seen != lastSeen) {
                        lastSeen = seen;
                        lastChange = System.nanoTime();
                    } else if (exitWhenIdleMs > 0 && System.nanoTime() - lastChange > exitWhenIdleMs * 1_000_000L) {
                        break;
                    }
                }
            }
            System.out.printf(Locale.ROOT, "ticks %d (warm-up %d), predictions %d, bad ticks %d%n", service.ticks(),
                service.warming(), service.predictions(), service.badTicks().total());
            System.out.print(service.badTicks().report());
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
}
