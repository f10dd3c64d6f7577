package io.tickgrad.model;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Converts little-endian tensor bytes of any loadable {@link DType} to float32.
 *
 * <p>F32 and the widenings (F16, BF16) are exact, NaN payloads included. F64 is rounded to the
 * nearest float, except that a finite value beyond the float range is refused rather than turned into
 * infinity. Integers and booleans are refused unless each value is exactly representable as a float,
 * so a file never loads as a silently different model.
 */
final class FloatDecoder {

    private FloatDecoder() {
    }

    /**
     * Decodes {@code count} elements from {@code src} (little endian, positioned at the first one)
     * into {@code dst[offset..offset+count)}; {@code firstIndex} is the element index within the
     * tensor, for messages.
     */
    static void decode(DType dtype, ByteBuffer src, float[] dst, int offset, int count, long firstIndex,
                       Path file, String tensor) throws CheckpointFormatException {
        for (int i = 0; i < count; i++) {
            float value;
            switch (dtype) {
                case F32 -> value = Float.intBitsToFloat(src.getInt());
                case F16 -> value = halfToFloat(src.getShort());
                case BF16 -> value = Float.intBitsToFloat((src.getShort() & 0xFFFF) << 16);
                case F64 -> {
                    double d = src.getDouble();
                    value = (float) d;
                    if (Float.isInfinite(value) && Double.isFinite(d)) {
                        throw refuse(file, tensor, firstIndex + i, "F64 value " + d + " is beyond the float32 range");
                    }
                }
                case BOOL -> {
                    int b = src.get() & 0xFF;
                    if (b > 1) {
                        throw refuse(file, tensor, firstIndex + i, "BOOL byte " + b + " is neither 0 nor 1");
                    }
                    value = b;
                }
                case U8 -> value = src.get() & 0xFF;
                case I8 -> value = src.get();
                case I16 -> value = src.getShort();
                case U16 -> value = src.getShort() & 0xFFFF;
                case I32 -> value = exactInteger(src.getInt(), file, tensor, firstIndex + i, dtype);
                case U32 -> value = exactInteger(src.getInt() & 0xFFFF_FFFFL, file, tensor, firstIndex + i, dtype);
                case I64 -> value = exactInteger(src.getLong(), file, tensor, firstIndex + i, dtype);
                case U64 -> value = exactUnsigned(src.getLong(), file, tensor, firstIndex + i);
                default -> throw new IllegalStateException("dtype " + dtype + " passed header validation");
            }
            dst[offset + i] = value;
        }
    }

    /** IEEE 754 binary16 to binary32, exact for every input (Float.float16ToFloat is Java 20+). */
    static float halfToFloat(short half) {
        int bits = half & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0x1F) {
            // infinity or NaN: keep the payload in the top mantissa bits
            return Float.intBitsToFloat(sign | 0x7F80_0000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // zero or subnormal: mantissa * 2^-24, exactly representable as a normal float
            float magnitude = Math.scalb((float) mantissa, -24);
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }

    private static float exactInteger(long v, Path file, String tensor, long index, DType dtype)
            throws CheckpointFormatException {
        float f = v;
        // (long) f saturates at Long.MAX_VALUE, which no float equals exactly, so this catches every mismatch
        if ((long) f != v || f == 0x1p63f) {
            throw refuse(file, tensor, index, dtype + " value " + v + " is not exactly representable as float32");
        }
        return f;
    }

    private static float exactUnsigned(long v, Path file, String tensor, long index)
            throws CheckpointFormatException {
        if (v >= 0) {
            return exactInteger(v, file, tensor, index, DType.U64);
        }
        // v is 2^63 or more: exact only when the low 40 of its 64 bits are zero (24 significant bits)
        if ((v & ((1L << 40) - 1)) != 0) {
            throw refuse(file, tensor, index,
                    "U64 value " + Long.toUnsignedString(v) + " is not exactly representable as float32");
        }
        return (float) (v >>> 1) * 2f;
    }

    private static CheckpointFormatException refuse(Path file, String tensor, long index, String problem) {
        return new CheckpointFormatException(file, "tensor '" + tensor + "' element " + index,
                "expected a value exactly loadable as float32, found: " + problem);
    }
}
