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
    void bulkCopiesMoveExactlyTheRangeAskedForBitForBit() {
        java.util.Random rnd = new java.util.Random(7);
        try (Slab s = Slab.ofFloats("t", 1000)) {
            for (int i = 0; i < 1000; i++) {
                s.putFloat(i, -1f);   // guards on both sides of the copied range
            }
            float[] src = new float[700];
            for (int i = 0; i < src.length; i++) {
                src[i] = Float.intBitsToFloat(rnd.nextInt());   // NaN payloads, subnormals, infinities included
            }
            s.putFloats(123, src, 50, 600);
            assertEquals(-1f, s.getFloat(122));
            assertEquals(-1f, s.getFloat(723));
            for (int i = 0; i < 600; i++) {
                assertEquals(Float.floatToRawIntBits(src[50 + i]), Float.floatToRawIntBits(s.getFloat(123 + i)));
            }
            float[] dst = new float[610];
            java.util.Arrays.fill(dst, 9f);
            s.getFloats(123, dst, 5, 600);
            assertEquals(9f, dst[4]);
            assertEquals(9f, dst[605]);
            for (int i = 0; i < 600; i++) {
                assertEquals(Float.floatToRawIntBits(src[50 + i]), Float.floatToRawIntBits(dst[5 + i]));
            }
            s.putFloats(0, src, 0, 0);   // empty ranges are fine, even at either end
            s.getFloats(1000, dst, 610, 0);
        }
    }

    @Test
    void bulkCopiesRefuseEveryRangeOutsideTheArrayOrSlabBeforeTouchingMemory() {
        try (Slab s = Slab.ofFloats("t", 16)) {
            float[] a = new float[8];
            assertThrows(IndexOutOfBoundsException.class, () -> s.putFloats(0, a, 1, 8));
            assertThrows(IndexOutOfBoundsException.class, () -> s.putFloats(0, a, -1, 2));
            assertThrows(IndexOutOfBoundsException.class, () -> s.putFloats(0, a, 9, 0));
            // offset + length overflows int: must not wrap around into a passing check
            assertThrows(IndexOutOfBoundsException.class, () -> s.putFloats(0, a, Integer.MAX_VALUE, 2));
            assertThrows(IndexOutOfBoundsException.class, () -> s.getFloats(0, a, Integer.MAX_VALUE, 2));
            assertThrows(IndexOutOfBoundsException.class, () -> s.getFloats(0, a, 4, -1));
            assertThrows(IndexOutOfBoundsException.class, () -> s.putFloats(12, a, 0, 8));   // past the slab's end
            assertThrows(IndexOutOfBoundsException.class, () -> s.getFloats(-1, a, 0, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> s.getFloats(Long.MAX_VALUE, a, 0, 1));
            for (int i = 0; i < 16; i++) {
                assertEquals(0f, s.getFloat(i));   // nothing was written by a refused call
            }
        }
        Slab closed = Slab.ofFloats("t", 4);
        closed.close();
        assertThrows(IllegalStateException.class, () -> closed.putFloats(0, new float[4], 0, 4));
        assertThrows(IllegalStateException.class, () -> closed.getFloats(0, new float[4], 0, 4));
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
