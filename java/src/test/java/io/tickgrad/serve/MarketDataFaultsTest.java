package io.tickgrad.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.market.TickValidator;
import io.tickgrad.market.FeatureSpec;
import io.tickgrad.market.LabelSpec;
import io.tickgrad.market.TestTicks;
import io.tickgrad.market.Tick;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.junit.jupiter.api.Test;

/**
 * Every market-data fault of the reliability policy (TickValidator's Javadoc) fed to a live serving loop: each is counted
 * under its reason, never thrown, and serving goes on predicting the good ticks that follow.
 */
class MarketDataFaultsTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void everyFaultIsCountedUnderItsReasonAndServingGoesOn() {
        FeatureSpec spec = new FeatureSpec(64, 32, new int[0], 0, 0, false, false, null, LabelSpec.ticks(5, 1), 0, 0);
        try (NativeCpuBackend backend = NativeCpuBackend.create();
             Network net = Network.builder(32).dense(8).relu().dense(1).sigmoid().build(backend, 1, 3)) {
            List<Long> predicted = new ArrayList<>();
            InferenceService service = new InferenceService(ServingModel.of(net, spec, 1L),
                p -> predicted.add(p.tickSequence()), new OffsetEpochNanoClock(), null);
            Tick t = TestTicks.scratch();
            double[] prices = TestTicks.prices(100, 4);
            for (int i = 0; i < 100; i++) {
                service.onTick(TestTicks.trade(t, i, prices[i], 1));
            }
            long time = t.exchangeTimeNs();
            int seq = 100;
            int predictedBefore = predicted.size();
            // prices: NaN, +inf, -inf, zero, negative, implausibly large or small (the chart norm would overflow)
            for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, -1, 1e200,
                1e-200}) {
                service.onTick(TestTicks.trade(t, seq++, bad, 1).exchangeTimeNs(time));
            }
            // trade sizes: NaN, +inf, zero, negative
            for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, 0, -2}) {
                service.onTick(TestTicks.trade(t, seq++, 100, bad).exchangeTimeNs(time));
            }
            // quotes: crossed, a negative bid size, an infinite ask size (an infinite ask makes the mid a bad price)
            service.onTick(t.quote(seq++, t.instrumentId(), time, time, 101, 100, 1, 1));
            service.onTick(t.quote(seq++, t.instrumentId(), time, time, 100, 101, -1, 1));
            service.onTick(t.quote(seq++, t.instrumentId(), time, time, 100, 101, 1, Double.POSITIVE_INFINITY));
            // out of order in time, then a duplicate sequence
            service.onTick(TestTicks.trade(t, seq++, 100, 1).exchangeTimeNs(time - 1));
            service.onTick(TestTicks.trade(t, 99, 100, 1).exchangeTimeNs(time));
            // a duplicate timestamp is fine, a locked book is fine, a gap is accepted and counted
            service.onTick(TestTicks.trade(t, seq++, 100, 1).exchangeTimeNs(time));
            service.onTick(t.quote(seq++, t.instrumentId(), time, time, 100, 100, 1, 1));
            service.onTick(TestTicks.trade(t, seq++, 100, 1).exchangeTimeNs(time + 600 * SECOND));

            TickValidator bad = service.badTicks();
            assertEquals(7, bad.count(TickValidator.BAD_PRICE), bad.report());
            assertEquals(4, bad.count(TickValidator.BAD_SIZE), bad.report());
            assertEquals(3, bad.count(TickValidator.BAD_QUOTE), bad.report());
            assertEquals(1, bad.count(TickValidator.TIME_BACKWARDS), bad.report());
            assertEquals(1, bad.count(TickValidator.SEQUENCE_NOT_INCREASING), bad.report());
            assertEquals(16, bad.total());
            assertEquals(1, bad.gaps());
            assertTrue(bad.report().contains("gaps: 1"), bad.report());
            assertEquals(predictedBefore + 3, predicted.size(), "the three good ticks after the faults are predicted");
            assertEquals((long) seq - 1, predicted.get(predicted.size() - 1));
        }
    }
}
