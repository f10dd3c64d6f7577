package io.tickgrad.online;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.nn.Network;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import io.tickgrad.tensor.ParamEntry;
import java.util.SplittableRandom;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The online learner on synthetic streams: it learns, its guard rolls back bad rounds, it pauses and is bounded. */
class OnlineLearnerTest {
    private static final int INPUTS = 8;
    private static NativeCpuBackend backend;

    @BeforeAll
    static void open() {
        backend = NativeCpuBackend.create();
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    private static Network classifier() {
        return Network.builder(INPUTS).dense(16).relu().dense(1).sigmoid().build(backend, 1, 5);
    }

    /** A learnable stream: up when x0 + x1 > 0. */
    private static final class Stream {
        final SplittableRandom random = new SplittableRandom(11);
        final UnsafeBuffer row = new UnsafeBuffer(new byte[INPUTS * Float.BYTES]);
        final float[] x = new float[INPUTS];
        long sequence;

        int next() {
            for (int i = 0; i < INPUTS; i++) {
                x[i] = (float) (random.nextDouble() * 2 - 1);
                row.putFloat(i * Float.BYTES, x[i]);
            }
            sequence++;
            return x[0] + x[1] > 0 ? 1 : 0;
        }

        void feed(OnlineLearner learner, int n) {
            for (int i = 0; i < n; i++) {
                int y = next();
                learner.offer(sequence, sequence * 10, y, row, 0, INPUTS);
                learner.maybeTrain();
            }
        }
    }

    private static double accuracy(Network trained, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[INPUTS];
        float[] y = new float[1];
        int right = 0;
        for (int n = 0; n < 2000; n++) {
            for (int i = 0; i < INPUTS; i++) {
                x[i] = (float) (r.nextDouble() * 2 - 1);
            }
            trained.predict(x, y);
            right += (y[0] > 0.5f) == (x[0] + x[1] > 0) ? 1 : 0;
        }
        return right / 2000.0;
    }

    @Test
    void shouldLearnTheWholeNetworkFromAStream() {
        try (Network serving = classifier();
             OnlineLearner learner = new OnlineLearner(serving, OnlineConfig.defaults().withRoundBudgetNs(0)
                 .withLearningRate(1e-2f))) {
            assertEquals(0, learner.splitLayer());
            assertEquals(INPUTS, learner.sampleWidth());
            double before = accuracy(learner.network(), 3);
            new Stream().feed(learner, 6000);
            double after = accuracy(learner.network(), 3);
            System.out.printf("online learner, whole network: accuracy %.3f -> %.3f after %d rounds%n", before, after,
                learner.acceptedRounds());
            assertTrue(after > 0.9, "accuracy after 6000 samples: " + after);
            assertEquals(6000 / 32, learner.rounds());
            assertEquals(0, learner.rejectedRounds());
            assertTrue(learner.curve().size() > 100);
            assertTrue(learner.curve().loss(learner.curve().size() - 1) < learner.curve().loss(0));
        }
    }

    /**
     * The round budget reads only the injected clock: a replay clock that stands still during a round lets every
     * round run all its steps, bit for bit the same on every run; a clock that moves 1 ms per read cuts each round
     * to its first step.
     */
    @Test
    void shouldTimeTheRoundBudgetWithTheInjectedClockOnly() {
        OnlineConfig config = OnlineConfig.defaults().withRoundBudgetNs(500_000).withStepsPerRound(4);
        long[] ticking = {0};
        try (Network serving = classifier();
             OnlineLearner still = new OnlineLearner(serving, config, null, new CachedNanoClock());
             OnlineLearner again = new OnlineLearner(serving, config, null, new CachedNanoClock());
             OnlineLearner moving = new OnlineLearner(serving, config, null, () -> ticking[0] += 1_000_000)) {
            new Stream().feed(still, 640);
            new Stream().feed(again, 640);
            new Stream().feed(moving, 640);
            assertEquals(20, still.rounds());
            assertEquals(4 * still.rounds(), still.optimizerSteps(), "a still clock: every step of every round");
            assertEquals(moving.rounds(), moving.optimizerSteps(), "1 ms per read: one step per round");
            String name = still.network().parameters().entries().get(0).name();
            assertArrayEquals(still.network().getParameter(name), again.network().getParameter(name),
                "the same samples and a replay clock give the same weights");
        }
    }

    @Test
    void shouldTrainOnlyTheHeadAfterAFrozenTrunk() {
        try (Network serving = classifier()) {
            serving.freezeFirst(1);
            float[] trunkBefore = serving.getParameter(serving.parameters().entries().get(0).name());
            try (OnlineLearner learner = new OnlineLearner(serving, OnlineConfig.defaults().withRoundBudgetNs(0))) {
                assertEquals(2, learner.splitLayer(), "dense and relu are the trunk");
                assertEquals(16, learner.sampleWidth(), "samples carry the trunk's output");
                assertEquals(2, learner.network().parameters().entries().size(), "only the head's weight and bias");
                SplittableRandom r = new SplittableRandom(5);
                UnsafeBuffer row = new UnsafeBuffer(new byte[16 * Float.BYTES]);
                for (int i = 0; i < 200; i++) {
                    for (int k = 0; k < 16; k++) {
                        row.putFloat(k * Float.BYTES, (float) r.nextDouble());
                    }
                    learner.offer(i, i, row.getFloat(0) > 0.5f ? 1 : 0, row, 0, 16);
                    learner.maybeTrain();
                }
                assertTrue(learner.acceptedRounds() > 0);
                assertTrue(learner.distanceFromStart() > 0, "the head moved");
            }
            assertArrayEquals(trunkBefore, serving.getParameter(serving.parameters().entries().get(0).name()),
                "the serving network is only read");
        }
    }

    @Test
    void shouldRejectANonFiniteRoundAndRollBackWeightsAndOptimizerState() {
        try (Network serving = classifier();
             OnlineLearner learner = new OnlineLearner(serving, OnlineConfig.defaults().withRoundBudgetNs(0)
                 .withWindow(32).withSpikeFactor(0))) {
            Stream stream = new Stream();
            stream.feed(learner, 320);
            assertEquals(10, learner.acceptedRounds());
            float[] good = snapshot(learner.network());
            long adamSteps = learner.optimizerSteps();
            // a window of poisoned rows: every batch now has a NaN input
            for (int i = 0; i < 32; i++) {
                stream.next();
                stream.row.putFloat(0, Float.NaN);
                learner.offer(++stream.sequence, 0, 1, stream.row, 0, INPUTS);
            }
            assertEquals(-1, learner.maybeTrain());
            assertEquals(1, learner.rejectedRounds());
            assertEquals(OnlineLearner.REJECTED_NOT_FINITE, learner.lastRejection());
            assertArrayEquals(good, snapshot(learner.network()), "weights rolled back bit for bit");
            assertEquals(adamSteps, learner.optimizerSteps(), "Adam's step count rolled back");
            // clean data again: learning goes on from the last good weights
            stream.feed(learner, 64);
            assertEquals(12, learner.acceptedRounds());
            assertEquals(OnlineLearner.REJECTED_NONE, learner.lastRejection());
        }
    }

    @Test
    void shouldRejectALossSpikeButAdaptToALastingChange() {
        try (Network serving = classifier();
             OnlineLearner learner = new OnlineLearner(serving, OnlineConfig.defaults().withRoundBudgetNs(0)
                 .withWindow(32).withStepsPerRound(1).withSpikeFactor(3).withLearningRate(1e-2f))) {
            Stream stream = new Stream();
            stream.feed(learner, 3200);
            double typical = learner.typicalLoss();
            assertTrue(typical < 0.5, "learned first: " + typical);
            float[] good = snapshot(learner.network());
            // a burst of huge, wrongly labelled samples fills the window
            for (int i = 0; i < 32; i++) {
                int y = stream.next();
                for (int k = 0; k < INPUTS; k++) {
                    stream.row.putFloat(k * Float.BYTES, stream.x[k] * 50);
                }
                learner.offer(++stream.sequence, 0, 1 - y, stream.row, 0, INPUTS);
            }
            assertEquals(-1, learner.maybeTrain());
            assertEquals(OnlineLearner.REJECTED_SPIKE, learner.lastRejection());
            assertEquals(1, learner.rejectedSpikes());
            assertArrayEquals(good, snapshot(learner.network()));
            // if the new regime lasts, the typical loss follows it and learning resumes
            for (int round = 0; round < 200 && learner.lastRejection() != OnlineLearner.REJECTED_NONE; round++) {
                for (int i = 0; i < 32; i++) {
                    int y = stream.next();
                    for (int k = 0; k < INPUTS; k++) {
                        stream.row.putFloat(k * Float.BYTES, stream.x[k] * 50);
                    }
                    learner.offer(++stream.sequence, 0, 1 - y, stream.row, 0, INPUTS);
                }
                learner.maybeTrain();
            }
            assertEquals(OnlineLearner.REJECTED_NONE, learner.lastRejection(), "learning resumed after "
                + learner.rejectedSpikes() + " rejected spikes");
            System.out.printf("spike guard: typical loss %.3f, %d rounds rejected before the new regime was accepted%n",
                typical, learner.rejectedSpikes());
        }
    }

    @Test
    void shouldPauseResumeSkipCoveredSamplesAndKeepWithinTheDistanceBound() {
        try (Network serving = classifier();
             OnlineLearner learner = new OnlineLearner(serving, OnlineConfig.defaults().withRoundBudgetNs(0)
                 .withMaxDistance(0.05).withLearningRate(1e-2f))) {
            Stream stream = new Stream();
            learner.pause();
            stream.feed(learner, 256);
            assertEquals(0, learner.rounds(), "paused: no rounds");
            assertEquals(256, learner.samples(), "paused: samples still kept");
            learner.resume();
            stream.feed(learner, 1024);
            assertTrue(learner.acceptedRounds() > 0);
            assertTrue(learner.projected() > 0, "the bound was hit");
            assertTrue(learner.distanceFromStart() <= 0.05 * (1 + 1e-5), "distance " + learner.distanceFromStart());

            learner.skipThrough(stream.sequence + 5);
            long samples = learner.samples();
            stream.feed(learner, 5);
            assertEquals(samples, learner.samples(), "covered samples skipped");
            assertEquals(5, learner.skipped());
            stream.feed(learner, 1);
            assertEquals(samples + 1, learner.samples());
            assertFalse(learner.offer(stream.sequence + 1, 0, 1, stream.row, 0, INPUTS - 1), "wrong width refused");
        }
    }

    @Test
    void shouldMeasureTheDistanceBoundFromTheAnchorARestartBeganFrom() {
        try (Network base = classifier(); Network checkpoint = classifier()) {
            // the checkpoint a restart serves: the base model after 0.04 of drift in one weight
            float[] w = checkpoint.getParameter("dense_0.weight");
            w[3] += 0.04f;
            checkpoint.setParameter("dense_0.weight", w);
            try (OnlineLearner fromCheckpoint = new OnlineLearner(checkpoint, OnlineConfig.defaults()
                     .withRoundBudgetNs(0).withMaxDistance(0.05).withLearningRate(1e-2f));
                 OnlineLearner fromBase = new OnlineLearner(checkpoint, OnlineConfig.defaults()
                     .withRoundBudgetNs(0).withMaxDistance(0.05).withLearningRate(1e-2f), base)) {
                assertEquals(0.0, fromCheckpoint.distanceFromStart(), 0.0);
                assertEquals(0.04, fromBase.distanceFromStart(), 1e-6, "the drift before the restart counts");
                assertArrayEquals(snapshot(checkpoint), snapshot(fromBase.network()), "it trains the checkpoint's weights");
                new Stream().feed(fromBase, 1024);
                assertTrue(fromBase.projected() > 0, "the bound was hit");
                assertTrue(fromBase.distanceFromStart() <= 0.05 * (1 + 1e-5), "distance " + fromBase.distanceFromStart());
                double fromTheBase = distance(fromBase.network(), base);
                assertEquals(fromBase.distanceFromStart(), fromTheBase, 1e-5, "measured from the base's weights");
            }
        }
        try (Network checkpoint = classifier();
             Network other = Network.builder(INPUTS).dense(8).relu().dense(1).sigmoid().build(backend, 1, 5)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new OnlineLearner(checkpoint, OnlineConfig.defaults(), other));
            assertTrue(e.getMessage().contains("lacks"), e.getMessage());
        }
    }

    /** L2 distance between the trainable tensors of {@code a} and the same tensors of {@code b}. */
    private static double distance(Network a, Network b) {
        double sum = 0;
        for (ParamEntry e : a.parameters().entries()) {
            if (e.trainable()) {
                float[] x = a.getParameter(e.name());
                float[] y = b.getParameter(e.name());
                for (int i = 0; i < x.length; i++) {
                    sum += (double) (x[i] - y[i]) * (x[i] - y[i]);
                }
            }
        }
        return Math.sqrt(sum);
    }

    @Test
    void shouldRefuseWhatItCannotTrain() {
        try (Network regression = Network.builder(4).dense(1).build(backend, 1, 1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new OnlineLearner(regression, OnlineConfig.defaults()));
            assertTrue(e.getMessage().contains("binary classifier"), e.getMessage());
        }
        try (Network frozen = classifier()) {
            frozen.freezeFirst(2);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new OnlineLearner(frozen, OnlineConfig.defaults()));
            assertTrue(e.getMessage().contains("frozen"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> OnlineConfig.defaults().withWindow(8));
        assertThrows(IllegalArgumentException.class, () -> OnlineConfig.defaults().withSpikeFactor(0.5));
    }

    private static float[] snapshot(Network net) {
        int n = 0;
        for (ParamEntry e : net.parameters().entries()) {
            n += (int) e.length();
        }
        float[] all = new float[n];
        int at = 0;
        for (ParamEntry e : net.parameters().entries()) {
            float[] v = net.getParameter(e.name());
            System.arraycopy(v, 0, all, at, v.length);
            at += v.length;
        }
        return all;
    }
}
