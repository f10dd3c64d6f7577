package io.tickgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickgrad.nativeio.TickgradNative;
import org.junit.jupiter.api.Test;

class SlabTest {
    @Test
    void shouldBeAlignedZeroedAndBoundsChecked() {
        try (Slab s = Slab.ofFloats("t", 17)) {
            assertEquals(0, s.address() % Slab.ALIGNMENT);
            for (int i = 0; i < 17; i++) {
                assertEquals(0f, s.getFloat(i));
            }
            s.putFloat(16, 3.5f);
            assertEquals(3.5f, s.getFloat(16));
            assertThrows(IndexOutOfBoundsException.class, () -> s.getFloat(17));
            assertThrows(IndexOutOfBoundsException.class, () -> s.getFloat(-1));
            assertThrows(IndexOutOfBoundsException.class, () -> s.floatAddress(10, 8));
        }
    }

    @Test
    void shouldThrowOnUseAfterCloseAndIgnoreASecondClose() {
        Slab s = Slab.ofFloats("t", 4);
        s.close();
        assertDoesNotThrow(s::close);
        assertThrows(IllegalStateException.class, s::address);
        assertThrows(IllegalStateException.class, () -> s.getFloat(0));
        assertThrows(IllegalStateException.class, () -> s.putFloat(0, 1f));
        assertThrows(IllegalStateException.class, s::buffer);
    }

    @Test
    void shouldReturnEveryByteToTheNativeAllocator() {
        long before = TickgradNative.tg_allocated_bytes();
        for (int i = 0; i < 1000; i++) {
            try (Slab s = Slab.ofFloats("t", 1 + i)) {
                s.putFloat(i, 1f);
            }
        }
        assertEquals(before, TickgradNative.tg_allocated_bytes());
    }

    @Test
    void shouldRefuseSizesOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> Slab.ofFloats("t", 0));
        assertThrows(IllegalArgumentException.class, () -> Slab.ofBytes("t", -5));
        assertThrows(IllegalArgumentException.class, () -> Slab.ofBytes("t", 1L << 40));
    }

    @Test
    void shouldLayOutEveryTensorOn64ByteBoundaries() {
        ParamTable.Builder b = ParamTable.builder();
        b.add("a", 3, 5);
        b.add("b", 7);
        b.add("c", 16);
        ParamTable t = b.build();
        for (ParamEntry e : t.entries()) {
            assertEquals(0, e.offset() % Slab.ALIGNMENT_FLOATS, e.name());
        }
        assertEquals(15 + 7 + 16, t.parameterCount());
        assertTrue(t.totalFloats() >= 16 + 16 + 16);
        assertThrows(IllegalArgumentException.class, () -> ParamTable.builder().add("x", 0));
        ParamTable.Builder dup = ParamTable.builder();
        dup.add("x", 1);
        assertThrows(IllegalArgumentException.class, () -> dup.add("x", 2));
    }
}
