package io.tickgrad.online;

import io.tickgrad.tensor.Slab;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * The one-way channel of matured samples from the inference thread to the trainer thread: an Agrona
 * {@link OneToOneRingBuffer} over native memory that {@link #close()} frees. As a {@link SampleSink} it writes each
 * sample into the ring (one writer: the inference thread); the trainer agent reads {@link #ring()} (one reader).
 */
public final class SampleChannel implements SampleSink, AutoCloseable {
    private final Slab memory;
    private final OneToOneRingBuffer ring;

    private SampleChannel(Slab memory, OneToOneRingBuffer ring) {
        this.memory = memory;
        this.ring = ring;
    }

    /**
     * @param samples the samples the ring must hold at once
     * @param width   floats per sample
     * @return a channel holding at least {@code samples} samples of {@code width} floats (off-heap, freed by
     *         {@link #close()})
     */
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

    /** @return the ring buffer; the trainer agent reads it */
    public RingBuffer ring() {
        return ring;
    }

    /** Writes the sample into the ring; false, writing nothing, when the ring is full. Inference thread. */
    @Override
    public boolean onSample(MaturedSample sample) {
        return write(ring, sample);
    }

    /**
     * A sink writing into {@code ring}, for a ring this class does not own.
     *
     * @param ring a ring buffer whose messages can hold the samples
     * @return the sink; one writing thread
     */
    public static SampleSink writerTo(RingBuffer ring) {
        return sample -> write(ring, sample);
    }

    private static boolean write(RingBuffer ring, MaturedSample sample) {
        return ring.write(MaturedSample.MESSAGE_TYPE, sample.buffer(), sample.offset(), sample.length());
    }

    @Override
    public void close() {
        memory.close();
    }
}
