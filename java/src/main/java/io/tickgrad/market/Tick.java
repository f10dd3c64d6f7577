package io.tickgrad.market;

import static io.tickgrad.market.TickDescriptor.*;

import org.agrona.MutableDirectBuffer;

/**
 * A flyweight over one tick laid out as {@link TickDescriptor}: it holds no tick data of its own, only the
 * buffer and offset it wraps, so one instance reads or writes any number of ticks in place without allocating.
 * Wrap a queue's memory to read a tick where it lies, or a scratch buffer to build one.
 *
 * <p>Threads: a flyweight instance belongs to one thread; the memory it wraps belongs to whoever owns the buffer (a
 * queue, a scratch array), and a tick handed to a {@link TickHandler} is valid only during that call.
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
     *
     * @param buffer the memory holding the tick (a queue's, or a scratch buffer); not copied
     * @param offset byte offset of the tick in the buffer
     * @return this flyweight
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
     *
     * @return the source position, or {@link #NO_SOURCE_INDEX}
     */
    public long sourceIndex() {
        return sourceIndex;
    }

    /**
     * Set by the source after {@link #wrap}.
     *
     * @param value the source position of the wrapped tick
     * @return this flyweight
     */
    public Tick sourceIndex(long value) {
        this.sourceIndex = value;
        return this;
    }

    /**
     * The buffer this flyweight wraps.
     *
     * @return the buffer, or null before the first {@link #wrap}
     */
    public MutableDirectBuffer buffer() {
        return buffer;
    }

    /**
     * Where the wrapped tick starts in {@link #buffer()}.
     *
     * @return the byte offset
     */
    public int offset() {
        return offset;
    }

    /**
     * The event time at the venue, epoch nanoseconds (UTC).
     *
     * @return epoch nanoseconds
     */
    public long exchangeTimeNs() {
        return buffer.getLong(offset + EXCHANGE_TIME_OFFSET);
    }

    /**
     * Writes epoch nanoseconds into the wrapped buffer.
     *
     * @param v epoch nanoseconds
     * @return this flyweight
     */
    public Tick exchangeTimeNs(long v) {
        buffer.putLong(offset + EXCHANGE_TIME_OFFSET, v);
        return this;
    }

    /**
     * The time the tick was appended or received, epoch nanoseconds (UTC); equal to or after the exchange time on live
     * data.
     *
     * @return epoch nanoseconds
     */
    public long receiveTimeNs() {
        return buffer.getLong(offset + RECEIVE_TIME_OFFSET);
    }

    /**
     * Writes epoch nanoseconds into the wrapped buffer.
     *
     * @param v epoch nanoseconds
     * @return this flyweight
     */
    public Tick receiveTimeNs(long v) {
        buffer.putLong(offset + RECEIVE_TIME_OFFSET, v);
        return this;
    }

    /**
     * The per-queue sequence number: 0 for the first tick, +1 per tick.
     *
     * @return the sequence number
     */
    public long sequence() {
        return buffer.getLong(offset + SEQUENCE_OFFSET);
    }

    /**
     * Writes the sequence number into the wrapped buffer.
     *
     * @param v the sequence number
     * @return this flyweight
     */
    public Tick sequence(long v) {
        buffer.putLong(offset + SEQUENCE_OFFSET, v);
        return this;
    }

    /**
     * The instrument the tick belongs to (a CSV import derives it from the instrument's name:
     * {@link CsvTickImporter#instrumentId(String)}).
     *
     * @return the instrument id
     */
    public int instrumentId() {
        return buffer.getInt(offset + INSTRUMENT_ID_OFFSET);
    }

    /**
     * Writes the instrument id into the wrapped buffer.
     *
     * @param v the instrument id
     * @return this flyweight
     */
    public Tick instrumentId(int v) {
        buffer.putInt(offset + INSTRUMENT_ID_OFFSET, v);
        return this;
    }

    /**
     * The tick's shape.
     *
     * @return a {@link TickKind} byte; any other value marks a bad tick
     */
    public byte kind() {
        return buffer.getByte(offset + KIND_OFFSET);
    }

    /**
     * Sets the kind and zeroes the padding after it, so equal ticks are equal byte for byte.
     *
     * @param v a {@link TickKind} byte
     * @return this flyweight
     */
    public Tick kind(byte v) {
        buffer.putByte(offset + KIND_OFFSET, v);
        buffer.putByte(offset + KIND_OFFSET + 1, (byte) 0);
        buffer.putShort(offset + KIND_OFFSET + 2, (short) 0);
        return this;
    }

    /**
     * The one price every shape carries: a trade's price, a quote's mid, a bar's close, or the bare price, in the
     * instrument's quote currency.
     *
     * @return the price
     */
    public double price() {
        return buffer.getDouble(offset + PRICE_OFFSET);
    }

    /**
     * Writes the price into the wrapped buffer.
     *
     * @param v the price
     * @return this flyweight
     */
    public Tick price(double v) {
        buffer.putDouble(offset + PRICE_OFFSET, v);
        return this;
    }

    /**
     * A trade's size or a bar's volume, in the instrument's units; NaN when unknown or the shape has none (see
     * {@link #hasSize()}).
     *
     * @return the size
     */
    public double size() {
        return buffer.getDouble(offset + SIZE_OFFSET);
    }

    /**
     * Writes the size into the wrapped buffer.
     *
     * @param v the size
     * @return this flyweight
     */
    public Tick size(double v) {
        buffer.putDouble(offset + SIZE_OFFSET, v);
        return this;
    }

    /**
     * A quote's best bid (also a trade's, when recorded with the book); NaN when the shape has none. The same slot
     * holds a bar's open.
     *
     * @return the bid price
     */
    public double bid() {
        return buffer.getDouble(offset + BID_OFFSET);
    }

    /**
     * Writes the bid price into the wrapped buffer.
     *
     * @param v the bid price
     * @return this flyweight
     */
    public Tick bid(double v) {
        buffer.putDouble(offset + BID_OFFSET, v);
        return this;
    }

    /**
     * A quote's best ask (also a trade's, when recorded with the book); NaN when the shape has none. The same slot
     * holds a bar's high.
     *
     * @return the ask price
     */
    public double ask() {
        return buffer.getDouble(offset + ASK_OFFSET);
    }

    /**
     * Writes the ask price into the wrapped buffer.
     *
     * @param v the ask price
     * @return this flyweight
     */
    public Tick ask(double v) {
        buffer.putDouble(offset + ASK_OFFSET, v);
        return this;
    }

    /**
     * The size at the best bid; NaN when unknown. The same slot holds a bar's low.
     *
     * @return the bid size
     */
    public double bidSize() {
        return buffer.getDouble(offset + BID_SIZE_OFFSET);
    }

    /**
     * Writes the bid size into the wrapped buffer.
     *
     * @param v the bid size
     * @return this flyweight
     */
    public Tick bidSize(double v) {
        buffer.putDouble(offset + BID_SIZE_OFFSET, v);
        return this;
    }

    /**
     * The size at the best ask; NaN when unknown.
     *
     * @return the ask size
     */
    public double askSize() {
        return buffer.getDouble(offset + ASK_SIZE_OFFSET);
    }

    /**
     * Writes the ask size into the wrapped buffer.
     *
     * @param v the ask size
     * @return this flyweight
     */
    public Tick askSize(double v) {
        buffer.putDouble(offset + ASK_SIZE_OFFSET, v);
        return this;
    }

    /**
     * Writes a whole trade tick (quote fields NaN).
     *
     * @param sequence       the per-queue sequence
     * @param instrumentId   the instrument
     * @param exchangeTimeNs event time at the venue, epoch ns
     * @param receiveTimeNs  receive time, epoch ns
     * @param price          trade price
     * @param size           trade size
     * @return this flyweight
     */
    public Tick trade(long sequence, int instrumentId, long exchangeTimeNs, long receiveTimeNs, double price,
                      double size) {
        return sequence(sequence).instrumentId(instrumentId).kind(TickKind.TRADE).exchangeTimeNs(exchangeTimeNs)
            .receiveTimeNs(receiveTimeNs).price(price).size(size).bid(Double.NaN).ask(Double.NaN)
            .bidSize(Double.NaN).askSize(Double.NaN);
    }

    /**
     * Writes a whole quote tick; price is the mid, size NaN.
     *
     * @param sequence       the per-queue sequence
     * @param instrumentId   the instrument
     * @param exchangeTimeNs event time at the venue, epoch ns
     * @param receiveTimeNs  receive time, epoch ns
     * @param bid            best bid
     * @param ask            best ask
     * @param bidSize        size at the bid, NaN when unknown
     * @param askSize        size at the ask, NaN when unknown
     * @return this flyweight
     */
    public Tick quote(long sequence, int instrumentId, long exchangeTimeNs, long receiveTimeNs, double bid,
                      double ask, double bidSize, double askSize) {
        return sequence(sequence).instrumentId(instrumentId).kind(TickKind.QUOTE).exchangeTimeNs(exchangeTimeNs)
            .receiveTimeNs(receiveTimeNs).price((bid + ask) * 0.5).size(Double.NaN).bid(bid).ask(ask)
            .bidSize(bidSize).askSize(askSize);
    }

    /**
     * Writes a whole bar tick: the close is the price, the volume the size (NaN when unknown).
     *
     * @param sequence       the per-queue sequence
     * @param instrumentId   the instrument
     * @param exchangeTimeNs the bar's time, epoch ns
     * @param receiveTimeNs  receive time, epoch ns
     * @param open           first price of the bar
     * @param high           highest price
     * @param low            lowest price
     * @param close          last price, stored as the price
     * @param volume         traded volume, NaN when unknown
     * @return this flyweight
     */
    public Tick bar(long sequence, int instrumentId, long exchangeTimeNs, long receiveTimeNs, double open, double high,
                    double low, double close, double volume) {
        return sequence(sequence).instrumentId(instrumentId).kind(TickKind.BAR).exchangeTimeNs(exchangeTimeNs)
            .receiveTimeNs(receiveTimeNs).price(close).size(volume).open(open).high(high).low(low)
            .askSize(Double.NaN);
    }

    /**
     * Writes a bare price tick (a close, a mid, a fixing): every other field NaN.
     *
     * @param sequence       the per-queue sequence
     * @param instrumentId   the instrument
     * @param exchangeTimeNs the price's time, epoch ns
     * @param receiveTimeNs  receive time, epoch ns
     * @param price          the price
     * @return this flyweight
     */
    public Tick priceOnly(long sequence, int instrumentId, long exchangeTimeNs, long receiveTimeNs, double price) {
        return sequence(sequence).instrumentId(instrumentId).kind(TickKind.PRICE).exchangeTimeNs(exchangeTimeNs)
            .receiveTimeNs(receiveTimeNs).price(price).size(Double.NaN).bid(Double.NaN).ask(Double.NaN)
            .bidSize(Double.NaN).askSize(Double.NaN);
    }

    /**
     * A bar's open (the bid's slot); meaningful only for {@link TickKind#BAR}.
     *
     * @return the open
     */
    public double open() {
        return buffer.getDouble(offset + OPEN_OFFSET);
    }

    /**
     * Writes a bar's open (into the bid's slot).
     *
     * @param v the open
     * @return this flyweight
     */
    public Tick open(double v) {
        buffer.putDouble(offset + OPEN_OFFSET, v);
        return this;
    }

    /**
     * A bar's high (the ask's slot); meaningful only for {@link TickKind#BAR}.
     *
     * @return the high
     */
    public double high() {
        return buffer.getDouble(offset + HIGH_OFFSET);
    }

    /**
     * Writes a bar's high (into the ask's slot).
     *
     * @param v the high
     * @return this flyweight
     */
    public Tick high(double v) {
        buffer.putDouble(offset + HIGH_OFFSET, v);
        return this;
    }

    /**
     * A bar's low (the bid size's slot); meaningful only for {@link TickKind#BAR}.
     *
     * @return the low
     */
    public double low() {
        return buffer.getDouble(offset + LOW_OFFSET);
    }

    /**
     * Writes a bar's low (into the bid size's slot).
     *
     * @param v the low
     * @return this flyweight
     */
    public Tick low(double v) {
        buffer.putDouble(offset + LOW_OFFSET, v);
        return this;
    }

    /**
     * Whether the tick carries a bid and an ask: every quote, and a trade recorded with the book around it. A bar's
     * open and high sit in the same slots but are not a quote.
     *
     * @return true when bid and ask are meaningful
     */
    public boolean hasQuote() {
        byte k = kind();
        return k == TickKind.QUOTE || (k == TickKind.TRADE && !Double.isNaN(bid()) && !Double.isNaN(ask()));
    }

    /**
     * Whether the tick has a size that means something: a trade's size or a bar's volume, finite and >= 0.
     *
     * @return true when size is meaningful
     */
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
