package io.tickgrad.market;

/**
 * The fixed binary layout of one tick, 80 bytes, little-endian (the native order of the machines tickgrad runs
 * on; Agrona buffers read and write in it by default). Fields are aligned to their size, so a tick read in place
 * from a queue never straddles a word.
 *
 * <pre>
 * offset size field
 *      0    8 exchangeTimeNs   event time at the venue, epoch ns
 *      8    8 receiveTimeNs    time the tick was appended (or received), epoch ns
 *     16    8 sequence         per-queue sequence, starts at 0, +1 per tick
 *     24    4 instrumentId
 *     28    1 kind             {@link TickKind#TRADE} or {@link TickKind#QUOTE}
 *     29    3 (padding, zero)
 *     32    8 price            trade price, or the mid of a quote
 *     40    8 size             trade size (NaN if unknown)
 *     48    8 bid              NaN when the tick carries no quote
 *     56    8 ask              NaN when the tick carries no quote
 *     64    8 bidSize          NaN when unknown
 *     72    8 askSize          NaN when unknown
 * </pre>
 */
public final class TickDescriptor {
    public static final int EXCHANGE_TIME_OFFSET = 0;
    public static final int RECEIVE_TIME_OFFSET = 8;
    public static final int SEQUENCE_OFFSET = 16;
    public static final int INSTRUMENT_ID_OFFSET = 24;
    public static final int KIND_OFFSET = 28;
    public static final int PRICE_OFFSET = 32;
    public static final int SIZE_OFFSET = 40;
    public static final int BID_OFFSET = 48;
    public static final int ASK_OFFSET = 56;
    public static final int BID_SIZE_OFFSET = 64;
    public static final int ASK_SIZE_OFFSET = 72;
    /** Bytes of one tick. */
    public static final int LENGTH = 80;

    private TickDescriptor() {
    }
}
