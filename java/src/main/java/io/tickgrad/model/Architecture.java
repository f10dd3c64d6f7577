package io.tickgrad.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tickgrad.nn.Activation;
import io.tickgrad.nn.ActivationLayer;
import io.tickgrad.nn.Dense;
import io.tickgrad.nn.Dropout;
import io.tickgrad.nn.Layer;
import io.tickgrad.nn.LayerNorm;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.Softmax;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A sequential architecture (input width and unbound layers) and its JSON form in checkpoint metadata:
 * {@code {"inputs": 400, "layers": [{"type": "dense", "name": "dense_0", "units": 256, "use_bias": true}, ...]}}.
 */
public final class Architecture {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int inputs;
    private final List<Layer> layers;

    /**
     * An architecture of unbound layers (they are copied when a network is built, so they stay reusable).
     *
     * @param inputs features per input row
     * @param layers the layers in order
     */
    public Architecture(int inputs, List<Layer> layers) {
        this.inputs = inputs;
        this.layers = Collections.unmodifiableList(new ArrayList<>(layers));
    }

    /**
     * The architecture of an existing network (its layers copied, unbound).
     *
     * @param net the network to describe
     * @return the architecture
     */
    public static Architecture of(Network net) {
        List<Layer> copies = new ArrayList<>();
        for (Layer l : net.layers()) {
            copies.add(l.copy());
        }
        return new Architecture(net.inputs(), copies);
    }

    /**
     * The width of an input row.
     *
     * @return features per input row
     */
    public int inputs() {
        return inputs;
    }

    /**
     * The layers in order, unbound.
     *
     * @return the layers
     */
    public List<Layer> layers() {
        return layers;
    }

    /**
     * The JSON form stored in a checkpoint's metadata under {@link Checkpoint#ARCHITECTURE_KEY}: the input width and
     * each layer's name, type and config.
     *
     * @return compact JSON text
     */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("inputs", inputs);
        ArrayNode arr = root.putArray("layers");
        for (Layer l : layers) {
            ObjectNode node = arr.addObject();
            node.put("type", l.type());
            node.put("name", l.name());
            for (Map.Entry<String, Object> e : l.config().entrySet()) {
                node.set(e.getKey(), JSON.valueToTree(e.getValue()));
            }
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Parses the JSON form; {@code source} (a file name) and {@code field} go into every error message.
     *
     * @param json   the text written by {@link #toJson()}
     * @param source where the text came from, for messages
     * @param field  the metadata field it came from, for messages
     * @return the architecture
     * @throws IllegalArgumentException naming the source, the field and what was expected
     */
    public static Architecture fromJson(String json, String source, String field) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": " + field + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(source + ": " + field + " must be a JSON object");
        }
        int inputs = positiveInt(root, "inputs", source, field);
        JsonNode arr = root.get("layers");
        if (arr == null || !arr.isArray() || arr.isEmpty()) {
            throw new IllegalArgumentException(source + ": " + field + ".layers must be a non-empty array");
        }
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            JsonNode n = arr.get(i);
            String where = field + ".layers[" + i + "]";
            if (!n.isObject()) {
                throw new IllegalArgumentException(source + ": " + where + " must be an object");
            }
            String type = text(n, "type", source, where);
            String name = text(n, "name", source, where);
            try {
                layers.add(layer(type, name, n, source, where));
            } catch (IllegalArgumentException e) {
                if (e.getMessage() != null && e.getMessage().startsWith(source + ":")) {
                    throw e;
                }
                throw new IllegalArgumentException(source + ": " + where + ": " + e.getMessage(), e);
            }
        }
        return new Architecture(inputs, layers);
    }

    /**
     * Parses the compact form {@code INPUTS:layer,layer,...} where a layer is {@code dense(UNITS)},
     * {@code dense_nobias(UNITS)}, {@code relu}, {@code leaky_relu(ALPHA)}, {@code gelu}, {@code gelu_tanh},
     * {@code tanh}, {@code sigmoid}, {@code linear}, {@code softmax}, {@code layer_norm(EPS)} or
     * {@code dropout(RATE)}; layers are named {@code <type>_<index>}. Example: {@code 32:dense(64),relu,dense(1)}.
     * {@code linear(UNITS)} is PyTorch's spelling of {@code dense(UNITS)}; bare {@code linear} is Keras' identity
     * activation. An argument on a layer that takes none ({@code relu(5)}, {@code softmax(1)}, {@code gelu(tanh)})
     * is refused with the reason, never ignored.
     *
     * @param spec the compact form
     * @return the architecture
     * @throws IllegalArgumentException naming the layer at fault and what was expected
     */
    public static Architecture parseSpec(String spec) {
        String s = spec.replace(" ", "");
        int colon = s.indexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("architecture '" + spec + "': expected INPUTS:layer,layer,... as in "
                + "32:dense(64),relu,dense(1)");
        }
        int inputs;
        try {
            inputs = Integer.parseInt(s.substring(0, colon));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("architecture '" + spec + "': the input width before ':' must be an integer");
        }
        if (inputs < 1) {
            throw new IllegalArgumentException("architecture '" + spec + "': found an input width of " + inputs
                + "; expected at least 1");
        }
        List<Layer> layers = new ArrayList<>();
        for (String item : s.substring(colon + 1).split(",")) {
            String name = item;
            String arg = null;
            int open = item.indexOf('(');
            if (open >= 0) {
                if (!item.endsWith(")")) {
                    throw new IllegalArgumentException("architecture '" + spec + "': layer '" + item + "' lacks ')'");
                }
                name = item.substring(0, open);
                arg = item.substring(open + 1, item.length() - 1);
            }
            if (name.equals("linear") && arg != null) {
                name = "dense";   // PyTorch's nn.Linear(in, out): a dense layer; bare 'linear' stays Keras' identity
            }
            String layerName = name.replace("_nobias", "") + "_" + layers.size();
            if (arg != null && !TAKES_ARGUMENT.contains(name)) {
                throw new IllegalArgumentException("architecture '" + spec + "': layer '" + item + "': " + name
                    + " takes no argument, found '" + arg + "'" + argumentHint(name, arg));
            }
            try {
                switch (name) {
                    case "dense": layers.add(new Dense(layerName, units(req(arg, item), spec, item), true)); break;
                    case "dense_nobias": layers.add(new Dense(layerName, units(req(arg, item), spec, item), false)); break;
                    case "softmax": layers.add(new Softmax(layerName)); break;
                    case "layer_norm":
                        layers.add(new LayerNorm(layerName, arg == null ? LayerNorm.DEFAULT_EPS : Float.parseFloat(arg)));
                        break;
                    case "dropout": layers.add(new Dropout(layerName, Float.parseFloat(req(arg, item)))); break;
                    case "leaky_relu":
                        layers.add(arg == null ? new ActivationLayer(layerName, Activation.LEAKY_RELU)
                            : new ActivationLayer(layerName, Activation.LEAKY_RELU, Float.parseFloat(arg)));
                        break;
                    default: layers.add(new ActivationLayer(layerName, Activation.fromName(name)));
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("architecture '" + spec + "': layer '" + item
                    + "' needs a numeric argument");
            } catch (IllegalArgumentException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("architecture '")) {
                    throw e;
                }
                // an unknown activation or a bad argument: name the spec and the layer too
                throw new IllegalArgumentException("architecture '" + spec + "': layer '" + item + "': "
                    + e.getMessage() + layerHint(name), e);
            }
        }
        return new Architecture(inputs, layers);
    }

    /** The layers of the compact form that take an argument in parentheses. */
    private static final java.util.Set<String> TAKES_ARGUMENT =
        java.util.Set.of("dense", "dense_nobias", "layer_norm", "dropout", "leaky_relu");

    private static int units(String arg, String spec, String item) {
        int units;
        try {
            units = Integer.parseInt(arg);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("architecture '" + spec + "': layer '" + item + "': found '" + arg
                + "'; expected a whole number of units from 1 to " + Integer.MAX_VALUE);
        }
        if (units < 1) {
            throw new IllegalArgumentException("architecture '" + spec + "': layer '" + item + "': found " + units
                + " units; expected at least 1");
        }
        return units;
    }

    private static String argumentHint(String name, String arg) {
        if ((name.equals("gelu") && arg.equalsIgnoreCase("tanh")) || (name.equals("gelu")
            && arg.replace("'", "").replace("\"", "").equalsIgnoreCase("approximate=tanh"))) {
            return "; expected gelu_tanh for the tanh approximation";
        }
        if (name.equals("softmax")) {
            return "; expected bare softmax (it normalises over the previous layer's outputs; set the class count "
                + "on the dense layer before it)";
        }
        if (name.equals("relu") || name.equals("tanh") || name.equals("sigmoid") || name.equals("gelu")
            || name.equals("gelu_tanh")) {
            return "; expected bare " + name + " (it has no parameter; leaky_relu(ALPHA) takes a slope)";
        }
        return "; expected bare " + name;
    }

    private static String layerHint(String name) {
        switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "linear_nobias": return "; expected dense_nobias(UNITS)";
            case "layernorm": return "; expected layer_norm or layer_norm(EPS)";
            case "leakyrelu": return "; expected leaky_relu or leaky_relu(ALPHA)";
            default: return "";
        }
    }

    private static String req(String arg, String item) {
        if (arg == null) {
            throw new IllegalArgumentException("layer '" + item + "' needs an argument, as in dense(64)");
        }
        return arg;
    }

    private static Layer layer(String type, String name, JsonNode n, String source, String where) {
        switch (type) {
            case "dense":
                return new Dense(name, positiveInt(n, "units", source, where),
                    !n.has("use_bias") || n.get("use_bias").asBoolean(true));
            case "activation": {
                Activation a = Activation.fromName(text(n, "activation", source, where));
                return n.has("alpha") ? new ActivationLayer(name, a, (float) number(n, "alpha", source, where))
                    : new ActivationLayer(name, a);
            }
            case "softmax":
                return new Softmax(name);
            case "layer_norm":
                return new LayerNorm(name, (float) number(n, "epsilon", source, where));
            case "dropout":
                return new Dropout(name, (float) number(n, "rate", source, where));
            default:
                throw new IllegalArgumentException(source + ": " + where + ".type '" + type
                    + "' is unknown; expected dense, activation, softmax, layer_norm or dropout");
        }
    }

    private static String text(JsonNode n, String key, String source, String where) {
        JsonNode v = n.get(key);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new IllegalArgumentException(source + ": " + where + "." + key + " must be a non-empty string");
        }
        return v.asText();
    }

    private static double number(JsonNode n, String key, String source, String where) {
        JsonNode v = n.get(key);
        if (v == null || !v.isNumber()) {
            throw new IllegalArgumentException(source + ": " + where + "." + key + " must be a number");
        }
        return v.asDouble();
    }

    private static int positiveInt(JsonNode n, String key, String source, String where) {
        JsonNode v = n.get(key);
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 1) {
            throw new IllegalArgumentException(source + ": " + where + "." + key + " must be a positive integer, got "
                + v);
        }
        return v.asInt();
    }
}
