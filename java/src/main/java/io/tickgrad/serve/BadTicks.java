package io.tickgrad.serve;

import io.tickgrad.market.Tick;
import io.tickgrad.market.TickKind;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checks ticks before they reach the features and counts the ones refused, by reason. The serving loop never
 * throws on a bad tick: it counts it, skips it, and reports the counts (and the first bad tick of each kind).
 *
 * <p>Policy, fault by fault:
 * <ul>
 *   <li>price NaN, infinite, zero, negative, or outside [{@link #MIN_PRICE}, {@link #MAX_PRICE}] (implausible for
 *       any instrument, and beyond it the chart window's L2 norm over- or underflows): refused
 *       ({@link #BAD_PRICE});</li>
 *   <li>trade size NaN, infinite, zero or negative: refused ({@link #BAD_SIZE});</li>
 *   <li>quote with a bid or ask that is not finite and positive, a crossed book (ask below bid), or a bid or ask
 *       size that is NaN, infinite or negative: refused ({@link #BAD_QUOTE}); a locked book (ask = bid) is
 *       accepted;</li>
 *   <li>exchange time earlier than the last accepted tick's: refused ({@link #TIME_BACKWARDS}); an equal time is
 *       accepted, since several trades share a timestamp;</li>
 *   <li>sequence not above the last accepted one (a duplicate or a replayed message): refused
 *       ({@link #SEQUENCE_NOT_INCREASING});</li>
 *   <li>another instrument than the first tick's: refused ({@link #OTHER_INSTRUMENT});</li>
 *   <li>a gap (exchange time more than the gap threshold after the last accepted tick): accepted and counted in
 *       {@link #gaps()}; the features see it through the time since the last tick.</li>
 * </ul>
 */
public final class BadTicks {
    /** Reasons, as indexes into the counters. */
    public static final int OK = -1;
    public static final int BAD_PRICE = 0;
    public static final int TIME_BACKWARDS = 1;
    public static final int SEQUENCE_NOT_INCREASING = 2;
    public static final int OTHER_INSTRUMENT = 3;
    public static final int BAD_QUOTE = 4;
    public static final int BAD_SIZE = 5;
    /** The smallest and largest price accepted; squares of 400 such prices stay well inside double's range. */
    public static final double MIN_PRICE = 1e-30;
    public static final double MAX_PRICE = 1e30;
    /** Default gap threshold: a minute without ticks. */
    public static final long DEFAULT_GAP_NS = 60_000_000_000L;
    private static final String[] NAMES = {"price not finite, positive and within [1e-30, 1e30]", "exchange time went backwards",
        "sequence not increasing", "another instrument than the first tick's",
        "quote crossed, or bid/ask or their sizes not finite and positive",
        "trade size not finite and positive"};

    private final long[] counts = new long[NAMES.length];
    private final long[] firstSequence = new long[NAMES.length];
    private long lastTime = Long.MIN_VALUE;
    private long lastSequence = Long.MIN_VALUE;
    private int instrument;
    private boolean instrumentKnown;
    private long gapNs = DEFAULT_GAP_NS;
    private long gaps;

    /** Exchange-time distance after which an accepted tick counts as following a gap. */
    public BadTicks gapThresholdNs(long value) {
        if (value < 1) {
            throw new IllegalArgumentException("gap threshold must be >= 1 ns, got " + value);
        }
        this.gapNs = value;
        return this;
    }

    /** Accepted ticks that came more than the gap threshold after the previous one. */
    public long gaps() {
        return gaps;
    }

    /** Returns {@link #OK} and remembers the tick, or the reason it is refused (and counts it). Allocates nothing. */
    public int check(Tick tick) {
        int reason = reason(tick);
        if (reason != OK) {
            if (counts[reason]++ == 0) {
                firstSequence[reason] = tick.sequence();
            }
            return reason;
        }
        if (lastTime != Long.MIN_VALUE && tick.exchangeTimeNs() - lastTime > gapNs) {
            gaps++;
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
        if (!(p >= MIN_PRICE && p <= MAX_PRICE)) {
            return BAD_PRICE;
        }
        if (tick.hasQuote() && !(tick.bid() >= MIN_PRICE && tick.ask() >= tick.bid() && tick.ask() <= MAX_PRICE
            && sizeOk(tick.bidSize()) && sizeOk(tick.askSize()))) {
            return BAD_QUOTE;
        }
        if (tick.kind() == TickKind.TRADE && !(tick.size() > 0 && tick.size() < Double.POSITIVE_INFINITY)) {
            return BAD_SIZE;
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

    /** A quote size may be absent (NaN) or a finite value >= 0. */
    private static boolean sizeOk(double size) {
        return Double.isNaN(size) || (size >= 0 && size < Double.POSITIVE_INFINITY);
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
        if (gaps > 0) {
            s.append(String.format(java.util.Locale.ROOT, "gaps: %d ticks came more than %.0f s after the previous one%n",
                gaps, gapNs / 1e9));
        }
        for (int i = 0; i < NAMES.length; i++) {
            if (counts[i] > 0) {
                s.append(String.format(java.util.Locale.ROOT, "bad ticks skipped: %d %s (first at sequence %d)%n",
                    counts[i], NAMES[i], firstSequence[i]));
            }
        }
        return s.toString();
    }
}
