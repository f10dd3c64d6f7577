package io.tickgrad.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.market.LabelSpec;
import io.tickgrad.market.OnlineFeatures;
import io.tickgrad.market.Prediction;
import io.tickgrad.market.TestTicks;
import io.tickgrad.market.Tick;
import io.tickgrad.model.Checkpoint;
import io.tickgrad.model.TensorEntry;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import io.tickgrad.online.MaturedSample;
import io.tickgrad.online.OnlineCheckpoints;
import io.tickgrad.online.OnlineConfig;
import io.tickgrad.online.SampleChannel;
import io.tickgrad.online.SampleCollector;
import io.tickgrad.online.TrainerAgent;
import io.tickgrad.tensor.ParamEntry;
import io.tickgrad.train.TransferLearning;
import java.util.ArrayList;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inference side of online learning, on one thread: which samples reach the trainer and with what, that
 * revisions reach the predictions, that a restart's re-read rebuilds samples exactly, and that serving with
 * learning attached allocates nothing.
 */
class OnlineServingTest {
    private static final int HORIZON = ServingPipelineTest.SPEC.label().horizonTicks();
    private NativeCpuBackend backend;
    private Network net;
    private ServingModel model;

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

    /** What the collector sent: tick sequence, resume index, label and values of each sample. */
    private record Sample(long sequence, long resumeIndex, int label, float[] values) {
    }

    private static List<Sample> drain(RingBuffer ring) {
        List<Sample> out = new ArrayList<>();
        ring.read((type, buffer, index, length) -> {
            MaturedSample sample = new MaturedSample().wrap(buffer, index);
            int width = sample.width();
            float[] v = new float[width];
            for (int i = 0; i < width; i++) {
                v[i] = buffer.getFloat(sample.valuesOffset() + i * Float.BYTES);
            }
            out.add(new Sample(sample.tickSequence(), sample.resumeIndex(), sample.label(), v));
        }, Integer.MAX_VALUE);
        return out;
    }

    /** Feeds ticks i in [from, to) of the series, with source index 1000 + i. */
    private static void feed(InferenceService service, double[] prices, int from, int to) {
        Tick tick = TestTicks.scratch();
        for (int i = from; i < to; i++) {
            TestTicks.trade(tick, i, prices[i], 1).sourceIndex(1000 + i);
            service.onTick(tick);
        }
    }

    @Test
    void shouldSendEachServedSampleWithItsFeaturesAndMaturedLabel() {
        double[] prices = TestTicks.prices(400, 9);
        try (SampleChannel channel = SampleChannel.forSamples(1024, 32);
             SampleCollector collector = new SampleCollector(ServingPipelineTest.SPEC.label(), 32, HORIZON + 1,
                 channel.ring())) {
            InferenceService service = new InferenceService(model, p -> { }, new OffsetEpochNanoClock(), null);
            service.attachLearning(collector, 0);
            feed(service, prices, 0, prices.length);
            List<Sample> samples = drain(channel.ring());
            assertEquals(collector.sent(), samples.size());
            assertEquals(service.predictions() - HORIZON, collector.sent() + collector.deadZone(),
                "every prediction but the last horizon's matured");

            // golden: features and labels recomputed from the prices
            OnlineFeatures f = new OnlineFeatures(ServingPipelineTest.SPEC);
            LabelSpec label = ServingPipelineTest.SPEC.label();
            Tick tick = TestTicks.scratch();
            int k = 0;
            for (int i = 0; i + HORIZON < prices.length; i++) {
                f.onTick(TestTicks.trade(tick, i, prices[i], 1));
                if (!f.ready() || label.label(prices[i], prices[i + HORIZON]) < 0) {
                    continue;
                }
                float[] x = new float[32];
                f.write(x, 0);
                Sample s = samples.get(k++);
                assertEquals(i, s.sequence());
                assertEquals(label.label(prices[i], prices[i + HORIZON]), s.label());
                assertArrayEquals(x, s.values(), "features of tick " + i);
                int margin = InferenceService.resumeMargin(ServingPipelineTest.SPEC);
                assertEquals(1000 + Math.max(0, i - margin + 1), s.resumeIndex(), "resume index of tick " + i);
            }
            assertEquals(samples.size(), k);
        }
    }

    @Test
    void shouldSendTheFrozenTrunksOutputWhenOnlyTheHeadTrains() {
        double[] prices = TestTicks.prices(200, 4);
        try (SampleChannel channel = SampleChannel.forSamples(1024, 64);
             SampleCollector collector = new SampleCollector(ServingPipelineTest.SPEC.label(), 64, HORIZON + 1,
                 channel.ring());
             Network trunk = Network.create(32, net.layers().subList(0, 4), backend, 1)) {
            TransferLearning.copyMatchingParameters(net, trunk);
            InferenceService service = new InferenceService(model, p -> { }, new OffsetEpochNanoClock(), null);
            service.attachLearning(collector, 4);
            List<float[]> served = new ArrayList<>();
            OnlineFeatures f = new OnlineFeatures(ServingPipelineTest.SPEC);
            Tick tick = TestTicks.scratch();
            for (int i = 0; i < prices.length; i++) {
                service.onTick(TestTicks.trade(tick, i, prices[i], 1));
                f.onTick(tick);
                if (f.ready()) {
                    float[] x = new float[32];
                    f.write(x, 0);
                    float[] h = new float[64];
                    trunk.predict(x, h);
                    served.add(h);
                }
            }
            List<Sample> samples = drain(channel.ring());
            assertTrue(samples.size() > 50);
            for (Sample s : samples) {
                assertArrayEquals(served.get((int) s.sequence() - 63), s.values(), "trunk output of " + s.sequence());
            }
        }
    }

    @Test
    void shouldRebuildTheSamplesExactlyWhenReReadFromTheirResumeIndex() {
        double[] prices = TestTicks.prices(600, 12);
        try (SampleChannel channel = SampleChannel.forSamples(1024, 32);
             SampleCollector collector = new SampleCollector(ServingPipelineTest.SPEC.label(), 32, HORIZON + 1,
                 channel.ring())) {
            InferenceService service = new InferenceService(model, p -> { }, new OffsetEpochNanoClock(), null);
            service.attachLearning(collector, 0);
            feed(service, prices, 0, prices.length);
            List<Sample> all = drain(channel.ring());
            Sample s = all.get(all.size() / 2);

            // a restart: a fresh service reads from s's resume index, with s and earlier already trained
            List<Long> emitted = new ArrayList<>();
            try (SampleChannel again = SampleChannel.forSamples(1024, 32);
                 SampleCollector collector2 = new SampleCollector(ServingPipelineTest.SPEC.label(), 32, HORIZON + 1,
                     again.ring())) {
                InferenceService restarted = new InferenceService(model, p -> emitted.add(p.tickSequence()),
                    new OffsetEpochNanoClock(), null);
                restarted.attachLearning(collector2, 0);
                restarted.suppressThrough(450);
                feed(restarted, prices, (int) (s.resumeIndex() - 1000), prices.length);
                List<Sample> rebuilt = drain(again.ring());
                int from = all.indexOf(s);
                List<Sample> expected = all.subList(from, all.size());
                assertEquals(s.sequence(), rebuilt.get(0).sequence(), "the first rebuilt sample is s itself");
                assertEquals(expected.size(), rebuilt.size());
                for (int i = 0; i < expected.size(); i++) {
                    assertEquals(expected.get(i).sequence(), rebuilt.get(i).sequence());
                    assertEquals(expected.get(i).label(), rebuilt.get(i).label());
                    assertArrayEquals(expected.get(i).values(), rebuilt.get(i).values());
                }
                assertEquals(451, emitted.get(0), "ticks through 450 were predicted before the restart");
                assertEquals(prices.length - 451, emitted.size());
            }
        }
    }

    @Test
    void shouldCheckpointTrainedButUnpublishedWeightsOnAGracefulStop(@TempDir Path dir) {
        double[] prices = TestTicks.prices(3_000, 6);
        OnlineConfig config = OnlineConfig.defaults().withRoundBudgetNs(0).withCadence(8).withBatch(8);
        OnlineCheckpoints checkpoints = new OnlineCheckpoints(dir, 3, ServingPipelineTest.SPEC, 0x1234L, Long.MAX_VALUE);
        try (OnlineLearning learning = OnlineLearning.start(model, config, checkpoints, p -> { }, new OffsetEpochNanoClock(),
            null)) {
            feed(learning.service(), prices, 0, 3_000);   // well over the 1024 samples one doWork drains
            TrainerAgent trainer = learning.trainer();
            trainer.doWork();   // trains on the first 1024, publishes
            trainer.doWork();   // trains on the rest; the inference thread has seen no tick since: not published
            assertTrue(trainer.hasUnpublished(), learning.report());
            trainer.onClose();
            OnlineCheckpoints.Resume resume = OnlineCheckpoints.latest(dir);
            assertEquals(learning.learner().lastSequence(), resume.trainedThrough(), "covers every trained sample");
            assertEquals(learning.learner().optimizerSteps(), resume.optimizerSteps());
            try (Network saved = Checkpoint.load(resume.file(), backend, 1)) {
                for (ParamEntry e : learning.learner().network().parameters().entries()) {
                    assertArrayEquals(learning.learner().network().getParameter(e.name()), saved.getParameter(e.name()),
                        "the learner's newest " + e.name());
                }
            }
        }
    }

    @Test
    void shouldCheckpointTheOptimizersMomentsWithThePublishedWeightsAndRestoreThem(@TempDir Path dir) {
        double[] prices = TestTicks.prices(4_000, 5);
        OnlineConfig config = OnlineConfig.defaults().withRoundBudgetNs(0).withCadence(8).withBatch(8);
        OnlineCheckpoints checkpoints = new OnlineCheckpoints(dir, 3, ServingPipelineTest.SPEC, 0x1234L, 0);
        try (OnlineLearning learning = OnlineLearning.start(model, config, checkpoints, p -> { }, new OffsetEpochNanoClock(),
            null)) {
            for (int from = 0; from < 4_000; from += 500) {
                feed(learning.service(), prices, from, from + 500);
                learning.trainer().doWork();   // trains, publishes, then checkpoints (interval 0)
            }
            assertTrue(checkpoints.saved() > 0 && learning.learner().optimizerSteps() > 0, learning.report());
            OnlineCheckpoints.Resume resume = OnlineCheckpoints.latest(dir);
            assertEquals(learning.learner().optimizerSteps(), resume.optimizerSteps(), "the last doWork ended in a save");
            Map<String, TensorEntry> saved = Checkpoint.readState(resume.file());
            List<TensorEntry> live = learning.learner().optimizerState();
            assertEquals(2 * 6, live.size(), "m and v of three dense layers' weights and biases");
            assertEquals(live.size(), saved.size());
            for (TensorEntry t : live) {
                assertArrayEquals(t.data(), saved.get(t.name()).data(), t.name());
            }

            // a restart from that checkpoint takes the moments back; a checkpoint without them changes nothing
            try (ServingModel restarted = ServingModel.load(resume.file(), backend);
                 OnlineLearning again = OnlineLearning.start(restarted, config, null, p -> { },
                     new OffsetEpochNanoClock(), null)) {
                assertFalse(again.learner().restoreOptimizerState(Map.of(), resume.optimizerSteps()));
                assertEquals(0, again.learner().optimizerSteps());
                assertTrue(again.learner().restoreOptimizerState(saved, resume.optimizerSteps()));
                assertEquals(resume.optimizerSteps(), again.learner().optimizerSteps());
                List<TensorEntry> back = again.learner().optimizerState();
                for (int i = 0; i < live.size(); i++) {
                    assertEquals(live.get(i).name(), back.get(i).name());
                    assertArrayEquals(live.get(i).data(), back.get(i).data(), live.get(i).name());
                }
            }
        }
    }

    @Test
    void shouldTagPredictionsWithTheRevisionThatAnsweredAndAllocateNothing() {
        double[] prices = TestTicks.prices(20_000, 3);
        long[] lastRevision = {-1};
        long[] revisionsSeen = {0};
        OnlineConfig config = OnlineConfig.defaults().withRoundBudgetNs(0).withCadence(8).withBatch(8);
        try (OnlineLearning learning = OnlineLearning.start(model, config, null, (Prediction p) -> {
            if (p.modelRevision() != lastRevision[0]) {
                assertTrue(p.modelRevision() > lastRevision[0], "revisions only go up");
                lastRevision[0] = p.modelRevision();
                revisionsSeen[0]++;
            }
            assertEquals(0x1234L, p.modelVersion());
        }, new OffsetEpochNanoClock(), null)) {
            InferenceService service = learning.service();
            TrainerAgent trainer = learning.trainer();
            Tick tick = TestTicks.scratch();
            int[] i = {0};
            Runnable thousand = () -> {
                for (int n = 0; n < 1000; n++, i[0]++) {
                    service.onTick(TestTicks.trade(tick, i[0], prices[i[0]], 1));
                }
            };
            for (int warm = 0; warm < 5; warm++) {
                thousand.run();
                trainer.doWork();
            }
            long served = TestTicks.minAllocatedBytes(thousand, 5);
            assertEquals(0, served, "serving 1000 ticks with learning attached allocated bytes");
            for (int round = 0; round < 5; round++) {
                thousand.run();
                trainer.doWork();
            }
            assertTrue(learning.learner().acceptedRounds() > 100, learning.report());
            assertTrue(revisionsSeen[0] > 3, "predictions carried " + revisionsSeen[0] + " revisions");
            assertTrue(learning.slots().publishedRevision() - lastRevision[0] <= 1,
                "the last prediction came from the last or the one before the last published revision");
        }
    }
}
