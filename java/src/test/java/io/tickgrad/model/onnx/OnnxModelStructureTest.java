package io.tickgrad.model.onnx;

import static io.tickgrad.model.onnx.ProtoReader.all;
import static io.tickgrad.model.onnx.ProtoReader.one;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.model.onnx.ProtoReader.Field;
import io.tickgrad.nn.Backend;
import io.tickgrad.nn.Layer;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.reference.ReferenceBackend;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The exported bytes decoded field by field against onnx.proto, without a runtime in between. */
class OnnxModelStructureTest {
    private static Backend backend;

    @BeforeAll
    static void setUp() {
        backend = new ReferenceBackend();
    }

    @AfterAll
    static void tearDown() {
        backend.close();
    }

    private static List<Field> graphOf(byte[] model) {
        return one(ProtoReader.parse(model), OnnxProto.MODEL_GRAPH).message();
    }

    @Test
    void shouldWriteTheModelHeader() {
        try (Network net = Network.builder(3).dense(2).build(backend, 4, 1)) {
            List<Field> model = ProtoReader.parse(OnnxExporter.toBytes(net));
            assertEquals(8, one(model, OnnxProto.MODEL_IR_VERSION).value());
            assertEquals("tickgrad", one(model, OnnxProto.MODEL_PRODUCER_NAME).string());
            List<Field> opset = one(model, OnnxProto.MODEL_OPSET_IMPORT).message();
            assertEquals("", one(opset, OnnxProto.OPSET_DOMAIN).string());
            assertEquals(17, one(opset, OnnxProto.OPSET_VERSION).value());
            assertEquals("tickgrad", one(graphOf(OnnxExporter.toBytes(net)), OnnxProto.GRAPH_NAME).string());
        }
    }

    @Test
    void shouldDeclareInputAndOutputWithASymbolicBatchDimension() {
        try (Network net = Network.builder(7).dense(3).build(backend, 4, 1)) {
            List<Field> graph = graphOf(OnnxExporter.toBytes(net));
            assertValueInfo(one(graph, OnnxProto.GRAPH_INPUT).message(), "input", 7);
            assertValueInfo(one(graph, OnnxProto.GRAPH_OUTPUT).message(), "output", 3);
        }
    }

    private static void assertValueInfo(List<Field> info, String name, long features) {
        assertEquals(name, one(info, OnnxProto.VALUE_INFO_NAME).string());
        List<Field> tensor = one(one(info, OnnxProto.VALUE_INFO_TYPE).message(), OnnxProto.TYPE_TENSOR_TYPE).message();
        assertEquals(OnnxProto.DATA_TYPE_FLOAT, one(tensor, OnnxProto.TENSOR_TYPE_ELEM_TYPE).value());
        List<Field> dims = all(one(tensor, OnnxProto.TENSOR_TYPE_SHAPE).message(), OnnxProto.SHAPE_DIM);
        assertEquals(2, dims.size());
        assertEquals("batch", one(dims.get(0).message(), OnnxProto.DIM_PARAM).string());
        assertEquals(features, one(dims.get(1).message(), OnnxProto.DIM_VALUE).value());
    }

    @Test
    void shouldStoreEveryParameterBitForBitAsLittleEndianRawData() {
        try (Network net = OnnxExportTest.randomized(Network.builder(5).dense(4).layerNorm().dense(3, false), 9)) {
            Map<String, long[]> shapes = Map.of(
                "dense_0.weight", new long[] {5, 4}, "dense_0.bias", new long[] {4},
                "layer_norm_1.gamma", new long[] {4}, "layer_norm_1.beta", new long[] {4},
                "dense_2.weight", new long[] {4, 3});
            List<Field> inits = all(graphOf(OnnxExporter.toBytes(net)), OnnxProto.GRAPH_INITIALIZER);
            assertEquals(shapes.size(), inits.size());
            for (Field f : inits) {
                List<Field> t = f.message();
                String name = one(t, OnnxProto.TENSOR_NAME).string();
                assertArrayEquals(shapes.get(name),
                    all(t, OnnxProto.TENSOR_DIMS).stream().mapToLong(Field::value).toArray(), name);
                assertEquals(OnnxProto.DATA_TYPE_FLOAT, one(t, OnnxProto.TENSOR_DATA_TYPE).value());
                float[] expected = net.getParameter(name);
                ByteBuffer raw = ByteBuffer.wrap(one(t, OnnxProto.TENSOR_RAW_DATA).bytes()).order(ByteOrder.LITTLE_ENDIAN);
                assertEquals(expected.length * 4, raw.remaining(), name);
                for (float v : expected) {
                    assertEquals(Float.floatToRawIntBits(v), raw.getInt(), name);
                }
            }
        }
    }

    @Test
    void shouldEmitTheDocumentedOperatorsWithUniqueNames() {
        try (Network net = Network.builder(4).dense(4).layerNorm(1e-4f).gelu().dropout(0.1f).dense(4, false)
            .leakyRelu(0.05f).dense(2).softmax().build(backend, 4, 1)) {
            List<Field> graph = graphOf(OnnxExporter.toBytes(net));
            List<String> ops = new ArrayList<>();
            Set<String> names = new HashSet<>();
            Set<String> produced = new HashSet<>(List.of("input"));
            for (Field f : all(graph, OnnxProto.GRAPH_INITIALIZER)) {
                String n = one(f.message(), OnnxProto.TENSOR_NAME).string();
                assertTrue(names.add(n), "duplicate name " + n);
                produced.add(n);
            }
            Map<String, Float> floats = new HashMap<>();
            Map<String, Long> ints = new HashMap<>();
            for (Field f : all(graph, OnnxProto.GRAPH_NODE)) {
                List<Field> node = f.message();
                String op = one(node, OnnxProto.NODE_OP_TYPE).string();
                ops.add(op);
                assertTrue(names.add(one(node, OnnxProto.NODE_NAME).string()), "duplicate node name");
                for (Field in : all(node, OnnxProto.NODE_INPUT)) {
                    assertTrue(produced.contains(in.string()), op + " reads '" + in.string() + "' before it exists");
                }
                for (Field out : all(node, OnnxProto.NODE_OUTPUT)) {
                    assertTrue(names.add(out.string()), "duplicate tensor name " + out.string());
                    produced.add(out.string());
                }
                for (Field a : all(node, OnnxProto.NODE_ATTRIBUTE)) {
                    List<Field> attr = a.message();
                    String key = op + "." + one(attr, OnnxProto.ATTRIBUTE_NAME).string();
                    if (one(attr, OnnxProto.ATTRIBUTE_TYPE).value() == OnnxProto.ATTRIBUTE_TYPE_FLOAT) {
                        floats.put(key, one(attr, OnnxProto.ATTRIBUTE_F).float32());
                    } else {
                        assertEquals(OnnxProto.ATTRIBUTE_TYPE_INT, one(attr, OnnxProto.ATTRIBUTE_TYPE).value());
                        ints.put(key, one(attr, OnnxProto.ATTRIBUTE_I).value());
                    }
                }
            }
            assertEquals(List.of("MatMul", "Add", "LayerNormalization", "Div", "Erf", "Add", "Mul", "Mul",
                "MatMul", "LeakyRelu", "MatMul", "Add", "Softmax"), ops);
            assertTrue(produced.contains("output"));
            assertEquals(Map.of("LayerNormalization.epsilon", 1e-4f, "LeakyRelu.alpha", 0.05f), floats);
            assertEquals(Map.of("LayerNormalization.axis", -1L, "Softmax.axis", -1L), ints);
        }
    }

    @Test
    void shouldRefuseALayerItCannotExportNamingIt() {
        try (Network net = Network.create(3, List.of(new Unknown("mystery")), backend, 4)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxExporter.toBytes(net));
            assertTrue(e.getMessage().contains("'mystery'") && e.getMessage().contains("'unknown'"), e.getMessage());
        }
    }

    /** A layer type the exporter has never heard of. */
    private static final class Unknown extends Layer {
        Unknown(String name) {
            super(name);
        }

        @Override
        public String type() {
            return "unknown";
        }

        @Override
        public Map<String, Object> config() {
            return Map.of();
        }

        @Override
        public Layer copy() {
            return new Unknown(name());
        }

        @Override
        protected int outputWidth(int in) {
            return in;
        }

        @Override
        protected void forward(Backend b, long params, long x, long y, long aux, int batch, boolean training,
                               long seed) {
        }

        @Override
        protected void backward(Backend b, long params, long grads, long dx, long dy, long x, long y, long aux,
                                int batch) {
        }

        @Override
        protected boolean writePlan(long[] plan, int index, long xOffset, long yOffset) {
            return false;
        }
    }
}
