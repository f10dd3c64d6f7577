package io.tickgrad.serve;

/**
 * The layout of one matured training sample, as the inference agent writes it into the ring buffer the trainer
 * agent reads: little-endian, 8-byte aligned.
 *
 * <pre>
 * offset size field
 *      0    8 tickSequence   sequence of the tick the prediction was made on
 *      8    8 resumeIndex    source index from which a restart re-reads ticks to rebuild this sample exactly
 *     16    8 exchangeTimeNs that tick's exchange time
 *     24    4 label          1 up, 0 down (dead-zone moves are never sent)
 *     28    4 width          floats that follow
 *     32  4*w values         what the trainer's network takes: the features, or a frozen trunk's output
 * </pre>
 */
public final class MaturedSample {
    public static final int TICK_SEQUENCE_OFFSET = 0;
    public static final int RESUME_INDEX_OFFSET = 8;
    public static final int EXCHANGE_TIME_OFFSET = 16;
    public static final int LABEL_OFFSET = 24;
    public static final int WIDTH_OFFSET = 28;
    public static final int VALUES_OFFSET = 32;
    /** Message type id in the ring buffer. */
    public static final int MESSAGE_TYPE = 1;

    private MaturedSample() {
    }

    /** Bytes of a sample of {@code width} floats. */
    public static int length(int width) {
        return VALUES_OFFSET + width * Float.BYTES;
    }
}
