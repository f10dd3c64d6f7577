package io.tickgrad.model.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tickgrad.market.ChartWindow;
import io.tickgrad.nn.ActivationLayer;
import io.tickgrad.nn.Activation;
import io.tickgrad.nn.Backend;
import io.tickgrad.nn.Dense;
import io.tickgrad.nn.Dropout;
import io.tickgrad.nn.Layer;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.Softmax;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped chart-pattern network (technicalindicators 3.1.0): imported exactly, and predicting what TF.js
 * predicts and what a plain double-precision MLP computed straight from the shard bytes predicts.
 */
class KerasChartPatternModelTest {
    /** Upstream architecture, written out here independently of the importer. */
    private static final int[] WIDTHS = {400, 256, 256, 256, 256, 256, 6};

    private static Path modelDir;
    private static float[] shard;
    private static ImportedModel model;
    private static Backend backend;

    @BeforeAll
    static void load() throws IOException {
        modelDir = ChartPatternFiles.modelDir();
        byte[] bytes = Files.readAllBytes(modelDir.resolve("group1-shard1of1"));
        shard = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(shard);
        model = KerasModelImporter.read(modelDir);
        backend = ChartPatternFiles.backend();
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    @Test
    void shouldImportA400To6NetworkWith367366Parameters() {
        assertEquals(1_469_464, shard.length * 4);
        assertEquals(400, model.inputs());
        assertEquals(6, model.outputs());
        assertEquals("2.2.2", model.kerasVersion());
        assertEquals(367_366, model.parameterCount());
        assertEquals(shard.length, model.parameterCount());
        assertEquals(modelDir.resolve("model.json"), model.source());

        List<Layer> layers = model.layers();
        assertEquals(17, layers.size());
        for (int k = 0; k < 5; k++) {
            Dense d = (Dense) layers.get(3 * k);
            assertEquals("dense_" + (k + 1), d.name());
            assertEquals(256, d.units());
            assertTrue(d.useBias());
            assertEquals(Activation.RELU, ((ActivationLayer) layers.get(3 * k + 1)).activation());
            assertEquals(k < 4 ? 0.25f : 0.5f, ((Dropout) layers.get(3 * k + 2)).rate());
        }
        assertEquals(6, ((Dense) layers.get(15)).units());
        assertTrue(layers.get(16) instanceof Softmax);

        try (Network net = model.toNetwork(backend, 4)) {
            assertEquals(400, net.inputs());
            assertEquals(6, net.outputs());
            assertEquals(367_366, net.parameters().parameterCount());
            assertEquals(367_366, net.parameters().trainableParameterCount());
        }
    }

    @Test
    void shouldHoldEveryShardFloatBitForBitInManifestOrder() {
        int offset = 0;
        List<String> names = model.parameterNames();
        assertEquals(12, names.size());
        for (int k = 1; k <= 6; k++) {
            int in = WIDTHS[k - 1];
            int out = WIDTHS[k];
            offset = assertSlice("dense_" + k + ".weight", "dense_" + k + "/kernel", new int[] {in, out}, offset);
            offset = assertSlice("dense_" + k + ".bias", "dense_" + k + "/bias", new int[] {out}, offset);
        }
        assertEquals(shard.length, offset);
        assertEquals(fileSha256(modelDir.resolve("group1-shard1of1")), model.parameterDigest());

        try (Network net = model.toNetwork(backend, 1)) {
            for (String name : names) {
                assertBitsEqual(model.parameter(name), net.getParameter(name), name);
            }
        }
    }

    private int assertSlice(String name, String kerasName, int[] shape, int offset) {
        assertArrayEquals(shape, model.parameterShape(name), name);
        assertEquals(kerasName, model.kerasWeightName(name));
        float[] v = model.parameter(name);
        float[] expected = new float[v.length];
        System.arraycopy(shard, offset, expected, 0, v.length);
        assertBitsEqual(expected, v, name);
        return offset + v.length;
    }

    @Test
    void shouldPredictLikeTensorFlowJsAndLikeAPlainMlpOnSyntheticChartShapes() throws IOException {
        JsonNode golden = ChartPatternFiles.golden();
        assertEquals(ChartWindow.UPSTREAM_CLASSES, List.of("IHS", "TU", "DB", "HS", "TD", "DT"));
        List<String> goldenClasses = new ArrayList<>();
        golden.get("classes").forEach(c -> goldenClasses.add(c.asText()));
        assertEquals(ChartWindow.UPSTREAM_CLASSES, goldenClasses);

        double[][][] weights = plainWeightsFromShard();
        int cases = 0;
        try (Network net = model.toNetwork(backend, 1)) {
            Iterator<Map.Entry<String, JsonNode>> it = golden.get("cases").fields();
            float[] x = new float[400];
            float[] y = new float[6];
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> c = it.next();
                double[] series = doubles(c.getValue().get("series"));
                ChartWindow.resampleNormalized(series, 0, series.length, 400, x, 0);
                net.predict(x, y);

                double[] tfjs = doubles(c.getValue().get("probabilities"));
                double[] plain = plainMlp(weights, x);
                double sum = 0;
                for (int j = 0; j < 6; j++) {
                    sum += y[j];
                    assertTrue(y[j] >= 0 && y[j] <= 1, c.getKey() + " class " + j + ": " + y[j]);
                    // fp32 sums of 400 and 256 products in different orders: a few float ulps of the logits
                    assertEquals(tfjs[j], y[j], 2e-5, c.getKey() + " vs TF.js, class " + j);
                    assertEquals(plain[j], y[j], 2e-5, c.getKey() + " vs plain MLP, class " + j);
                }
                assertEquals(1.0, sum, 1e-5, c.getKey());
                assertEquals(argmax(tfjs), argmax(y), c.getKey());
                cases++;
            }
        }
        assertEquals(8, cases);
    }

    @Test
    void shouldRecogniseTheClearestShapesAsUpstreamLabelsThem() throws IOException {
        JsonNode cases = ChartPatternFiles.golden().get("cases");
        try (Network net = model.toNetwork(backend, 1)) {
            assertEquals("TU", predictLabel(net, doubles(cases.get("trend_up").get("series"))));
            assertEquals("TD", predictLabel(net, doubles(cases.get("trend_down").get("series"))));
            assertEquals("HS", predictLabel(net, doubles(cases.get("head_and_shoulders").get("series"))));
            assertEquals("IHS", predictLabel(net, doubles(cases.get("inverse_head_and_shoulders").get("series"))));
        }
    }

    private static String predictLabel(Network net, double[] series) {
        float[] y = new float[6];
        net.predict(ChartWindow.upstreamWindow(series), y);
        return ChartWindow.UPSTREAM_CLASSES.get(argmax(y));
    }

    @Test
    void shouldHonourTrainableFlags(@TempDir Path tmp) throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode root = json.readTree(modelDir.resolve("model.json").toFile());
        JsonNode layers = root.get("modelTopology").get("model_config").get("config");
        for (JsonNode layer : layers) {
            String name = layer.get("config").get("name").asText();
            if (name.matches("dense_[1-4]")) {
                ((ObjectNode) layer.get("config")).put("trainable", false);
            }
        }
        json.writeValue(tmp.resolve("model.json").toFile(), root);
        Files.copy(modelDir.resolve("group1-shard1of1"), tmp.resolve("group1-shard1of1"));

        ImportedModel frozen = KerasModelImporter.read(tmp.resolve("model.json"));
        assertEquals(java.util.Set.of("dense_1", "dense_2", "dense_3", "dense_4"), frozen.frozenLayers());
        assertFalse(frozen.isTrainable("dense_1.weight"));
        assertFalse(frozen.isTrainable("dense_4.bias"));
        assertTrue(frozen.isTrainable("dense_5.weight"));
        try (Network net = frozen.toNetwork(backend, 2)) {
            for (int k = 1; k <= 6; k++) {
                boolean trainable = k >= 5;
                assertEquals(trainable, net.parameters().get("dense_" + k + ".weight").trainable(), "dense_" + k);
                assertEquals(trainable, net.parameters().get("dense_" + k + ".bias").trainable(), "dense_" + k);
            }
            assertEquals(256 * 256 + 256 + 256 * 6 + 6, net.parameters().trainableParameterCount());
            // dense_5 is layer 12 of 17 (dense, relu, dropout per block)
            assertEquals(12, net.firstTrainableLayer());
        }
    }

    // ---- the independent computation: plain double loops over the raw shard ----

    /** [layer][0] = kernel row-major [in*out], [layer][1] = bias, read in manifest order from the shard floats. */
    private static double[][][] plainWeightsFromShard() {
        double[][][] w = new double[6][2][];
        int o = 0;
        for (int k = 0; k < 6; k++) {
            int in = WIDTHS[k];
            int out = WIDTHS[k + 1];
            w[k][0] = new double[in * out];
            for (int i = 0; i < in * out; i++) {
                w[k][0][i] = shard[o++];
            }
            w[k][1] = new double[out];
            for (int i = 0; i < out; i++) {
                w[k][1][i] = shard[o++];
            }
        }
        return w;
    }

    private static double[] plainMlp(double[][][] w, float[] input) {
        double[] a = new double[input.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = input[i];
        }
        for (int k = 0; k < 6; k++) {
            int in = WIDTHS[k];
            int out = WIDTHS[k + 1];
            double[] z = new double[out];
            for (int j = 0; j < out; j++) {
                double s = w[k][1][j];
                for (int i = 0; i < in; i++) {
                    s += a[i] * w[k][0][i * out + j];
                }
                z[j] = k < 5 ? Math.max(0, s) : s;
            }
            a = z;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double v : a) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] p = new double[a.length];
        for (int j = 0; j < a.length; j++) {
            p[j] = Math.exp(a[j] - max);
            sum += p[j];
        }
        for (int j = 0; j < a.length; j++) {
            p[j] /= sum;
        }
        return p;
    }

    // ---- helpers ----

    static double[] doubles(JsonNode array) {
        double[] d = new double[array.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = array.get(i).asDouble();
        }
        return d;
    }

    private static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    private static void assertBitsEqual(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                throw new AssertionError(what + "[" + i + "]: expected " + expected[i] + ", found " + actual[i]);
            }
        }
    }

    private static String fileSha256(Path file) {
        try {
            return java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
