package io.tickgrad.tensor;

import io.tickgrad.JvmFlags;
import io.tickgrad.nativeio.NativeLibrary;
import io.tickgrad.nativeio.TickgradNative;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A block of 64-byte-aligned off-heap memory, seen through an Agrona {@link UnsafeBuffer}.
 *
 * <p>The memory comes from the native library's allocator and is freed by {@link #close()} alone,
 * never by the garbage collector. A second close is harmless; any use after close throws
 * {@link IllegalStateException} instead of touching freed memory. Not thread-safe: a slab belongs to
 * one owner (a network, an optimizer), which publishes it to other threads itself.
 */
public final class Slab implements AutoCloseable {
    /** Alignment of every slab and of every tensor inside a parameter table, in bytes. */
    public static final int ALIGNMENT = 64;
    /** Floats per alignment unit. */
    public static final int ALIGNMENT_FLOATS = ALIGNMENT / Float.BYTES;

    private final String name;
    private final long address;
    private final int byteLength;
    private final UnsafeBuffer buffer;
    private boolean closed;

    private Slab(String name, long address, int byteLength) {
        this.name = name;
        this.address = address;
        this.byteLength = byteLength;
        this.buffer = new UnsafeBuffer(address, byteLength);
    }

    /**
     * Allocates {@code floats} zeroed float32 values.
     *
     * The caller owns the slab and frees it with {@link #close()}.
     *
     * @param name   the slab's name, for messages
     * @param floats the count, in [1, 2^29 - 1]
     * @return the slab
     * @throws IllegalArgumentException when the count is out of range
     * @throws OutOfMemoryError when the native allocation fails
     */
    public static Slab ofFloats(String name, long floats) {
        if (floats < 1 || floats > Integer.MAX_VALUE / Float.BYTES) {
            throw new IllegalArgumentException("slab '" + name + "': float count must be in [1, "
                + Integer.MAX_VALUE / Float.BYTES + "], got " + floats);
        }
        return ofBytes(name, floats * Float.BYTES);
    }

    /**
     * Allocates {@code bytes} zeroed bytes.
     *
     * The caller owns the slab and frees it with {@link #close()}.
     *
     * @param name  the slab's name, for messages
     * @param bytes the length, in [1, 2^31 - 1]
     * @return the slab, 64-byte aligned
     * @throws IllegalArgumentException when the length is out of range
     * @throws OutOfMemoryError when the native allocation fails
     * @throws IllegalStateException when a JVM flag Agrona needs is missing
     */
    public static Slab ofBytes(String name, long bytes) {
        JvmFlags.requireCore();
        if (bytes < 1 || bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("slab '" + name + "': byte length must be in [1, "
                + Integer.MAX_VALUE + "], got " + bytes);
        }
        NativeLibrary.ensureLoaded();
        long address = TickgradNative.tg_alloc(bytes);
        if (address == 0) {
            throw new OutOfMemoryError("slab '" + name + "': native allocation of " + bytes + " bytes failed");
        }
        return new Slab(name, address, (int) bytes);
    }

    /**
     * The slab's name, as in messages.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Base address; throws if closed.
     *
     * @return the native address of the first byte, valid until {@link #close()}
     */
    public long address() {
        ensureOpen();
        return address;
    }

    /**
     * Address of the float at {@code index}, after checking that {@code count} floats from there fit.
     *
     * @param index the first float
     * @param count floats that must fit from there
     * @return the native address
     * @throws IndexOutOfBoundsException when they do not fit
     */
    public long floatAddress(long index, long count) {
        ensureOpen();
        // compared without multiplying, so that a huge index or count cannot overflow past the check
        if (index < 0 || count < 0 || index > floatCapacity() || count > floatCapacity() - index) {
            throw new IndexOutOfBoundsException("slab '" + name + "': floats [" + index + ", " + (index + count)
                + ") outside its " + floatCapacity() + " floats");
        }
        return address + index * Float.BYTES;
    }

    /**
     * The slab's length.
     *
     * @return bytes
     */
    public int byteLength() {
        return byteLength;
    }

    /**
     * How many floats the slab holds.
     *
     * @return byteLength / 4
     */
    public int floatCapacity() {
        return byteLength / Float.BYTES;
    }

    /**
     * The Agrona view of the whole slab; throws if closed. Offsets are in bytes.
     *
     * @return the view, valid until {@link #close()}
     */
    public UnsafeBuffer buffer() {
        ensureOpen();
        return buffer;
    }

    /**
     * Reads one float.
     *
     * @param index the float index
     * @return the value
     * @throws IndexOutOfBoundsException when the index is outside the slab
     */
    public float getFloat(long index) {
        ensureOpen();
        return buffer.getFloat(checkedByteOffset(index));
    }

    /**
     * Writes one float.
     *
     * @param index the float index
     * @param value the value
     * @throws IndexOutOfBoundsException when the index is outside the slab
     */
    public void putFloat(long index, float value) {
        ensureOpen();
        buffer.putFloat(checkedByteOffset(index), value);
    }

    /**
     * Copies {@code length} floats from {@code src[srcOffset..]} to this slab at float index {@code index}.
     *
     * @param index     the first float index in the slab
     * @param src       the values
     * @param srcOffset index of the first value in src
     * @param length    floats to copy
     * @throws IndexOutOfBoundsException when the range does not fit
     */
    public void putFloats(long index, float[] src, int srcOffset, int length) {
        long at = floatAddress(index, length);
        checkArrayRange("source", src.length, srcOffset, length);
        // one bulk copy (memcpy speed) instead of a bounds-checked put per float: loading a model, copying its
        // weights into an online learner's slots and restoring a checkpoint each move megabytes
        UnsafeApi.copyMemory(src, FloatArrays.BASE + (long) srcOffset * Float.BYTES, null, at,
            (long) length * Float.BYTES);
    }

    /**
     * Copies {@code length} floats from float index {@code index} of this slab into {@code dst[dstOffset..]}.
     *
     * @param index     the first float index in the slab
     * @param dst       the destination
     * @param dstOffset index of the first value in dst
     * @param length    floats to copy
     * @throws IndexOutOfBoundsException when the range does not fit
     */
    public void getFloats(long index, float[] dst, int dstOffset, int length) {
        long at = floatAddress(index, length);
        checkArrayRange("destination", dst.length, dstOffset, length);
        UnsafeApi.copyMemory(null, at, dst, FloatArrays.BASE + (long) dstOffset * Float.BYTES,
            (long) length * Float.BYTES);
    }

    /**
     * Read on the first bulk copy, not when Slab loads: a slab exists only once {@link JvmFlags#requireCore()} has
     * passed, so a missing flag is named by that check instead of failing here inside Agrona.
     */
    private static final class FloatArrays {
        static final long BASE = UnsafeApi.arrayBaseOffset(float[].class);
    }

    /** Checked before any raw copy: compared without adding, so that no offset can overflow past the check. */
    private static void checkArrayRange(String what, int arrayLength, int offset, int length) {
        if (offset < 0 || length < 0 || offset > arrayLength || length > arrayLength - offset) {
            throw new IndexOutOfBoundsException(what + " array range [" + offset + ", " + ((long) offset + length)
                + ") outside its " + arrayLength + " floats");
        }
    }

    /**
     * Sets {@code count} floats from {@code index} to zero.
     *
     * @param index the first float index
     * @param count floats to zero
     */
    public void zero(long index, long count) {
        long base = floatAddress(index, count) - address;
        buffer.setMemory((int) base, (int) (count * Float.BYTES), (byte) 0);
    }

    /**
     * Fills the whole slab with one float value (tests poison outputs with NaN this way).
     *
     * @param value the value of every float
     */
    public void fill(float value) {
        ensureOpen();
        for (int i = 0; i < byteLength; i += Float.BYTES) {
            buffer.putFloat(i, value);
        }
    }

    /**
     * Copies all of {@code other}'s bytes into this slab; both must have the same length.
     *
     * @param other the source slab, same byte length
     * @throws IllegalArgumentException when the lengths differ
     */
    public void copyFrom(Slab other) {
        if (other.byteLength != byteLength) {
            throw new IllegalArgumentException("slab '" + name + "' has " + byteLength + " bytes, '" + other.name
                + "' has " + other.byteLength);
        }
        buffer().putBytes(0, other.buffer(), 0, byteLength);
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return true once freed
     */
    public boolean isClosed() {
        return closed;
    }

    /** Frees the native memory; a second call does nothing. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            buffer.wrap(new byte[0]);
            TickgradNative.tg_free(address);
        }
    }

    private int checkedByteOffset(long index) {
        if (index < 0 || index >= floatCapacity()) {
            throw new IndexOutOfBoundsException("slab '" + name + "': float index " + index + " outside its "
                + floatCapacity() + " floats");
        }
        return (int) (index * Float.BYTES);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("slab '" + name + "' is closed");
        }
    }

    /**
     * Rounds a float count up to the slab alignment.
     *
     * @param floats a float count
     * @return the smallest multiple of {@link #ALIGNMENT_FLOATS} not below it
     */
    public static long alignFloats(long floats) {
        return (floats + ALIGNMENT_FLOATS - 1) / ALIGNMENT_FLOATS * ALIGNMENT_FLOATS;
    }
}
