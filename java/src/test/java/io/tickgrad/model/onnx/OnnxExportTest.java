package io.tickgrad.model.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import ai.onnxruntime.TensorInfo;
import io.tickgrad.nn.Activation;
import io.tickgrad.nn.ActivationLayer;
import io.tickgrad.nn.Backend;
import io.tickgrad.nn.Dense;
import io.tickgrad.nn.Layer;
import io.tickgrad.nn.LayerNorm;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.NetworkBuilder;
import io.tickgrad.nn.reference.Erf;
import io.tickgrad.nn.reference.ReferenceBackend;
import java.io.ByteArrayOutputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Exported models run in ONNX Runtime give tickgrad's own predictions.
 *
 * <p>The oracle is tickgrad's {@link Network#predict} on {@link ReferenceBackend}: every op is computed in
 * double and rounded once to fp32, so its outputs are the exact network function of the fp32 weights and inputs
 * up to about one ulp per layer. ONNX Runtime computes in fp32, so the difference measures ORT's own rounding
 * (plus any mistake in the export, which is what we look for). Its size: a length-K dot product in fp32 is off by
 * at most about K u sum|x_i w_i| (u = 2^-24 = 6e-8), typically sqrt(K) u; Erf, Tanh, Sigmoid and Exp in ORT's
 * MLAS kernels are polynomial or rational approximations good to a few ulps; LayerNormalization and Softmax reduce over D values, adding about D u
 * relative to the row. With K, D <= 16 and at most six such stages whose Glorot-initialised weights keep the gain
 * near 1, the worst case is a few 1e-6 and the typical case near 1e-7, so a bound of 1e-5 holds with margin,
 * while a real export mistake (transposed weight, wrong eps, alpha or constant) shows as 1e-3 or more.
 *
 * <p>Because those bounds are relative to the magnitudes summed, not to each result, a near-zero output (ReLU
 * tails, small softmax probabilities, cancellation) cannot be held to its own relative error; the error is
 * measured per row, relative to the row's largest output: max_j |ort_j - tickgrad_j| / max_j |tickgrad_j|.
 */
class OnnxExportTest {
    private static final double MAX_RELATIVE_ERROR = 1e-5;
    private static final int[] BATCHES = {1, 3, 17};
    private static final int MAX_BATCH = 64;

    private static OrtEnvironment env;
    private static Backend backend;

    @BeforeAll
    static void setUp() {
        env = OrtEnvironment.getEnvironment();
        backend = new ReferenceBackend();
    }

    @AfterAll
    static void tearDown() {
        backend.close();
    }

    // ---- numerical agreement ----

    @Test
    void shouldMatchTickgradOnANetworkWithEveryLayerType() throws OrtException {
        NetworkBuilder b = Network.builder(8)
            .dense(16).layerNorm(1e-5f).gelu().dropout(0.25f)
            .dense(16, false).activation(Activation.GELU_TANH)
            .dense(12).leakyRelu(0.1f)
            .dense(12).tanh()
            .dense(16).layerNorm().sigmoid()
            .dense(10).relu().activation(Activation.IDENTITY)
            .dense(5).softmax();
        try (Network net = randomized(b, 11)) {
            assertMatchesTickgrad(net, 101);
        }
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void shouldMatchTickgradForEachActivation(Activation activation) throws OrtException {
        NetworkBuilder b = Network.builder(6).dense(16);
        b = activation == Activation.LEAKY_RELU ? b.leakyRelu(0.2f) : b.activation(activation);
        try (Network net = randomized(b.dense(4), 20 + activation.ordinal())) {
            assertMatchesTickgrad(net, 200 + activation.ordinal());
        }
    }

    @Test
    void shouldMatchTickgradWhenTheNetworkStartsWithLayerNormAndEndsWithAnActivation() throws OrtException {
        NetworkBuilder b = Network.builder(16).layerNorm(1e-3f).dense(8, false).gelu();
        try (Network net = randomized(b, 31)) {
            assertMatchesTickgrad(net, 301);
        }
    }

    @Test
    void shouldExportANetworkThatIsTheIdentityAtInference() throws OrtException {
        NetworkBuilder b = Network.builder(5).dropout(0.5f).activation(Activation.IDENTITY);
        try (Network net = randomized(b, 41)) {
            assertMatchesTickgrad(net, 401);
            float[] x = randomInputs(new SplittableRandom(5), 3 * 5);
            assertArrayEquals(x, runOrt(OnnxExporter.toBytes(net), x, 3, 5, 5));
        }
    }

    @Test
    void shouldGiveTheOracleAnErfAccurateToDoublePrecision() {
        // reference values of erf to 16 digits; a few double ulps of error are 1e8 times below fp32 resolution
        assertEquals(0.0, Erf.erf(0.0));
        assertEquals(0.1124629160182849, Erf.erf(0.1), 1e-15);
        assertEquals(0.5204998778130465, Erf.erf(0.5), 1e-15);
        assertEquals(0.8427007929497149, Erf.erf(1.0), 1e-15);
        assertEquals(0.9953222650189527, Erf.erf(2.0), 1e-15);
        assertEquals(0.9999779095030014, Erf.erf(3.0), 1e-15);
        assertEquals(-0.8427007929497149, Erf.erf(-1.0), 1e-15);
        assertEquals(1.0, Erf.erf(7.0));
    }

    // ---- loading, shapes, bytes ----

    @Test
    void shouldLoadWithASymbolicBatchDimensionAndRunBatchesOf1And64() throws OrtException {
        try (Network net = randomized(Network.builder(7).dense(9).relu().dense(3), 51)) {
            byte[] model = OnnxExporter.toBytes(net);
            try (OrtSession.SessionOptions options = singleThreaded();
                 OrtSession session = env.createSession(model, options)) {
                assertEquals(OnnxExporter.PRODUCER_NAME, session.getMetadata().getProducerName());
                Map<String, NodeInfo> inputs = session.getInputInfo();
                Map<String, NodeInfo> outputs = session.getOutputInfo();
                assertEquals(Set.of(OnnxExporter.INPUT_NAME), inputs.keySet());
                assertEquals(Set.of(OnnxExporter.OUTPUT_NAME), outputs.keySet());
                TensorInfo in = (TensorInfo) inputs.get(OnnxExporter.INPUT_NAME).getInfo();
                TensorInfo out = (TensorInfo) outputs.get(OnnxExporter.OUTPUT_NAME).getInfo();
                assertArrayEquals(new long[] {-1, 7}, in.getShape());
                assertArrayEquals(new long[] {-1, 3}, out.getShape());
                assertEquals(OnnxExporter.BATCH_DIM, in.getDimensionNames()[0]);
                assertEquals(OnnxExporter.BATCH_DIM, out.getDimensionNames()[0]);
                for (int batch : new int[] {1, MAX_BATCH}) {
                    float[] x = randomInputs(new SplittableRandom(batch), batch * 7);
                    try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {batch, 7});
                         OrtSession.Result r = session.run(Map.of(OnnxExporter.INPUT_NAME, t))) {
                        OnnxTensor y = (OnnxTensor) r.get(0);
                        assertArrayEquals(new long[] {batch, 3}, y.getInfo().getShape());
                    }
                }
            }
        }
    }

    @Test
    void shouldWriteTheSameBytesEveryTimeAndThroughEveryVariant(@TempDir Path dir) throws Exception {
        try (Network net = randomized(Network.builder(4).dense(6).layerNorm().gelu().dense(2).softmax(), 61)) {
            byte[] first = OnnxExporter.toBytes(net);
            assertArrayEquals(first, OnnxExporter.toBytes(net));
            Path file = dir.resolve("model.onnx");
            OnnxExporter.export(net, file);
            assertArrayEquals(first, Files.readAllBytes(file));
            OnnxExporter.export(net, file);
            assertArrayEquals(first, Files.readAllBytes(file));
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            OnnxExporter.export(net, stream);
            assertArrayEquals(first, stream.toByteArray());
        }
        // a second network with the same architecture and seed is the same model
        try (Network a = randomized(Network.builder(3).dense(2), 71);
             Network b = randomized(Network.builder(3).dense(2), 71)) {
            assertArrayEquals(OnnxExporter.toBytes(a), OnnxExporter.toBytes(b));
        }
    }

    // ---- helpers ----

    /**
     * Builds the network on the test backend with Glorot weights from {@code seed}, then replaces the zero biases
     * and the unit gammas / zero betas with random values, so every parameter is exercised.
     */
    static Network randomized(NetworkBuilder builder, long seed) {
        Network net = builder.build(backend, MAX_BATCH, seed);
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        for (Layer layer : net.layers()) {
            if (layer instanceof Dense d && d.useBias()) {
                net.setParameter(d.name() + ".bias", uniform(random, d.units(), -0.5, 0.5));
            } else if (layer instanceof LayerNorm ln) {
                net.setParameter(ln.name() + ".gamma", uniform(random, ln.inFeatures(), 0.5, 1.5));
                net.setParameter(ln.name() + ".beta", uniform(random, ln.inFeatures(), -0.5, 0.5));
            }
        }
        return net;
    }

    private static float[] uniform(SplittableRandom random, int n, double lo, double hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (lo + (hi - lo) * random.nextDouble());
        }
        return v;
    }

    /** Inputs over [-3, 3], wide enough to reach the curved parts of tanh, sigmoid and GELU. */
    private static float[] randomInputs(SplittableRandom random, int n) {
        return uniform(random, n, -3, 3);
    }

    private static OrtSession.SessionOptions singleThreaded() throws OrtException {
        return singleThreaded(OptLevel.ALL_OPT);
    }

    private static OrtSession.SessionOptions singleThreaded(OptLevel level) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(1);
        options.setInterOpNumThreads(1);
        options.setOptimizationLevel(level);
        return options;
    }

    private static float[] runOrt(byte[] model, float[] x, int batch, int inputs, int outputs) throws OrtException {
        return runOrt(model, x, batch, inputs, outputs, OptLevel.ALL_OPT);
    }

    private static float[] runOrt(byte[] model, float[] x, int batch, int inputs, int outputs, OptLevel level)
        throws OrtException {
        try (OrtSession.SessionOptions options = singleThreaded(level);
             OrtSession session = env.createSession(model, options);
             OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {batch, inputs});
             OrtSession.Result r = session.run(Map.of(OnnxExporter.INPUT_NAME, t))) {
            OnnxTensor y = (OnnxTensor) r.get(OnnxExporter.OUTPUT_NAME).orElseThrow();
            assertArrayEquals(new long[] {batch, outputs}, y.getInfo().getShape());
            FloatBuffer fb = y.getFloatBuffer();
            float[] out = new float[fb.remaining()];
            fb.get(out);
            return out;
        }
    }

    /**
     * Exports the network, runs it in ORT on random inputs at batch 1, 3 and 17, and compares with predict.
     * Twice: without graph optimisations (the operators exactly as exported) and with all of them (ORT fuses
     * the GELU and MatMul+Add patterns into kernels of its own, as a consumer's default session would).
     */
    private static void assertMatchesTickgrad(Network net, long seed) throws OrtException {
        byte[] model = OnnxExporter.toBytes(net);
        SplittableRandom random = new SplittableRandom(seed);
        int in = net.inputs();
        int out = net.outputs();
        double worst = 0;
        for (int batch : BATCHES) {
            float[] x = randomInputs(random, batch * in);
            float[] expected = new float[batch * out];
            net.predict(x, batch, expected);
            for (OptLevel level : new OptLevel[] {OptLevel.NO_OPT, OptLevel.ALL_OPT}) {
                float[] actual = runOrt(model, x, batch, in, out, level);
                for (int r = 0; r < batch; r++) {
                    double rel = rowRelativeError(expected, actual, r * out, out);
                    worst = Math.max(worst, rel);
                    if (!(rel <= MAX_RELATIVE_ERROR)) {
                        fail(net + ": ORT " + level + ", batch " + batch + " row " + r + ": relative error " + rel
                            + " > " + MAX_RELATIVE_ERROR + " (seed " + seed + ")");
                    }
                }
            }
        }
        System.out.printf("ONNX export vs tickgrad, worst relative error %.3g: %s%n", worst, net);
    }

    /** max_j |actual_j - expected_j| / max_j |expected_j| over one row; NaN when either side is not finite. */
    private static double rowRelativeError(float[] expected, float[] actual, int offset, int length) {
        double scale = 0;
        double err = 0;
        for (int j = offset; j < offset + length; j++) {
            if (!Float.isFinite(expected[j]) || !Float.isFinite(actual[j])) {
                return Double.NaN;
            }
            scale = Math.max(scale, Math.abs(expected[j]));
            err = Math.max(err, Math.abs((double) actual[j] - expected[j]));
        }
        return err / Math.max(scale, Float.MIN_NORMAL);
    }
}
