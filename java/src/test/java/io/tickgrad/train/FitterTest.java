package io.tickgrad.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.nn.Network;
import io.tickgrad.nn.NetworkBuilder;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import java.util.Collections;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FitterTest {
    private static NativeCpuBackend backend;

    @BeforeAll
    static void setUp() {
        backend = NativeCpuBackend.create();
    }

    @AfterAll
    static void tearDown() {
        backend.close();
    }

    /** Two Gaussian blobs in 8 dimensions, labelled by which blob; {@code flip} inverts the labels. */
    private static Dataset blobs(int n, long seed, boolean flip) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 8];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            boolean up = r.nextBoolean();
            for (int c = 0; c < 8; c++) {
                x[i * 8 + c] = (float) ((up ? 1 : -1) * 0.8 + r.nextDouble() * 2 - 1);
            }
            y[i] = up ^ flip ? 1f : 0f;
        }
        return new Dataset(x, y, n, 8, 1);
    }

    private static NetworkBuilder spec() {
        return Network.builder(8).dense(16).relu().dense(16).tanh().dense(1).sigmoid();
    }

    @Test
    void shouldLearnASeparableProblem() {
        Dataset train = blobs(512, 1, false);
        Dataset test = blobs(256, 2, false);
        try (Network net = spec().build(backend, 32, 3);
             Trainer t = Trainer.builder(net).loss(Loss.binaryCrossEntropyWithLogits()).optimizer(Adam.adam(1e-2f))
                 .build()) {
            FitHistory h = Fitter.fit(t, train, FitOptions.defaults().withEpochs(10));
            assertEquals(10, h.epochsRun());
            assertTrue(h.trainLoss().get(9) < h.trainLoss().get(0), h.trainLoss().toString());
            ClassificationReport report = Fitter.evaluate(net, test, 0.5);
            assertTrue(report.accuracy() > 0.95, report.toString());
            assertTrue(report.rocAuc() > 0.98, report.toString());
        }
    }

    @Test
    void shouldBeDeterministicForASeedAndShuffleDifferentlyForAnother() {
        Dataset train = blobs(200, 4, false);
        float[] a = trainOnce(train, 7, true);
        float[] b = trainOnce(train, 7, true);
        float[] c = trainOnce(train, 8, true);
        float[] d = trainOnce(train, 7, false);
        assertArrayEquals(a, b, "same seed, same weights bit for bit");
        assertFalse(java.util.Arrays.equals(a, c), "another shuffle seed gives other weights");
        assertFalse(java.util.Arrays.equals(a, d), "no shuffle gives other weights");
    }

    private static float[] trainOnce(Dataset data, long seed, boolean shuffle) {
        try (Network net = spec().build(backend, 16, 3);
             Trainer t = Trainer.builder(net).loss(Loss.binaryCrossEntropyWithLogits()).optimizer(Sgd.of(0.1f))
                 .build()) {
            Fitter.fit(t, data, FitOptions.defaults().withEpochs(2).withBatchSize(16).withShuffle(shuffle, seed));
            return net.getParameter("dense_0.weight");
        }
    }

    @Test
    void shouldStopEarlyAndRestoreTheBestWeights() {
        // the validation rows (the last 30%) carry inverted labels: validation loss rises as training succeeds
        Dataset good = blobs(280, 5, false);
        Dataset flipped = blobs(120, 6, true);
        float[] x = new float[400 * 8];
        float[] y = new float[400];
        System.arraycopy(good.features(), 0, x, 0, 280 * 8);
        System.arraycopy(flipped.features(), 0, x, 280 * 8, 120 * 8);
        System.arraycopy(good.targets(), 0, y, 0, 280);
        System.arraycopy(flipped.targets(), 0, y, 280, 120);
        Dataset data = new Dataset(x, y, 400, 8, 1);
        try (Network net = spec().build(backend, 32, 3);
             Trainer t = Trainer.builder(net).loss(Loss.binaryCrossEntropyWithLogits()).optimizer(Adam.adam(1e-2f))
                 .build()) {
            FitHistory h = Fitter.fit(t, data, FitOptions.defaults().withEpochs(50).withValidationSplit(0.3)
                .withEarlyStopping(3, true));
            assertTrue(h.stoppedEarly(), "stopped early: " + h.validationLoss());
            assertTrue(h.epochsRun() < 50);
            double best = Collections.min(h.validationLoss());
            assertEquals(best, h.validationLoss().get(h.bestEpoch()), 0);
            double restored = Fitter.loss(t, data.slice(280, 400));
            // the restored weights give back the best epoch's validation loss (fp32 forward, same batches)
            assertEquals(best, restored, 1e-6 * Math.max(1, best));
        }
    }

    @Test
    void shouldTrainTheSameHeadWhetherFeaturizedOrNot() {
        Dataset data = blobs(96, 9, false);
        try (Network full = spec().build(backend, 32, 11); Network copy = spec().build(backend, 32, 11)) {
            full.freezeFirst(2);
            copy.freezeFirst(2);
            FitOptions options = FitOptions.defaults().withEpochs(3).withBatchSize(32).withShuffle(false, 0);
            try (Trainer t = Trainer.builder(full).loss(Loss.binaryCrossEntropyWithLogits()).optimizer(Sgd.of(0.1f))
                .build()) {
                Fitter.fit(t, data, options);
            }
            Featurizer featurizer = new Featurizer(copy);
            assertEquals(4, featurizer.splitIndex());
            assertEquals(16, featurizer.featureWidth());
            Dataset features = featurizer.featurize(data);
            try (Network head = featurizer.headNetwork(backend, 32);
                 Trainer t = Trainer.builder(head).loss(Loss.binaryCrossEntropyWithLogits()).optimizer(Sgd.of(0.1f))
                     .build()) {
                Fitter.fit(t, features, options);
                featurizer.copyBack(head);
            }
            for (String name : new String[] {"dense_0.weight", "dense_2.weight", "dense_4.weight", "dense_4.bias"}) {
                float[] a = full.getParameter(name);
                float[] b = copy.getParameter(name);
                for (int i = 0; i < a.length; i++) {
                    // the same fp32 ops on the same values: only the trunk's forward differs in batching
                    assertEquals(a[i], b[i], 1e-6, name + "[" + i + "]");
                }
            }
        }
    }
}
