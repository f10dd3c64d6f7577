package io.tickgrad.market;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How a CSV time column is written. {@link #AUTO} tells them apart per value: text with a date is ISO-8601
 * (with or without a time zone, 'T' or a space between date and time; no zone means UTC); a number is epoch
 * seconds, milliseconds, microseconds or nanoseconds by its magnitude (below 1e11, 1e14, 1e17, else ns), and
 * may have a fraction.
 */
public enum TimeFormat {
    /** Each value by its form: ISO-8601 text, or an epoch number whose magnitude gives its unit. */
    AUTO,
    /** ISO-8601 date-time (or a bare date), UTC when no zone is given. */
    ISO,
    /** Epoch seconds, with an optional fraction. */
    EPOCH_S,
    /** Epoch milliseconds, with an optional fraction. */
    EPOCH_MS,
    /** Epoch nanoseconds. */
    EPOCH_NS;

    private static final Pattern NUMBER = Pattern.compile("[+-]?\\d+(\\.\\d*)?");
    private static final Pattern COMPACT_OFFSET = Pattern.compile("([+-]\\d\\d)(\\d\\d)$");

    /**
     * Parses the command-line name: auto, iso, epoch-s, epoch-ms, epoch-ns.
     *
     * @param name the name, any case
     * @return the format
     * @throws IllegalArgumentException naming the accepted names
     */
    public static TimeFormat parse(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "auto": return AUTO;
            case "iso": return ISO;
            case "epoch-s": return EPOCH_S;
            case "epoch-ms": return EPOCH_MS;
            case "epoch-ns": return EPOCH_NS;
            default:
                throw new IllegalArgumentException("--time-format: expected auto, iso, epoch-s, epoch-ms or epoch-ns, got '"
                    + name + "'");
        }
    }

    /**
     * The time in epoch nanoseconds; throws {@link IllegalArgumentException} saying what was expected.
     *
     * @param text the cell's text
     * @return epoch nanoseconds (UTC)
     * @throws IllegalArgumentException saying what was expected
     */
    public long toEpochNanos(String text) {
        String t = text.trim();
        switch (this) {
            case ISO:
                return iso(t);
            case EPOCH_S:
                return scaled(t, 1_000_000_000L);
            case EPOCH_MS:
                return scaled(t, 1_000_000L);
            case EPOCH_NS:
                return scaled(t, 1L);
            default:
                if (NUMBER.matcher(t).matches()) {
                    int dot = t.indexOf('.');
                    String whole = (dot < 0 ? t : t.substring(0, dot)).replace("+", "").replace("-", "");
                    int digits = whole.replaceFirst("^0+(?=.)", "").length();
                    long unit = digits <= 11 ? 1_000_000_000L : digits <= 14 ? 1_000_000L : digits <= 17 ? 1_000L : 1L;
                    return scaled(t, unit);
                }
                return iso(t);
        }
    }

    /**
     * An epoch-ns time as ISO-8601 (UTC), for messages.
     *
     * @param epochNs epoch nanoseconds
     * @return e.g. "2013-11-25T00:00:00Z"
     */
    public static String iso(long epochNs) {
        return java.time.Instant.ofEpochSecond(Math.floorDiv(epochNs, 1_000_000_000L),
            Math.floorMod(epochNs, 1_000_000_000L)).toString();
    }

    /** A decimal number of units of {@code nanosPerUnit} ns, exact for the integer part and up to 9 fraction digits. */
    private static long scaled(String t, long nanosPerUnit) {
        if (!NUMBER.matcher(t).matches()) {
            throw new IllegalArgumentException("expected a number of epoch " + unitName(nanosPerUnit) + ", found '" + t + "'");
        }
        int dot = t.indexOf('.');
        String whole = dot < 0 ? t : t.substring(0, dot);
        String frac = dot < 0 ? "" : t.substring(dot + 1);
        long w = Long.parseLong(whole.isEmpty() || whole.equals("-") || whole.equals("+") ? whole + "0" : whole);
        long ns = Math.multiplyExact(w, nanosPerUnit);
        if (!frac.isEmpty() && nanosPerUnit > 1) {
            int scaleDigits = Long.toString(nanosPerUnit).length() - 1;
            String f = (frac + "000000000").substring(0, scaleDigits);
            long part = Long.parseLong(f);
            ns += t.startsWith("-") ? -part : part;
        }
        return ns;
    }

    private static String unitName(long nanosPerUnit) {
        return nanosPerUnit == 1_000_000_000L ? "seconds" : nanosPerUnit == 1_000_000L ? "milliseconds"
            : nanosPerUnit == 1_000L ? "microseconds" : "nanoseconds";
    }

    private static long iso(String t) {
        String s = t;
        if (s.length() > 10 && s.charAt(10) == ' ') {
            s = s.substring(0, 10) + 'T' + s.substring(11);
        }
        s = COMPACT_OFFSET.matcher(s).replaceFirst("$1:$2");
        try {
            if (s.length() == 10) {
                return LocalDate.parse(s).atStartOfDay().toEpochSecond(ZoneOffset.UTC) * 1_000_000_000L;
            }
            TemporalAccessor a = DateTimeFormatter.ISO_DATE_TIME.parse(s);
            long seconds;
            if (a.isSupported(ChronoField.OFFSET_SECONDS) || a.query(java.time.temporal.TemporalQueries.zoneId()) != null) {
                seconds = ZonedDateTime.from(a).toEpochSecond();
            } else {
                seconds = LocalDateTime.from(a).toEpochSecond(ZoneOffset.UTC);
            }
            return Math.addExact(Math.multiplyExact(seconds, 1_000_000_000L), a.get(ChronoField.NANO_OF_SECOND));
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException("expected an ISO-8601 date-time such as 2013-11-25T00:00:00Z, found '"
                + t + "'");
        }
    }
}
