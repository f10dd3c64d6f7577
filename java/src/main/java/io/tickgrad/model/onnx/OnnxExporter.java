package io.tickgrad.model.onnx;

import static io.tickgrad.model.onnx.OnnxProto.MODEL_GRAPH;
import static io.tickgrad.model.onnx.OnnxProto.MODEL_IR_VERSION;
import static io.tickgrad.model.onnx.OnnxProto.MODEL_OPSET_IMPORT;
import static io.tickgrad.model.onnx.OnnxProto.MODEL_PRODUCER_NAME;
import static io.tickgrad.model.onnx.OnnxProto.MODEL_PRODUCER_VERSION;
import static io.tickgrad.model.onnx.OnnxProto.OPSET_DOMAIN;
import static io.tickgrad.model.onnx.OnnxProto.OPSET_VERSION;

import io.tickgrad.nn.ActivationLayer;
import io.tickgrad.nn.Dense;
import io.tickgrad.nn.Dropout;
import io.tickgrad.nn.Layer;
import io.tickgrad.nn.LayerNorm;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.Softmax;
import io.tickgrad.util.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Exports a tickgrad {@link Network} as an ONNX model that ONNX Runtime and other ONNX consumers can run.
 *
 * <p>The model has one float input {@value #INPUT_NAME} of shape [{@value #BATCH_DIM}, inputs] and one float
 * output {@value #OUTPUT_NAME} of shape [{@value #BATCH_DIM}, outputs], where {@value #BATCH_DIM} is a symbolic
 * dimension, so any batch size runs. It targets IR version {@value #IR_VERSION} and opset {@value #OPSET} of the
 * default domain (the first with LayerNormalization). Parameters become initializers holding the network's
 * current weights. Layers map to operators as follows:
 * <ul>
 *   <li>dense: MatMul with the [in, out] weight, then Add of the bias when the layer has one;</li>
 *   <li>relu, leaky_relu (alpha), tanh, sigmoid: Relu, LeakyRelu, Tanh, Sigmoid;</li>
 *   <li>gelu (exact): x * 0.5 * (1 + Erf(x / sqrt 2)) from elementary ops, since the Gelu operator needs
 *       opset 20;</li>
 *   <li>gelu_tanh: 0.5 x (1 + Tanh(sqrt(2/pi) (x + 0.044715 x^3))) from elementary ops;</li>
 *   <li>softmax: Softmax(axis = -1); layer_norm: LayerNormalization(axis = -1, epsilon) with scale and bias;</li>
 *   <li>dropout and the identity activation: nothing, as at inference.</li>
 * </ul>
 *
 * <p>The output is a pure function of the architecture and the weights: exporting the same network twice gives
 * the same bytes. Exporting reads the parameters with {@link Network#getParameter}, so it must not run while
 * another thread writes the network's weights.
 */
public final class OnnxExporter {
    /** ONNX IR version written (IR 8 came with ONNX 1.10, and opset 17 is valid under it). */
    public static final long IR_VERSION = 8;
    /** Opset version of the default ONNX domain. */
    public static final long OPSET = 17;
    /** ModelProto.producer_name. */
    public static final String PRODUCER_NAME = "tickgrad";
    /** Name of the graph input, float [batch, inputs]. */
    public static final String INPUT_NAME = "input";
    /** Name of the graph output, float [batch, outputs]. */
    public static final String OUTPUT_NAME = "output";
    /** Name of the symbolic batch dimension of the input and the output. */
    public static final String BATCH_DIM = "batch";

    private static final float SQRT_2 = (float) Math.sqrt(2.0);
    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2.0 / Math.PI);
    private static final float GELU_TANH_CUBIC = 0.044715f;

    private OnnxExporter() {
    }

    /**
     * Encodes the network as an ONNX ModelProto.
     *
     * @param network the network to export (read only; not used by another thread meanwhile)
     * @return the serialised model
     * @throws IllegalArgumentException if the network holds a layer type this exporter does not know
     * @throws IllegalStateException if the network is closed
     */
    public static byte[] toBytes(Network network) {
        OnnxGraphBuilder graph = new OnnxGraphBuilder();
        graph.reserve(INPUT_NAME);
        graph.reserve(OUTPUT_NAME);
        String current = INPUT_NAME;
        for (Layer layer : network.layers()) {
            current = emit(graph, network, layer, current);
        }
        if (current.equals(INPUT_NAME)) {
            // every layer is the identity at inference: the graph still needs a node to produce its output
            current = graph.node("Identity", "identity", List.of(INPUT_NAME));
        }
        graph.renameOutput(current, OUTPUT_NAME);
        graph.input(INPUT_NAME, BATCH_DIM, network.inputs());
        graph.output(OUTPUT_NAME, BATCH_DIM, network.outputs());

        ProtoWriter opset = new ProtoWriter().string(OPSET_DOMAIN, "").int64(OPSET_VERSION, OPSET);
        return new ProtoWriter()
            .int64(MODEL_IR_VERSION, IR_VERSION)
            .string(MODEL_PRODUCER_NAME, PRODUCER_NAME)
            .string(MODEL_PRODUCER_VERSION, producerVersion())
            .message(MODEL_GRAPH, graph.encode("tickgrad"))
            .message(MODEL_OPSET_IMPORT, opset)
            .toByteArray();
    }

    /**
     * Writes the ONNX model to {@code out}; the stream is flushed, not closed.
     *
     * @param network the network to export
     * @param out     the stream to write to
     * @throws IOException when writing fails
     */
    public static void export(Network network, OutputStream out) throws IOException {
        out.write(toBytes(network));
        out.flush();
    }

    /**
     * Writes the ONNX model to {@code file}, replacing it if it exists, atomically (temporary file, fsync, rename):
     * a failure leaves any previous file as it was.
     *
     * @param network the network to export
     * @param file    the destination
     * @throws IOException when writing fails (a previous file is left as it was)
     */
    public static void export(Network network, Path file) throws IOException {
        byte[] bytes = toBytes(network);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    /** Appends the nodes of one layer reading tensor {@code x}; returns the name of the layer's output tensor. */
    private static String emit(OnnxGraphBuilder g, Network net, Layer layer, String x) {
        if (layer instanceof Dense) {
            return dense(g, net, (Dense) layer, x);
        }
        if (layer instanceof ActivationLayer) {
            return activation(g, (ActivationLayer) layer, x);
        }
        if (layer instanceof Softmax) {
            return g.node("Softmax", layer.name() + "/Softmax", List.of(x), OnnxAttribute.ofInt("axis", -1));
        }
        if (layer instanceof LayerNorm) {
            return layerNorm(g, net, (LayerNorm) layer, x);
        }
        if (layer instanceof Dropout) {
            return x;
        }
        throw new IllegalArgumentException("cannot export layer '" + layer.name() + "' of type '" + layer.type()
            + "' to ONNX; supported: dense, activation, softmax, layer_norm, dropout");
    }

    private static String dense(OnnxGraphBuilder g, Network net, Dense d, String x) {
        String n = d.name();
        String w = g.initializer(n + ".weight", new long[] {d.inFeatures(), d.units()},
            net.getParameter(n + ".weight"));
        String y = g.node("MatMul", n + "/MatMul", List.of(x, w));
        if (d.useBias()) {
            String b = g.initializer(n + ".bias", new long[] {d.units()}, net.getParameter(n + ".bias"));
            y = g.node("Add", n + "/Add", List.of(y, b));
        }
        return y;
    }

    private static String layerNorm(OnnxGraphBuilder g, Network net, LayerNorm ln, String x) {
        String n = ln.name();
        long[] dims = {ln.inFeatures()};
        String gamma = g.initializer(n + ".gamma", dims, net.getParameter(n + ".gamma"));
        String beta = g.initializer(n + ".beta", dims, net.getParameter(n + ".beta"));
        return g.node("LayerNormalization", n + "/LayerNormalization", List.of(x, gamma, beta),
            OnnxAttribute.ofInt("axis", -1), OnnxAttribute.ofFloat("epsilon", ln.eps()));
    }

    private static String activation(OnnxGraphBuilder g, ActivationLayer a, String x) {
        String n = a.name();
        switch (a.activation()) {
            case IDENTITY:
                return x;
            case RELU:
                return g.node("Relu", n + "/Relu", List.of(x));
            case LEAKY_RELU:
                return g.node("LeakyRelu", n + "/LeakyRelu", List.of(x), OnnxAttribute.ofFloat("alpha", a.alpha()));
            case TANH:
                return g.node("Tanh", n + "/Tanh", List.of(x));
            case SIGMOID:
                return g.node("Sigmoid", n + "/Sigmoid", List.of(x));
            case GELU:
                return geluErf(g, n, x);
            case GELU_TANH:
                return geluTanh(g, n, x);
            default:
                throw new IllegalArgumentException("cannot export activation " + a.activation() + " of layer '" + n
                    + "' to ONNX");
        }
    }

    /** x * 0.5 * (1 + erf(x / sqrt 2)), the exact GELU. */
    private static String geluErf(OnnxGraphBuilder g, String n, String x) {
        String scaled = g.node("Div", n + "/Div", List.of(x, g.scalar(SQRT_2)));
        String erf = g.node("Erf", n + "/Erf", List.of(scaled));
        String onePlus = g.node("Add", n + "/Add", List.of(erf, g.scalar(1f)));
        String half = g.node("Mul", n + "/Mul", List.of(x, g.scalar(0.5f)));
        return g.node("Mul", n + "/Mul", List.of(half, onePlus));
    }

    /** 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), the tanh approximation of GELU. */
    private static String geluTanh(OnnxGraphBuilder g, String n, String x) {
        String square = g.node("Mul", n + "/Mul", List.of(x, x));
        String cube = g.node("Mul", n + "/Mul", List.of(square, x));
        String cubic = g.node("Mul", n + "/Mul", List.of(cube, g.scalar(GELU_TANH_CUBIC)));
        String inner = g.node("Add", n + "/Add", List.of(x, cubic));
        String arg = g.node("Mul", n + "/Mul", List.of(inner, g.scalar(SQRT_2_OVER_PI)));
        String tanh = g.node("Tanh", n + "/Tanh", List.of(arg));
        String onePlus = g.node("Add", n + "/Add", List.of(tanh, g.scalar(1f)));
        String half = g.node("Mul", n + "/Mul", List.of(x, g.scalar(0.5f)));
        return g.node("Mul", n + "/Mul", List.of(half, onePlus));
    }

    /** The jar's Implementation-Version when packaged, else "dev"; never a timestamp, so exports stay reproducible. */
    private static String producerVersion() {
        String v = OnnxExporter.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
