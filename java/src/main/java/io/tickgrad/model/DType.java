package io.tickgrad.model;

/**
 * Element types of the safetensors format, with their on-disk size in bytes.
 *
 * <p>All of them are recognised when a header is validated; {@link #convertibleToFloat()} says
 * which ones tickgrad can load as float32. Values are little endian on disk.
 */
public enum DType {
    BOOL(1, true),
    U8(1, true),
    I8(1, true),
    I16(2, true),
    U16(2, true),
    I32(4, true),
    U32(4, true),
    I64(8, true),
    U64(8, true),
    F16(2, true),
    BF16(2, true),
    F32(4, true),
    F64(8, true),
    /** 8-bit floats: recognised, but not converted (no loader needs them yet). */
    F8_E4M3(1, false),
    F8_E5M2(1, false);

    private final int byteSize;
    private final boolean convertibleToFloat;

    DType(int byteSize, boolean convertibleToFloat) {
        this.byteSize = byteSize;
        this.convertibleToFloat = convertibleToFloat;
    }

    /** Bytes per element on disk. */
    public int byteSize() {
        return byteSize;
    }

    /** Whether {@link SafeTensors#read} can load tensors of this type as float32 values. */
    public boolean convertibleToFloat() {
        return convertibleToFloat;
    }

    /** The type spelled as in a safetensors header ({@code "F32"}), or null if there is none. */
    public static DType fromHeaderName(String name) {
        for (DType type : values()) {
            if (type.name().equals(name)) {
                return type;
            }
        }
        return null;
    }
}
