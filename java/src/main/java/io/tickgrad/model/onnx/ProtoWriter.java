package io.tickgrad.model.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal protocol-buffers wire-format writer: varints, fixed32 and length-delimited fields, enough to
 * encode the ONNX messages this package emits without a protobuf dependency in the core module.
 *
 * <p>A nested message is written into a writer of its own and embedded with
 * {@link #message(int, ProtoWriter)}; models are small, so building messages bottom-up is simpler than
 * pre-computing sizes. Fields are emitted exactly in call order, which keeps the output deterministic.
 * Not thread-safe.
 */
public final class ProtoWriter {
    /** Wire type of int32, int64, uint*, bool and enum fields. */
    public static final int WIRE_VARINT = 0;
    /** Wire type of strings, bytes, embedded messages and packed repeated fields. */
    public static final int WIRE_LENGTH_DELIMITED = 2;
    /** Wire type of float, fixed32 and sfixed32 fields. */
    public static final int WIRE_FIXED32 = 5;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /**
     * Writes a base-128 varint. Negative values take ten bytes, as protobuf encodes int32 and int64 fields
     * (two's complement, not zig-zag).
     *
     * @param value the value
     * @return this writer
     */
    public ProtoWriter varint(long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
        return this;
    }

    /**
     * Writes a field key: {@code (field << 3) | wireType}.
     *
     * @param field    the field number
     * @param wireType the protobuf wire type (0 varint, 1 fixed64, 2 length-delimited, 5 fixed32)
     * @return this writer
     */
    public ProtoWriter tag(int field, int wireType) {
        if (field < 1 || field > 0x1FFFFFFF) {
            throw new IllegalArgumentException("protobuf field number must be in [1, 2^29 - 1], got " + field);
        }
        if (wireType < 0 || wireType > 5) {
            throw new IllegalArgumentException("protobuf wire type must be in [0, 5], got " + wireType);
        }
        return varint(((long) field << 3) | wireType);
    }

    /**
     * An int32 / int64 / enum field.
     *
     * @param field the field number
     * @param value the value
     * @return this writer
     */
    public ProtoWriter int64(int field, long value) {
        return tag(field, WIRE_VARINT).varint(value);
    }

    /**
     * A float field: four little-endian bytes of the IEEE 754 bits.
     *
     * @param field the field number
     * @param value the value
     * @return this writer
     */
    public ProtoWriter float32(int field, float value) {
        tag(field, WIRE_FIXED32);
        int bits = Float.floatToRawIntBits(value);
        out.write(bits);
        out.write(bits >>> 8);
        out.write(bits >>> 16);
        out.write(bits >>> 24);
        return this;
    }

    /**
     * A bytes field.
     *
     * @param field the field number
     * @param value the bytes, written length-delimited
     * @return this writer
     */
    public ProtoWriter bytes(int field, byte[] value) {
        tag(field, WIRE_LENGTH_DELIMITED).varint(value.length);
        out.write(value, 0, value.length);
        return this;
    }

    /**
     * A string field, UTF-8 encoded.
     *
     * @param field the field number
     * @param value the text
     * @return this writer
     */
    public ProtoWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * An embedded message field holding everything written to {@code message} so far.
     *
     * @param field   the field number
     * @param message the writer holding the embedded message
     * @return this writer
     */
    public ProtoWriter message(int field, ProtoWriter message) {
        return bytes(field, message.toByteArray());
    }

    /**
     * Bytes written so far.
     *
     * @return the byte count
     */
    public int size() {
        return out.size();
    }

    /**
     * A copy of the bytes written so far.
     *
     * @return a new array
     */
    public byte[] toByteArray() {
        return out.toByteArray();
    }
}
