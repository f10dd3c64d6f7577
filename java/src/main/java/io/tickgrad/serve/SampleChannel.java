package io.tickgrad.serve;

import io.tickgrad.tensor.Slab;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * The one-way channel of matured samples from the inference thread to the trainer thread: an Agrona
 * {@link OneToOneRingBuffer} over native memory that {@link #close()} frees.
 */
public final class SampleChannel implements AutoCloseable {
    private final Slab memory;
    private final OneToOneRingBuffer ring;

    private SampleChannel(Slab memory, OneToOneRingBuffer ring) {
        this.memory = memory;
        this.ring = ring;
    }

    /** A channel holding at least {@code samples} samples of {@code width} floats. */
    public static SampleChannel forSamples(int samples, int width) {
        long need = (long) samples * (MaturedSample.length(width) + 8 /* record header */ + 7);
        long capacity = Long.highestOneBit(Math.max(need, 1024) - 1) << 1;
        if (capacity > 1 << 30) {
            throw new IllegalArgumentException("sample channel: " + samples + " samples of " + width
                + " floats need over 1 GiB");
        }
        Slab memory = Slab.ofBytes("sample-channel", capacity + RingBufferDescriptor.TRAILER_LENGTH);
        return new SampleChannel(memory, new OneToOneRingBuffer(
            new UnsafeBuffer(memory.address(), (int) capacity + RingBufferDescriptor.TRAILER_LENGTH)));
    }

    public RingBuffer ring() {
        return ring;
    }

    @Override
    public void close() {
        memory.close();
    }
}
