package io.tickgrad.model;

/**
 * Element types of the safetensors format, with their on-disk size in bytes.
 *
 * <p>All of them are recognised when a header is validated; {@link #convertibleToFloat()} says
 * which ones tickgrad can load as float32. Values are little endian on disk.
 */
public enum DType {
    /** Boolean, one byte (0 or 1). */
    BOOL(1, true),
    /** Unsigned 8-bit integer. */
    U8(1, true),
    /** Signed 8-bit integer. */
    I8(1, true),
    /** Signed 16-bit integer. */
    I16(2, true),
    /** Unsigned 16-bit integer. */
    U16(2, true),
    /** Signed 32-bit integer. */
    I32(4, true),
    /** Unsigned 32-bit integer. */
    U32(4, true),
    /** Signed 64-bit integer (loaded only when every value is exact as a float32). */
    I64(8, true),
    /** Unsigned 64-bit integer (loaded only when every value is exact as a float32). */
    U64(8, true),
    /** IEEE 754 half precision. */
    F16(2, true),
    /** bfloat16: float32 with the low 16 mantissa bits dropped. */
    BF16(2, true),
    /** IEEE 754 single precision, what tickgrad writes. */
    F32(4, true),
    /** IEEE 754 double precision (rounded to the nearest float32; refused beyond its range). */
    F64(8, true),
    /** 8-bit float with 4 exponent and 3 mantissa bits: recognised, but not converted (no loader needs it yet). */
    F8_E4M3(1, false),
    /** 8-bit float with 5 exponent and 2 mantissa bits: recognised, but not converted. */
    F8_E5M2(1, false);

    private final int byteSize;
    private final boolean convertibleToFloat;

    DType(int byteSize, boolean convertibleToFloat) {
        this.byteSize = byteSize;
        this.convertibleToFloat = convertibleToFloat;
    }

    /**
     * Bytes per element on disk.
     *
     * @return 1, 2, 4 or 8
     */
    public int byteSize() {
        return byteSize;
    }

    /**
     * Whether {@link SafeTensors#read} can load tensors of this type as float32 values.
     *
     * @return false for the 8-bit floats
     */
    public boolean convertibleToFloat() {
        return convertibleToFloat;
    }

    /**
     * The type spelled as in a safetensors header ({@code "F32"}), or null if there is none.
     *
     * @param name the dtype field of a header entry
     * @return the type, or null
     */
    public static DType fromHeaderName(String name) {
        for (DType type : values()) {
            if (type.name().equals(name)) {
                return type;
            }
        }
        return null;
    }
}
