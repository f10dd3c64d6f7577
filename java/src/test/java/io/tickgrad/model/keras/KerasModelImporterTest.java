package io.tickgrad.model.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tickgrad.nn.Activation;
import io.tickgrad.nn.ActivationLayer;
import io.tickgrad.nn.Backend;
import io.tickgrad.nn.Dense;
import io.tickgrad.nn.Dropout;
import io.tickgrad.nn.Layer;
import io.tickgrad.nn.LayerNorm;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.Softmax;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tiny hand-written TF.js layers models: every supported form, and every malformed case refused by name. */
class KerasModelImporterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** InputLayer, Dense+tanh, LayerNormalization without centre, LeakyReLU, frozen Dense without bias, softmax. */
    private static final String TINY = """
        {"format": "layers-model", "generatedBy": "keras v2.15.0",
         "modelTopology": {"keras_version": "2.15.0", "backend": "tensorflow",
          "model_config": {"class_name": "Sequential", "config": {"name": "tiny", "layers": [
           {"class_name": "InputLayer", "config": {"name": "input_1", "batch_input_shape": [null, 3], "dtype": "float32"}},
           {"class_name": "Dense", "config": {"name": "dense", "units": 2, "activation": "tanh", "use_bias": true,
                                              "trainable": true, "dtype": "float32"}},
           {"class_name": "LayerNormalization", "config": {"name": "ln", "axis": [-1], "epsilon": 0.01,
                                                           "center": false, "scale": true}},
           {"class_name": "LeakyReLU", "config": {"name": "leaky", "alpha": 0.1}},
           {"class_name": "Dense", "config": {"name": "head", "units": 2, "activation": "linear", "use_bias": false,
                                              "trainable": false}},
           {"class_name": "Activation", "config": {"name": "act", "activation": "softmax"}}]}}},
         "weightsManifest": [{"paths": ["group1-shard1of1.bin"], "weights": [
           {"name": "dense/kernel", "shape": [3, 2], "dtype": "float32"},
           {"name": "dense/bias", "shape": [2], "dtype": "float32"},
           {"name": "ln/gamma", "shape": [2], "dtype": "float32"},
           {"name": "head/kernel", "shape": [2, 2], "dtype": "float32"}]}]}
        """;
    private static final float[] TINY_WEIGHTS = {
        0.5f, -0.25f, 0.75f, 0.125f, -1.0f, 0.375f,   // dense/kernel [3,2]
        0.1f, -0.2f,                                  // dense/bias
        1.5f, 0.5f,                                   // ln/gamma
        0.3f, -0.7f, 0.9f, 0.2f};                     // head/kernel [2,2]

    private static Backend backend;

    @BeforeAll
    static void openBackend() {
        backend = ChartPatternFiles.backend();
    }

    @AfterAll
    static void closeBackend() {
        backend.close();
    }

    // ---- accepted forms ----

    @Test
    void shouldImportANestedConfigWithInputLayerLayerNormLeakyReluAndFrozenHead(@TempDir Path dir) throws IOException {
        write(dir, TINY, TINY_WEIGHTS);
        ImportedModel m = KerasModelImporter.read(dir); // the directory form
        assertEquals("tiny", m.name());
        assertEquals("2.15.0", m.kerasVersion());
        assertEquals(3, m.inputs());
        assertEquals(2, m.outputs());
        List<Layer> layers = m.layers();
        assertEquals(List.of("dense", "dense_tanh", "ln", "leaky", "head", "act"),
            layers.stream().map(Layer::name).toList());
        assertEquals(Activation.TANH, ((ActivationLayer) layers.get(1)).activation());
        assertEquals(0.01f, ((LayerNorm) layers.get(2)).eps());
        assertEquals(0.1f, ((ActivationLayer) layers.get(3)).alpha());
        assertFalse(((Dense) layers.get(4)).useBias());
        assertTrue(layers.get(5) instanceof Softmax);
        assertEquals(List.of("dense.weight", "dense.bias", "ln.gamma", "ln.beta", "head.weight"), m.parameterNames());
        assertEquals(16, m.parameterCount());
        assertEquals("", m.kerasWeightName("ln.beta"));
        // centre disabled: beta fixed at 0 and frozen; the frozen Keras layer stays frozen
        assertEquals(0f, m.parameter("ln.beta")[0]);
        assertFalse(m.isTrainable("ln.beta"));
        assertTrue(m.isTrainable("ln.gamma"));
        assertFalse(m.isTrainable("head.weight"));

        float[] x = {0.4f, -1.2f, 2.0f};
        try (Network net = m.toNetwork(backend, 2)) {
            assertFalse(net.parameters().get("head.weight").trainable());
            assertFalse(net.parameters().get("ln.beta").trainable());
            assertTrue(net.parameters().get("dense.weight").trainable());
            float[] y = new float[2];
            net.predict(x, y);
            double[] expected = tinyByHand(x);
            assertEquals(expected[0], y[0], 1e-5);
            assertEquals(expected[1], y[1], 1e-5);
        }
    }

    /** The TINY network written out in plain double arithmetic. */
    private static double[] tinyByHand(float[] x) {
        double[] h = new double[2];
        for (int j = 0; j < 2; j++) {
            double s = TINY_WEIGHTS[6 + j];
            for (int i = 0; i < 3; i++) {
                s += x[i] * TINY_WEIGHTS[i * 2 + j];
            }
            h[j] = Math.tanh(s);
        }
        double mean = (h[0] + h[1]) / 2;
        double var = ((h[0] - mean) * (h[0] - mean) + (h[1] - mean) * (h[1] - mean)) / 2;
        double[] n = new double[2];
        for (int j = 0; j < 2; j++) {
            double v = (h[j] - mean) / Math.sqrt(var + 0.01f) * TINY_WEIGHTS[8 + j];
            n[j] = v >= 0 ? v : 0.1f * v;
        }
        double[] z = new double[2];
        for (int j = 0; j < 2; j++) {
            z[j] = n[0] * TINY_WEIGHTS[10 + j] + n[1] * TINY_WEIGHTS[12 + j];
        }
        double max = Math.max(z[0], z[1]);
        double e0 = Math.exp(z[0] - max);
        double e1 = Math.exp(z[1] - max);
        return new double[] {e0 / (e0 + e1), e1 / (e0 + e1)};
    }

    @Test
    void shouldImportATfjsStyleTopologyWithScopedNamesAndWeightsSplitOverShardsAndGroups(@TempDir Path dir)
        throws IOException {
        String model = """
            {"modelTopology": {"class_name": "Sequential", "keras_version": "tfjs-layers 4.22.0",
              "config": {"name": "s", "layers": [
               {"class_name": "Dense", "config": {"name": "d1", "units": 4, "activation": "relu", "batch_shape": [null, 2],
                                                  "dtype": {"class_name": "DTypePolicy", "config": {"name": "float32"}}}},
               {"class_name": "Dropout", "config": {"name": "drop", "rate": 0.1}},
               {"class_name": "Dense", "config": {"name": "d2", "units": 1, "activation": "sigmoid"}}]}},
             "weightsManifest": [
              {"paths": ["a1.bin", "a2.bin"], "weights": [
                {"name": "s/d1/kernel", "shape": [2, 4], "dtype": "float32"},
                {"name": "s/d1/bias", "shape": [4], "dtype": "float32"}]},
              {"paths": ["b.bin"], "weights": [
                {"name": "d2/kernel", "shape": [4, 1], "dtype": "float32"},
                {"name": "d2/bias", "shape": [1], "dtype": "float32"}]}]}
            """;
        float[] g1 = {1, -2, 3, -4, 0.5f, 0.25f, -0.125f, 2, 0.1f, 0.2f, 0.3f, -0.4f};
        float[] g2 = {0.5f, -0.5f, 0.25f, 1, -0.3f};
        Files.writeString(dir.resolve("model.json"), model);
        byte[] b1 = bytes(g1);
        // split in the middle of a float: shards are byte-concatenated, as TF.js does
        Files.write(dir.resolve("a1.bin"), Arrays.copyOfRange(b1, 0, 22));
        Files.write(dir.resolve("a2.bin"), Arrays.copyOfRange(b1, 22, b1.length));
        Files.write(dir.resolve("b.bin"), bytes(g2));

        ImportedModel m = KerasModelImporter.read(dir.resolve("model.json"));
        assertEquals("s", m.name());
        assertEquals(2, m.inputs());
        assertEquals(1, m.outputs());
        assertEquals(List.of("d1", "d1_relu", "drop", "d2", "d2_sigmoid"), m.layers().stream().map(Layer::name).toList());
        assertEquals(0.1f, ((Dropout) m.layers().get(2)).rate());
        assertEquals("s/d1/kernel", m.kerasWeightName("d1.weight"));
        assertEquals(Arrays.toString(Arrays.copyOfRange(g1, 0, 8)), Arrays.toString(m.parameter("d1.weight")));
        assertEquals(Arrays.toString(Arrays.copyOfRange(g1, 8, 12)), Arrays.toString(m.parameter("d1.bias")));
        assertEquals(Arrays.toString(new float[] {-0.3f}), Arrays.toString(m.parameter("d2.bias")));

        try (Network net = m.toNetwork(backend, 1)) {
            float[] x = {0.7f, -0.2f};
            float[] y = new float[1];
            net.predict(x, y);
            double z = g2[4];
            for (int j = 0; j < 4; j++) {
                double h = g1[8 + j] + x[0] * g1[j] + x[1] * g1[4 + j];
                z += Math.max(0, h) * g2[j];
            }
            assertEquals(1 / (1 + Math.exp(-z)), y[0], 1e-6);
        }
    }

    @Test
    void shouldNameSplitOffActivationsWithoutCollidingWithKerasNames(@TempDir Path dir) throws IOException {
        ObjectNode root = tiny();
        // a Keras layer already called "dense_tanh": the split-off activation of "dense" must pick another name
        layer(root, 3).put("name", "dense_tanh");
        write(dir, root.toString(), TINY_WEIGHTS);
        ImportedModel m = KerasModelImporter.read(dir);
        assertEquals(List.of("dense", "dense_tanh_1", "ln", "dense_tanh", "head", "act"),
            m.layers().stream().map(Layer::name).toList());
    }

    // ---- refusals: each names the file and the field ----

    @Test
    void shouldRefuseAMissingWeight(@TempDir Path dir) {
        ObjectNode root = tiny();
        weights(root, 0).remove(3);
        assertRefused(dir, root, Arrays.copyOf(TINY_WEIGHTS, 10), "model.json", "weightsManifest",
            "head/kernel", "[2, 2]", "layer 'head'");
    }

    @Test
    void shouldRefuseAnExtraWeight(@TempDir Path dir) {
        ObjectNode root = tiny();
        weights(root, 0).addObject().put("name", "ln/beta").put("dtype", "float32").putArray("shape").add(2);
        float[] w = Arrays.copyOf(TINY_WEIGHTS, 16);
        assertRefused(dir, root, w, "model.json", "weightsManifest[0].weights[4] (weight 'ln/beta').name",
            "extra weight", "[gamma]");
    }

    @Test
    void shouldRefuseAWeightOfAnUnknownLayer(@TempDir Path dir) {
        ObjectNode root = tiny();
        weights(root, 0).addObject().put("name", "conv/kernel").put("dtype", "float32").putArray("shape").add(2);
        assertRefused(dir, root, Arrays.copyOf(TINY_WEIGHTS, 16), "model.json",
            "weightsManifest[0].weights[4] (weight 'conv/kernel').name", "no such layer");
    }

    @Test
    void shouldRefuseADuplicateWeight(@TempDir Path dir) {
        ObjectNode root = tiny();
        weights(root, 0).add(weights(root, 0).get(1).deepCopy());
        assertRefused(dir, root, Arrays.copyOf(TINY_WEIGHTS, 16), "model.json",
            "weightsManifest[0].weights[4] (weight 'dense/bias').name", "again");
    }

    @Test
    void shouldRefuseAShapeMismatch(@TempDir Path dir) {
        ObjectNode root = tiny();
        ArrayNode shape = ((ObjectNode) weights(root, 0).get(0)).putArray("shape");
        shape.add(2).add(3);
        assertRefused(dir, root, TINY_WEIGHTS, "model.json", "weightsManifest[0].weights[0] (weight 'dense/kernel').shape",
            "expected [3, 2]", "found [2, 3]");
    }

    @Test
    void shouldRefuseAShardShorterOrLongerThanTheManifest(@TempDir Path dir) throws IOException {
        assertRefused(dir, tiny(), Arrays.copyOf(TINY_WEIGHTS, 13), "group1-shard1of1.bin",
            "weightsManifest[0].paths", "expected 56 bytes", "found 52 bytes");
        Path other = Files.createDirectory(dir.resolve("longer"));
        assertRefused(other, tiny(), Arrays.copyOf(TINY_WEIGHTS, 15), "group1-shard1of1.bin",
            "weightsManifest[0].paths", "expected 56 bytes", "found 60 bytes");
    }

    @Test
    void shouldRefuseAMissingShard(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("model.json"), TINY);
        ModelImportException e = assertThrows(ModelImportException.class, () -> KerasModelImporter.read(dir));
        assertContains(e, "group1-shard1of1.bin", "weightsManifest[0].paths[0]", "no such file");
    }

    @Test
    void shouldRefuseAShardPathOutsideTheModelDirectory(@TempDir Path dir) {
        ObjectNode root = tiny();
        ((ArrayNode) root.get("weightsManifest").get(0).get("paths")).removeAll().add("../elsewhere.bin");
        assertRefused(dir, root, TINY_WEIGHTS, "model.json", "weightsManifest[0].paths[0]", "../elsewhere.bin");
    }

    @Test
    void shouldRefuseAnUnsupportedLayerType(@TempDir Path dir) {
        ObjectNode root = tiny();
        ((ObjectNode) layers(root).get(3)).put("class_name", "Conv1D");
        assertRefused(dir, root, TINY_WEIGHTS, "model.json",
            "modelTopology.model_config.config.layers[3] (layer 'leaky').class_name", "Conv1D", "Dense");
    }

    @Test
    void shouldRefuseAnUnsupportedActivation(@TempDir Path dir) {
        ObjectNode root = tiny();
        layer(root, 1).put("activation", "elu");
        assertRefused(dir, root, TINY_WEIGHTS, "model.json",
            "layers[1] (layer 'dense').config.activation", "\"elu\"", "relu");
    }

    @Test
    void shouldRefuseLayerNormalizationOverAnotherAxis(@TempDir Path dir) {
        ObjectNode root = tiny();
        layer(root, 2).putArray("axis").add(0);
        assertRefused(dir, root, TINY_WEIGHTS, "model.json", "layers[2] (layer 'ln').config.axis", "expected -1",
            "[0]");
    }

    @Test
    void shouldRefuseFloat16AndIntWeights(@TempDir Path dir) throws IOException {
        ObjectNode root = tiny();
        ((ObjectNode) weights(root, 0).get(2)).put("dtype", "float16");
        assertRefused(dir, root, TINY_WEIGHTS, "model.json", "weights[2] (weight 'ln/gamma').dtype",
            "expected \"float32\"", "\"float16\"");
        ObjectNode root2 = tiny();
        ((ObjectNode) weights(root2, 0).get(0)).put("dtype", "int32");
        assertRefused(Files.createDirectory(dir.resolve("int")), root2, TINY_WEIGHTS, "model.json",
            "weights[0] (weight 'dense/kernel').dtype", "\"int32\"");
    }

    @Test
    void shouldRefuseQuantizedWeights(@TempDir Path dir) {
        ObjectNode root = tiny();
        ((ObjectNode) weights(root, 0).get(0)).putObject("quantization").put("dtype", "uint8").put("scale", 0.01)
            .put("min", -1.0);
        assertRefused(dir, root, TINY_WEIGHTS, "model.json", "weights[0] (weight 'dense/kernel').quantization",
            "uint8");
    }

    @Test
    void shouldRefuseALayerWithAFloat16Dtype(@TempDir Path dir) {
        ObjectNode root = tiny();
        layer(root, 1).put("dtype", "float16");
        assertRefused(dir, root, TINY_WEIGHTS, "model.json", "layers[1] (layer 'dense').config.dtype", "float16");
    }

    @Test
    void shouldRefuseNonSequentialModels(@TempDir Path dir) throws IOException {
        ObjectNode root = tiny();
        ((ObjectNode) root.get("modelTopology").get("model_config")).put("class_name", "Functional");
        assertRefused(dir, root, TINY_WEIGHTS, "model.json", "modelTopology.model_config.class_name",
            "expected \"Sequential\"", "\"Functional\"");
        ObjectNode root2 = tiny();
        ((ObjectNode) root2.get("modelTopology").get("model_config")).put("class_name", "Model");
        assertRefused(Files.createDirectory(dir.resolve("model")), root2, TINY_WEIGHTS, "model.json",
            "modelTopology.model_config.class_name", "\"Model\"");
    }

    @Test
    void shouldRefuseAGraphModel(@TempDir Path dir) {
        ObjectNode root = tiny();
        root.put("format", "graph-model");
        assertRefused(dir, root, TINY_WEIGHTS, "model.json", "format", "layers-model", "graph-model");
    }

    @Test
    void shouldRefuseAnInputThatIsNotAFlatVector(@TempDir Path dir) {
        ObjectNode root = tiny();
        layer(root, 0).putArray("batch_input_shape").addNull().add(10).add(3);
        assertRefused(dir, root, TINY_WEIGHTS, "model.json", "layers[0] (layer 'input_1').config.batch_input_shape",
            "[null, width]", "[null,10,3]");
    }

    @Test
    void shouldRefuseAModelWithoutAnInputShape(@TempDir Path dir) {
        ObjectNode root = tiny();
        layers(root).remove(0);
        assertRefused(dir, root, TINY_WEIGHTS, "model.json", "layers[0] (layer 'dense').config.batch_input_shape",
            "neither");
    }

    @Test
    void shouldRefuseDuplicateLayerNames(@TempDir Path dir) {
        ObjectNode root = tiny();
        layer(root, 3).put("name", "ln");
        assertRefused(dir, root, TINY_WEIGHTS, "model.json", "layers[3] (layer 'ln').config.name", "twice");
    }

    @Test
    void shouldRefuseManyNormsWhoseFixedTensorsNoShardBytePaysFor(@TempDir Path dir) throws IOException {
        // each LayerNormalization without scale or center costs 2 x 600,000 neutral floats; the second crosses the cap
        StringBuilder layers = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            layers.append(i == 0 ? "" : ",").append("{\"class_name\": \"LayerNormalization\", \"config\": {\"name\": \"ln")
                .append(i).append('"').append(i == 0 ? ", \"batch_input_shape\": [null, 600000]" : "")
                .append(", \"center\": false, \"scale\": false}}");
        }
        String json = "{\"format\": \"layers-model\", \"modelTopology\": {\"class_name\": \"Sequential\", \"config\": "
            + "{\"name\": \"s\", \"layers\": [" + layers + "]}}, \"weightsManifest\": [{\"paths\": "
            + "[\"group1-shard1of1.bin\"], \"weights\": []}]}";
        write(dir, json, new float[0]);
        ModelImportException e = assertThrows(ModelImportException.class,
            () -> KerasModelImporter.read(dir.resolve("model.json")));
        assertContains(e, dir.resolve("model.json").toString(), "layer 'ln1'", "no weight in the shard backs",
            "expected at most 2097152");
    }

    @Test
    void shouldRefuseNonFiniteWeights(@TempDir Path dir) {
        float[] w = TINY_WEIGHTS.clone();
        w[9] = Float.NaN;
        assertRefused(dir, tiny(), w, "group1-shard1of1.bin", "weight 'ln/gamma')[1]", "finite", "NaN");
    }

    @Test
    void shouldRefuseBadJsonAndMissingFiles(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("model.json"), "{\"modelTopology\": [");
        ModelImportException e = assertThrows(ModelImportException.class, () -> KerasModelImporter.read(dir));
        assertContains(e, "model.json", "(json)", "valid JSON");

        Path nowhere = dir.resolve("absent");
        e = assertThrows(ModelImportException.class, () -> KerasModelImporter.read(nowhere));
        assertContains(e, "absent", "(file)", "no such file");

        Files.writeString(dir.resolve("model.json"), "{\"weightsManifest\": []}");
        e = assertThrows(ModelImportException.class, () -> KerasModelImporter.read(dir));
        assertContains(e, "model.json", "modelTopology", "expected an object");
    }

    @Test
    void shouldRefuseBadLayerConfigValues(@TempDir Path dir) throws IOException {
        refuse(dir, "units", r -> layer(r, 1).put("units", 0), "layers[1] (layer 'dense').config.units", ">= 1");
        refuse(dir, "rate", r -> layers(r).insertObject(2).put("class_name", "Dropout").putObject("config")
            .put("name", "d").put("rate", 1.5), "layers[2] (layer 'd').config.rate", "[0, 1)");
        refuse(dir, "bias", r -> layer(r, 1).put("use_bias", "yes"), "layers[1] (layer 'dense').config.use_bias",
            "true or false");
        refuse(dir, "dot", r -> layer(r, 3).put("name", "leaky.relu"), "layers[3] (layer 'leaky.relu').config.name",
            "without '.'");
    }

    private void refuse(Path dir, String sub, Consumer<ObjectNode> mutation, String... fragments) throws IOException {
        ObjectNode root = tiny();
        mutation.accept(root);
        assertRefused(Files.createDirectory(dir.resolve(sub)), root, TINY_WEIGHTS, "model.json", fragments);
    }

    // ---- helpers ----

    private static ObjectNode tiny() {
        try {
            return (ObjectNode) JSON.readTree(TINY);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ArrayNode layers(ObjectNode root) {
        return (ArrayNode) root.get("modelTopology").get("model_config").get("config").get("layers");
    }

    private static ObjectNode layer(ObjectNode root, int i) {
        return (ObjectNode) layers(root).get(i).get("config");
    }

    private static ArrayNode weights(ObjectNode root, int group) {
        return (ArrayNode) root.get("weightsManifest").get(group).get("weights");
    }

    private static void write(Path dir, String modelJson, float[] weights) throws IOException {
        Files.writeString(dir.resolve("model.json"), modelJson);
        Files.write(dir.resolve("group1-shard1of1.bin"), bytes(weights));
    }

    private static byte[] bytes(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    /** Writes the model, expects a refusal whose message names {@code file} and contains every fragment. */
    private static void assertRefused(Path dir, ObjectNode root, float[] weights, String file, String... fragments) {
        try {
            write(dir, root.toString(), weights);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ModelImportException e = assertThrows(ModelImportException.class,
            () -> KerasModelImporter.read(dir.resolve("model.json")));
        assertEquals(file, e.file().getFileName().toString(), e.getMessage());
        String[] all = Arrays.copyOf(fragments, fragments.length + 1);
        all[fragments.length] = dir.resolve(file).toString();
        assertContains(e, all);
    }

    private static void assertContains(Exception e, String... fragments) {
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message lacks '" + f + "': " + e.getMessage());
        }
    }
}
