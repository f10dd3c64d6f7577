package io.tickgrad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.tickgrad.market.ChartSamples;
import io.tickgrad.market.Trades;
import io.tickgrad.model.keras.ImportedModel;
import io.tickgrad.model.keras.KerasModelImporter;
import io.tickgrad.model.onnx.OnnxExporter;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import io.tickgrad.nn.reference.ReferenceBackend;
import io.tickgrad.train.Adam;
import io.tickgrad.train.ClassificationReport;
import io.tickgrad.train.Dataset;
import io.tickgrad.train.Featurizer;
import io.tickgrad.train.FitOptions;
import io.tickgrad.train.Fitter;
import io.tickgrad.train.Head;
import io.tickgrad.train.Loss;
import io.tickgrad.train.Trainer;
import io.tickgrad.train.TransferLearning;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole transfer-learning path on real data: the shipped chart-pattern network imported, predicting on
 * price windows cut from the bundled Bitstamp trades with the native backend, the reference backend and ONNX
 * Runtime (they agree), then an up/down head fine-tuned on the first days and reported on the later days beside
 * a majority-class baseline and the same head trained from scratch. The metrics are printed, not asserted to
 * beat anything: a short-horizon BTC move is close to a coin flip, and the test reports whichever wins.
 */
class ChartNetworkEndToEndTest {
    private static final Path MODEL = Path.of("../models/chart-patterns/tf_model/model.json");

    @Test
    void shouldImportPredictAgreeAcrossEnginesAndFineTuneOnRealTrades() throws Exception {
        Trades trades = Trades.bundledBitstamp();
        assertEquals(100_000, trades.size());
        int split = trades.indexAtOrAfter(trades.time(0) + 4 * 86_400L);
        Dataset train = ChartSamples.build(trades, 0, split, split, 400, 50, 100, 5);
        Dataset test = ChartSamples.build(trades, split, trades.size(), trades.size(), 400, 50, 100, 5);
        assertTrue(train.rows() > 200 && test.rows() > 100, train.rows() + " / " + test.rows());

        ImportedModel imported = KerasModelImporter.read(MODEL);
        int n = 32;
        float[] x = java.util.Arrays.copyOf(test.features(), n * 400);
        try (NativeCpuBackend nativeBackend = NativeCpuBackend.create();
             ReferenceBackend reference = new ReferenceBackend();
             Network fast = imported.toNetwork(nativeBackend, 64);
             Network oracle = imported.toNetwork(reference, 64)) {
            float[] yNative = new float[n * 6];
            float[] yReference = new float[n * 6];
            fast.predict(x, n, yNative);
            oracle.predict(x, n, yReference);
            float[] yOnnx = runOnnx(fast, x, n);
            // softmax probabilities: 1e-5 absolute covers 6 fp32 layers of 256-wide dots (see the op tests)
            for (int i = 0; i < n * 6; i++) {
                assertEquals(yReference[i], yNative[i], 1e-5, "native vs reference, output " + i);
                assertEquals(yReference[i], yOnnx[i], 1e-5, "ONNX Runtime vs reference, output " + i);
            }

            FitOptions options = new FitOptions(15, 64, true, 11, 0.2, 4, true);
            try (Network tuned = TransferLearning.replaceHead(fast, Head.binary(), nativeBackend, 64, 5);
                 Network scratch = TransferLearning.replaceHead(fast, Head.binary(), nativeBackend, 64, 5)) {
                tuned.freezeFirst(5);
                assertEquals(257, tuned.parameters().trainableParameterCount());
                Featurizer featurizer = new Featurizer(tuned);
                Dataset features = featurizer.featurize(train);
                try (Network head = featurizer.headNetwork(nativeBackend, 64);
                     Trainer trainer = Trainer.builder(head).loss(Loss.binaryCrossEntropyWithLogits())
                         .optimizer(Adam.adam(1e-3f)).build()) {
                    Fitter.fit(trainer, features, options);
                    featurizer.copyBack(head);
                }
                // the frozen trunk is untouched by fine-tuning
                assertEquals(java.util.Arrays.toString(fast.getParameter("dense_1.weight")),
                    java.util.Arrays.toString(tuned.getParameter("dense_1.weight")));

                scratch.initialize(99);
                scratch.freezeFirst(0);
                try (Trainer trainer = Trainer.builder(scratch).loss(Loss.binaryCrossEntropyWithLogits())
                    .optimizer(Adam.adam(1e-3f)).build()) {
                    Fitter.fit(trainer, train, options);
                }
                ClassificationReport tunedReport = Fitter.evaluate(tuned, test, 0.5);
                ClassificationReport scratchReport = Fitter.evaluate(scratch, test, 0.5);
                double up = 0;
                for (int i = 0; i < train.rows(); i++) {
                    up += train.target(i, 0);
                }
                float[] majority = new float[test.rows()];
                java.util.Arrays.fill(majority, up * 2 >= train.rows() ? 1f : 0f);
                ClassificationReport base = ClassificationReport.of(majority, test.targets(), test.rows(), 1, 0.5);
                System.out.printf(Locale.ROOT, "chart network end to end, %d train / %d test windows:%n", train.rows(),
                    test.rows());
                System.out.printf(Locale.ROOT, "  majority   accuracy %.4f%n", base.accuracy());
                System.out.printf(Locale.ROOT, "  fine-tuned accuracy %.4f f1 %.4f auc %.4f log loss %.4f%n",
                    tunedReport.accuracy(), tunedReport.f1(), tunedReport.rocAuc(), tunedReport.logLoss());
                System.out.printf(Locale.ROOT, "  scratch    accuracy %.4f f1 %.4f auc %.4f log loss %.4f%n",
                    scratchReport.accuracy(), scratchReport.f1(), scratchReport.rocAuc(), scratchReport.logLoss());
                assertTrue(Double.isFinite(tunedReport.logLoss()) && Double.isFinite(scratchReport.logLoss()));
                assertEquals(test.rows(), tunedReport.samples());
            }
        }
    }

    private static float[] runOnnx(Network net, float[] x, int n) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(OnnxExporter.toBytes(net), options);
                 OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {n, net.inputs()});
                 OrtSession.Result result = session.run(Map.of(OnnxExporter.INPUT_NAME, input))) {
                float[][] out = (float[][]) result.get(0).getValue();
                float[] flat = new float[n * net.outputs()];
                for (int i = 0; i < n; i++) {
                    System.arraycopy(out[i], 0, flat, i * net.outputs(), net.outputs());
                }
                return flat;
            }
        }
    }
}
