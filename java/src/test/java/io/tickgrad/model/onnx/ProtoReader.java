package io.tickgrad.model.onnx;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-only protobuf wire-format reader: splits a message into its fields, so tests can check what
 * {@link ProtoWriter} and the exporter wrote without a protobuf library. Strict: a truncated or malformed
 * message throws.
 */
final class ProtoReader {
    /** One field: its number, wire type, and either a varint / fixed32 value or the length-delimited bytes. */
    record Field(int number, int wireType, long value, byte[] bytes) {
        String string() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        List<Field> message() {
            return parse(bytes);
        }

        float float32() {
            return Float.intBitsToFloat((int) value);
        }
    }

    private ProtoReader() {
    }

    static List<Field> parse(byte[] data) {
        List<Field> fields = new ArrayList<>();
        int[] pos = {0};
        while (pos[0] < data.length) {
            long key = varint(data, pos);
            int number = (int) (key >>> 3);
            int wire = (int) (key & 7);
            if (number < 1) {
                throw new IllegalArgumentException("field number " + number + " at byte " + pos[0]);
            }
            switch (wire) {
                case 0 -> fields.add(new Field(number, wire, varint(data, pos), null));
                case 2 -> {
                    long len = varint(data, pos);
                    if (len < 0 || pos[0] + len > data.length) {
                        throw new IllegalArgumentException("length " + len + " runs past the end at byte " + pos[0]);
                    }
                    byte[] b = new byte[(int) len];
                    System.arraycopy(data, pos[0], b, 0, (int) len);
                    pos[0] += (int) len;
                    fields.add(new Field(number, wire, len, b));
                }
                case 5 -> {
                    if (pos[0] + 4 > data.length) {
                        throw new IllegalArgumentException("fixed32 runs past the end");
                    }
                    long v = (data[pos[0]] & 0xFFL) | (data[pos[0] + 1] & 0xFFL) << 8 | (data[pos[0] + 2] & 0xFFL) << 16
                        | (data[pos[0] + 3] & 0xFFL) << 24;
                    pos[0] += 4;
                    fields.add(new Field(number, wire, v, null));
                }
                default -> throw new IllegalArgumentException("unexpected wire type " + wire);
            }
        }
        return fields;
    }

    static long varint(byte[] data, int[] pos) {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos[0] >= data.length) {
                throw new IllegalArgumentException("varint runs past the end");
            }
            byte b = data[pos[0]++];
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new IllegalArgumentException("varint longer than 10 bytes");
    }

    /** All fields with the given number. */
    static List<Field> all(List<Field> fields, int number) {
        return fields.stream().filter(f -> f.number() == number).toList();
    }

    /** The single field with the given number; fails if absent or repeated. */
    static Field one(List<Field> fields, int number) {
        List<Field> found = all(fields, number);
        if (found.size() != 1) {
            throw new AssertionError("expected exactly one field " + number + ", found " + found.size());
        }
        return found.get(0);
    }
}
