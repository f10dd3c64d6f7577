package io.tickgrad.model.keras;

import io.tickgrad.nn.Backend;
import io.tickgrad.nn.Layer;
import io.tickgrad.nn.Network;
import io.tickgrad.tensor.ParamEntry;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A validated Keras / TensorFlow.js model in tickgrad terms: the sequential layers (unbound), the weights by
 * tickgrad parameter name ({@code <layer>.weight}, {@code <layer>.bias}, {@code <layer>.gamma},
 * {@code <layer>.beta}) and which of them are frozen. Immutable; {@link #toNetwork} builds as many networks from
 * it as needed.
 */
public final class ImportedModel {
    /** One parameter tensor: its tickgrad name, shape, values, the Keras weight it came from, and its flag. */
    record Tensor(String name, int[] shape, float[] values, String kerasName, boolean trainable) {
    }

    private final Path source;
    private final String name;
    private final String kerasVersion;
    private final int inputs;
    private final int outputs;
    private final List<Layer> layers;
    private final Map<String, Tensor> tensors;
    private final Set<String> frozenLayers;

    ImportedModel(Path source, String name, String kerasVersion, int inputs, int outputs, List<Layer> layers,
                  List<Tensor> tensors, Set<String> frozenLayers) {
        this.source = source;
        this.name = name;
        this.kerasVersion = kerasVersion;
        this.inputs = inputs;
        this.outputs = outputs;
        this.layers = List.copyOf(layers);
        Map<String, Tensor> map = new LinkedHashMap<>();
        for (Tensor t : tensors) {
            map.put(t.name(), t);
        }
        this.tensors = Collections.unmodifiableMap(map);
        this.frozenLayers = Set.copyOf(frozenLayers);
    }

    /**
     * The model.json that was read.
     *
     * @return the path
     */
    public Path source() {
        return source;
    }

    /**
     * The model's name in its config, or "" when it has none.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The Keras (or tfjs-layers) version that wrote the topology, or "" when not stated.
     *
     * @return the version, e.g. "2.2.2"
     */
    public String kerasVersion() {
        return kerasVersion;
    }

    /**
     * Features per sample: the width of the first layer's input shape.
     *
     * @return features per input row
     */
    public int inputs() {
        return inputs;
    }

    /**
     * Values per sample out of the last layer.
     *
     * @return floats per output row
     */
    public int outputs() {
        return outputs;
    }

    /**
     * The tickgrad layers in order, unbound. A Keras layer with an activation becomes the layer followed by an
     * activation (or softmax) layer named {@code <layer>_<activation>}.
     *
     * @return an unmodifiable list
     */
    public List<Layer> layers() {
        return layers;
    }

    /**
     * Tickgrad parameter names, in layer order.
     *
     * @return names such as {@code dense_1.weight}
     */
    public List<String> parameterNames() {
        return new ArrayList<>(tensors.keySet());
    }

    /**
     * The shape of a parameter, e.g. [in, out] for a dense weight.
     *
     * @param parameterName a name from {@link #parameterNames()}
     * @return a copy of the dimensions
     * @throws IllegalArgumentException when there is no such parameter
     */
    public int[] parameterShape(String parameterName) {
        return tensor(parameterName).shape().clone();
    }

    /**
     * A copy of a parameter's values, exactly as stored in the weight shards.
     *
     * @param parameterName a name from {@link #parameterNames()}
     * @return a new array, row-major
     * @throws IllegalArgumentException when there is no such parameter
     */
    public float[] parameter(String parameterName) {
        return tensor(parameterName).values().clone();
    }

    /**
     * The Keras weight name a parameter was read from, e.g. "dense_1/kernel"; "" for a tensor the config disables.
     *
     * @param parameterName a name from {@link #parameterNames()}
     * @return the Keras name
     * @throws IllegalArgumentException when there is no such parameter
     */
    public String kerasWeightName(String parameterName) {
        return tensor(parameterName).kerasName();
    }

    /**
     * Whether a parameter will be trained (its Keras layer is trainable, and it is not a disabled scale/centre).
     *
     * @param parameterName a name from {@link #parameterNames()}
     * @return true when trainable
     * @throws IllegalArgumentException when there is no such parameter
     */
    public boolean isTrainable(String parameterName) {
        Tensor t = tensor(parameterName);
        return t.trainable() && !frozenLayers.contains(layerOf(t.name()));
    }

    /**
     * Names of the layers whose Keras config says {@code trainable: false}.
     *
     * @return an unmodifiable set
     */
    public Set<String> frozenLayers() {
        return frozenLayers;
    }

    /**
     * Number of parameter values.
     *
     * @return the total over every parameter
     */
    public long parameterCount() {
        long n = 0;
        for (Tensor t : tensors.values()) {
            n += t.values().length;
        }
        return n;
    }

    /**
     * Builds a network on {@code backend} with these layers and weights, frozen layers and tensors marked
     * frozen. The caller owns (and closes) the network.
     *
     * @param backend  the backend of the network (borrowed)
     * @param maxBatch the network's row capacity
     * @return a new network; free it with {@link Network#close()}
     */
    public Network toNetwork(Backend backend, int maxBatch) {
        Objects.requireNonNull(backend, "backend");
        Network net = Network.create(inputs, layers, backend, maxBatch);
        try {
            if (net.parameters().entries().size() != tensors.size()) {
                throw new IllegalStateException("network has " + net.parameters().entries().size()
                    + " parameter tensors, the imported model " + tensors.size());
            }
            for (Tensor t : tensors.values()) {
                net.setParameter(t.name(), t.values());
            }
            for (String layer : frozenLayers) {
                net.setTrainable(layer, false);
            }
            for (Tensor t : tensors.values()) {
                if (!t.trainable()) {
                    ParamEntry e = net.parameters().get(t.name());
                    e.setTrainable(false);
                }
            }
            return net;
        } catch (RuntimeException | Error e) {
            net.close();
            throw e;
        }
    }

    private Tensor tensor(String parameterName) {
        Tensor t = tensors.get(parameterName);
        if (t == null) {
            throw new IllegalArgumentException("no parameter named '" + parameterName + "'; the model has "
                + tensors.keySet());
        }
        return t;
    }

    private static String layerOf(String parameterName) {
        return parameterName.substring(0, parameterName.lastIndexOf('.'));
    }

    /**
     * SHA-256 over every parameter value in tickgrad order, as little-endian float32 bytes.
     *
     * @return 64 lower-case hex digits
     */
    public String parameterDigest() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] four = new byte[4];
            for (String p : parameterNames()) {
                for (float f : parameter(p)) {
                    int bits = Float.floatToRawIntBits(f);
                    four[0] = (byte) bits;
                    four[1] = (byte) (bits >>> 8);
                    four[2] = (byte) (bits >>> 16);
                    four[3] = (byte) (bits >>> 24);
                    sha.update(four);
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }


    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ImportedModel(").append(source).append(", ").append(inputs)
            .append(" inputs");
        for (Layer l : layers) {
            sb.append(", ").append(l);
        }
        return sb.append(") ").append(parameterCount()).append(" parameters").toString();
    }
}
