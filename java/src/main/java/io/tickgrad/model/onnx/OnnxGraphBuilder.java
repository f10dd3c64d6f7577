package io.tickgrad.model.onnx;

import static io.tickgrad.model.onnx.OnnxProto.DATA_TYPE_FLOAT;
import static io.tickgrad.model.onnx.OnnxProto.DIM_PARAM;
import static io.tickgrad.model.onnx.OnnxProto.DIM_VALUE;
import static io.tickgrad.model.onnx.OnnxProto.GRAPH_INITIALIZER;
import static io.tickgrad.model.onnx.OnnxProto.GRAPH_INPUT;
import static io.tickgrad.model.onnx.OnnxProto.GRAPH_NAME;
import static io.tickgrad.model.onnx.OnnxProto.GRAPH_NODE;
import static io.tickgrad.model.onnx.OnnxProto.GRAPH_OUTPUT;
import static io.tickgrad.model.onnx.OnnxProto.NODE_ATTRIBUTE;
import static io.tickgrad.model.onnx.OnnxProto.NODE_INPUT;
import static io.tickgrad.model.onnx.OnnxProto.NODE_NAME;
import static io.tickgrad.model.onnx.OnnxProto.NODE_OP_TYPE;
import static io.tickgrad.model.onnx.OnnxProto.NODE_OUTPUT;
import static io.tickgrad.model.onnx.OnnxProto.SHAPE_DIM;
import static io.tickgrad.model.onnx.OnnxProto.TENSOR_DATA_TYPE;
import static io.tickgrad.model.onnx.OnnxProto.TENSOR_DIMS;
import static io.tickgrad.model.onnx.OnnxProto.TENSOR_NAME;
import static io.tickgrad.model.onnx.OnnxProto.TENSOR_RAW_DATA;
import static io.tickgrad.model.onnx.OnnxProto.TENSOR_TYPE_ELEM_TYPE;
import static io.tickgrad.model.onnx.OnnxProto.TENSOR_TYPE_SHAPE;
import static io.tickgrad.model.onnx.OnnxProto.TYPE_TENSOR_TYPE;
import static io.tickgrad.model.onnx.OnnxProto.VALUE_INFO_NAME;
import static io.tickgrad.model.onnx.OnnxProto.VALUE_INFO_TYPE;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects the nodes, initializers, inputs and outputs of one ONNX graph of float tensors and encodes
 * them as a GraphProto.
 *
 * <p>Node and tensor names share one namespace and are made unique here ({@link #freshName}), so a
 * layer called "input" or two constants with the same value cannot collide. Nodes must be added in
 * topological order, which a sequential network gives for free. Everything is kept in insertion order,
 * so the same calls always produce the same bytes.
 */
final class OnnxGraphBuilder {
    private final Set<String> names = new HashSet<>();
    private final List<Node> nodes = new ArrayList<>();
    private final List<ProtoWriter> initializers = new ArrayList<>();
    private final List<ProtoWriter> inputs = new ArrayList<>();
    private final List<ProtoWriter> outputs = new ArrayList<>();
    private final Map<Integer, String> scalars = new HashMap<>();

    private static final class Node {
        final String opType;
        final String name;
        final List<String> inputs;
        final List<String> outputs;
        final List<OnnxAttribute> attributes;

        Node(String opType, String name, List<String> inputs, List<String> outputs, List<OnnxAttribute> attributes) {
            this.opType = opType;
            this.name = name;
            this.inputs = inputs;
            this.outputs = outputs;
            this.attributes = attributes;
        }
    }

    /** Reserves a name nobody may take later (the graph's input and output names). */
    void reserve(String name) {
        if (!names.add(name)) {
            throw new IllegalArgumentException("ONNX name '" + name + "' is already taken");
        }
    }

    /** Returns {@code base}, or {@code base_1}, {@code base_2}, ... if taken, and reserves it. */
    String freshName(String base) {
        String candidate = base;
        for (int k = 1; !names.add(candidate); k++) {
            candidate = base + "_" + k;
        }
        return candidate;
    }

    /** Adds a float initializer stored as little-endian raw_data; returns its (unique) name. */
    String initializer(String preferredName, long[] dims, float[] values) {
        long count = 1;
        for (long d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("initializer '" + preferredName + "': negative dimension " + d);
            }
            count *= d;
        }
        if (count != values.length) {
            throw new IllegalArgumentException("initializer '" + preferredName + "': shape holds " + count
                + " values, got " + values.length);
        }
        String name = freshName(preferredName);
        ProtoWriter t = new ProtoWriter();
        for (long d : dims) {
            t.int64(TENSOR_DIMS, d);
        }
        t.int64(TENSOR_DATA_TYPE, DATA_TYPE_FLOAT);
        t.string(TENSOR_NAME, name);
        t.bytes(TENSOR_RAW_DATA, littleEndian(values));
        initializers.add(t);
        return name;
    }

    /** A rank-0 float constant, shared by every node that needs the same value. */
    String scalar(float value) {
        int bits = Float.floatToRawIntBits(value);
        String name = scalars.get(bits);
        if (name == null) {
            name = initializer("const_" + value, new long[0], new float[] {value});
            scalars.put(bits, name);
        }
        return name;
    }

    /**
     * Adds a node with one output; the node is named {@code base} (made unique) and its output
     * {@code <node name>/y}. Returns the output's name.
     */
    String node(String opType, String base, List<String> nodeInputs, OnnxAttribute... attributes) {
        String name = freshName(base);
        String output = freshName(name + "/y");
        nodes.add(new Node(opType, name, List.copyOf(nodeInputs), new ArrayList<>(List.of(output)),
            List.of(attributes)));
        return output;
    }

    /**
     * Renames the tensor that a node produced (the last layer's output becomes the graph output). The new
     * name must have been {@link #reserve reserved} and no node may consume the tensor yet.
     */
    void renameOutput(String from, String to) {
        if (!names.contains(to)) {
            throw new IllegalArgumentException("rename target '" + to + "' was not reserved");
        }
        Node producer = null;
        for (Node n : nodes) {
            if (n.inputs.contains(from)) {
                throw new IllegalStateException("tensor '" + from + "' is already consumed by node '" + n.name + "'");
            }
            if (n.outputs.contains(from)) {
                producer = n;
            }
        }
        if (producer == null) {
            throw new IllegalArgumentException("no node produces tensor '" + from + "'");
        }
        producer.outputs.set(producer.outputs.indexOf(from), to);
    }

    int nodeCount() {
        return nodes.size();
    }

    /** Declares a graph input of float rows: shape [batchParam, features] with a symbolic first dimension. */
    void input(String name, String batchParam, long features) {
        inputs.add(valueInfo(name, batchParam, features));
    }

    /** Declares a graph output of float rows: shape [batchParam, features]. */
    void output(String name, String batchParam, long features) {
        outputs.add(valueInfo(name, batchParam, features));
    }

    /** The GraphProto: nodes, name, initializers, inputs, outputs, in field-number order. */
    ProtoWriter encode(String graphName) {
        ProtoWriter g = new ProtoWriter();
        for (Node n : nodes) {
            g.message(GRAPH_NODE, encode(n));
        }
        g.string(GRAPH_NAME, graphName);
        for (ProtoWriter t : initializers) {
            g.message(GRAPH_INITIALIZER, t);
        }
        for (ProtoWriter v : inputs) {
            g.message(GRAPH_INPUT, v);
        }
        for (ProtoWriter v : outputs) {
            g.message(GRAPH_OUTPUT, v);
        }
        return g;
    }

    private static ProtoWriter encode(Node n) {
        ProtoWriter w = new ProtoWriter();
        for (String s : n.inputs) {
            w.string(NODE_INPUT, s);
        }
        for (String s : n.outputs) {
            w.string(NODE_OUTPUT, s);
        }
        w.string(NODE_NAME, n.name);
        w.string(NODE_OP_TYPE, n.opType);
        for (OnnxAttribute a : n.attributes) {
            w.message(NODE_ATTRIBUTE, a.encode());
        }
        return w;
    }

    private static ProtoWriter valueInfo(String name, String batchParam, long features) {
        ProtoWriter shape = new ProtoWriter()
            .message(SHAPE_DIM, new ProtoWriter().string(DIM_PARAM, batchParam))
            .message(SHAPE_DIM, new ProtoWriter().int64(DIM_VALUE, features));
        ProtoWriter tensorType = new ProtoWriter()
            .int64(TENSOR_TYPE_ELEM_TYPE, DATA_TYPE_FLOAT)
            .message(TENSOR_TYPE_SHAPE, shape);
        ProtoWriter type = new ProtoWriter().message(TYPE_TENSOR_TYPE, tensorType);
        return new ProtoWriter().string(VALUE_INFO_NAME, name).message(VALUE_INFO_TYPE, type);
    }

    private static byte[] littleEndian(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }
}
