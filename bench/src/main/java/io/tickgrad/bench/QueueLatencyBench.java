package io.tickgrad.bench;

import io.tickgrad.io.ChroniclePredictionSource;
import io.tickgrad.io.ChroniclePredictionWriter;
import io.tickgrad.io.ChronicleTickSource;
import io.tickgrad.io.ChronicleTickWriter;
import io.tickgrad.market.FeatureSpec;
import io.tickgrad.market.LabelSpec;
import io.tickgrad.market.PredictionSink;
import io.tickgrad.market.Tick;
import io.tickgrad.market.TickDescriptor;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import io.tickgrad.serve.IdleStrategies;
import io.tickgrad.serve.InferenceAgent;
import io.tickgrad.serve.InferenceService;
import io.tickgrad.serve.ServingModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Tick appended to prediction readable, through two Chronicle queues, with coordinated omission accounted for.
 *
 * <p>The main thread appends ticks on a fixed schedule (tick i is due at start + i / rate) and, while it waits for
 * the next due time, tails the predictions queue. The inference agent (its own thread, busy-spin by default) tails
 * the ticks queue, computes 32 features (a 64-trade chart window resampled to 32 points), runs the 32-64-64-1
 * network and appends the prediction. Each prediction's latency is measured from its tick's <em>due</em> time, not
 * the time it was actually appended, so a stall that delays later ticks counts against every tick it delays
 * (coordinated omission accounted). The time from the actual append is reported beside it.
 *
 * <p>Usage: {@code QueueLatencyBench [rate-per-s] [measured-ticks] [warmup-ticks] [idle-strategy] [records.json]}; defaults
 * 20000 200000 100000 yielding (on a 2-core machine a busy-spinning agent starves the JVM's own threads,
 * which then preempt it for whole scheduler slices).
 */
public final class QueueLatencyBench {
    private QueueLatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int measured = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        String idle = args.length > 3 ? args[3] : "yielding";
        Path records = args.length > 4 ? Path.of(args[4]) : null;
        int total = warmup + measured;
        long intervalNs = 1_000_000_000L / rate;
        Path dir = Files.createTempDirectory("tickgrad-queue-latency");
        Histogram fromDue = new Histogram(1, 60_000_000_000L, 3);
        Histogram fromAppend = new Histogram(1, 60_000_000_000L, 3);
        long[] dueNs = new long[total];
        long[] appendedNs = new long[total];
        long[] received = new long[1];
        FeatureSpec spec = new FeatureSpec(64, 32, new int[0], 0, 0, false, false, null, LabelSpec.ticks(10, 0), 0, 0);
        try (NativeCpuBackend backend = NativeCpuBackend.create();
             Network net = Network.builder(32).dense(64).relu().dense(64).relu().dense(1).sigmoid()
                 .build(backend, 1, 42);
             ChronicleTickWriter ticks = ChronicleTickWriter.open(dir.resolve("ticks"));
             ChronicleTickSource agentSource = ChronicleTickSource.open(dir.resolve("ticks"));
             ChroniclePredictionWriter agentSink = ChroniclePredictionWriter.open(dir.resolve("predictions"));
             ChroniclePredictionSource predictions = ChroniclePredictionSource.open(dir.resolve("predictions"))) {
            InferenceService service = new InferenceService(ServingModel.of(net, spec, 1), agentSink,
                new OffsetEpochNanoClock(), null);
            OffsetEpochNanoClock clock = new OffsetEpochNanoClock();
            Tick tick = new Tick().wrap(new UnsafeBuffer(new byte[TickDescriptor.LENGTH]), 0);
            SplittableRandom random = new SplittableRandom(1);
            PredictionSink reader = p -> {
                long now = System.nanoTime();
                int seq = (int) p.tickSequence();
                if (seq >= warmup) {
                    fromDue.recordValue(Math.max(1, now - dueNs[seq]));
                    fromAppend.recordValue(Math.max(1, now - appendedNs[seq]));
                }
                received[0]++;
            };
            double price = 100;
            try (AgentRunner runner = new AgentRunner(IdleStrategies.parse(idle), Throwable::printStackTrace, null,
                new InferenceAgent(agentSource, service, 64))) {
                AgentRunner.startOnThread(runner);
                long start = System.nanoTime() + 10_000_000L;
                for (int i = 0; i < total; i++) {
                    long due = start + i * intervalNs;
                    while (System.nanoTime() < due) {
                        predictions.poll(reader, 16);
                    }
                    price *= 1 + (random.nextDouble() - 0.5) * 1e-3;
                    dueNs[i] = due;
                    appendedNs[i] = System.nanoTime();
                    ticks.onTick(tick.trade(i, 1, clock.nanoTime(), clock.nanoTime(), price, 1));
                    predictions.poll(reader, 16);
                }
                // the first 63 ticks only warm the chart window: they have no prediction
                long expected = total - (spec.warmupTicks() - 1);
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (received[0] < expected && System.nanoTime() < deadline) {
                    predictions.poll(reader, 64);
                }
            }
            System.out.printf(Locale.ROOT, "queue latency, tick appended -> prediction readable: 32-64-64-1 network, "
                    + "%d ticks/s, %d measured after %d warm-up, idle %s, %d cores, %s%n", rate, measured, warmup, idle,
                Runtime.getRuntime().availableProcessors(), backend.name());
            print("from due time (coordinated omission accounted)", fromDue);
            print("from actual append", fromAppend);
            if (records != null) {
                writeRecords(records, fromDue, rate);
            }
            System.out.printf(Locale.ROOT, "predictions received %d of %d; bad ticks %d%n", received[0],
                total - (spec.warmupTicks() - 1), service.badTicks().total());
        } finally {
            delete(dir);
        }
    }

    /**
     * Writes the percentiles from the due time as results.json records (name, engine, unit, score, error), so that
     * bench/run.sh adds them to RESULTS.md beside the JMH results.
     */
    private static void writeRecords(Path file, Histogram h, int rate) throws IOException {
        StringBuilder json = new StringBuilder("[\n");
        double[][] points = {{50, 0}, {99, 0}, {99.9, 0}};
        String[] labels = {"p50", "p99", "p99.9"};
        for (int i = 0; i < points.length; i++) {
            json.append(String.format(Locale.ROOT,
                "  {\"name\": \"QueueLatency.%s[network=mlp32,rate=%d]\", \"engine\": \"tickgrad\", \"unit\": \"us\", "
                    + "\"score\": %.3f, \"error\": null}%s%n", labels[i], rate,
                h.getValueAtPercentile(points[i][0]) / 1e3, i + 1 < points.length ? "," : ""));
        }
        Files.writeString(file, json.append("]\n"));
    }

    private static void print(String what, Histogram h) {
        System.out.printf(Locale.ROOT, "  %-48s n=%d p50=%.2f us p90=%.2f us p99=%.2f us p99.9=%.2f us max=%.2f us%n",
            what, h.getTotalCount(), h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(90) / 1e3,
            h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3);
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
