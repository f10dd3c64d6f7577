package io.tickgrad.market;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The one judge of a tick: {@code record} checks every row with it before appending, and every reader (replay,
 * serve, the in-process {@code InferenceService}) checks every tick with it before the features see it, so a tick
 * that {@code record} accepted is never skipped later, and a bad tick is refused with the same reason everywhere.
 * It counts the refused ticks by reason; the serving loop never throws on a bad tick: it counts it, skips it and
 * reports the counts (and the first bad tick of each reason).
 *
 * <p>Policy, fault by fault:
 * <ul>
 *   <li>a kind byte that is not one of {@link TickKind}'s shapes: refused ({@link #UNKNOWN_KIND});</li>
 *   <li>price (a trade's price, a quote's mid, a bar's close, a bare price) NaN, infinite, zero, negative, or
 *       outside [{@link #MIN_PRICE}, {@link #MAX_PRICE}] (implausible for any instrument, and beyond it the chart
 *       window's L2 norm over- or underflows): refused ({@link #BAD_PRICE});</li>
 *   <li>trade size NaN, infinite, zero or negative: refused ({@link #BAD_SIZE}); price and bar ticks have no size
 *       to check, a bar's volume may be absent (NaN) or any finite value >= 0;</li>
 *   <li>quote with a bid or ask that is not finite and positive, a crossed book (ask below bid), or a bid or ask
 *       size that is NaN-free but infinite or negative: refused ({@link #BAD_QUOTE}); a locked book (ask = bid) is
 *       accepted; a trade may carry the book around it under the same rules;</li>
 *   <li>bar whose open, high or low is not a price, whose high is below its open, close or low, or whose low is
 *       above its open or close, or whose volume is infinite or negative: refused ({@link #BAD_BAR});</li>
 *   <li>exchange time more than {@link #DEFAULT_MAX_AHEAD_NS} after the tick's own receive time (when the receive
 *       time is an epoch time): refused ({@link #TIME_IN_FUTURE}): nothing can happen after it was received, so a
 *       row dated decades ahead costs that one tick instead of pushing the time order past every tick after
 *       it;</li>
 *   <li>exchange time earlier than the last accepted tick's: refused ({@link #TIME_BACKWARDS}); an equal time is
 *       accepted, since several trades share a timestamp; the order is judged against the accepted stream
 *       only;</li>
 *   <li>when appending ({@link #continueAfter}): exchange time at or before the queue's last tick: refused
 *       ({@link #ALREADY_RECORDED}), so recording a file again adds nothing, not even its last row;</li>
 *   <li>sequence not above the last accepted one (a duplicate or a replayed message): refused
 *       ({@link #SEQUENCE_NOT_INCREASING});</li>
 *   <li>another instrument than the first tick's: refused ({@link #OTHER_INSTRUMENT});</li>
 *   <li>a gap (exchange time more than the gap threshold after the last accepted tick): accepted and counted in
 *       {@link #gaps()}; the features see it through the time since the last tick.</li>
 * </ul>
 *
 * <p>{@link #check} allocates nothing. Single-threaded: one validator per stream.
 */
public final class TickValidator {
    /** Reasons, as indexes into the counters. */
    public static final int OK = -1;
    /** The price is not finite, positive and within [MIN_PRICE, MAX_PRICE]. */
    public static final int BAD_PRICE = 0;
    /** The exchange time is earlier than the last accepted tick's. */
    public static final int TIME_BACKWARDS = 1;
    /** The sequence is not above the last accepted one. */
    public static final int SEQUENCE_NOT_INCREASING = 2;
    /** The instrument differs from the first tick's. */
    public static final int OTHER_INSTRUMENT = 3;
    /** A crossed book, or a bid, ask or size that is not finite and positive. */
    public static final int BAD_QUOTE = 4;
    /** A trade size that is not finite and positive. */
    public static final int BAD_SIZE = 5;
    /** A bar whose open, high, low or volume is inconsistent. */
    public static final int BAD_BAR = 6;
    /** A kind byte that is not one of {@link TickKind}'s shapes. */
    public static final int UNKNOWN_KIND = 7;
    /** An exchange time more than {@link #DEFAULT_MAX_AHEAD_NS} after the tick's receive time. */
    public static final int TIME_IN_FUTURE = 8;
    /** When appending: an exchange time at or before the queue's last tick, which the queue already holds. */
    public static final int ALREADY_RECORDED = 9;
    /** The smallest and largest price accepted; squares of 400 such prices stay well inside double's range. */
    public static final double MIN_PRICE = 1e-30;
    /** The largest price accepted. */
    public static final double MAX_PRICE = 1e30;
    /** Default gap threshold: a minute without ticks. */
    public static final long DEFAULT_GAP_NS = 60_000_000_000L;
    /** How far an exchange time may lie after its own receive time (clocks of venue and host disagree): a day. */
    public static final long DEFAULT_MAX_AHEAD_NS = 86_400_000_000_000L;
    /** Receive times before this (2000-01-01) are not epoch times (unset, or a monotonic clock): not compared. */
    private static final long EPOCH_2000_NS = 946_684_800_000_000_000L;
    private static final String[] NAMES = {"price not finite, positive and within [1e-30, 1e30]",
        "exchange time went backwards", "sequence not increasing", "another instrument than the first tick's",
        "quote crossed, or bid/ask or their sizes not finite and positive",
        "trade size not finite and positive",
        "bar open/high/low not prices, high below open/close/low or low above open/close, or volume negative",
        "unknown tick kind (not trade, quote, bar or price)",
        "exchange time more than a day after the tick's receive time (dated in the future)",
        "at or before the queue's last tick, which the queue already holds (appending)"};

    private final long[] counts = new long[NAMES.length];
    private final long[] firstSequence = new long[NAMES.length];
    private final long[] firstTime = new long[NAMES.length];
    private long lastTime = Long.MIN_VALUE;
    private long appendAfterNs = Long.MIN_VALUE;
    private long lastSequence = Long.MIN_VALUE;
    private int instrument;
    private boolean instrumentKnown;
    private long gapNs = DEFAULT_GAP_NS;
    private long gaps;
    private long accepted;

    /**
     * Exchange-time distance after which an accepted tick counts as following a gap.
     *
     * @param value nanoseconds of exchange time (default {@link #DEFAULT_GAP_NS})
     * @return this validator
     */
    public TickValidator gapThresholdNs(long value) {
        if (value < 1) {
            throw new IllegalArgumentException("gap threshold must be >= 1 ns, got " + value);
        }
        this.gapNs = value;
        return this;
    }

    /**
     * Accepted ticks that came more than the gap threshold after the previous one.
     *
     * @return the gap count
     */
    public long gaps() {
        return gaps;
    }

    /**
     * Ticks accepted so far.
     *
     * @return the count
     */
    public long accepted() {
        return accepted;
    }

    /**
     * Returns {@link #OK} and remembers the tick, or the reason it is refused (and counts it). Allocates nothing.
     *
     * @param tick the tick to judge (read in place)
     * @return {@link #OK} or one of the reason constants
     */
    public int check(Tick tick) {
        int reason = reason(tick);
        if (reason != OK) {
            if (counts[reason]++ == 0) {
                firstSequence[reason] = tick.sequence();
                firstTime[reason] = tick.exchangeTimeNs();
            }
            return reason;
        }
        accept(tick);
        return OK;
    }

    /**
     * Takes {@code tick} as the last accepted one without judging or counting it: a writer appending to a queue
     * that already holds ticks continues from the queue's last tick, as a reader of the whole queue would.
     *
     * @param tick the last tick already in the queue
     */
    public void continueAfter(Tick tick) {
        appendAfterNs = tick.exchangeTimeNs();
        lastTime = tick.exchangeTimeNs();
        lastSequence = tick.sequence();
        instrument = tick.instrumentId();
        instrumentKnown = true;
    }

    private void accept(Tick tick) {
        if (lastTime != Long.MIN_VALUE && tick.exchangeTimeNs() - lastTime > gapNs) {
            gaps++;
        }
        lastTime = tick.exchangeTimeNs();
        lastSequence = tick.sequence();
        if (!instrumentKnown) {
            instrument = tick.instrumentId();
            instrumentKnown = true;
        }
        accepted++;
    }

    private int reason(Tick tick) {
        byte kind = tick.kind();
        if (!TickKind.isKnown(kind)) {
            return UNKNOWN_KIND;
        }
        if (!isPrice(tick.price())) {
            return BAD_PRICE;
        }
        switch (kind) {
            case TickKind.TRADE:
                if (!(tick.size() > 0 && tick.size() < Double.POSITIVE_INFINITY)) {
                    return BAD_SIZE;
                }
                if (tick.hasQuote() && !quoteOk(tick)) {
                    return BAD_QUOTE;
                }
                break;
            case TickKind.QUOTE:
                if (!quoteOk(tick)) {
                    return BAD_QUOTE;
                }
                break;
            case TickKind.BAR:
                if (!barOk(tick)) {
                    return BAD_BAR;
                }
                break;
            default:
                break;
        }
        long time = tick.exchangeTimeNs();
        long received = tick.receiveTimeNs();
        if (received >= EPOCH_2000_NS && time - received > DEFAULT_MAX_AHEAD_NS) {
            return TIME_IN_FUTURE;
        }
        if (time <= appendAfterNs) {
            return ALREADY_RECORDED;
        }
        if (time < lastTime) {
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

    private static boolean isPrice(double p) {
        return p >= MIN_PRICE && p <= MAX_PRICE;
    }

    private static boolean quoteOk(Tick tick) {
        double bid = tick.bid();
        double ask = tick.ask();
        return isPrice(bid) && isPrice(ask) && ask >= bid && quoteSizeOk(tick.bidSize())
            && quoteSizeOk(tick.askSize());
    }

    private static boolean barOk(Tick tick) {
        double open = tick.open();
        double high = tick.high();
        double low = tick.low();
        double close = tick.price();
        double volume = tick.size();
        return isPrice(open) && isPrice(high) && isPrice(low) && high >= open && high >= close && high >= low
            && low <= open && low <= close && (Double.isNaN(volume) || (volume >= 0 && volume < Double.POSITIVE_INFINITY));
    }

    /** A quote size may be absent (NaN) or a finite value >= 0. */
    private static boolean quoteSizeOk(double size) {
        return Double.isNaN(size) || (size >= 0 && size < Double.POSITIVE_INFINITY);
    }

    /**
     * Bad ticks in all.
     *
     * @return the count over every reason
     */
    public long total() {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        return n;
    }

    /**
     * Bad ticks for one reason.
     *
     * @param reason one of the reason constants
     * @return the count
     */
    public long count(int reason) {
        return counts[reason];
    }

    /**
     * The words of a reason, as reports print them (cold path).
     *
     * @param reason one of the reason constants
     * @return the words
     */
    public static String reasonName(int reason) {
        return NAMES[reason];
    }

    /**
     * Reason to count, for the reasons seen (cold path: reports).
     *
     * @return a new map, reason words to counts
     */
    public Map<String, Long> byReason() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < NAMES.length; i++) {
            if (counts[i] > 0) {
                m.put(NAMES[i], counts[i]);
            }
        }
        return m;
    }

    /**
     * One line per reason seen, with the sequence and exchange time of its first bad tick; empty when none.
     *
     * @return the lines
     */
    public String report() {
        StringBuilder s = new StringBuilder();
        if (gaps > 0) {
            s.append(String.format(Locale.ROOT, "gaps: %d ticks came more than %.0f s after the previous one%n",
                gaps, gapNs / 1e9));
        }
        for (int i = 0; i < NAMES.length; i++) {
            if (counts[i] > 0) {
                s.append(String.format(Locale.ROOT, "bad ticks skipped: %d %s (first at sequence %d, exchange time %s)%n",
                    counts[i], NAMES[i], firstSequence[i], describeTime(firstTime[i])));
            }
        }
        return s.toString();
    }

    private static String describeTime(long ns) {
        try {
            return Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L)).toString();
        } catch (RuntimeException e) {
            return ns + " ns";
        }
    }
}
