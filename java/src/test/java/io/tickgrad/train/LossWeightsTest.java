package io.tickgrad.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.nn.Backend;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import io.tickgrad.nn.reference.ReferenceBackend;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Class, positive-class and sample weights through the Java API (Trainer, Dataset, Fitter): PyTorch's weighted mean
 * makes a sample of weight 2 worth exactly two copies of it, which the Keras-style (1/B) mean does not; the
 * refusals name the weight.
 *
 * <p>Tolerance of the copy equivalences: full-batch SGD on the same rows in another summation order (the weighted
 * row counted once times 2, or twice): fp32 gradients differ by a few ulps per step; over 30 steps of lr 0.1 on a
 * 2-layer network the weights agree to 1e-5 absolute.
 */
class LossWeightsTest {
    private static NativeCpuBackend nativeBackend;
    private static ReferenceBackend reference;

    @BeforeAll
    static void load() {
        nativeBackend = NativeCpuBackend.create();
        reference = new ReferenceBackend();
    }

    @AfterAll
    static void release() {
        nativeBackend.close();
        reference.close();
    }

    /** rows x 3 features; labels: class index r % classes. */
    private static Dataset data(int rows, int classes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[rows * 3];
        float[] y = new float[rows * classes];
        for (int r = 0; r < rows; r++) {
            for (int f = 0; f < 3; f++) {
                x[r * 3 + f] = (float) random.nextGaussian();
            }
            y[r * classes + r % classes] = 1f;
        }
        return new Dataset(x, y, rows, 3, classes);
    }

    private static float[] trainSoftmax(Backend backend, Dataset d, LossWeights weights) {
        try (Network net = Network.builder(3).dense(5).tanh().dense(3).softmax().build(backend, d.rows(), 7);
             Trainer t = Trainer.builder(net).loss(Loss.softmaxCrossEntropy()).lossWeights(weights)
                 .optimizer(Sgd.of(0.1f)).build()) {
            Fitter.fit(t, d, new FitOptions(30, d.rows(), false, 1, 0, 0, false));
            return net.getParameter(net.parameters().entries().get(0).name());
        }
    }

    /** d with the rows of {@code order} (a row listed twice is there twice). */
    private static Dataset rows(Dataset d, int... order) {
        return d.select(order, 0, order.length);
    }

    @Test
    void aSampleOfWeightTwoIsWorthTwoCopies() {
        for (Backend backend : new Backend[] {reference, nativeBackend}) {
            Dataset d = data(6, 3, 11);
            // weights summing to 5 over 6 rows: the weighted mean differs from the (1/B) one
            float[] weighted = trainSoftmax(backend, d.withSampleWeights(new float[] {2, 1, 1, 0, 1, 0}),
                LossWeights.sampleWeighted());
            float[] copies = trainSoftmax(backend, rows(d, 0, 0, 1, 2, 4), null);
            assertClose(copies, weighted, 1e-5, backend.name() + ": weight 2 = two copies, weight 0 = none");
        }
    }

    @Test
    void aClassWeightOfTwoIsWorthTwoCopiesOfThatClass() {
        for (Backend backend : new Backend[] {reference, nativeBackend}) {
            Dataset d = data(6, 3, 12);   // classes 0,1,2,0,1,2
            float[] weighted = trainSoftmax(backend, d, LossWeights.classWeights(1, 2, 1));
            float[] copies = trainSoftmax(backend, rows(d, 0, 1, 1, 2, 3, 4, 4, 5), null);
            assertClose(copies, weighted, 1e-5, backend.name() + ": class 1 weighted 2 = class 1 twice");
        }
    }

    @Test
    void theKerasStyleMeanIsNotTheWeightedMean() {
        // the test above can fail: with (1/B) sum w l a weight-2 sample is not two copies
        Dataset d = data(6, 3, 11);
        float[] copies = trainSoftmax(reference, rows(d, 0, 0, 1, 2, 4), null);
        float[] keras;
        try (Network net = Network.builder(3).dense(5).tanh().dense(3).softmax().build(reference, 6, 7);
             Trainer t = Trainer.builder(net).loss(Loss.softmaxCrossEntropy()).optimizer(Sgd.of(0.1f)).build()) {
            float[] w = {2, 1, 1, 0, 1, 0};
            for (int s = 0; s < 30; s++) {
                net.writeInput(d.features(), 6);
                t.writeTargets(d.targets(), 6);
                for (int i = 0; i < 6; i++) {
                    t.sampleWeights().putFloat(i * Float.BYTES, w[i]);
                }
                t.step(6, true);
            }
            keras = net.getParameter(net.parameters().entries().get(0).name());
        }
        double worst = 0;
        for (int i = 0; i < copies.length; i++) {
            worst = Math.max(worst, Math.abs(copies[i] - keras[i]));
        }
        assertTrue(worst > 1e-3, "the (1/B) mean differs from two copies by " + worst);
    }

    @Test
    void thePositiveClassWeightScalesThePositiveTerm() {
        for (Backend backend : new Backend[] {reference, nativeBackend}) {
            try (Network net = Network.builder(3).dense(1).sigmoid().build(backend, 4, 3);
                 Trainer t = Trainer.builder(net).loss(Loss.binaryCrossEntropyWithLogits())
                     .lossWeights(LossWeights.positiveClassWeight(3f)).optimizer(Sgd.of(0.1f)).build()) {
                float[] x = {0.5f, -1, 2, 1, 1, 1, -0.3f, 0.2f, 0.1f, 2, -2, 0};
                float[] y = {1, 0, 1, 0};
                float[] p = new float[4];
                net.predict(x, 4, p);
                double expected = 0;
                for (int i = 0; i < 4; i++) {
                    expected += y[i] == 1 ? -3 * Math.log(p[i]) : -Math.log(1 - p[i]);
                }
                expected /= 4;   // BCEWithLogitsLoss(pos_weight=) divides by the count
                net.writeInput(x, 4);
                t.writeTargets(y, 4);
                assertEquals(expected, t.evaluateLoss(4), 1e-5 * expected, backend.name());
            }
        }
    }

    @Test
    void weightsThatCannotApplyAreRefused() {
        assertMessage(() -> LossWeights.classWeights(1, -1), "class weight 1: found -1.0");
        assertMessage(() -> LossWeights.classWeights(1, Float.NaN), "class weight 1: found NaN");
        assertMessage(() -> LossWeights.classWeights(0, 0), "every weight is 0");
        assertMessage(() -> LossWeights.positiveClassWeight(-2), "found -2.0");
        assertMessage(() -> LossWeights.positiveClassWeight(Float.POSITIVE_INFINITY), "found Infinity");
        Dataset d = data(4, 3, 1);
        assertMessage(() -> d.withSampleWeights(new float[] {1, 1, -0.5f, 1}), "sample weight of row 3: found -0.5");
        assertMessage(() -> d.withSampleWeights(new float[] {1, Float.NaN, 1, 1}), "row 2: found NaN");
        assertMessage(() -> d.withSampleWeights(new float[] {0, 0, 0, 0}), "every one of the 4 is 0");
        assertMessage(() -> d.withSampleWeights(new float[] {1, 1}), "found 2 for 4 rows");
        try (Network soft = Network.builder(3).dense(3).softmax().build(reference, 4, 1);
             Network sig = Network.builder(3).dense(1).sigmoid().build(reference, 4, 1)) {
            assertMessage(() -> Trainer.builder(soft).loss(Loss.softmaxCrossEntropy())
                .lossWeights(LossWeights.classWeights(1, 2)).build(), "found 2 for a model with 3 classes");
            assertMessage(() -> Trainer.builder(soft).loss(Loss.softmaxCrossEntropy())
                .lossWeights(LossWeights.positiveClassWeight(2)).build(), "not loss softmax_xent");
            assertMessage(() -> Trainer.builder(sig).loss(Loss.binaryCrossEntropyWithLogits())
                .lossWeights(LossWeights.classWeights(1)).build(), "not loss bce_logits");
            assertMessage(() -> Trainer.builder(sig).loss(Loss.binaryCrossEntropy())
                .lossWeights(LossWeights.positiveClassWeight(2)).build(), "not loss bce");
            try (Trainer plain = Trainer.builder(soft).loss(Loss.softmaxCrossEntropy()).build()) {
                Dataset weighted = d.withSampleWeights(new float[] {1, 2, 3, 4});
                assertMessage(() -> Fitter.fit(plain, weighted, FitOptions.defaults().withBatchSize(4)),
                    "built without lossWeights");
            }
            try (Trainer t = Trainer.builder(soft).loss(Loss.softmaxCrossEntropy())
                .lossWeights(LossWeights.sampleWeighted()).build()) {
                Dataset zeroTrain = d.withSampleWeights(new float[] {0, 0, 0, 1});
                assertMessage(() -> Fitter.fit(t, zeroTrain, FitOptions.defaults().withBatchSize(4)
                    .withValidationSplit(0.25)), "every one of the 3 training rows");
            }
        }
    }

    private static void assertMessage(Runnable r, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
    }

    private static void assertClose(float[] expected, float[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol, what + " [" + i + "]");
        }
    }
}
