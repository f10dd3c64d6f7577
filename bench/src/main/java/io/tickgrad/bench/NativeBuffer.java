package io.tickgrad.bench;

import io.tickgrad.nativeio.TickgradNative;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * A float array in tickgrad's 64-byte-aligned native memory, so that tickgrad and the peers read the
 * very same kind of memory. Both engines get a raw address; OpenBLAS gets it through a
 * {@link FloatPointer} view that owns nothing. Free it with {@link #close()} in {@code @TearDown}.
 */
public final class NativeBuffer implements AutoCloseable {
    private final long floats;
    private long address;
    private final FloatPointer view;

    public NativeBuffer(long floats) {
        if (floats <= 0) {
            throw new IllegalArgumentException("buffer of " + floats + " floats: must be positive");
        }
        this.floats = floats;
        this.address = TickgradNative.tg_alloc(floats * Float.BYTES);
        if (address == 0) {
            throw new IllegalStateException("tg_alloc failed for " + floats * Float.BYTES + " bytes");
        }
        this.view = new AddressView(address, floats);
    }

    /** Fills with uniform floats in [-1, 1): benchmarks never run on zeros (denormals, skipped work). */
    public NativeBuffer randomize(long seed) {
        UnsafeBuffer buffer = new UnsafeBuffer(address, Math.toIntExact(floats * Float.BYTES));
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < floats; i++) {
            buffer.putFloat(i * Float.BYTES, (float) (random.nextDouble() * 2.0 - 1.0));
        }
        return this;
    }

    public long address() {
        return address;
    }

    public long floats() {
        return floats;
    }

    /** A JavaCPP view of the same memory; it has no deallocator, so the GC never frees it. */
    public FloatPointer pointer() {
        return view;
    }

    @Override
    public void close() {
        if (address != 0) {
            TickgradNative.tg_free(address);
            address = 0;
        }
    }

    /** Pointer whose address is set directly: JavaCPP has no public constructor taking one. */
    private static final class AddressView extends FloatPointer {
        AddressView(long address, long floats) {
            super((Pointer) null);
            this.address = address;
            this.limit = floats;
            this.capacity = floats;
        }
    }
}
