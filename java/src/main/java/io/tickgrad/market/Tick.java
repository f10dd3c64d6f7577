package io.tickgrad.market;

import static io.tickgrad.market.TickDescriptor.*;

import org.agrona.MutableDirectBuffer;

/**
 * A flyweight over one tick laid out as {@link TickDescriptor}: it holds no tick data of its own, only the
 * buffer and offset it wraps, so one instance reads or writes any number of ticks in place without allocating.
 * Wrap a queue's memory to read a tick where it lies, or a scratch buffer to build one.
 */
public final class Tick {
    private MutableDirectBuffer buffer;
    private int offset;
    private long sourceIndex = NO_SOURCE_INDEX;

    /** {@link #sourceIndex()} of a tick whose source has no positions (an array, a CSV file). */
    public static final long NO_SOURCE_INDEX = -1;

    /**
     * Points this flyweight at the tick starting at {@code offset}; the buffer must hold {@link TickDescriptor#LENGTH}
     * bytes there. Resets {@link #sourceIndex()}.
     */
    public Tick wrap(MutableDirectBuffer buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
        this.sourceIndex = NO_SOURCE_INDEX;
        return this;
    }

    /**
     * Where the source holds this tick (a Chronicle Queue index), so a restart can go back to it; not part of the
     * record. {@link #NO_SOURCE_INDEX} when the source has no positions.
     */
    public long sourceIndex() {
        return sourceIndex;
    }

    /** Set by the source after {@link #wrap}. */
    public Tick sourceIndex(long value) {
        this.sourceIndex = value;
        return this;
    }

    public MutableDirectBuffer buffer() {
        return buffer;
    }

    public int offset() {
        return offset;
    }

    public long exchangeTimeNs() {
        return buffer.getLong(offset + EXCHANGE_TIME_OFFSET);
    }

    public Tick exchangeTimeNs(long v) {
        buffer.putLong(offset + EXCHANGE_TIME_OFFSET, v);
        return this;
    }

    public long receiveTimeNs() {
        return buffer.getLong(offset + RECEIVE_TIME_OFFSET);
    }

    public Tick receiveTimeNs(long v) {
        buffer.putLong(offset + RECEIVE_TIME_OFFSET, v);
        return this;
    }

    public long sequence() {
        return buffer.getLong(offset + SEQUENCE_OFFSET);
    }

    public Tick sequence(long v) {
        buffer.putLong(offset + SEQUENCE_OFFSET, v);
        return this;
    }

    public int instrumentId() {
        return buffer.getInt(offset + INSTRUMENT_ID_OFFSET);
    }

    public Tick instrumentId(int v) {
        buffer.putInt(offset + INSTRUMENT_ID_OFFSET, v);
        return this;
    }

    public byte kind() {
        return buffer.getByte(offset + KIND_OFFSET);
    }

    /** Sets the kind and zeroes the padding after it, so equal ticks are equal byte for byte. */
    public Tick kind(byte v) {
        buffer.putByte(offset + KIND_OFFSET, v);
        buffer.putByte(offset + KIND_OFFSET + 1, (byte) 0);
        buffer.putShort(offset + KIND_OFFSET + 2, (short) 0);
        return this;
    }

    public double price() {
        return buffer.getDouble(offset + PRICE_OFFSET);
    }

    public Tick price(double v) {
        buffer.putDouble(offset + PRICE_OFFSET, v);
        return this;
    }

    public double size() {
        return buffer.getDouble(offset + SIZE_OFFSET);
    }

    public Tick size(double v) {
        buffer.putDouble(offset + SIZE_OFFSET, v);
        return this;
    }

    public double bid() {
        return buffer.getDouble(offset + BID_OFFSET);
    }

    public Tick bid(double v) {
        buffer.putDouble(offset + BID_OFFSET, v);
        return this;
    }

    public double ask() {
        return buffer.getDouble(offset + ASK_OFFSET);
    }

    public Tick ask(double v) {
        buffer.putDouble(offset + ASK_OFFSET, v);
        return this;
    }

    public double bidSize() {
        return buffer.getDouble(offset + BID_SIZE_OFFSET);
    }

    public Tick bidSize(double v) {
        buffer.putDouble(offset + BID_SIZE_OFFSET, v);
        return this;
    }

    public double askSize() {
        return buffer.getDouble(offset + ASK_SIZE_OFFSET);
    }

    public Tick askSize(double v) {
        buffer.putDouble(offset + ASK_SIZE_OFFSET, v);
        return this;
    }

    /** Writes a whole trade tick (quote fields NaN). */
    public Tick trade(long sequence, int instrumentId, long exchangeTimeNs, long receiveTimeNs, double price,
                      double size) {
        return sequence(sequence).instrumentId(instrumentId).kind(TickKind.TRADE).exchangeTimeNs(exchangeTimeNs)
            .receiveTimeNs(receiveTimeNs).price(price).size(size).bid(Double.NaN).ask(Double.NaN)
            .bidSize(Double.NaN).askSize(Double.NaN);
    }

    /** Writes a whole quote tick; price is the mid, size NaN. */
    public Tick quote(long sequence, int instrumentId, long exchangeTimeNs, long receiveTimeNs, double bid,
                      double ask, double bidSize, double askSize) {
        return sequence(sequence).instrumentId(instrumentId).kind(TickKind.QUOTE).exchangeTimeNs(exchangeTimeNs)
            .receiveTimeNs(receiveTimeNs).price((bid + ask) * 0.5).size(Double.NaN).bid(bid).ask(ask)
            .bidSize(bidSize).askSize(askSize);
    }

    /** Writes a whole bar tick: the close is the price, the volume the size (NaN when unknown). */
    public Tick bar(long sequence, int instrumentId, long exchangeTimeNs, long receiveTimeNs, double open, double high,
                    double low, double close, double volume) {
        return sequence(sequence).instrumentId(instrumentId).kind(TickKind.BAR).exchangeTimeNs(exchangeTimeNs)
            .receiveTimeNs(receiveTimeNs).price(close).size(volume).open(open).high(high).low(low)
            .askSize(Double.NaN);
    }

    /** Writes a bare price tick (a close, a mid, a fixing): every other field NaN. */
    public Tick priceOnly(long sequence, int instrumentId, long exchangeTimeNs, long receiveTimeNs, double price) {
        return sequence(sequence).instrumentId(instrumentId).kind(TickKind.PRICE).exchangeTimeNs(exchangeTimeNs)
            .receiveTimeNs(receiveTimeNs).price(price).size(Double.NaN).bid(Double.NaN).ask(Double.NaN)
            .bidSize(Double.NaN).askSize(Double.NaN);
    }

    /** A bar's open (the bid's slot); meaningful only for {@link TickKind#BAR}. */
    public double open() {
        return buffer.getDouble(offset + OPEN_OFFSET);
    }

    public Tick open(double v) {
        buffer.putDouble(offset + OPEN_OFFSET, v);
        return this;
    }

    /** A bar's high (the ask's slot); meaningful only for {@link TickKind#BAR}. */
    public double high() {
        return buffer.getDouble(offset + HIGH_OFFSET);
    }

    public Tick high(double v) {
        buffer.putDouble(offset + HIGH_OFFSET, v);
        return this;
    }

    /** A bar's low (the bid size's slot); meaningful only for {@link TickKind#BAR}. */
    public double low() {
        return buffer.getDouble(offset + LOW_OFFSET);
    }

    public Tick low(double v) {
        buffer.putDouble(offset + LOW_OFFSET, v);
        return this;
    }

    /**
     * Whether the tick carries a bid and an ask: every quote, and a trade recorded with the book around it. A bar's
     * open and high sit in the same slots but are not a quote.
     */
    public boolean hasQuote() {
        byte k = kind();
        return k == TickKind.QUOTE || (k == TickKind.TRADE && !Double.isNaN(bid()) && !Double.isNaN(ask()));
    }

    /** Whether the tick has a size that means something: a trade's size or a bar's volume, finite and >= 0. */
    public boolean hasSize() {
        byte k = kind();
        double s = size();
        return (k == TickKind.TRADE || k == TickKind.BAR) && s >= 0 && s < Double.POSITIVE_INFINITY;
    }

    @Override
    public String toString() {
        if (kind() == TickKind.BAR) {
            return "Tick{seq=" + sequence() + ", instrument=" + instrumentId() + ", kind=bar, exchangeTimeNs="
                + exchangeTimeNs() + ", receiveTimeNs=" + receiveTimeNs() + ", open=" + open() + ", high=" + high()
                + ", low=" + low() + ", close=" + price() + ", volume=" + size() + '}';
        }
        return "Tick{seq=" + sequence() + ", instrument=" + instrumentId() + ", kind=" + TickKind.name(kind())
            + ", exchangeTimeNs=" + exchangeTimeNs() + ", receiveTimeNs=" + receiveTimeNs() + ", price=" + price()
            + ", size=" + size() + ", bid=" + bid() + ", ask=" + ask() + ", bidSize=" + bidSize() + ", askSize="
            + askSize() + '}';
    }
}
