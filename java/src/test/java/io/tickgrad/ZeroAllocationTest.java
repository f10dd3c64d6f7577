package io.tickgrad;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tickgrad.nn.Network;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import io.tickgrad.train.Adam;
import io.tickgrad.train.LearningRateSchedule;
import io.tickgrad.train.Loss;
import io.tickgrad.train.LossWeights;
import io.tickgrad.train.Trainer;
import io.tickgrad.train.WeightDecayGroups;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The hot paths allocate nothing on the Java heap after warm-up: the predict call and a whole training step
 * (forward, loss, backward, clipping, Adam). Measured with the JVM's per-thread allocation counter, which counts
 * every TLAB and outside-TLAB allocation of this thread; the cost of reading the counter itself is measured
 * around an empty loop and subtracted. Each path is measured in five rounds and the fewest bytes count: a one-off
 * (a JIT recompilation on a loaded machine once allocated 304 bytes here) does not fail the test, while an
 * allocation per call shows in every round.
 */
class ZeroAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void predictAndTrainingStepsAllocateNothingAfterWarmUp() {
        try (NativeCpuBackend backend = NativeCpuBackend.create();
             Network net = Network.builder(32).dense(64).relu().dropout(0.1f).dense(64).layerNorm().gelu().dense(3)
                 .softmax().build(backend, 64, 1);
             Trainer trainer = Trainer.builder(net).loss(Loss.softmaxCrossEntropy()).optimizer(Adam.adamW(1e-3f))
                 .schedule(LearningRateSchedule.cosineWithWarmup(10, 1000, 1e-5)).clipGradientNorm(1f).build()) {
            for (int i = 0; i < 64 * 32; i++) {
                net.input().putFloat(i * Float.BYTES, (i % 7) * 0.1f);
            }
            for (int i = 0; i < 64; i++) {
                trainer.targets().putFloat((i * 3 + i % 3) * Float.BYTES, 1f);
            }
            for (int i = 0; i < 20_000; i++) {   // warm-up: let the JIT compile and escape-analyse the paths
                net.predict(1);
            }
            for (int i = 0; i < 300; i++) {
                trainer.step(64);
            }
            long baseline = measure(() -> { });
            long predict = fewest(() -> {
                for (int i = 0; i < 10_000; i++) {
                    net.predict(1);
                }
            }, baseline);
            long train = fewest(() -> {
                for (int i = 0; i < 100; i++) {
                    trainer.step(64);
                }
            }, baseline);
            assertEquals(0, predict, "bytes allocated by 10,000 predict calls");
            assertEquals(0, train, "bytes allocated by 100 training steps");
        }
    }

    /** The weighted loss (class weights, sample weights) and per-tensor weight decay on the same step. */
    @Test
    void weightedTrainingStepsWithDecayGroupsAllocateNothingAfterWarmUp() {
        try (NativeCpuBackend backend = NativeCpuBackend.create();
             Network net = Network.builder(32).dense(64).layerNorm().gelu().dense(3).softmax().build(backend, 64, 1);
             Trainer trainer = Trainer.builder(net).loss(Loss.softmaxCrossEntropy())
                 .lossWeights(LossWeights.classWeights(1f, 2f, 0.5f)).optimizer(Adam.adamW(1e-3f)).build()) {
            WeightDecayGroups.excludeBiasesAndNormalisation(net);
            for (int i = 0; i < 64 * 32; i++) {
                net.input().putFloat(i * Float.BYTES, (i % 7) * 0.1f);
            }
            for (int i = 0; i < 64; i++) {
                trainer.targets().putFloat((i * 3 + i % 3) * Float.BYTES, 1f);
                trainer.sampleWeights().putFloat(i * Float.BYTES, 0.5f + i % 4);
            }
            for (int i = 0; i < 300; i++) {
                trainer.step(64, true);
            }
            long baseline = measure(() -> { });
            long train = fewest(() -> {
                for (int i = 0; i < 100; i++) {
                    trainer.step(64, true);
                }
            }, baseline);
            assertEquals(0, train, "bytes allocated by 100 weighted training steps");
        }
    }

    private static long fewest(Runnable body, long baseline) {
        long min = Long.MAX_VALUE;
        for (int round = 0; round < 5 && min > 0; round++) {
            min = Math.min(min, measure(body) - baseline);
        }
        return min;
    }

    private static long measure(Runnable body) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        body.run();
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }
}
