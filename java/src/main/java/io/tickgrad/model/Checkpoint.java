package io.tickgrad.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tickgrad.nn.Backend;
import io.tickgrad.nn.Dense;
import io.tickgrad.nn.Layer;
import io.tickgrad.nn.LayerNorm;
import io.tickgrad.nn.Network;
import io.tickgrad.tensor.ParamEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * tickgrad's checkpoint: a safetensors file whose tensors are the network's parameters (F32, named
 * {@code <layer>.<param>}, dense kernels [in, out]) and whose metadata holds the architecture, the trainable
 * mask and any extra entries such as feature-normalisation statistics. Any safetensors reader can load the
 * weights; tickgrad also rebuilds the network from the metadata.
 *
 * <p>Saving is atomic (temporary file, fsync, rename). Loading refuses a truncated, corrupt or mismatched file
 * with a {@link CheckpointFormatException} naming the file, the field and what was expected; it never builds a
 * silently wrong model. Save and load round-trip every parameter bit for bit.
 *
 * <p>Threads: static methods, callable from any thread, but one writer per file, and not while another thread changes
 * the network being saved. Memory: a loaded network is new native memory owned by the caller, freed by its
 * {@code close()}; the backend passed in is borrowed.
 */
public final class Checkpoint {
    /** Metadata key of the checkpoint format version; a file without it is not a tickgrad checkpoint. */
    public static final String FORMAT_KEY = "tickgrad.format";
    /** The format version this code writes and reads. */
    public static final String FORMAT_VERSION = "1";
    /** Metadata key of the architecture, as {@link Architecture#toJson()}. */
    public static final String ARCHITECTURE_KEY = "tickgrad.architecture";
    /** Metadata key of the trainable mask: JSON, tensor name to true or false, so a fine-tune keeps its freeze. */
    public static final String TRAINABLE_KEY = "tickgrad.trainable";
    /** Metadata key of the per-tensor learning-rate multipliers (JSON, tensor name to scale), for those not 1. */
    public static final String LR_SCALE_KEY = "tickgrad.lr_scale";
    /**
     * Metadata key of the tensors the optimizer's weight decay skips (JSON, tensor name to false; absent: decayed),
     * so a fine-tune resumed from the checkpoint decays the same tensors as before.
     */
    public static final String WEIGHT_DECAY_KEY = "tickgrad.weight_decay";
    /**
     * Tensors named with this prefix are state saved beside the weights (an online learner's optimizer moments): a
     * loader ignores them, so a checkpoint that has them loads like any other.
     */
    public static final String STATE_TENSOR_PREFIX = "optimizer.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Checkpoint() {
    }

    /**
     * Saves the network's parameters and architecture, atomically (temporary file, fsync, rename). One writer per
     * file, and no other thread may change the network meanwhile.
     *
     * @param net  the network to save (read only)
     * @param file the destination, replaced if it exists
     * @throws java.io.UncheckedIOException when writing fails (the previous file, if any, is left as it was)
     */
    public static void save(Network net, Path file) {
        save(net, file, Map.of());
    }

    /**
     * Saves with extra metadata entries (string to string; keys must not start with "tickgrad.format").
     *
     * @param net           the network to save
     * @param file          the destination, replaced atomically
     * @param extraMetadata extra string entries, such as {@link FeatureNormalisation#METADATA_KEY}
     * @throws java.io.UncheckedIOException when writing fails
     */
    public static void save(Network net, Path file, Map<String, String> extraMetadata) {
        save(net, file, extraMetadata, List.of());
    }

    /**
     * Saves with extra metadata and state tensors beside the weights, each named with {@link #STATE_TENSOR_PREFIX}.
     *
     * @param net           the network to save
     * @param file          the destination, replaced atomically
     * @param extraMetadata extra string entries
     * @param state         state tensors, each name starting with {@link #STATE_TENSOR_PREFIX}
     * @throws IllegalArgumentException when a state tensor's name lacks the prefix or an extra key is reserved
     * @throws java.io.UncheckedIOException when writing fails
     */
    public static void save(Network net, Path file, Map<String, String> extraMetadata, List<TensorEntry> state) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(FORMAT_KEY, FORMAT_VERSION);
        meta.put(ARCHITECTURE_KEY, Architecture.of(net).toJson());
        ObjectNode trainable = JSON.createObjectNode();
        ObjectNode lrScale = JSON.createObjectNode();
        ObjectNode undecayed = JSON.createObjectNode();
        List<TensorEntry> tensors = new ArrayList<>();
        for (ParamEntry e : net.parameters().entries()) {
            trainable.put(e.name(), e.trainable());
            if (e.learningRateScale() != 1f) {
                lrScale.put(e.name(), e.learningRateScale());
            }
            if (!e.weightDecayed()) {
                undecayed.put(e.name(), false);
            }
            long[] shape = Arrays.stream(e.shape()).asLongStream().toArray();
            tensors.add(TensorEntry.f32(e.name(), shape, net.getParameter(e.name())));
        }
        for (TensorEntry t : state) {
            if (!t.name().startsWith(STATE_TENSOR_PREFIX)) {
                throw new IllegalArgumentException("state tensor '" + t.name() + "' must be named " + STATE_TENSOR_PREFIX
                    + "...");
            }
            tensors.add(t);
        }
        meta.put(TRAINABLE_KEY, trainable.toString());
        if (!lrScale.isEmpty()) {
            meta.put(LR_SCALE_KEY, lrScale.toString());
        }
        if (!undecayed.isEmpty()) {
            meta.put(WEIGHT_DECAY_KEY, undecayed.toString());
        }
        for (Map.Entry<String, String> e : extraMetadata.entrySet()) {
            if (e.getKey().equals(FORMAT_KEY) || e.getKey().equals(ARCHITECTURE_KEY)
                || e.getKey().equals(TRAINABLE_KEY) || e.getKey().equals(LR_SCALE_KEY)
                || e.getKey().equals(WEIGHT_DECAY_KEY)) {
                throw new IllegalArgumentException("metadata key '" + e.getKey() + "' is reserved");
            }
            meta.put(e.getKey(), e.getValue());
        }
        try {
            SafeTensors.write(file, tensors, meta);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write checkpoint: " + e.getMessage(), e);
        }
    }

    /**
     * The state tensors of a checkpoint (named with {@link #STATE_TENSOR_PREFIX}), by name; empty when it has none.
     *
     * @param file the checkpoint
     * @return the state tensors, in file order
     * @throws java.io.UncheckedIOException wrapping the I/O error, or a {@link CheckpointFormatException} naming the
     *                                      file and field
     */
    public static Map<String, TensorEntry> readState(Path file) {
        Map<String, TensorEntry> state = new LinkedHashMap<>();
        for (TensorEntry t : read(file).tensors()) {
            if (t.name().startsWith(STATE_TENSOR_PREFIX)) {
                state.put(t.name(), t);
            }
        }
        return state;
    }

    /**
     * The metadata of a checkpoint, validated as a safetensors file.
     *
     * @param file the checkpoint
     * @return the metadata, in header order
     * @throws java.io.UncheckedIOException wrapping the I/O error, or a {@link CheckpointFormatException} naming the
     *                                      file and field
     */
    public static Map<String, String> readMetadata(Path file) {
        return read(file).metadata();
    }

    /**
     * Loads a checkpoint into a new network on {@code backend} with room for {@code maxBatch} rows, with the trainable
     * mask and learning-rate scales it was saved with.
     *
     * @param file     the checkpoint
     * @param backend  the backend of the new network (borrowed)
     * @param maxBatch the row capacity of the new network
     * @return a new network owned by the caller (free it with {@link Network#close()})
     * @throws java.io.UncheckedIOException wrapping a {@link CheckpointFormatException} when the file is not a valid
     *                                      tickgrad checkpoint, or the I/O error
     */
    public static Network load(Path file, Backend backend, int maxBatch) {
        return CheckpointImage.read(file).newNetwork(backend, maxBatch);
    }

    /**
     * The architecture a checkpoint's metadata describes, validated against its tensors (names and shapes) without
     * building the network.
     *
     * @param file the checkpoint
     * @return the architecture
     * @throws java.io.UncheckedIOException wrapping a {@link CheckpointFormatException} when the file is not a valid
     *                                      tickgrad checkpoint, or the I/O error
     */
    public static Architecture readArchitecture(Path file) {
        SafeTensorsFile st = read(file);
        Architecture arch = architecture(st, file);
        requireTensors(expectedShapes(arch), st, file);
        return arch;
    }

    static Architecture architecture(SafeTensorsFile st, Path file) {
        Map<String, String> meta = st.metadata();
        String format = meta.get(FORMAT_KEY);
        if (format == null) {
            throw invalid(file, "__metadata__." + FORMAT_KEY, "missing: this safetensors file is not a tickgrad "
                + "checkpoint (use 'tickgrad import --format safetensors' with an architecture for foreign weights)");
        }
        if (!FORMAT_VERSION.equals(format)) {
            throw invalid(file, "__metadata__." + FORMAT_KEY, "expected version " + FORMAT_VERSION + ", found '" + format
                + "'");
        }
        String archJson = meta.get(ARCHITECTURE_KEY);
        if (archJson == null) {
            throw invalid(file, "__metadata__." + ARCHITECTURE_KEY, "missing");
        }
        try {
            Architecture arch = Architecture.fromJson(archJson, file.toString(), "__metadata__." + ARCHITECTURE_KEY);
            ModelLimits.requireBackedInput(arch, true, file.toString(), "__metadata__." + ARCHITECTURE_KEY + ".inputs");
            return arch;
        } catch (IllegalArgumentException e) {
            throw new UncheckedIOException(new CheckpointFormatException(file, "__metadata__." + ARCHITECTURE_KEY,
                stripSource(e.getMessage(), file), e));
        }
    }

    private static String stripSource(String message, Path file) {
        String prefix = file + ": ";
        String m = message == null ? "invalid" : message;
        m = m.startsWith(prefix) ? m.substring(prefix.length()) : m;
        String field = "__metadata__." + ARCHITECTURE_KEY;
        return m.startsWith(field + ": ") ? m.substring(field.length() + 2) : m;
    }

    /**
     * Copies the tensors of a safetensors file into a network whose architecture is known, requiring exactly the
     * same names and shapes; lists every difference when they disagree.
     *
     * @param net  the destination network; its parameters are overwritten
     * @param st   the tensors read from the file
     * @param file the file, for messages
     * @throws java.io.UncheckedIOException wrapping a {@link CheckpointFormatException} listing every difference
     */
    public static void loadParameters(Network net, SafeTensorsFile st, Path file) {
        Map<String, long[]> expected = new LinkedHashMap<>();
        for (ParamEntry e : net.parameters().entries()) {
            expected.put(e.name(), Arrays.stream(e.shape()).asLongStream().toArray());
        }
        requireTensors(expected, st, file);
        for (ParamEntry e : net.parameters().entries()) {
            requireFinite(st.tensor(e.name()), file);
        }
        for (ParamEntry e : net.parameters().entries()) {
            net.setParameter(e.name(), st.tensor(e.name()).data());
        }
    }

    /**
     * Refuses a tensor holding NaN or an infinity: a network with such a weight predicts NaN or saturates silently.
     */
    static void requireFinite(TensorEntry t, Path file) {
        float[] data = t.data();
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                int bad = 0;
                for (float v : data) {
                    if (!Float.isFinite(v)) {
                        bad++;
                    }
                }
                throw invalid(file, "tensor '" + t.name() + "'", "element " + i + " is " + data[i] + " (" + bad
                    + " of " + data.length + " values not finite); expected finite weights");
            }
        }
    }

    /** Refuses the file unless its tensors have exactly the expected names and shapes; lists every difference. */
    static void requireTensors(Map<String, long[]> expected, SafeTensorsFile st, Path file) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            TensorEntry t = st.tensor(e.getKey());
            if (t == null) {
                problems.add("missing tensor '" + e.getKey() + "' " + Arrays.toString(e.getValue()));
                continue;
            }
            if (!Arrays.equals(e.getValue(), t.shape())) {
                problems.add("tensor '" + e.getKey() + "' has shape " + Arrays.toString(t.shape()) + ", expected "
                    + Arrays.toString(e.getValue()));
            }
        }
        for (TensorEntry t : st.tensors()) {
            if (!expected.containsKey(t.name()) && !t.name().startsWith(STATE_TENSOR_PREFIX)) {
                problems.add("unexpected tensor '" + t.name() + "' " + Arrays.toString(t.shape()));
            }
        }
        if (!problems.isEmpty()) {
            throw invalid(file, "tensors", "do not match the architecture: " + String.join("; ", problems));
        }
    }

    /**
     * The tensors a network of {@code arch} has, by name, with their shapes, computed without building it (the
     * names and shapes that {@link Dense} and {@link LayerNorm} declare).
     */
    static Map<String, long[]> expectedShapes(Architecture arch) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        long width = arch.inputs();
        for (Layer layer : arch.layers()) {
            if (layer instanceof Dense d) {
                shapes.put(d.name() + ".weight", new long[] {width, d.units()});
                if (d.useBias()) {
                    shapes.put(d.name() + ".bias", new long[] {d.units()});
                }
                width = d.units();
            } else if (layer instanceof LayerNorm) {
                shapes.put(layer.name() + ".gamma", new long[] {width});
                shapes.put(layer.name() + ".beta", new long[] {width});
            }
        }
        return shapes;
    }

    static void applyFlags(Network net, Map<String, String> meta, Path file) {
        JsonNode trainable = parseObject(meta.get(TRAINABLE_KEY), file, TRAINABLE_KEY);
        JsonNode lrScale = parseObject(meta.get(LR_SCALE_KEY), file, LR_SCALE_KEY);
        JsonNode decay = parseObject(meta.get(WEIGHT_DECAY_KEY), file, WEIGHT_DECAY_KEY);
        for (ParamEntry e : net.parameters().entries()) {
            if (decay != null && decay.has(e.name())) {
                JsonNode v = decay.get(e.name());
                if (!v.isBoolean()) {
                    throw invalid(file, "__metadata__." + WEIGHT_DECAY_KEY + "." + e.name(), "expected true or false");
                }
                e.setWeightDecayed(v.asBoolean());
            }
            if (trainable != null && trainable.has(e.name())) {
                JsonNode v = trainable.get(e.name());
                if (!v.isBoolean()) {
                    throw invalid(file, "__metadata__." + TRAINABLE_KEY + "." + e.name(), "expected true or false");
                }
                e.setTrainable(v.asBoolean());
            }
            if (lrScale != null && lrScale.has(e.name())) {
                JsonNode v = lrScale.get(e.name());
                if (!v.isNumber() || !(v.asDouble() >= 0)) {
                    throw invalid(file, "__metadata__." + LR_SCALE_KEY + "." + e.name(), "expected a number >= 0");
                }
                e.setLearningRateScale((float) v.asDouble());
            }
        }
    }

    private static JsonNode parseObject(String json, Path file, String key) {
        if (json == null) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(json);
            if (n == null || !n.isObject()) {
                throw invalid(file, "__metadata__." + key, "expected a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw invalid(file, "__metadata__." + key, "is not valid JSON: " + e.getOriginalMessage());
        }
    }

    static SafeTensorsFile read(Path file) {
        try {
            return SafeTensors.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    static UncheckedIOException invalid(Path file, String field, String problem) {
        return new UncheckedIOException(new CheckpointFormatException(file, field, problem));
    }
}
