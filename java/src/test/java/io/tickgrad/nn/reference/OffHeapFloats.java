package io.tickgrad.nn.reference;

import io.tickgrad.nativeio.TickgradNative;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;

/** Native blocks from tg_alloc for backend tests, freed together by close(). */
final class OffHeapFloats implements AutoCloseable {
    private final List<Long> blocks = new ArrayList<>();
    private final UnsafeBuffer view = new UnsafeBuffer(0L, 0);

    /** A block holding the given floats. */
    long put(float[] values) {
        long address = allocate(values.length * Float.BYTES);
        view.wrap(address, values.length * Float.BYTES);
        for (int i = 0; i < values.length; i++) {
            view.putFloat(i * Float.BYTES, values[i]);
        }
        return address;
    }

    /** A block of n NaNs, so that an output the backend fails to write cannot pass for a result. */
    long poisoned(int n) {
        float[] nan = new float[n];
        java.util.Arrays.fill(nan, Float.NaN);
        return put(nan);
    }

    /** A block holding the given int64 words (a plan). */
    long putLongs(long[] words) {
        long address = allocate(words.length * Long.BYTES);
        view.wrap(address, words.length * Long.BYTES);
        for (int i = 0; i < words.length; i++) {
            view.putLong(i * Long.BYTES, words[i]);
        }
        return address;
    }

    float[] get(long address, int n) {
        view.wrap(address, n * Float.BYTES);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = view.getFloat(i * Float.BYTES);
        }
        return out;
    }

    private long allocate(int bytes) {
        long address = TickgradNative.tg_alloc(bytes);
        if (address == 0) {
            throw new OutOfMemoryError("tg_alloc(" + bytes + ") failed");
        }
        blocks.add(address);
        return address;
    }

    @Override
    public void close() {
        for (long address : blocks) {
            TickgradNative.tg_free(address);
        }
        blocks.clear();
    }
}
