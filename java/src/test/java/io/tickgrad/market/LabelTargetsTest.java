package io.tickgrad.market;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickgrad.model.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/** The real-valued and large-move labels, by hand, on every tick shape; the label's place in the checkpoint. */
class LabelTargetsTest {
    /** A sink keeping (row, label, target) of every matured outcome. */
    private static final class Sink implements HorizonLabeler.Outcome {
        final List<int[]> labels = new ArrayList<>();
        final List<Double> targets = new ArrayList<>();

        @Override
        public void onOutcome(int row, int label, double forwardReturn) {
            throw new AssertionError("the labeler calls the four-argument form");
        }

        @Override
        public void onOutcome(int row, int label, double forwardReturn, double target) {
            labels.add(new int[] {row, label});
            targets.add(target);
        }
    }

    private static double lr(double a, double b) {
        return Math.log(b / a) * 1e4;
    }

    /** Feeds prices, deciding at every tick; returns the sink. */
    private static Sink run(LabelSpec spec, double... prices) {
        HorizonLabeler labeler = new HorizonLabeler(spec);
        Sink sink = new Sink();
        for (int i = 0; i < prices.length; i++) {
            labeler.onTick(i * 1_000L, prices[i], sink);
            labeler.decide(i, i * 1_000L, prices[i]);
        }
        return sink;
    }

    @Test
    void shouldLabelRealisedVolatilityVarianceAndAbsoluteMoveOverTheNextHTicks() {
        double[] p = {100, 101, 100, 102};
        LabelSpec h2 = LabelSpec.ticks(2, 0);
        Sink vol = run(h2.withTarget(LabelSpec.Target.REALISED_VOL), p);
        Sink var = run(h2.withTarget(LabelSpec.Target.REALISED_VAR), p);
        Sink abs = run(h2.withTarget(LabelSpec.Target.ABS_MOVE), p);
        // row 0: returns 100->101->100; row 1: 101->100->102
        double v0 = lr(100, 101) * lr(100, 101) + lr(101, 100) * lr(101, 100);
        double v1 = lr(101, 100) * lr(101, 100) + lr(100, 102) * lr(100, 102);
        assertEquals(2, vol.targets.size());
        assertEquals(Math.sqrt(v0), vol.targets.get(0), 1e-9);
        assertEquals(140.718, vol.targets.get(0), 1e-3, "sqrt(2) x 99.5033 bps");
        assertEquals(Math.sqrt(v1), vol.targets.get(1), 1e-9);
        assertEquals(v0, var.targets.get(0), 1e-7);
        assertEquals(v1, var.targets.get(1), 1e-7);
        assertEquals(0.0, abs.targets.get(0), 1e-12, "100 -> 100");
        assertEquals(Math.abs(lr(101, 102)), abs.targets.get(1), 1e-9);
        for (int[] l : vol.labels) {
            assertEquals(-1, l[1], "a real-valued target has no class");
        }
    }

    @Test
    void shouldLabelDirectionAsBeforeWithItsClassAsTheTarget() {
        Sink s = run(LabelSpec.ticks(1, 10), 100, 101, 101.05, 100);
        assertEquals(List.of(1, -1, 0), s.labels.stream().map(l -> l[1]).toList());
        assertEquals(1.0, s.targets.get(0));
        assertTrue(Double.isNaN(s.targets.get(1)), "inside the dead zone: no label");
        assertEquals(0.0, s.targets.get(2));
    }

    @Test
    void shouldLabelLargeMovesAgainstTheVolatilityOfTheLookbackBeforeTheDecision() {
        // horizon 1 tick, lookback 2 horizons, k = 1.5
        LabelSpec spec = LabelSpec.ticks(1, 0).withLargeMove(1.5, 2);
        double[] p = {100, 101, 100, 101, 105, 105.5};
        Sink s = run(spec, p);
        // decisions 0 and 1 have fewer than 2 returns behind them: no label
        assertEquals(-1, s.labels.get(0)[1]);
        assertEquals(-1, s.labels.get(1)[1]);
        assertTrue(Double.isNaN(s.targets.get(1)));
        // decision 2 (at 100): recent vol = sqrt((r1^2 + r2^2) / 2) = 99.5 bps; next move 100->101 = 99.5: not large
        double vol2 = Math.sqrt((Math.pow(lr(100, 101), 2) + Math.pow(lr(101, 100), 2)) / 2);
        assertTrue(Math.abs(lr(100, 101)) <= 1.5 * vol2);
        assertEquals(0, s.labels.get(2)[1]);
        // decision 3 (at 101): vol = 99.5 bps; next move 101->105 = 388 bps > 149: large
        assertEquals(1, s.labels.get(3)[1]);
        assertEquals(1.0, s.targets.get(3));
        // decision 4 (at 105): vol over 100->101->105 = sqrt((99.5^2 + 388^2)/2) = 283; 105->105.5 = 47.5: not large
        assertEquals(0, s.labels.get(4)[1]);
        assertEquals(5, s.labels.size());
    }

    @Test
    void shouldLabelLargeMovesOverATimeHorizon() {
        // horizon 1 us, lookback 2 horizons: the window starts at the latest tick at or before t - 2 us
        LabelSpec spec = LabelSpec.time(1_000, 0).withLargeMove(1.5, 2);
        HorizonLabeler labeler = new HorizonLabeler(spec);
        Sink s = new Sink();
        double[] p = {100, 101, 100, 101, 105};
        long[] t = {0, 500, 1_000, 2_000, 3_000};
        for (int i = 0; i < p.length; i++) {
            labeler.onTick(t[i], p[i], s);
            labeler.decide(i, t[i], p[i]);
        }
        // decision at t=2000 (101): window from t=0: returns 100->101->100->101, sum sq = 3 x 99.5^2 over 2 horizons
        double vol = Math.sqrt(3 * Math.pow(lr(100, 101), 2) / 2);
        assertEquals(1, s.labels.get(3)[1], "101 -> 105 = 388 bps > 1.5 x " + vol);
        assertEquals(-1, s.labels.get(0)[1], "t=0 has no history");
    }

    @Test
    void shouldLabelEveryTickShapeWithThePriceItHas() {
        LabelSpec spec = LabelSpec.ticks(2, 0).withTarget(LabelSpec.Target.REALISED_VOL);
        double[] px = {100, 101, 100, 102};
        List<BiConsumer<Tick, Integer>> shapes = List.of(
            (t, i) -> t.trade(i, 1, i * 1_000L, i * 1_000L, px[i], 1),
            (t, i) -> t.quote(i, 1, i * 1_000L, i * 1_000L, px[i] - 0.01, px[i] + 0.01, 1, 1),
            (t, i) -> t.bar(i, 1, i * 1_000L, i * 1_000L, px[i] - 0.5, px[i] + 1, px[i] - 1, px[i], 10),
            (t, i) -> t.priceOnly(i, 1, i * 1_000L, i * 1_000L, px[i]));
        Sink reference = run(spec, px);
        for (BiConsumer<Tick, Integer> shape : shapes) {
            Tick tick = TestTicks.scratch();
            HorizonLabeler labeler = new HorizonLabeler(spec);
            Sink s = new Sink();
            byte kind = 0;
            for (int i = 0; i < px.length; i++) {
                shape.accept(tick, i);
                kind = tick.kind();
                labeler.onTick(tick.exchangeTimeNs(), tick.price(), s);
                labeler.decide(i, tick.exchangeTimeNs(), tick.price());
            }
            assertEquals(reference.targets.size(), s.targets.size(), TickKind.name(kind));
            for (int i = 0; i < s.targets.size(); i++) {
                assertEquals(reference.targets.get(i), s.targets.get(i), 1e-9, TickKind.name(kind) + " row " + i);
            }
        }
    }

    @Test
    void shouldAllocateNothingOnceSizedForEveryTarget() {
        for (LabelSpec spec : List.of(LabelSpec.ticks(50, 0).withTarget(LabelSpec.Target.REALISED_VOL),
            LabelSpec.ticks(50, 0).withLargeMove(2, 20), LabelSpec.time(50_000, 0).withLargeMove(2, 20))) {
            HorizonLabeler labeler = new HorizonLabeler(spec);
            long[] matured = {0};
            HorizonLabeler.Outcome sink = new HorizonLabeler.Outcome() {
                @Override
                public void onOutcome(int row, int label, double forwardReturn) {
                }

                @Override
                public void onOutcome(int row, int label, double forwardReturn, double target) {
                    matured[0]++;
                }
            };
            int[] at = {0};
            Runnable ticks = () -> {
                for (int k = 0; k < 3_000; k++, at[0]++) {
                    double price = 100 + (at[0] * 7919 % 13);
                    labeler.onTick(at[0] * 1_000L, price, sink);
                    labeler.decide(at[0], at[0] * 1_000L, price);
                }
            };
            ticks.run();   // sizes the pending decisions and the volatility history
            long allocated = TestTicks.minAllocatedBytes(ticks, 3);
            assertEquals(0, allocated, "bytes allocated over 3,000 ticks, " + spec.describe());
            assertTrue(matured[0] > 5_000, spec.describe());
        }
    }

    @Test
    void shouldKeepADirectionLabelsJsonAsBeforeAndRoundTripEveryTarget() throws Exception {
        FeatureSpec old = new FeatureSpec(0, 0, new int[] {1}, 0, 0, false, false, null, LabelSpec.ticks(5, 1.5), 0, 0);
        String json = old.toJson();
        assertTrue(json.contains("\"label\":{\"horizonTicks\":5,\"horizonNs\":0,\"deadZoneBps\":1.5}"),
            "a direction label is written exactly as before regression targets: " + json);
        for (LabelSpec l : List.of(LabelSpec.ticks(5, 0).withTarget(LabelSpec.Target.REALISED_VOL),
            LabelSpec.time(60_000_000_000L, 0).withTarget(LabelSpec.Target.REALISED_VAR).withLogOutput(true),
            LabelSpec.ticks(3, 0).withTarget(LabelSpec.Target.ABS_MOVE),
            LabelSpec.ticks(3, 0).withLargeMove(2.5, 7))) {
            FeatureSpec f = new FeatureSpec(0, 0, new int[] {1}, 0, 0, false, false, null, l, 0, 0);
            assertEquals(l, FeatureSpec.fromJson(f.toJson(), "test").label());
        }
        assertThrows(IllegalArgumentException.class, () -> FeatureSpec.fromJson(
            json.replace("\"deadZoneBps\":1.5", "\"deadZoneBps\":1.5,\"target\":\"sideways\""), "m.safetensors"));
        // a sweep's horizon override keeps the target
        LabelSpec vol = LabelSpec.time(5_000, 0).withTarget(LabelSpec.Target.REALISED_VAR).withLogOutput(true);
        assertEquals(new LabelSpec(7, 0, 0, LabelSpec.Target.REALISED_VAR, 0, 0, true), vol.withHorizonTicks(7, 3));
        assertEquals(LabelSpec.ticks(7, 3), LabelSpec.ticks(2, 1).withHorizonTicks(7, 3));
        assertThrows(IllegalArgumentException.class, () -> LabelSpec.ticks(1, 0).withLargeMove(0, 5));
        assertThrows(IllegalArgumentException.class, () -> LabelSpec.ticks(1, 0).withLogOutput(true));
    }

    @Test
    void shouldLoadTheShippedCheckpointsLabelUnchanged() throws Exception {
        Path model = Path.of("..", "models", "updown", "updown.safetensors");
        assertTrue(Files.isRegularFile(model), "the shipped model " + model.toAbsolutePath());
        Map<String, String> meta = Checkpoint.readMetadata(model);
        String stored = meta.get(FeatureSpec.METADATA_KEY);
        FeatureSpec spec = FeatureSpec.fromMetadata(meta, model.toString());
        assertEquals(LabelSpec.Target.DIRECTION, spec.label().target());
        assertFalse(spec.label().realValued());
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree(stored), json.readTree(spec.toJson()),
            "the stored spec is written back field for field");
    }
}
