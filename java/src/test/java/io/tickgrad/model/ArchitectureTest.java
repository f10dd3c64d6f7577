package io.tickgrad.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.nn.Layer;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
    @Test
    void shouldRoundTripThroughJson() {
        Architecture a = Architecture.parseSpec(
            "17:dense(33),layer_norm(0.001),gelu,dropout(0.25),dense_nobias(19),leaky_relu(0.1),tanh,dense(5),softmax");
        Architecture b = Architecture.fromJson(a.toJson(), "test", "arch");
        assertEquals(a.inputs(), b.inputs());
        assertEquals(a.layers().size(), b.layers().size());
        for (int i = 0; i < a.layers().size(); i++) {
            Layer x = a.layers().get(i);
            Layer y = b.layers().get(i);
            assertEquals(x.type(), y.type());
            assertEquals(x.name(), y.name());
            assertEquals(x.config(), y.config());
        }
        assertEquals(a.toJson(), b.toJson());
    }

    @Test
    void shouldNameTheSourceAndFieldInErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Architecture.fromJson("{\"inputs\": 3, \"layers\": [{\"type\": \"conv\", \"name\": \"c\"}]}",
                "m.safetensors", "__metadata__.tickgrad.architecture"));
        assertTrue(e.getMessage().contains("m.safetensors"), e.getMessage());
        assertTrue(e.getMessage().contains("layers[0].type"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> Architecture.fromJson("{\"inputs\": -3, \"layers\": []}", "m.safetensors", "arch"));
        assertTrue(e.getMessage().contains("arch.inputs"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Architecture.fromJson("[", "m", "arch"));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Architecture.parseSpec("dense(3)"));
        assertThrows(IllegalArgumentException.class, () -> Architecture.parseSpec("3:dense"));
        assertThrows(IllegalArgumentException.class, () -> Architecture.parseSpec("3:swish"));
    }
}
