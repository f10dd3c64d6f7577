package io.tickgrad.online;

import org.agrona.DirectBuffer;

/**
 * The layout of one matured training sample, as the inference agent writes it into the ring buffer the trainer
 * agent reads: little-endian, 8-byte aligned.
 *
 * <pre>
 * offset size field
 *      0    8 tickSequence   sequence of the tick the prediction was made on
 *      8    8 resumeIndex    source index from which a restart re-reads ticks to rebuild this sample exactly
 *     16    8 exchangeTimeNs that tick's exchange time
 *     24    4 label          int: 1 up, 0 down (dead-zone moves are never sent)
 *     28    4 width          floats that follow
 *     32  4*w values         what the trainer's network takes: the features, or a frozen trunk's output
 * </pre>
 *
 * <p>An instance is a read-only flyweight over one sample in a buffer ({@link #wrap}); the writer is
 * {@link SampleCollector}, which hands it on through a {@link SampleSink}; the readers are the ring buffer's sink and
 * the trainer agent. Not thread-safe: one instance per thread.
 */
public final class MaturedSample {
    /** Byte offset of the tick sequence (long). */
    public static final int TICK_SEQUENCE_OFFSET = 0;
    /** Byte offset of the resume index (long): where a restart re-reads ticks from. */
    public static final int RESUME_INDEX_OFFSET = 8;
    /** Byte offset of the tick's exchange time (long, epoch ns). */
    public static final int EXCHANGE_TIME_OFFSET = 16;
    /** Byte offset of the label (int: 1 up, 0 down). */
    public static final int LABEL_OFFSET = 24;
    /** Byte offset of the number of floats that follow (int). */
    public static final int WIDTH_OFFSET = 28;
    /** Byte offset of the first value (float); a sample is {@code VALUES_OFFSET + 4 * width} bytes. */
    public static final int VALUES_OFFSET = 32;
    /** Message type id in the ring buffer. */
    public static final int MESSAGE_TYPE = 1;

    private DirectBuffer buffer;
    private int offset;

    /**
     * Bytes of a sample of {@code width} floats.
     *
     * @param width the floats of the values part
     * @return the sample's length in bytes
     */
    public static int length(int width) {
        return VALUES_OFFSET + width * Float.BYTES;
    }

    /**
     * Points this flyweight at the sample at {@code offset} of {@code buffer}; allocates nothing.
     *
     * @param buffer the buffer holding the sample (a ring buffer's message)
     * @param offset the sample's byte offset
     * @return this
     */
    public MaturedSample wrap(DirectBuffer buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /** @return the sequence of the tick the prediction was made on */
    public long tickSequence() {
        return buffer.getLong(offset + TICK_SEQUENCE_OFFSET);
    }

    /** @return the source index from which a restart re-reads ticks to rebuild this sample */
    public long resumeIndex() {
        return buffer.getLong(offset + RESUME_INDEX_OFFSET);
    }

    /** @return that tick's exchange time, epoch ns */
    public long exchangeTimeNs() {
        return buffer.getLong(offset + EXCHANGE_TIME_OFFSET);
    }

    /** @return the label: 1 up, 0 down */
    public int label() {
        return buffer.getInt(offset + LABEL_OFFSET);
    }

    /** @return the number of float32 values that follow */
    public int width() {
        return buffer.getInt(offset + WIDTH_OFFSET);
    }

    /** @return the byte offset in the buffer of the first value */
    public int valuesOffset() {
        return offset + VALUES_OFFSET;
    }

    /** @return the byte offset of the sample in {@link #buffer()} */
    public int offset() {
        return offset;
    }

    /** @return the sample's length in bytes: {@code length(width())} */
    public int length() {
        return length(width());
    }

    /** @return the buffer this flyweight reads */
    public DirectBuffer buffer() {
        return buffer;
    }
}
