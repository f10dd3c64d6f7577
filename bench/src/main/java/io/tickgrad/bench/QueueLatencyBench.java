package io.tickgrad.bench;

import io.tickgrad.io.ChroniclePredictionSource;
import io.tickgrad.io.ChroniclePredictionWriter;
import io.tickgrad.io.ChronicleTickSource;
import io.tickgrad.io.ChronicleTickWriter;
import io.tickgrad.market.FeatureSpec;
import io.tickgrad.market.LabelSpec;
import io.tickgrad.market.Prediction;
import io.tickgrad.market.PredictionSink;
import io.tickgrad.market.Tick;
import io.tickgrad.market.TickDescriptor;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import io.tickgrad.online.OnlineConfig;
import io.tickgrad.serve.IdleStrategies;
import io.tickgrad.serve.InferenceAgent;
import io.tickgrad.serve.InferenceService;
import io.tickgrad.serve.LatencyReport;
import io.tickgrad.serve.OnlineLearning;
import io.tickgrad.serve.ServingModel;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Tick appended to prediction readable, through two Chronicle queues, with coordinated omission accounted for;
 * serving alone, and serving with online learning training the whole network on its own thread.
 *
 * <p>The main thread appends ticks on a fixed schedule (tick i is due at start + i / rate) and, while it waits for
 * the next due time, tails the predictions queue. The inference agent (its own thread, yielding by default) tails
 * the ticks queue, computes 32 features (a 64-trade chart window resampled to 32 points), runs the 32-64-64-1
 * network and appends the prediction. Each prediction's latency is measured from its tick's <em>due</em> time, not
 * the time it was actually appended, so a stall that delays later ticks counts against every tick it delays
 * (coordinated omission accounted). The time from the actual append is reported beside it.
 *
 * <p>Two configurations run in the same process: <b>serving</b> alone, and <b>online</b>: the same network served
 * from {@link OnlineLearning}'s weight slots, every sample kept until its label (the move 10 ticks later) matures,
 * and a {@link io.tickgrad.online.TrainerAgent} on a third thread training the whole network at
 * {@link OnlineConfig#defaults()}'s cadence (4 Adam steps of 32 samples every 32 samples) and publishing the weights
 * after every accepted round. Each configuration first runs one unrecorded warm-up round; then short measured
 * rounds alternate A B B A A B ..., so that whatever else the machine does at the time weighs on both alike. Every
 * round starts on fresh queues and the same starting weights, replays the same tick stream on the same schedule and
 * leaves its first {@link #SETTLE_TICKS} unrecorded, so the two configurations differ only in the learning. The ratio
 * of their medians, the cost of learning beside serving (issue #5: at most 1.5), is taken round by round (the two
 * rounds of a pair run back to back) and reported as the median of the rounds' ratios; the percentiles are those of
 * all rounds together.
 *
 * <p>Threads on a 2-core machine: main (appends and reads, spinning between due times), inference (yielding) and,
 * when learning, the trainer (sleeping: 1 ms whenever its ring buffer is empty). The trainer never spins: it wakes at
 * most a thousand times a second, drains the matured samples and trains a round when one is due, so it takes a
 * core from the two latency threads only while it has work (about a tenth of a core here), and it runs at normal
 * priority, never above inference. A busy-spinning or yielding trainer would compete for a core all the time.
 *
 * <p>Usage: {@code QueueLatencyBench [rate-per-s] [measured-ticks] [warmup-ticks] [idle-strategy] [records.json|-]
 * [trainer-idle-strategy] [rounds]}; defaults 20000 200000 100000 yielding - sleeping 10. Measured ticks are per
 * configuration, split over its rounds. On a 2-core machine a busy-spinning agent starves the JVM's own threads,
 * which then preempt it for whole scheduler slices: hence a yielding inference agent.
 */
public final class QueueLatencyBench {
    /** The label the online configuration learns: up or down 10 ticks later, no dead zone. */
    static final FeatureSpec SPEC = new FeatureSpec(64, 32, new int[0], 0, 0, false, false, null,
        LabelSpec.ticks(10, 0), 0, 0);
    /**
     * Ticks at the start of every measured round that are not recorded: the chart window fills (63 ticks), the
     * first samples mature and fill the trainer's first batch, the fresh queue files are mapped.
     */
    static final int SETTLE_TICKS = 5_000;
    /** The ratio of medians, online over serving alone, that issue #5 asks for at most. */
    static final double MEDIAN_RATIO_GOAL = 1.5;

    /** What runs beside the inference agent. */
    enum Mode {
        SERVING("serving", "serving alone", ""),
        ONLINE("online", "serving + online learning (whole network)", ",online=whole");

        final String shortName;
        final String title;
        final String nameSuffix;

        Mode(String shortName, String title, String nameSuffix) {
            this.shortName = shortName;
            this.title = title;
            this.nameSuffix = nameSuffix;
        }
    }

    /** Latencies of one configuration, over all its rounds. */
    static final class Latencies {
        final Histogram fromDue = new Histogram(1, 60_000_000_000L, 3);
        final Histogram fromAppend = new Histogram(1, 60_000_000_000L, 3);
        long received;
        long expected;
        long badTicks;

        void add(Latencies round) {
            fromDue.add(round.fromDue);
            fromAppend.add(round.fromAppend);
            received += round.received;
            expected += round.expected;
            badTicks += round.badTicks;
        }
    }

    /** Reads predictions on the main thread and records their latency once past the round's warm-up. */
    private static final class Recorder implements PredictionSink {
        final long[] dueNs;
        final long[] appendedNs;
        int recordFrom;
        Latencies into;
        long received;

        Recorder(int ticks) {
            this.dueNs = new long[ticks];
            this.appendedNs = new long[ticks];
        }

        @Override
        public void onPrediction(Prediction p) {
            long now = System.nanoTime();
            int seq = (int) p.tickSequence();
            if (seq >= recordFrom) {
                into.fromDue.recordValue(Math.max(1, now - dueNs[seq]));
                into.fromAppend.recordValue(Math.max(1, now - appendedNs[seq]));
            }
            received++;
        }
    }

    private QueueLatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int measured = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        String idle = args.length > 3 ? args[3] : "yielding";
        Path records = args.length > 4 && !args[4].equals("-") ? Path.of(args[4]) : null;
        String trainerIdle = args.length > 5 ? args[5] : "sleeping";
        int rounds = args.length > 6 ? Integer.parseInt(args[6]) : 10;
        IdleStrategies.parse(idle);
        IdleStrategies.parse(trainerIdle);
        if (rounds < 1 || measured < rounds) {
            throw new IllegalArgumentException("rounds must be >= 1 and at most the measured ticks, got " + rounds);
        }
        int perRound = measured / rounds;
        Latencies[] total = {new Latencies(), new Latencies()};    // by Mode ordinal
        double[] pairRatios = new double[rounds];
        Recorder recorder = new Recorder(Math.max(warmup, SETTLE_TICKS + perRound));
        String backendName;
        PlatformNoiseMeter noise = new PlatformNoiseMeter();
        try (NativeCpuBackend backend = NativeCpuBackend.create();
             Network net = Network.builder(32).dense(64).relu().dense(64).relu().dense(1).sigmoid()
                 .build(backend, 1, 42)) {
            backendName = backend.name();
            ServingModel model = ServingModel.of(net, SPEC, 1);
            for (Mode mode : Mode.values()) {
                // JIT, class loading, first queue files: a whole round of each configuration, nothing kept
                String report = round(mode, model, rate, warmup, warmup, recorder, new Latencies(), idle, trainerIdle);
                System.out.printf(Locale.ROOT, "warm-up, %s: %d ticks%s%n", mode.title, warmup,
                    report == null ? "" : "; " + report);
            }
            noise.recording(true);   // the platform's noise over the measured rounds only
            for (int r = 0; r < rounds; r++) {
                // A B B A ...: a drift across the run (a neighbour, the page cache) weighs on both alike
                Mode first = r % 2 == 0 ? Mode.SERVING : Mode.ONLINE;
                double[] p50 = new double[Mode.values().length];
                for (Mode mode : new Mode[] {first, first == Mode.SERVING ? Mode.ONLINE : Mode.SERVING}) {
                    Latencies round = new Latencies();
                    String report = round(mode, model, rate, SETTLE_TICKS + perRound, SETTLE_TICKS, recorder, round,
                        idle, trainerIdle);
                    System.out.printf(Locale.ROOT, "round %d, %-9s %s%s%n", r + 1, mode.shortName + ":",
                        LatencyReport.summary(round.fromDue), report == null ? "" : "; " + report);
                    total[mode.ordinal()].add(round);
                    p50[mode.ordinal()] = round.fromDue.getValueAtPercentile(50);
                }
                pairRatios[r] = p50[Mode.ONLINE.ordinal()] / p50[Mode.SERVING.ordinal()];
            }
        } finally {
            noise.stop();
        }
        Histogram platform = noise.histogram();
        System.out.println("platform noise (a thread waking every 1 ms in this process, how late it woke): "
            + LatencyReport.summary(platform));
        System.out.printf(Locale.ROOT, "queue latency, tick appended -> prediction readable: 32-64-64-1 network, "
                + "%d ticks/s, %d measured per configuration in %d rounds of %d after %d to settle (and a first "
                + "round of %d warm-up), inference idle %s, trainer idle %s, %d cores, %s%n", rate, perRound * rounds,
            rounds, perRound, SETTLE_TICKS, warmup, idle, trainerIdle, Runtime.getRuntime().availableProcessors(),
            backendName);
        for (Mode mode : Mode.values()) {
            Latencies l = total[mode.ordinal()];
            System.out.println(mode.title + ":");
            System.out.println("  from due time (coordinated omission accounted): " + LatencyReport.summary(l.fromDue));
            System.out.println("  from actual append:                             " + LatencyReport.summary(l.fromAppend));
            System.out.printf(Locale.ROOT, "  predictions received %d of %d; bad ticks %d%n", l.received, l.expected,
                l.badTicks);
        }
        double ratio = median(pairRatios);
        StringBuilder pairs = new StringBuilder();
        for (double q : pairRatios) {
            pairs.append(String.format(Locale.ROOT, " %.2f", q));
        }
        System.out.printf(Locale.ROOT, "median with online learning / serving alone: %.2f, the median of the %d rounds' "
                + "ratios (%s ); of the pooled medians %.2f; goal <= %.2f: %s%n", ratio, rounds, pairs,
            (double) total[Mode.ONLINE.ordinal()].fromDue.getValueAtPercentile(50)
                / total[Mode.SERVING.ordinal()].fromDue.getValueAtPercentile(50),
            MEDIAN_RATIO_GOAL, ratio <= MEDIAN_RATIO_GOAL ? "meets" : "above");
        if (records != null) {
            writeRecords(records, rate, total, ratio, platform);
        }
    }

    /**
     * The median of {@code values} (the mean of the middle two for an even count). Of the rounds' ratios: a round
     * pair runs back to back, so another process that loads the machine for a while skews a few pairs, not the
     * result, where it could tip the pooled median of a bimodal distribution either way.
     */
    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /**
     * One round of one configuration on fresh queues: the same tick stream on the same schedule every round.
     * Returns the online-learning report, or null when serving alone.
     */
    private static String round(Mode mode, ServingModel model, int rate, int total, int recordFrom, Recorder recorder,
                                Latencies into, String idle, String trainerIdle) throws IOException {
        long intervalNs = 1_000_000_000L / rate;
        Path dir = Files.createTempDirectory("tickgrad-queue-latency");
        OnlineLearning learning = null;
        AgentRunner trainerRunner = null;
        long trainerCpu = 0;
        long roundNs = 1;
        try (ChronicleTickWriter ticks = ChronicleTickWriter.open(dir.resolve("ticks"));
             ChronicleTickSource agentSource = ChronicleTickSource.open(dir.resolve("ticks"));
             ChroniclePredictionWriter agentSink = ChroniclePredictionWriter.open(dir.resolve("predictions"));
             ChroniclePredictionSource predictions = ChroniclePredictionSource.open(dir.resolve("predictions"))) {
            InferenceService service;
            if (mode == Mode.ONLINE) {
                learning = OnlineLearning.start(model, OnlineConfig.defaults(), null, agentSink,
                    new OffsetEpochNanoClock(), null);
                service = learning.service();
                trainerRunner = new AgentRunner(IdleStrategies.parse(trainerIdle), Throwable::printStackTrace, null,
                    learning.trainer());
            } else {
                service = new InferenceService(model, agentSink, new OffsetEpochNanoClock(), null);
            }
            OffsetEpochNanoClock clock = new OffsetEpochNanoClock();
            Tick tick = new Tick().wrap(new UnsafeBuffer(new byte[TickDescriptor.LENGTH]), 0);
            SplittableRandom random = new SplittableRandom(1);
            recorder.into = into;
            recorder.recordFrom = recordFrom;
            recorder.received = 0;
            double price = 100;
            try (AgentRunner runner = new AgentRunner(IdleStrategies.parse(idle), Throwable::printStackTrace, null,
                new InferenceAgent(agentSource, service, 64))) {
                AgentRunner.startOnThread(runner);
                if (trainerRunner != null) {
                    AgentRunner.startOnThread(trainerRunner);
                }
                long start = System.nanoTime() + 10_000_000L;
                for (int i = 0; i < total; i++) {
                    long due = start + i * intervalNs;
                    while (System.nanoTime() < due) {
                        predictions.poll(recorder, 16);
                    }
                    price *= 1 + (random.nextDouble() - 0.5) * 1e-3;
                    recorder.dueNs[i] = due;
                    recorder.appendedNs[i] = System.nanoTime();
                    ticks.onTick(tick.trade(i, 1, clock.nanoTime(), clock.nanoTime(), price, 1));
                    predictions.poll(recorder, 16);
                }
                // the first 63 ticks only warm the chart window: they have no prediction
                long expected = total - (SPEC.warmupTicks() - 1);
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (recorder.received < expected && System.nanoTime() < deadline) {
                    predictions.poll(recorder, 64);
                }
                into.expected = expected;
                if (trainerRunner != null) {
                    Thread trainer = trainerRunner.thread();
                    trainerCpu = trainer == null ? -1 : ManagementFactory.getThreadMXBean().getThreadCpuTime(trainer.getId());
                    roundNs = System.nanoTime() - start;
                }
            } finally {
                if (trainerRunner != null) {
                    trainerRunner.close();
                }
            }
            into.received = recorder.received;
            into.badTicks = service.badTicks().total();
            return learning == null ? null : String.format(Locale.ROOT,
                "trainer %.1f %% of a core, %d rounds (%d rejected), %d publications, %d samples dropped",
                100.0 * trainerCpu / roundNs, learning.learner().rounds(), learning.learner().rejectedRounds(),
                learning.trainer().publications(),
                learning.collector().droppedPendingFull() + learning.collector().droppedRingFull());
        } finally {
            if (learning != null) {
                learning.close();
            }
            delete(dir);
        }
    }

    /**
     * Writes the percentiles from the due time as results.json records (name, engine, unit, score, error), so that
     * bench/run.sh adds them to RESULTS.md beside the JMH results: serving alone, with online learning, and the ratio
     * of medians (the median of the rounds' ratios, unit "x").
     */
    private static void writeRecords(Path file, int rate, Latencies[] total, double ratio, Histogram platform)
        throws IOException {
        StringBuilder json = new StringBuilder("[\n");
        double[] points = {50, 99, 99.9};
        String[] labels = {"p50", "p99", "p99.9"};
        for (int i = 0; i < points.length; i++) {
            json.append(String.format(Locale.ROOT,
                "  {\"name\": \"QueueLatency.platform.%s[network=mlp32,rate=%d]\", \"engine\": \"tickgrad\", "
                    + "\"unit\": \"us\", \"score\": %.3f, \"error\": null},%n", labels[i], rate,
                platform.getValueAtPercentile(points[i]) / 1e3));
        }
        json.append(String.format(Locale.ROOT,
            "  {\"name\": \"QueueLatency.p99.9platformRatio[network=mlp32,rate=%d]\", \"engine\": \"tickgrad\", "
                + "\"unit\": \"x\", \"score\": %.3f, \"error\": null},%n", rate,
            (double) total[Mode.SERVING.ordinal()].fromDue.getValueAtPercentile(99.9)
                / Math.max(1, platform.getValueAtPercentile(99.9))));
        for (Mode mode : Mode.values()) {
            Histogram h = total[mode.ordinal()].fromDue;
            for (int i = 0; i < points.length; i++) {
                json.append(String.format(Locale.ROOT,
                    "  {\"name\": \"QueueLatency.%s[network=mlp32,rate=%d%s]\", \"engine\": \"tickgrad\", "
                        + "\"unit\": \"us\", \"score\": %.3f, \"error\": null},%n", labels[i], rate, mode.nameSuffix,
                    h.getValueAtPercentile(points[i]) / 1e3));
            }
        }
        json.append(String.format(Locale.ROOT,
            "  {\"name\": \"QueueLatency.p50ratio[network=mlp32,rate=%d%s]\", \"engine\": \"tickgrad\", "
                + "\"unit\": \"x\", \"score\": %.3f, \"error\": null}%n", rate, Mode.ONLINE.nameSuffix, ratio));
        Files.writeString(file, json.append("]\n"));
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
