package io.tickgrad.model.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class OnnxGraphBuilderTest {

    @Test
    void shouldMakeNamesUniqueAcrossNodesTensorsAndReservedNames() {
        OnnxGraphBuilder g = new OnnxGraphBuilder();
        g.reserve("input");
        assertEquals("input_1", g.freshName("input"));
        assertEquals("a", g.freshName("a"));
        assertEquals("a_1", g.freshName("a"));
        assertEquals("a_2", g.freshName("a"));
        assertThrows(IllegalArgumentException.class, () -> g.reserve("a"));
        String y1 = g.node("Relu", "r", List.of("input"));
        String y2 = g.node("Relu", "r", List.of(y1));
        assertEquals("r/y", y1);
        assertEquals("r_1/y", y2);
    }

    @Test
    void shouldShareOneInitializerPerScalarValue() {
        OnnxGraphBuilder g = new OnnxGraphBuilder();
        String half = g.scalar(0.5f);
        assertEquals(half, g.scalar(0.5f));
        assertEquals("const_1.0", g.scalar(1f));
        // -0 and +0 are different bit patterns, so they do not share
        assertEquals("const_0.0", g.scalar(0f));
        assertEquals("const_-0.0", g.scalar(-0f));
        assertEquals(4, ProtoReader.all(ProtoReader.parse(g.encode("g").toByteArray()),
            OnnxProto.GRAPH_INITIALIZER).size());
    }

    @Test
    void shouldCheckInitializerShapes() {
        OnnxGraphBuilder g = new OnnxGraphBuilder();
        assertThrows(IllegalArgumentException.class, () -> g.initializer("w", new long[] {2, 3}, new float[5]));
        assertThrows(IllegalArgumentException.class, () -> g.initializer("w", new long[] {-1}, new float[1]));
        assertEquals("w", g.initializer("w", new long[] {2, 3}, new float[6]));
    }

    @Test
    void shouldRenameOnlyAnUnconsumedProducedTensorToAReservedName() {
        OnnxGraphBuilder g = new OnnxGraphBuilder();
        g.reserve("x");
        g.reserve("out");
        String a = g.node("Relu", "a", List.of("x"));
        String b = g.node("Tanh", "b", List.of(a));
        assertThrows(IllegalArgumentException.class, () -> g.renameOutput(b, "unreserved"));
        assertThrows(IllegalStateException.class, () -> g.renameOutput(a, "out"));
        assertThrows(IllegalArgumentException.class, () -> g.renameOutput("nobody", "out"));
        g.renameOutput(b, "out");
        List<ProtoReader.Field> nodes = ProtoReader.all(ProtoReader.parse(g.encode("g").toByteArray()),
            OnnxProto.GRAPH_NODE);
        assertEquals("out", ProtoReader.one(nodes.get(1).message(), OnnxProto.NODE_OUTPUT).string());
    }
}
