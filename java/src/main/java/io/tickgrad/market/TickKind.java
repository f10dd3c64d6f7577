package io.tickgrad.market;

/** The kinds of tick, as stored in {@link TickDescriptor#KIND_OFFSET}. Plain bytes: no enum lookups on the hot path. */
public final class TickKind {
    /** A trade: price and size. */
    public static final byte TRADE = 1;
    /** A quote: bid, ask and their sizes; price holds the mid. */
    public static final byte QUOTE = 2;

    private TickKind() {
    }

    /** "trade", "quote" or "unknown(k)"; for messages, not the hot path. */
    public static String name(byte kind) {
        return kind == TRADE ? "trade" : kind == QUOTE ? "quote" : "unknown(" + kind + ")";
    }
}
