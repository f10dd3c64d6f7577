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
 *     28    1 kind             {@link TickKind}: trade, quote, bar or price
 *     29    3 (padding, zero)
 *     32    8 price            trade price, a quote's mid, a bar's close, or the bare price
 *     40    8 size             trade size, or a bar's volume (NaN if unknown)
 *     48    8 bid | open       a quote's bid, or a bar's open; NaN when the shape has neither
 *     56    8 ask | high       a quote's ask, or a bar's high; NaN when the shape has neither
 *     64    8 bidSize | low    a quote's bid size (NaN when unknown), or a bar's low
 *     72    8 askSize          a quote's ask size (NaN when unknown)
 * </pre>
 *
 * <p>The bar fields share the quote fields' slots: a tick is one shape, so the record stays 80 bytes and every
 * queue recorded before bars existed still reads the same.
 */
public final class TickDescriptor {
    /** Byte offset of exchangeTimeNs, int64 epoch ns. */
    public static final int EXCHANGE_TIME_OFFSET = 0;
    /** Byte offset of receiveTimeNs, int64 epoch ns. */
    public static final int RECEIVE_TIME_OFFSET = 8;
    /** Byte offset of sequence, int64. */
    public static final int SEQUENCE_OFFSET = 16;
    /** Byte offset of instrumentId, int32. */
    public static final int INSTRUMENT_ID_OFFSET = 24;
    /** Byte offset of kind, one {@link TickKind} byte followed by 3 zero bytes. */
    public static final int KIND_OFFSET = 28;
    /** Byte offset of price, float64. */
    public static final int PRICE_OFFSET = 32;
    /** Byte offset of size, float64. */
    public static final int SIZE_OFFSET = 40;
    /** Byte offset of bid (or a bar's open), float64. */
    public static final int BID_OFFSET = 48;
    /** Byte offset of ask (or a bar's high), float64. */
    public static final int ASK_OFFSET = 56;
    /** Byte offset of bidSize (or a bar's low), float64. */
    public static final int BID_SIZE_OFFSET = 64;
    /** Byte offset of askSize, float64. */
    public static final int ASK_SIZE_OFFSET = 72;
    /** A bar's open, in the bid's slot. */
    public static final int OPEN_OFFSET = BID_OFFSET;
    /** A bar's high, in the ask's slot. */
    public static final int HIGH_OFFSET = ASK_OFFSET;
    /** A bar's low, in the bid size's slot. */
    public static final int LOW_OFFSET = BID_SIZE_OFFSET;
    /** Bytes of one tick. */
    public static final int LENGTH = 80;

    private TickDescriptor() {
    }
}
