package io.tickgrad.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.backtest.BacktestRun;
import io.tickgrad.io.ChroniclePredictionSource;
import io.tickgrad.io.ChroniclePredictionWriter;
import io.tickgrad.io.ChronicleTickSource;
import io.tickgrad.io.ChronicleTickWriter;
import io.tickgrad.market.TickValidator;
import io.tickgrad.market.FeatureSpec;
import io.tickgrad.market.LabelSpec;
import io.tickgrad.market.OnlineFeatures;
import io.tickgrad.market.Tick;
import io.tickgrad.market.TestTicks;
import io.tickgrad.model.Checkpoint;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The serving logic in and out: golden predictions, bad ticks, queues vs in-process, replay determinism. */
class ServingPipelineTest {
    /** 32 inputs: a 64-trade chart window resampled to 32 points; the 32-64-64-1 network of the latency goal. */
    static final FeatureSpec SPEC = new FeatureSpec(64, 32, new int[0], 0, 0, false, false, null,
        LabelSpec.ticks(5, 1), 0, 0);

    @TempDir
    Path dir;
    NativeCpuBackend backend;
    Network net;
    ServingModel model;

    @BeforeEach
    void setUp() {
        backend = NativeCpuBackend.create();
        net = Network.builder(32).dense(64).relu().dense(64).relu().dense(1).sigmoid().build(backend, 1, 11);
        model = ServingModel.of(net, SPEC, 0x1234L);
    }

    @AfterEach
    void tearDown() {
        net.close();
        backend.close();
    }

    @Test
    void shouldPredictWhatTheNetworkSaysOnTheFeatures() {
        double[] prices = TestTicks.prices(300, 5);
        List<float[]> got = new ArrayList<>();
        List<Long> seqs = new ArrayList<>();
        InferenceService service = new InferenceService(model, p -> {
            got.add(new float[] {p.output(0)});
            seqs.add(p.tickSequence());
            assertEquals(0x1234L, p.modelVersion());
            assertTrue(p.decisionEndNs() >= p.decisionStartNs());
        }, new OffsetEpochNanoClock(), null);
        Tick tick = TestTicks.scratch();
        for (int i = 0; i < prices.length; i++) {
            service.onTick(TestTicks.trade(tick, i, prices[i], 1));
        }
        assertEquals(300 - 63, got.size());
        assertEquals(63, seqs.get(0));
        // golden: the same features through the network directly
        OnlineFeatures f = new OnlineFeatures(SPEC);
        float[] x = new float[32];
        float[] y = new float[1];
        int k = 0;
        for (int i = 0; i < prices.length; i++) {
            f.onTick(TestTicks.trade(tick, i, prices[i], 1));
            if (f.ready()) {
                f.write(x, 0);
                net.predict(x, y);
                assertEquals(y[0], got.get(k++)[0], "tick " + i);
            }
        }
    }

    @Test
    void shouldCountAndSkipBadTicks() {
        List<Long> predicted = new ArrayList<>();
        InferenceService service = new InferenceService(model, p -> predicted.add(p.tickSequence()),
            new OffsetEpochNanoClock(), null);
        Tick tick = TestTicks.scratch();
        double[] prices = TestTicks.prices(100, 6);
        for (int i = 0; i < 100; i++) {
            service.onTick(TestTicks.trade(tick, i, prices[i], 1));
        }
        service.onTick(TestTicks.trade(tick, 100, Double.NaN, 1));
        service.onTick(TestTicks.trade(tick, 101, -5, 1));
        service.onTick(TestTicks.trade(tick, 102, 100, 1).exchangeTimeNs(0));
        service.onTick(TestTicks.trade(tick, 99, 100, 1));
        service.onTick(TestTicks.trade(tick, 103, 100, 1).instrumentId(8));
        service.onTick(TestTicks.trade(tick, 104, 100, 1).bid(101).ask(100));
        service.onTick(TestTicks.trade(tick, 105, 100, 1));
        assertEquals(6, service.badTicks().total());
        assertEquals(2, service.badTicks().count(TickValidator.BAD_PRICE));
        assertEquals(1, service.badTicks().count(TickValidator.TIME_BACKWARDS));
        assertEquals(1, service.badTicks().count(TickValidator.SEQUENCE_NOT_INCREASING));
        assertEquals(1, service.badTicks().count(TickValidator.OTHER_INSTRUMENT));
        assertEquals(1, service.badTicks().count(TickValidator.BAD_QUOTE));
        assertEquals(101, service.ticks());
        assertEquals(105L, predicted.get(predicted.size() - 1));
        assertTrue(service.badTicks().report().contains("first at sequence 100"), service.badTicks().report());
    }

    /** Golden in/out through the queues: the same predictions as in-process, bit for bit. */
    @Test
    void shouldGiveTheSamePredictionsThroughTheQueues() {
        double[] prices = TestTicks.prices(500, 7);
        Tick tick = TestTicks.scratch();
        List<Float> inProcess = new ArrayList<>();
        InferenceService direct = new InferenceService(model, p -> inProcess.add(p.output(0)),
            new OffsetEpochNanoClock(), null);
        try (ChronicleTickWriter writer = ChronicleTickWriter.open(dir.resolve("ticks"))) {
            for (int i = 0; i < prices.length; i++) {
                TestTicks.trade(tick, i, prices[i], 1);
                direct.onTick(tick);
                writer.onTick(tick);
            }
        }
        List<Float> viaQueue = new ArrayList<>();
        try (ChronicleTickSource source = ChronicleTickSource.open(dir.resolve("ticks"));
             ChroniclePredictionWriter sink = ChroniclePredictionWriter.open(dir.resolve("predictions"))) {
            InferenceAgent agent = new InferenceAgent(source, new InferenceService(model, sink,
                new OffsetEpochNanoClock(), LatencyReport.newHistogram()), 64);
            while (agent.doWork() > 0) {
                // drain
            }
        }
        try (ChroniclePredictionSource predictions = ChroniclePredictionSource.open(dir.resolve("predictions"))) {
            while (predictions.poll(p -> viaQueue.add(p.output(0)), 100) > 0) {
                // drain
            }
        }
        assertEquals(inProcess, viaQueue);
        assertEquals(500 - 63, viaQueue.size());
    }

    @Test
    void shouldReplayDeterministicallyFromTheCheckpointAlone() {
        Path file = dir.resolve("m.safetensors");
        Checkpoint.save(net, file, Map.of(FeatureSpec.METADATA_KEY, SPEC.toJson()));
        double[] prices = TestTicks.prices(2_000, 8);
        Tick tick = TestTicks.scratch();
        try (ChronicleTickWriter writer = ChronicleTickWriter.open(dir.resolve("ticks"))) {
            for (int i = 0; i < prices.length; i++) {
                writer.onTick(TestTicks.trade(tick, i, prices[i], 1));
            }
        }
        long from = 1_000_000_000_000L + 1_000 * 250_000_000L;
        BacktestRun first = replay(file, from);
        BacktestRun second = replay(file, from);
        assertEquals(1_000, first.size());
        assertEquals(from, first.exchangeTimeNs(0));
        float[] a = new float[first.size()];
        float[] b = new float[second.size()];
        int labelled = 0;
        for (int i = 0; i < a.length; i++) {
            a[i] = first.score(i);
            b[i] = second.score(i);
            assertEquals(first.label(i), second.label(i));
            labelled += first.label(i) >= 0 ? 1 : 0;
            if (i < a.length - 5) {
                double ret = first.forwardReturn(i);
                assertEquals(prices[1_000 + i + 5] / prices[1_000 + i] - 1, ret, 1e-12, "row " + i);
            }
        }
        assertArrayEquals(a, b);
        assertTrue(labelled > 500, "labelled " + labelled);
        assertTrue(Double.isNaN(first.forwardReturn(a.length - 1)), "the last horizon never matured");
    }

    private BacktestRun replay(Path file, long from) {
        BacktestRun run = new BacktestRun();
        try (NativeCpuBackend b = NativeCpuBackend.create();
             ServingModel loaded = ServingModel.load(file, b);
             ChronicleTickSource source = ChronicleTickSource.open(dir.resolve("ticks"))) {
            assertEquals(SPEC, loaded.features());
            Replay.run(source, loaded, null, from, Long.MAX_VALUE, run);
        }
        return run;
    }

    @Test
    void shouldAllocateNothingPerTickAfterWarmUp() {
        double[] prices = TestTicks.prices(30_000, 9);
        Tick tick = TestTicks.scratch();
        double[] sum = new double[1];
        InferenceService service = new InferenceService(model, p -> sum[0] += p.output(0),
            new OffsetEpochNanoClock(), LatencyReport.newHistogram());
        for (int i = 0; i < 15_000; i++) {
            service.onTick(TestTicks.trade(tick, i, prices[i], 1).receiveTimeNs(System.currentTimeMillis() * 1_000_000L));
        }
        int[] next = {15_000};
        long allocated = TestTicks.minAllocatedBytes(() -> {
            for (int i = 0; i < 3_000; i++, next[0]++) {
                service.onTick(TestTicks.trade(tick, next[0], prices[next[0]], 1)
                    .receiveTimeNs(System.currentTimeMillis() * 1_000_000L));
            }
        }, 5);
        assertEquals(0, allocated, "bytes allocated over 3,000 ticks");
        assertTrue(sum[0] > 0);
    }
}
