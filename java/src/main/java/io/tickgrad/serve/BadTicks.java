package io.tickgrad.serve;

import io.tickgrad.market.Tick;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checks ticks before they reach the features and counts the ones refused, by reason. The serving loop never
 * throws on a bad tick: it counts it, skips it, and reports the counts (and the first bad tick of each kind).
 */
public final class BadTicks {
    /** Reasons, as indexes into the counters. */
    public static final int OK = -1;
    public static final int BAD_PRICE = 0;
    public static final int TIME_BACKWARDS = 1;
    public static final int SEQUENCE_NOT_INCREASING = 2;
    public static final int OTHER_INSTRUMENT = 3;
    public static final int BAD_QUOTE = 4;
    private static final String[] NAMES = {"price not finite and positive", "exchange time went backwards",
        "sequence not increasing", "another instrument than the first tick's", "bid/ask not finite and positive"};

    private final long[] counts = new long[NAMES.length];
    private final long[] firstSequence = new long[NAMES.length];
    private long lastTime = Long.MIN_VALUE;
    private long lastSequence = Long.MIN_VALUE;
    private int instrument;
    private boolean instrumentKnown;

    /** Returns {@link #OK} and remembers the tick, or the reason it is refused (and counts it). Allocates nothing. */
    public int check(Tick tick) {
        int reason = reason(tick);
        if (reason != OK) {
            if (counts[reason]++ == 0) {
                firstSequence[reason] = tick.sequence();
            }
            return reason;
        }
        lastTime = tick.exchangeTimeNs();
        lastSequence = tick.sequence();
        if (!instrumentKnown) {
            instrument = tick.instrumentId();
            instrumentKnown = true;
        }
        return OK;
    }

    private int reason(Tick tick) {
        double p = tick.price();
        if (!(p > 0) || p == Double.POSITIVE_INFINITY) {
            return BAD_PRICE;
        }
        if (tick.hasQuote() && !(tick.bid() > 0 && tick.ask() >= tick.bid() && tick.ask() < Double.POSITIVE_INFINITY)) {
            return BAD_QUOTE;
        }
        if (tick.exchangeTimeNs() < lastTime) {
            return TIME_BACKWARDS;
        }
        if (tick.sequence() <= lastSequence) {
            return SEQUENCE_NOT_INCREASING;
        }
        if (instrumentKnown && tick.instrumentId() != instrument) {
            return OTHER_INSTRUMENT;
        }
        return OK;
    }

    /** Bad ticks in all. */
    public long total() {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        return n;
    }

    /** Bad ticks for one reason. */
    public long count(int reason) {
        return counts[reason];
    }

    /** Reason to count, for the reasons seen (cold path: reports). */
    public Map<String, Long> byReason() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < NAMES.length; i++) {
            if (counts[i] > 0) {
                m.put(NAMES[i], counts[i]);
            }
        }
        return m;
    }

    /** One line per reason seen, with the sequence of its first bad tick; empty when none. */
    public String report() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < NAMES.length; i++) {
            if (counts[i] > 0) {
                s.append(String.format(java.util.Locale.ROOT, "bad ticks skipped: %d %s (first at sequence %d)%n",
                    counts[i], NAMES[i], firstSequence[i]));
            }
        }
        return s.toString();
    }
}
