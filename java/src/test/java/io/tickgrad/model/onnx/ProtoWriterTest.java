package io.tickgrad.model.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ProtoWriterTest {

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    @Test
    void shouldEncodeVarintsAsInTheProtobufSpecification() {
        assertArrayEquals(bytes(0x00), new ProtoWriter().varint(0).toByteArray());
        assertArrayEquals(bytes(0x01), new ProtoWriter().varint(1).toByteArray());
        assertArrayEquals(bytes(0x7F), new ProtoWriter().varint(127).toByteArray());
        assertArrayEquals(bytes(0x80, 0x01), new ProtoWriter().varint(128).toByteArray());
        assertArrayEquals(bytes(0xAC, 0x02), new ProtoWriter().varint(300).toByteArray());
        assertArrayEquals(bytes(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F),
            new ProtoWriter().varint(Long.MAX_VALUE).toByteArray());
    }

    @Test
    void shouldEncodeNegativeInt64AsTenBytesOfTwosComplement() {
        // int64 fields are not zig-zag encoded: -1 is ten bytes, as ONNX's axis = -1 must be
        assertArrayEquals(bytes(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01),
            new ProtoWriter().varint(-1).toByteArray());
        assertArrayEquals(bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01),
            new ProtoWriter().varint(Long.MIN_VALUE).toByteArray());
    }

    @Test
    void shouldRoundTripRandomVarints() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            long v = random.nextLong() >> random.nextInt(64);
            byte[] b = new ProtoWriter().varint(v).toByteArray();
            int[] pos = {0};
            assertEquals(v, ProtoReader.varint(b, pos));
            assertEquals(b.length, pos[0]);
        }
    }

    @Test
    void shouldWriteKeysFixed32AndLengthDelimitedFields() {
        // field 1 varint 150: the protobuf documentation's own example
        assertArrayEquals(bytes(0x08, 0x96, 0x01), new ProtoWriter().int64(1, 150).toByteArray());
        // field 2 string "testing"
        assertArrayEquals(bytes(0x12, 0x07, 't', 'e', 's', 't', 'i', 'n', 'g'),
            new ProtoWriter().string(2, "testing").toByteArray());
        // field 2 float 1.0f: key 0x15, then 0x3F800000 little-endian
        assertArrayEquals(bytes(0x15, 0x00, 0x00, 0x80, 0x3F), new ProtoWriter().float32(2, 1.0f).toByteArray());
        // field 20 needs a two-byte key: (20 << 3) | 0 = 160
        assertArrayEquals(bytes(0xA0, 0x01, 0x02), new ProtoWriter().int64(20, 2).toByteArray());
    }

    @Test
    void shouldEmbedMessagesWithTheirLength() {
        ProtoWriter inner = new ProtoWriter().int64(1, 150);
        assertArrayEquals(bytes(0x1A, 0x03, 0x08, 0x96, 0x01), new ProtoWriter().message(3, inner).toByteArray());
        List<ProtoReader.Field> outer = ProtoReader.parse(new ProtoWriter().message(3, inner).string(4, "é").toByteArray());
        assertEquals(150, ProtoReader.one(ProtoReader.one(outer, 3).message(), 1).value());
        assertEquals("é", ProtoReader.one(outer, 4).string());
        assertEquals(2, ProtoReader.one(outer, 4).bytes().length);
    }

    @Test
    void shouldRoundTripFloatsBitForBit() {
        float[] values = {0f, -0f, 1.5f, -3.25e-30f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NaN,
            Float.NEGATIVE_INFINITY};
        ProtoWriter w = new ProtoWriter();
        for (float v : values) {
            w.float32(2, v);
        }
        List<ProtoReader.Field> fields = ProtoReader.parse(w.toByteArray());
        assertEquals(values.length, fields.size());
        for (int i = 0; i < values.length; i++) {
            assertEquals(Float.floatToRawIntBits(values[i]), (int) fields.get(i).value());
        }
    }

    @Test
    void shouldRejectInvalidFieldNumbersAndWireTypes() {
        assertThrows(IllegalArgumentException.class, () -> new ProtoWriter().int64(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new ProtoWriter().tag(1 << 29, 0));
        assertThrows(IllegalArgumentException.class, () -> new ProtoWriter().tag(1, 6));
    }
}
