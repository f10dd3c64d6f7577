package io.tickgrad.model.keras;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickgrad.model.Architecture;
import io.tickgrad.model.ModelLimits;
import io.tickgrad.nn.Activation;
import io.tickgrad.nn.ActivationLayer;
import io.tickgrad.nn.Dense;
import io.tickgrad.nn.Dropout;
import io.tickgrad.nn.Layer;
import io.tickgrad.nn.LayerNorm;
import io.tickgrad.nn.Softmax;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a Keras model saved in the TensorFlow.js layers format: a {@code model.json} with a
 * {@code modelTopology} (a Keras model config) and a {@code weightsManifest} (groups of binary shards holding
 * little-endian float32 weights), into an {@link ImportedModel}.
 *
 * <p>Supported: {@code Sequential} models (Keras 2.2 list-style config, {@code {"name", "layers"}} config, and a
 * topology that is itself the model config, as tfjs writes) of {@code InputLayer}, {@code Dense} (activations
 * linear, relu, leaky_relu, gelu, tanh, sigmoid, softmax), {@code Activation}, {@code ReLU}, {@code LeakyReLU},
 * {@code Softmax}, {@code Dropout} and {@code LayerNormalization} over the last axis, on a flat
 * {@code [null, width]} input. Everything else, and every inconsistency (missing, extra, duplicate or mis-shaped
 * weights, shards whose size differs from the manifest, non-float32 or quantized weights, non-finite weights),
 * is refused with a {@link ModelImportException} naming the file, the field and what was expected.
 */
public final class KerasModelImporter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUPPORTED_LAYERS = "InputLayer, Dense, Activation, ReLU, LeakyReLU, Softmax, Dropout, "
        + "LayerNormalization";
    private static final String SUPPORTED_ACTIVATIONS = "linear, relu, leaky_relu, gelu, tanh, sigmoid, softmax";
    /** Keras 3's default slope of the {@code leaky_relu} activation function (the LeakyReLU layer's is 0.3). */
    private static final float LEAKY_RELU_FUNCTION_SLOPE = 0.2f;

    private final Path file;
    private final Path dir;

    private KerasModelImporter(Path file) {
        this.file = file;
        Path parent = file.toAbsolutePath().normalize().getParent();
        this.dir = parent == null ? Path.of("").toAbsolutePath() : parent;
    }

    /**
     * Reads and validates a model: {@code path} is the model.json file or a directory holding one; shards are
     * read from the model.json's directory.
     *
     * @param path the model.json file, or its directory
     * @return the model, held on the Java heap (no native memory until {@link ImportedModel#toNetwork})
     * @throws ModelImportException naming the file, the field and what was expected when the model is malformed,
     *                              inconsistent or uses an unsupported feature
     * @throws IOException          when a file cannot be read
     */
    public static ImportedModel read(Path path) throws IOException {
        Path file = Files.isDirectory(path) ? path.resolve("model.json") : path;
        return new KerasModelImporter(file).read();
    }

    /**
     * A tensor the layers need: tickgrad name and shape. One that the Keras config disables (LayerNormalization
     * without centre or scale) is not in the file: it gets its neutral value and stays frozen.
     */
    /** The most values all disabled LayerNormalization tensors together may hold: one full-width layer's two. */
    private static final long MAX_NEUTRAL_FLOATS = 2L * ModelLimits.MAX_UNBACKED_WIDTH;

    private record Expected(String layer, String param, String tickgradName, int[] shape, boolean inFile,
                            float neutral) {
    }

    private ImportedModel read() throws IOException {
        JsonNode root = parseJson();
        JsonNode format = root.get("format");
        if (format != null && !"layers-model".equals(format.asText())) {
            throw fail("format", "expected \"layers-model\", found " + format
                + " (only TF.js layers models can be imported, not graph models)");
        }
        JsonNode topology = requireObject(root, "modelTopology", "modelTopology");
        String kerasVersion = text(topology.get("keras_version"));
        String configPath;
        JsonNode modelConfig;
        if (topology.has("model_config")) {
            modelConfig = requireObject(topology, "model_config", "modelTopology.model_config");
            configPath = "modelTopology.model_config";
        } else if (topology.has("class_name")) {
            modelConfig = topology;
            configPath = "modelTopology";
        } else {
            throw fail("modelTopology", "expected a Keras model config (\"model_config\" or \"class_name\"), found "
                + "fields " + fieldNames(topology));
        }
        String className = text(modelConfig.get("class_name"));
        if (!"Sequential".equals(className)) {
            throw fail(configPath + ".class_name", "expected \"Sequential\" (only sequential models can be imported), "
                + "found " + describe(modelConfig.get("class_name")));
        }
        JsonNode config = modelConfig.get("config");
        String modelName = "";
        JsonNode layerList;
        String layersPath;
        if (config != null && config.isArray()) {
            layerList = config;
            layersPath = configPath + ".config";
        } else if (config != null && config.isObject()) {
            modelName = text(config.get("name"));
            layerList = config.get("layers");
            layersPath = configPath + ".config.layers";
            if (layerList == null || !layerList.isArray()) {
                throw fail(layersPath, "expected a list of layers, found " + describe(layerList));
            }
        } else {
            throw fail(configPath + ".config", "expected a list of layers or an object with \"layers\", found "
                + describe(config));
        }

        List<Layer> layers = new ArrayList<>();
        List<Expected> expected = new ArrayList<>();
        Set<String> frozen = new LinkedHashSet<>();
        int inputs = translateLayers(layerList, layersPath, layers, expected, frozen);
        int outputs = inputs;
        for (Layer l : layers) {
            if (l instanceof Dense d) {
                outputs = d.units();
            }
        }
        if (layers.isEmpty()) {
            throw fail(layersPath, "expected at least one layer besides the input, found none");
        }
        // an input width that no weight in the shard pays for must stay small: the network's buffers and the neutral
        // tensors of a LayerNormalization without center/scale are allocated at that width
        Expected firstNorm = null;
        for (Expected e : expected) {
            if (e.param().equals("gamma") || e.param().equals("beta")) {
                if (firstNorm == null || e.inFile()) {
                    firstNorm = e;
                }
                if (e.inFile()) {
                    break;
                }
            } else {
                break;
            }
        }
        try {
            ModelLimits.requireBackedInput(new Architecture(inputs, layers), firstNorm != null && firstNorm.inFile(),
                "", "");
        } catch (IllegalArgumentException e) {
            throw fail(layersPath + "[0].config.batch_input_shape", "found an input width of " + inputs + " that no "
                + "weight in the shard backs; expected at most " + ModelLimits.MAX_UNBACKED_WIDTH + " (or a first "
                + "Dense layer, whose kernel has a row per input)");
        }

        requireBoundedNeutralTensors(expected, layersPath);

        JsonNode manifest = root.get("weightsManifest");
        if (manifest == null || !manifest.isArray()) {
            throw fail("weightsManifest", "expected a list of weight groups, found " + describe(manifest));
        }
        List<ImportedModel.Tensor> tensors = readWeights(manifest, expected);
        return new ImportedModel(file, modelName, kerasVersion, inputs, outputs, layers, tensors, frozen);
    }

    /**
     * Refuses a model whose disabled LayerNormalization tensors, which the import fills with neutral values and no
     * byte of the shard pays for, add up to more than one full-width normalisation: a few hundred bytes of JSON
     * naming many such layers must not make the import allocate gigabytes.
     */
    private void requireBoundedNeutralTensors(List<Expected> expected, String layersPath)
        throws ModelImportException {
        long neutralFloats = 0;
        for (Expected e : expected) {
            if (!e.inFile()) {
                neutralFloats += elementCount(e.shape());
                if (neutralFloats > MAX_NEUTRAL_FLOATS) {
                    throw fail(layersPath + " (layer '" + e.layer() + "').config." + (e.param().equals("gamma")
                        ? "scale" : "center"), "found LayerNormalization layers without scale or center whose fixed "
                        + "tensors add up to more than " + MAX_NEUTRAL_FLOATS + " values that no weight in the shard "
                        + "backs; expected at most " + MAX_NEUTRAL_FLOATS + " (export them with scale and center, or "
                        + "make them narrower)");
                }
            }
        }
    }

    // ---- topology ----

    /** Translates the Keras layers; returns the input width. */
    private int translateLayers(JsonNode layerList, String layersPath, List<Layer> out, List<Expected> expected,
                                Set<String> frozen) throws ModelImportException {
        // every Keras name first, so that the names given to split-off activation layers never collide
        Set<String> kerasNames = new HashSet<>();
        for (int i = 0; i < layerList.size(); i++) {
            JsonNode cfg = layerList.get(i).path("config");
            if (cfg.isObject() && cfg.get("name") != null) {
                kerasNames.add(cfg.get("name").asText());
            }
        }
        Set<String> used = new HashSet<>();
        if (layerList.isEmpty()) {
            throw fail(layersPath, "expected at least one layer, found none");
        }
        JsonNode firstConfig = layerList.get(0).path("config");
        int inputs = inputWidth(firstConfig, layersPath + "[0] (layer '" + firstConfig.path("name").asText("") + "')");
        int width = inputs;
        for (int i = 0; i < layerList.size(); i++) {
            JsonNode spec = layerList.get(i);
            String at = layersPath + "[" + i + "]";
            if (!spec.isObject()) {
                throw fail(at, "expected a layer object, found " + describe(spec));
            }
            String type = text(spec.get("class_name"));
            JsonNode cfg = spec.get("config");
            if (cfg == null || !cfg.isObject()) {
                throw fail(at + ".config", "expected an object, found " + describe(cfg));
            }
            String name = text(cfg.get("name"));
            if (name.isEmpty()) {
                throw fail(at + ".config.name", "expected a non-empty layer name, found " + describe(cfg.get("name")));
            }
            String field = at + " (layer '" + name + "')";
            if (name.contains(".") || name.contains("/")) {
                throw fail(field + ".config.name", "expected a name without '.' or '/', found '" + name + "'");
            }
            if (!used.add(name)) {
                throw fail(field + ".config.name", "expected unique layer names, found '" + name + "' twice");
            }
            checkDtype(cfg, field);

            if ("InputLayer".equals(type)) {
                if (i != 0) {
                    throw fail(field + ".class_name", "expected InputLayer only as the first layer, found it at "
                        + "position " + i);
                }
                for (String flag : new String[] {"sparse", "ragged"}) {
                    if (cfg.path(flag).asBoolean(false)) {
                        throw fail(field + ".config." + flag, "expected false (dense input), found true");
                    }
                }
                continue;
            }
            boolean trainable = bool(cfg, "trainable", true, field);
            switch (type) {
                case "Dense" -> {
                    int units = positiveInt(cfg, "units", field);
                    boolean useBias = bool(cfg, "use_bias", true, field);
                    out.add(new Dense(name, units, useBias));
                    expected.add(new Expected(name, "kernel", name + ".weight", new int[] {width, units}, true, 0f));
                    if (useBias) {
                        expected.add(new Expected(name, "bias", name + ".bias", new int[] {units}, true, 0f));
                    }
                    if (!trainable) {
                        frozen.add(name);
                    }
                    addActivation(activationName(cfg.get("activation"), field + ".config.activation"), Float.NaN,
                        name, kerasNames, used, out, field + ".config.activation");
                    width = units;
                }
                case "Activation" -> {
                    String act = activationName(cfg.get("activation"), field + ".config.activation");
                    if (act.equals("linear")) {
                        out.add(new ActivationLayer(name, Activation.IDENTITY));
                    } else if (act.equals("softmax")) {
                        out.add(new Softmax(name));
                    } else {
                        out.add(activationLayer(name, act, Float.NaN, field + ".config.activation"));
                    }
                }
                case "LeakyReLU" -> {
                    float alpha = 0.3f;
                    for (String key : new String[] {"alpha", "negative_slope"}) {
                        if (cfg.hasNonNull(key)) {
                            alpha = finiteFloat(cfg, key, field);
                        }
                    }
                    out.add(new ActivationLayer(name, Activation.LEAKY_RELU, alpha));
                }
                case "ReLU" -> {
                    if (cfg.hasNonNull("max_value")) {
                        throw fail(field + ".config.max_value", "expected null (no capped ReLU), found "
                            + cfg.get("max_value"));
                    }
                    if (cfg.hasNonNull("threshold") && cfg.get("threshold").asDouble() != 0) {
                        throw fail(field + ".config.threshold", "expected 0, found " + cfg.get("threshold"));
                    }
                    float slope = cfg.hasNonNull("negative_slope") ? finiteFloat(cfg, "negative_slope", field) : 0f;
                    out.add(slope == 0f ? new ActivationLayer(name, Activation.RELU)
                        : new ActivationLayer(name, Activation.LEAKY_RELU, slope));
                }
                case "Softmax" -> {
                    checkLastAxis(cfg, "axis", field);
                    out.add(new Softmax(name));
                }
                case "Dropout" -> {
                    double rate = cfg.path("rate").asDouble(Double.NaN);
                    if (!cfg.path("rate").isNumber() || !(rate >= 0 && rate < 1)) {
                        throw fail(field + ".config.rate", "expected a number in [0, 1), found "
                            + describe(cfg.get("rate")));
                    }
                    if (cfg.hasNonNull("noise_shape")) {
                        throw fail(field + ".config.noise_shape", "expected null (element-wise dropout), found "
                            + cfg.get("noise_shape"));
                    }
                    out.add(new Dropout(name, (float) rate));
                }
                case "LayerNormalization" -> {
                    checkLastAxis(cfg, "axis", field);
                    if (cfg.path("rms_scaling").asBoolean(false)) {
                        throw fail(field + ".config.rms_scaling", "expected false, found true");
                    }
                    float eps = cfg.hasNonNull("epsilon") ? finiteFloat(cfg, "epsilon", field) : LayerNorm.DEFAULT_EPS;
                    if (!(eps > 0)) {
                        throw fail(field + ".config.epsilon", "expected a number > 0, found " + cfg.get("epsilon"));
                    }
                    boolean center = bool(cfg, "center", true, field);
                    boolean scale = bool(cfg, "scale", true, field);
                    out.add(new LayerNorm(name, eps));
                    // tickgrad always has both tensors; a disabled one is fixed at its neutral value and frozen
                    expected.add(new Expected(name, "gamma", name + ".gamma", new int[] {width}, scale, 1f));
                    expected.add(new Expected(name, "beta", name + ".beta", new int[] {width}, center, 0f));
                    if (!trainable) {
                        frozen.add(name);
                    }
                }
                default -> throw fail(field + ".class_name", "expected one of " + SUPPORTED_LAYERS + ", found "
                    + describe(spec.get("class_name")));
            }
        }
        return inputs;
    }

    private int inputWidth(JsonNode cfg, String field) throws ModelImportException {
        String key = cfg.has("batch_input_shape") ? "batch_input_shape" : cfg.has("batch_shape") ? "batch_shape" : null;
        if (key == null) {
            throw fail(field + ".config.batch_input_shape", "expected the input shape [null, width] on the first "
                + "layer, found neither batch_input_shape nor batch_shape");
        }
        JsonNode shape = cfg.get(key);
        if (shape == null || !shape.isArray() || shape.size() != 2 || !shape.get(0).isNull()
            || !shape.get(1).canConvertToInt() || !shape.get(1).isIntegralNumber() || shape.get(1).asInt() < 1) {
            throw fail(field + ".config." + key, "expected [null, width] with width >= 1 (a flat vector input), "
                + "found " + describe(shape));
        }
        return shape.get(1).asInt();
    }

    private void addActivation(String act, float alpha, String layerName, Set<String> kerasNames, Set<String> used,
                               List<Layer> out, String field) throws ModelImportException {
        if (act.equals("linear")) {
            return;
        }
        String base = layerName + "_" + act;
        String name = base;
        for (int k = 1; kerasNames.contains(name) || used.contains(name); k++) {
            name = base + "_" + k;
        }
        used.add(name);
        out.add(act.equals("softmax") ? new Softmax(name) : activationLayer(name, act, alpha, field));
    }

    private ActivationLayer activationLayer(String name, String act, float alpha, String field)
        throws ModelImportException {
        switch (act) {
            case "relu":
                return new ActivationLayer(name, Activation.RELU);
            case "leaky_relu":
                return new ActivationLayer(name, Activation.LEAKY_RELU,
                    Float.isNaN(alpha) ? LEAKY_RELU_FUNCTION_SLOPE : alpha);
            case "gelu":
                return new ActivationLayer(name, Activation.GELU);
            case "tanh":
                return new ActivationLayer(name, Activation.TANH);
            case "sigmoid":
                return new ActivationLayer(name, Activation.SIGMOID);
            default:
                throw fail(field, "expected one of " + SUPPORTED_ACTIVATIONS + ", found \"" + act + "\"");
        }
    }

    /** An activation given as a string or as a serialized function {"class_name": "function", "config": name}. */
    private String activationName(JsonNode node, String field) throws ModelImportException {
        if (node == null || node.isNull()) {
            return "linear";
        }
        String act = null;
        if (node.isTextual()) {
            act = node.asText();
        } else if (node.isObject() && node.path("config").isTextual()) {
            act = node.get("config").asText();
        }
        if (act == null || !(act.equals("linear") || act.equals("relu") || act.equals("leaky_relu")
            || act.equals("gelu") || act.equals("tanh") || act.equals("sigmoid") || act.equals("softmax"))) {
            throw fail(field, "expected one of " + SUPPORTED_ACTIVATIONS + ", found " + describe(node));
        }
        return act;
    }

    private void checkLastAxis(JsonNode cfg, String key, String field) throws ModelImportException {
        JsonNode axis = cfg.get(key);
        if (axis == null || axis.isNull()) {
            return;
        }
        JsonNode single = axis.isArray() && axis.size() == 1 ? axis.get(0) : axis;
        if (!single.isIntegralNumber() || !(single.asInt() == -1 || single.asInt() == 1)) {
            throw fail(field + ".config." + key, "expected -1 (the feature axis of a [batch, width] input), found "
                + axis);
        }
    }

    private void checkDtype(JsonNode cfg, String field) throws ModelImportException {
        JsonNode dtype = cfg.get("dtype");
        if (dtype == null || dtype.isNull()) {
            return;
        }
        String name = dtype.isTextual() ? dtype.asText() : dtype.path("config").path("name").asText("");
        if (!name.equals("float32")) {
            throw fail(field + ".config.dtype", "expected float32, found " + describe(dtype));
        }
    }

    // ---- weights ----

    private List<ImportedModel.Tensor> readWeights(JsonNode manifest, List<Expected> expectedList) throws IOException {
        Map<String, Expected> expected = new LinkedHashMap<>();
        for (Expected e : expectedList) {
            if (e.inFile()) {
                expected.put(e.layer() + "/" + e.param(), e);
            }
        }
        Map<String, ImportedModel.Tensor> found = new LinkedHashMap<>();
        for (int g = 0; g < manifest.size(); g++) {
            JsonNode group = manifest.get(g);
            String gAt = "weightsManifest[" + g + "]";
            if (!group.isObject()) {
                throw fail(gAt, "expected a weight group object, found " + describe(group));
            }
            JsonNode paths = group.get("paths");
            if (paths == null || !paths.isArray() || paths.isEmpty()) {
                throw fail(gAt + ".paths", "expected a non-empty list of shard file names, found " + describe(paths));
            }
            JsonNode weights = group.get("weights");
            if (weights == null || !weights.isArray()) {
                throw fail(gAt + ".weights", "expected a list of weights, found " + describe(weights));
            }
            // validate every entry of the group before touching its shards
            List<Expected> groupTargets = new ArrayList<>();
            List<String> groupNames = new ArrayList<>();
            long groupFloats = 0;
            for (int w = 0; w < weights.size(); w++) {
                JsonNode spec = weights.get(w);
                String wAt = gAt + ".weights[" + w + "]";
                if (!spec.isObject() || !spec.path("name").isTextual()) {
                    throw fail(wAt + ".name", "expected a weight with a name, found " + describe(spec));
                }
                String kerasName = spec.get("name").asText();
                String field = wAt + " (weight '" + kerasName + "')";
                if (spec.has("quantization")) {
                    throw fail(field + ".quantization", "expected unquantized float32 weights, found quantization "
                        + spec.get("quantization") + " (re-export the model without quantization)");
                }
                JsonNode dtype = spec.get("dtype");
                if (dtype == null || !"float32".equals(dtype.asText())) {
                    throw fail(field + ".dtype", "expected \"float32\", found " + describe(dtype));
                }
                int[] shape = shape(spec.get("shape"), field + ".shape");
                Expected target = match(kerasName, expected, field);
                if (found.containsKey(target.tickgradName()) || groupTargets.contains(target)) {
                    throw fail(field + ".name", "expected each weight once, found '" + kerasName + "' again");
                }
                if (!Arrays.equals(shape, target.shape())) {
                    throw fail(field + ".shape", "expected " + Arrays.toString(target.shape()) + " for layer '"
                        + target.layer() + "', found " + Arrays.toString(shape));
                }
                groupTargets.add(target);
                groupNames.add(kerasName);
                groupFloats += elementCount(target.shape());
            }
            float[][] values = readGroup(paths, gAt, groupTargets, groupFloats);
            for (int w = 0; w < groupTargets.size(); w++) {
                Expected t = groupTargets.get(w);
                found.put(t.tickgradName(), new ImportedModel.Tensor(t.tickgradName(), t.shape(), values[w],
                    groupNames.get(w), true));
            }
        }
        List<ImportedModel.Tensor> tensors = new ArrayList<>();
        for (Expected e : expectedList) {
            if (!e.inFile()) {
                float[] neutral = new float[(int) elementCount(e.shape())];
                Arrays.fill(neutral, e.neutral());
                tensors.add(new ImportedModel.Tensor(e.tickgradName(), e.shape(), neutral, "", false));
                continue;
            }
            ImportedModel.Tensor t = found.get(e.tickgradName());
            if (t == null) {
                throw fail("weightsManifest", "expected weight '" + e.layer() + "/" + e.param() + "' of shape "
                    + Arrays.toString(e.shape()) + " for layer '" + e.layer() + "', found no such weight");
            }
            tensors.add(t);
        }
        return tensors;
    }

    private Expected match(String kerasName, Map<String, Expected> expected, String field)
        throws ModelImportException {
        String name = kerasName.endsWith(":0") ? kerasName.substring(0, kerasName.length() - 2) : kerasName;
        String[] parts = name.split("/");
        if (parts.length < 2) {
            throw fail(field + ".name", "expected '<layer>/<weight>' (e.g. dense_1/kernel), found '" + kerasName + "'");
        }
        String layer = parts[parts.length - 2];
        String param = parts[parts.length - 1];
        Expected e = expected.get(layer + "/" + param);
        if (e != null) {
            return e;
        }
        List<String> ofLayer = new ArrayList<>();
        for (Expected x : expected.values()) {
            if (x.layer().equals(layer)) {
                ofLayer.add(x.param());
            }
        }
        if (ofLayer.isEmpty()) {
            throw fail(field + ".name", "extra weight: expected weights of the layers with parameters "
                + layersWithWeights(expected) + ", found '" + kerasName + "' (no such layer with weights)");
        }
        throw fail(field + ".name", "extra weight: layer '" + layer + "' expects " + ofLayer + ", found '"
            + kerasName + "'");
    }

    private static List<String> layersWithWeights(Map<String, Expected> expected) {
        List<String> names = new ArrayList<>();
        for (Expected e : expected.values()) {
            if (!names.contains(e.layer())) {
                names.add(e.layer());
            }
        }
        return names;
    }

    /** Reads a group's shards (concatenated in order) and splits them into the group's tensors. */
    private float[][] readGroup(JsonNode paths, String gAt, List<Expected> targets, long groupFloats)
        throws IOException {
        List<Path> shards = new ArrayList<>();
        long bytes = 0;
        for (int p = 0; p < paths.size(); p++) {
            JsonNode node = paths.get(p);
            String pAt = gAt + ".paths[" + p + "]";
            if (!node.isTextual() || node.asText().isEmpty()) {
                throw fail(pAt, "expected a shard file name, found " + describe(node));
            }
            Path shard = dir.resolve(node.asText()).normalize();
            if (!shard.startsWith(dir)) {
                throw fail(pAt, "expected a shard file inside " + dir + ", found '" + node.asText() + "'");
            }
            if (!Files.isRegularFile(shard)) {
                throw new ModelImportException(shard, pAt, "expected the weight shard named in " + file.getFileName()
                    + ", found no such file");
            }
            shards.add(shard);
            bytes += Files.size(shard);
        }
        long expectedBytes = groupFloats * Float.BYTES;
        if (bytes != expectedBytes) {
            throw new ModelImportException(shards.get(shards.size() - 1), gAt + ".paths",
                "expected " + expectedBytes + " bytes (" + groupFloats + " float32 values listed in " + gAt
                    + ".weights of " + file.getFileName() + "), found " + bytes + " bytes in shards " + names(shards));
        }
        if (bytes > Integer.MAX_VALUE - 16) {
            throw fail(gAt, "expected a weight group under 2 GiB, found " + bytes + " bytes");
        }
        ByteBuffer data = ByteBuffer.allocate((int) bytes);
        for (Path shard : shards) {
            byte[] b = Files.readAllBytes(shard);
            data.put(b);
        }
        data.flip();
        FloatBuffer floats = data.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[][] values = new float[targets.size()][];
        for (int w = 0; w < targets.size(); w++) {
            Expected t = targets.get(w);
            float[] v = new float[(int) elementCount(t.shape())];
            floats.get(v);
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    throw new ModelImportException(shards.get(0), gAt + " (weight '" + t.layer() + "/" + t.param()
                        + "')[" + i + "]", "expected finite values, found " + v[i]);
                }
            }
            values[w] = v;
        }
        return values;
    }

    private int[] shape(JsonNode node, String field) throws ModelImportException {
        if (node == null || !node.isArray()) {
            throw fail(field, "expected a list of dimensions, found " + describe(node));
        }
        int[] shape = new int[node.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = node.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToInt() || d.asInt() < 0) {
                throw fail(field, "expected non-negative integer dimensions, found " + node);
            }
            shape[i] = d.asInt();
            count *= shape[i];
            if (count > Integer.MAX_VALUE) {
                throw fail(field, "expected fewer than 2^31 values, found shape " + node);
            }
        }
        return shape;
    }

    private static long elementCount(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    // ---- JSON helpers ----

    private JsonNode parseJson() throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ModelImportException(file, "(file)", "expected a TF.js model.json, found no such file");
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new ModelImportException(file, "(json)", "expected valid JSON, found: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelImportException(file, "(json)", "expected a JSON object, found " + describe(root));
        }
        return root;
    }

    private JsonNode requireObject(JsonNode parent, String key, String field) throws ModelImportException {
        JsonNode n = parent.get(key);
        if (n == null || !n.isObject()) {
            throw fail(field, "expected an object, found " + describe(n));
        }
        return n;
    }

    private int positiveInt(JsonNode cfg, String key, String field) throws ModelImportException {
        JsonNode n = cfg.get(key);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 1) {
            throw fail(field + ".config." + key, "expected an integer >= 1, found " + describe(n));
        }
        return n.asInt();
    }

    private float finiteFloat(JsonNode cfg, String key, String field) throws ModelImportException {
        JsonNode n = cfg.get(key);
        if (n == null || !n.isNumber() || !Double.isFinite(n.asDouble())) {
            throw fail(field + ".config." + key, "expected a finite number, found " + describe(n));
        }
        return (float) n.asDouble();
    }

    private boolean bool(JsonNode cfg, String key, boolean dflt, String field) throws ModelImportException {
        JsonNode n = cfg.get(key);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isBoolean()) {
            throw fail(field + ".config." + key, "expected true or false, found " + describe(n));
        }
        return n.asBoolean();
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() || !n.isValueNode() ? "" : n.asText();
    }

    private static String describe(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "nothing";
        }
        String s = n.toString();
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> names(List<Path> paths) {
        List<String> names = new ArrayList<>();
        for (Path p : paths) {
            names.add(String.valueOf(p.getFileName()));
        }
        return names;
    }

    private ModelImportException fail(String field, String problem) {
        return new ModelImportException(file, field, problem);
    }
}
