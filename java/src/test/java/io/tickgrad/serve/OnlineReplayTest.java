package io.tickgrad.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.backtest.BacktestRun;
import io.tickgrad.market.FeatureSpec;
import io.tickgrad.market.TestTicks;
import io.tickgrad.market.Tick;
import io.tickgrad.market.TickSource;
import io.tickgrad.model.Checkpoint;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import io.tickgrad.online.OnlineConfig;
import io.tickgrad.tensor.ParamEntry;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Online replays: deterministic, different from the frozen replay once weights are published, model untouched. */
class OnlineReplayTest {
    /** The first 500 ticks only warm the features. */
    private static final long FROM = 1_000_000_000_000L + 500 * 250_000_000L;
    private static final OnlineConfig ONLINE = OnlineConfig.defaults().withLearningRate(3e-3f);

    private final double[] prices = TestTicks.prices(5_000, 21);
    NativeCpuBackend backend;
    Network net;
    ServingModel model;

    @TempDir
    Path dir;

    @BeforeEach
    void setUp() {
        backend = NativeCpuBackend.create();
        net = Network.builder(32).dense(64).relu().dense(64).relu().dense(1).sigmoid().build(backend, 1, 11);
        model = ServingModel.of(net, ServingPipelineTest.SPEC, 0x1234L);
    }

    @AfterEach
    void tearDown() {
        net.close();
        backend.close();
    }

    /** The price series as a tick source, from its first trade. */
    private TickSource source() {
        Tick tick = TestTicks.scratch();
        int[] next = {0};
        return (handler, limit) -> {
            int n = 0;
            for (; n < limit && next[0] < prices.length; n++, next[0]++) {
                handler.onTick(TestTicks.trade(tick, next[0], prices[next[0]], 1));
            }
            return n;
        };
    }

    private static float[] scores(BacktestRun run) {
        float[] s = new float[run.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = run.score(i);
        }
        return s;
    }

    @Test
    void shouldGiveTheSameScoresAndCurveOnTwoOnlineReplays() {
        float[] before = net.getParameter("dense_0.weight");
        BacktestRun first = new BacktestRun();
        BacktestRun second = new BacktestRun();
        Replay.ReplayResult a = Replay.run(source(), model, null, FROM, Long.MAX_VALUE, first, ONLINE);
        Replay.ReplayResult b = Replay.run(source(), model, null, FROM, Long.MAX_VALUE, second, ONLINE);
        assertEquals(4_500, first.size());
        assertArrayEquals(scores(first), scores(second));
        assertTrue(a.revisions() > 50, "revisions " + a.revisions());
        assertEquals(a.revisions(), b.revisions());
        assertEquals(a.curve().size(), b.curve().size());
        for (int i = 0; i < a.curve().size(); i++) {
            assertEquals(a.curve().samples(i), b.curve().samples(i));
            assertEquals(a.curve().loss(i), b.curve().loss(i), 0.0, "round " + i);
        }
        assertArrayEquals(before, net.getParameter("dense_0.weight"), "the model's own weights are not changed");
    }

    @Test
    void shouldDifferFromTheFrozenReplayOnceRevisionsArePublished() {
        BacktestRun frozen = new BacktestRun();
        BacktestRun online = new BacktestRun();
        Replay.ReplayResult f = Replay.run(source(), model, null, FROM, Long.MAX_VALUE, frozen);
        Replay.ReplayResult o = Replay.run(source(), model, null, FROM, Long.MAX_VALUE, online, ONLINE);
        assertEquals(0, f.revisions());
        assertNull(f.curve());
        assertTrue(o.revisions() > 0);
        assertEquals(frozen.size(), online.size());
        // the first round needs a cadence of matured samples (32), each 5 ticks after its prediction
        int firstPossibleRevision = ONLINE.cadence() + 5;
        int differing = 0;
        for (int i = 0; i < frozen.size(); i++) {
            if (i < firstPossibleRevision) {
                assertEquals(frozen.score(i), online.score(i), 0f, "row " + i + " precedes any revision");
            } else if (frozen.score(i) != online.score(i)) {
                differing++;
            }
            assertEquals(frozen.label(i), online.label(i), "labels come from the ticks alone");
        }
        int after = frozen.size() - firstPossibleRevision;
        assertTrue(differing > 0.95 * after, differing + " of " + after + " rows differ");
    }

    @Test
    void shouldGiveAnUntrainedModelFreshTrainableWeightsFromItsSeed() {
        net.freezeFirst(2);
        Path file = dir.resolve("m.safetensors");
        Checkpoint.save(net, file, Map.of(FeatureSpec.METADATA_KEY, ServingPipelineTest.SPEC.toJson()));
        try (ServingModel a = ServingModel.untrained(file, backend, 5);
             ServingModel b = ServingModel.untrained(file, backend, 5);
             ServingModel c = ServingModel.untrained(file, backend, 6)) {
            assertEquals(ServingPipelineTest.SPEC, a.features());
            assertEquals(5, a.version());
            for (ParamEntry e : a.network().parameters().entries()) {
                assertTrue(e.trainable(), e.name());
            }
            float[] w = a.network().getParameter("dense_0.weight");
            assertArrayEquals(w, b.network().getParameter("dense_0.weight"));
            assertFalse(java.util.Arrays.equals(w, c.network().getParameter("dense_0.weight")));
            assertFalse(java.util.Arrays.equals(w, net.getParameter("dense_0.weight")));
            assertEquals(0, a.network().firstTrainableLayer());
        }
    }
}
