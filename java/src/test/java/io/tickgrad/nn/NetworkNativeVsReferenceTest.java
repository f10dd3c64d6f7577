package io.tickgrad.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.nn.cpu.NativeCpuBackend;
import io.tickgrad.nn.reference.ReferenceBackend;
import io.tickgrad.train.Adam;
import io.tickgrad.train.LearningRateSchedule;
import io.tickgrad.train.Loss;
import io.tickgrad.train.Optimizer;
import io.tickgrad.train.Sgd;
import io.tickgrad.train.Trainer;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Whole networks on the native backend against the same networks on the reference backend: the one-call
 * predict plan, and several training steps (forward, fused loss, backward, clipping, optimizer).
 *
 * <p>Tolerances: after one forward pass through L dense layers of width up to K, fp32 rounding is bounded by
 * roughly L K u relative to the magnitudes (see NativeVsReferenceOpsTest); with K <= 64 and L <= 3 that is
 * about 1e-5, and we allow 1e-4 relative to max(1, |y|). Across T SGD steps parameter differences grow at most
 * linearly in T with a learning rate of 0.05 on unit-scale gradients, so after 5 steps 1e-4 absolute on
 * parameters of scale ~0.3 is still tight enough to catch any wrong gradient (a wrong term moves parameters by
 * ~lr x gradient ~ 1e-2). Adam normalises each gradient by its own magnitude, so tiny gradients that differ
 * in sign between backends would legitimately move a parameter by up to 2 lr: for Adam the test compares the
 * loss trajectory (1e-4 relative) instead of single parameters.
 */
class NetworkNativeVsReferenceTest {
    private static NativeCpuBackend nativeBackend;
    private static ReferenceBackend reference;

    @BeforeAll
    static void setUp() {
        nativeBackend = NativeCpuBackend.create();
        reference = new ReferenceBackend();
    }

    @AfterAll
    static void tearDown() {
        nativeBackend.close();
        reference.close();
    }

    private static NetworkBuilder mixedNetwork() {
        return Network.builder(17).dense(33).layerNorm().gelu().dropout(0.25f).dense(19).leakyRelu(0.1f)
            .dense(16, false).tanh().dense(5).softmax();
    }

    @Test
    void shouldPredictLikeTheReferenceInOneCall() {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        try (Network a = mixedNetwork().build(nativeBackend, 7, 11); Network b = mixedNetwork().build(reference, 7, 11)) {
            for (int batch : new int[] {1, 3, 7}) {
                float[] x = new float[batch * 17];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) (random.nextDouble() * 4 - 2);
                }
                float[] ya = new float[batch * 5];
                float[] yb = new float[batch * 5];
                java.util.Arrays.fill(ya, Float.NaN);
                a.predict(x, batch, ya);
                b.predict(x, batch, yb);
                for (int i = 0; i < ya.length; i++) {
                    assertEquals(yb[i], ya[i], 1e-4 * Math.max(1, Math.abs(yb[i])),
                        "output " + i + " at batch " + batch + " (seed " + seed + ")");
                }
            }
        }
    }

    @Test
    void shouldTrainLikeTheReferenceWithSgdNesterov() {
        compareTraining(() -> new Sgd(0.05f, 0.9f, true, 1e-4f), Loss.softmaxCrossEntropy(), true, 5);
    }

    @Test
    void shouldTrainLikeTheReferenceWithAdamWAndClipping() {
        compareTraining(() -> Adam.adamW(1e-2f), Loss.softmaxCrossEntropy(), false, 5);
    }

    @Test
    void shouldTrainASigmoidHeadWithFusedLogitLossLikeTheReference() {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        NetworkBuilder spec = Network.builder(6).dense(8).relu().dense(1).sigmoid();
        try (Network a = spec.build(nativeBackend, 16, 5); Network b = spec.build(reference, 16, 5);
             Trainer ta = Trainer.builder(a).loss(Loss.binaryCrossEntropyWithLogits()).optimizer(new Sgd(0.1f, 0f, false, 0f)).build();
             Trainer tb = Trainer.builder(b).loss(Loss.binaryCrossEntropyWithLogits()).optimizer(new Sgd(0.1f, 0f, false, 0f)).build()) {
            float[] x = new float[16 * 6];
            float[] y = new float[16];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) random.nextDouble();
            }
            for (int i = 0; i < y.length; i++) {
                y[i] = random.nextBoolean() ? 1f : 0f;
            }
            for (int s = 0; s < 5; s++) {
                float la = ta.step(x, y, 16);
                float lb = tb.step(x, y, 16);
                assertEquals(lb, la, 1e-4 * Math.abs(lb), "loss at step " + s + " (seed " + seed + ")");
            }
            assertParametersClose(a, b, 1e-4, seed);
        }
    }

    private void compareTraining(Supplier<Optimizer> optimizer, Loss loss, boolean compareParameters, int steps) {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        int batch = 9;
        try (Network a = mixedNetwork().build(nativeBackend, batch, 3); Network b = mixedNetwork().build(reference, batch, 3);
             Trainer ta = Trainer.builder(a).loss(loss).optimizer(optimizer.get()).clipGradientNorm(5f)
                 .schedule(LearningRateSchedule.cosineWithWarmup(2, 10, 1e-4)).seed(99).build();
             Trainer tb = Trainer.builder(b).loss(loss).optimizer(optimizer.get()).clipGradientNorm(5f)
                 .schedule(LearningRateSchedule.cosineWithWarmup(2, 10, 1e-4)).seed(99).build()) {
            float[] x = new float[batch * 17];
            float[] y = new float[batch * 5];
            for (int s = 0; s < steps; s++) {
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) (random.nextDouble() * 2 - 1);
                }
                java.util.Arrays.fill(y, 0f);
                for (int r = 0; r < batch; r++) {
                    y[r * 5 + random.nextInt(5)] = 1f;
                }
                float la = ta.step(x, y, batch);
                float lb = tb.step(x, y, batch);
                assertTrue(Float.isFinite(la), "native loss finite");
                assertEquals(lb, la, 1e-4 * Math.abs(lb), "loss at step " + s + " (seed " + seed + ")");
                assertEquals(tb.lastGradientNorm(), ta.lastGradientNorm(), 1e-3 * tb.lastGradientNorm(),
                    "gradient norm at step " + s + " (seed " + seed + ")");
            }
            if (compareParameters) {
                assertParametersClose(a, b, 1e-4, seed);
            }
        }
    }

    private static void assertParametersClose(Network a, Network b, double tol, long seed) {
        for (var e : b.parameters().entries()) {
            float[] pa = a.getParameter(e.name());
            float[] pb = b.getParameter(e.name());
            for (int i = 0; i < pa.length; i++) {
                assertEquals(pb[i], pa[i], tol, e.name() + "[" + i + "] (seed " + seed + ")");
            }
        }
    }
}
