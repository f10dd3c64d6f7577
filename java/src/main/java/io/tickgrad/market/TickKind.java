package io.tickgrad.market;

/**
 * The shapes a tick comes in, as stored in {@link TickDescriptor#KIND_OFFSET}. Plain bytes: no enum lookups on the
 * hot path. Every shape carries one price in {@link TickDescriptor#PRICE_OFFSET} that features, labels and the
 * strategy read: the trade price, a quote's mid, a bar's close, or the bare price.
 */
public final class TickKind {
    /** A trade: price and size (bid and ask may come along as context). */
    public static final byte TRADE = 1;
    /** A quote: bid, ask and, where known, their sizes; price holds the mid. */
    public static final byte QUOTE = 2;
    /** A bar: open, high, low and close (the price), with its volume where known. */
    public static final byte BAR = 3;
    /** A bare price: a close, a mid, an index level or a fixing, with nothing else. */
    public static final byte PRICE = 4;

    private TickKind() {
    }

    /**
     * Whether {@code kind} is one of the shapes above; a tick of any other kind byte is bad.
     *
     * @param kind the kind byte of a tick
     * @return true for trade, quote, bar and price
     */
    public static boolean isKnown(byte kind) {
        return kind >= TRADE && kind <= PRICE;
    }

    /**
     * "trade", "quote", "bar", "price" or "unknown(k)"; for messages, not the hot path.
     *
     * @param kind the kind byte
     * @return the name
     */
    public static String name(byte kind) {
        switch (kind) {
            case TRADE: return "trade";
            case QUOTE: return "quote";
            case BAR: return "bar";
            case PRICE: return "price";
            default: return "unknown(" + kind + ")";
        }
    }
}
