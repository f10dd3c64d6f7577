package io.tickgrad.market;

import io.tickgrad.util.CsvFields;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reads a CSV of trades, quotes, bars or a bare price series into ticks ({@link CsvColumns} says which columns
 * and so which shape). Columns are found by header name (case-insensitive, quotes stripped, a UTF-8 byte-order
 * mark ignored). Every row is judged by {@link TickValidator}, the same validator every reader of the queue uses,
 * so a row recorded here is never skipped by {@code replay} or {@code serve}. A bad row (missing cell,
 * unparsable number or time, or a tick the validator refuses) is counted under its reason and reported with its
 * line number, never silently dropped. Cold path.
 */
public final class CsvTickImporter {
    /** How many bad rows are described one by one; the rest are counted. */
    public static final int MAX_REPORTED = 20;
    /** The reason under which rows that do not parse are counted (the validator's reasons name the others). */
    public static final String UNPARSABLE = "row does not parse (missing cell, or a number or time that does not read)";

    /** Waits before a tick is appended, to pace a recording; {@link #NONE} does not wait. */
    @FunctionalInterface
    public interface Pacer {
        /**
         * Returns when the tick with this exchange time may be appended.
         *
         * @param exchangeTimeNs the next tick's exchange time, epoch ns
         * @throws InterruptedException when the waiting thread is interrupted (the import stops)
         */
        void awaitTurn(long exchangeTimeNs) throws InterruptedException;

        /** Appends as fast as possible. */
        Pacer NONE = t -> { };
    }

    private final CsvColumns columns;
    private final TimeFormat timeFormat;
    private final int instrumentId;

    /**
     * Reads the given columns (their shape decides the ticks'), times in {@code timeFormat}, as one instrument.
     *
     * @param columns      which columns hold the tick
     * @param timeFormat   how the time column is written
     * @param instrumentId the instrument id every tick gets
     */
    public CsvTickImporter(CsvColumns columns, TimeFormat timeFormat, int instrumentId) {
        this.columns = columns;
        this.timeFormat = timeFormat;
        this.instrumentId = instrumentId;
    }

    /**
     * Trades, quotes or a price series by column names; sizeCol, bidCol, askCol, bidSizeCol, askSizeCol may be null
     * (no size and no quote: a bare price series).
     *
     * @param timeCol      the time column
     * @param priceCol     the price column
     * @param sizeCol      the size column, or null
     * @param bidCol       the bid column, or null
     * @param askCol       the ask column, or null
     * @param bidSizeCol   the bid size column, or null
     * @param askSizeCol   the ask size column, or null
     * @param timeFormat   how the time column is written
     * @param instrumentId the instrument id every tick gets
     * @throws IllegalArgumentException when the columns describe no shape or several
     */
    public CsvTickImporter(String timeCol, String priceCol, String sizeCol, String bidCol, String askCol,
                           String bidSizeCol, String askSizeCol, TimeFormat timeFormat, int instrumentId) {
        this(bidCol == null && askCol == null ? CsvColumns.trades(timeCol, priceCol, sizeCol)
            : CsvColumns.quotes(timeCol, priceCol, sizeCol, bidCol, askCol, bidSizeCol, askSizeCol), timeFormat,
            instrumentId);
    }

    /**
     * A stable instrument id for a name (CRC-32 of its UTF-8 bytes, made non-negative).
     *
     * @param name the instrument's name, e.g. "BTCUSD"
     * @return an id in [0, 2^31)
     */
    public static int instrumentId(String name) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return (int) (crc.getValue() & 0x7fffffff);
    }

    /**
     * The columns read.
     *
     * @return the columns
     */
    public CsvColumns columns() {
        return columns;
    }

    /**
     * What an import did: rows read, ticks handed on, bad rows (by reason, in the validator's words or
     * {@link #UNPARSABLE}), the first {@link #MAX_REPORTED} bad rows described with their line numbers, and the
     * exchange-time span of the ticks.
     *
     * @param rows           data rows read (blank lines not counted)
     * @param ticks          ticks handed on
     * @param badRows        rows refused
     * @param badRowMessages the first {@link #MAX_REPORTED} refusals, each naming its line
     * @param firstTimeNs    exchange time of the first tick handed on, epoch ns ({@link Long#MIN_VALUE} when none)
     * @param lastTimeNs     exchange time of the last tick handed on, epoch ns
     * @param badByReason    refused rows per reason
     * @param shape          the ticks' shape: "bar", "quote", "trade" or "price"
     */
    public record Report(long rows, long ticks, long badRows, List<String> badRowMessages, long firstTimeNs,
                         long lastTimeNs, Map<String, Long> badByReason, String shape) {
        /**
         * One line per described bad row, a count of the rest, and the count per reason.
         *
         * @return the text, lines separated by the platform's line separator
         */
        public String describeBadRows() {
            StringBuilder s = new StringBuilder();
            for (String m : badRowMessages) {
                s.append(m).append(System.lineSeparator());
            }
            if (badRows > badRowMessages.size()) {
                s.append("... and ").append(badRows - badRowMessages.size()).append(" more bad rows")
                    .append(System.lineSeparator());
            }
            for (Map.Entry<String, Long> e : badByReason.entrySet()) {
                s.append("bad rows: ").append(e.getValue()).append(' ').append(e.getKey())
                    .append(System.lineSeparator());
            }
            return s.toString();
        }
    }

    /**
     * Reads every row after the header and hands each good one to {@code out} as a tick numbered from
     * {@code firstSequence}, stamped with {@code clock}'s time as its receive time, judged by a fresh validator.
     *
     * @param in            the CSV text, header first; read to its end, not closed
     * @param source        the file name, for messages
     * @param out           receives each good tick, on the calling thread; the tick is valid only during the call
     * @param firstSequence the sequence of the first tick
     * @param clock         the clock of the receive times
     * @return what was read: row counts, bad rows and the time span
     * @throws IllegalArgumentException when the file is empty or the header lacks a named column
     * @throws java.io.UncheckedIOException when reading fails
     */
    public Report read(BufferedReader in, String source, TickHandler out, long firstSequence, EpochNanoClock clock) {
        try {
            return read(in, source, out, firstSequence, clock, new TickValidator(), Pacer.NONE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(source + ": interrupted", e);
        }
    }

    /**
     * As {@link #read(BufferedReader, String, TickHandler, long, EpochNanoClock)}, judging rows with
     * {@code validator} (one that {@link TickValidator#continueAfter continues} a queue's last tick when appending)
     * and waiting for {@code pacer} before each accepted tick, whose receive time is stamped after the wait.
     *
     * @param in            the CSV text, header first; read to its end, not closed
     * @param source        the file name, for messages
     * @param out           receives each good tick, on the calling thread; the tick is valid only during the call
     * @param firstSequence the sequence of the first tick
     * @param clock         the clock of the receive times
     * @param validator     the judge of each row's tick
     * @param pacer         waited for before each accepted tick
     * @return what was read
     * @throws InterruptedException when the pacer's wait is interrupted
     * @throws IllegalArgumentException when the file is empty or the header lacks a named column
     * @throws java.io.UncheckedIOException when reading fails
     */
    public Report read(BufferedReader in, String source, TickHandler out, long firstSequence, EpochNanoClock clock,
                       TickValidator validator, Pacer pacer) throws InterruptedException {
        List<String> messages = new ArrayList<>();
        Map<String, Long> byReason = new LinkedHashMap<>();
        long rows = 0;
        long ticks = 0;
        long bad = 0;
        long first = Long.MIN_VALUE;
        long last = Long.MIN_VALUE;
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[TickDescriptor.LENGTH]);
        Tick tick = new Tick().wrap(buffer, 0);
        try {
            String header = in.readLine();
            if (header == null) {
                throw new IllegalArgumentException(source + ": empty file, expected a header line");
            }
            char delimiter = CsvFields.delimiterOf(header);
            List<String> names = CsvLine.split(header, delimiter);
            Row row = new Row(names, source);
            String line;
            long lineNo = 1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                rows++;
                String reason;
                String detail;
                try {
                    row.fill(CsvLine.split(line, delimiter), tick, firstSequence + ticks, instrumentId, clock.nanoTime());
                    int verdict = validator.check(tick);
                    if (verdict == TickValidator.OK) {
                        pacer.awaitTurn(tick.exchangeTimeNs());
                        tick.receiveTimeNs(clock.nanoTime());
                        out.onTick(tick);
                        ticks++;
                        if (first == Long.MIN_VALUE) {
                            first = tick.exchangeTimeNs();
                        }
                        last = tick.exchangeTimeNs();
                        continue;
                    }
                    reason = TickValidator.reasonName(verdict);
                    detail = reason + ": exchange time " + TimeFormat.iso(tick.exchangeTimeNs()) + ", " + tick;
                } catch (IllegalArgumentException | ArithmeticException e) {
                    reason = UNPARSABLE;
                    detail = e.getMessage();
                }
                bad++;
                byReason.merge(reason, 1L, Long::sum);
                if (messages.size() < MAX_REPORTED) {
                    messages.add(source + ": line " + lineNo + ": " + detail);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": " + e.getMessage(), e);
        }
        return new Report(rows, ticks, bad, messages, first, last, byReason, columns.shape());
    }

    /** The column indexes of one file and the parsing of one row into a tick of the columns' shape. */
    private final class Row {
        private final int time;
        private final int price;
        private final int size;
        private final int bid;
        private final int ask;
        private final int bidSize;
        private final int askSize;
        private final int open;
        private final int high;
        private final int low;
        private final int close;
        private final int volume;

        Row(List<String> names, String source) {
            time = column(names, columns.time(), source, "--time-col");
            price = column(names, columns.price(), source, "--price-col");
            size = column(names, columns.size(), source, "--size-col");
            bid = column(names, columns.bid(), source, "--bid-col");
            ask = column(names, columns.ask(), source, "--ask-col");
            bidSize = column(names, columns.bidSize(), source, "--bid-size-col");
            askSize = column(names, columns.askSize(), source, "--ask-size-col");
            open = column(names, columns.open(), source, "--open-col");
            high = column(names, columns.high(), source, "--high-col");
            low = column(names, columns.low(), source, "--low-col");
            close = column(names, columns.close(), source, "--close-col");
            volume = column(names, columns.volume(), source, "--volume-col");
        }

        void fill(List<String> cells, Tick tick, long seq, int instrument, long now) {
            long t = timeFormat.toEpochNanos(cell(cells, time, columns.time()));
            if (close >= 0) {
                tick.bar(seq, instrument, t, now, number(cells, open, columns.open(), false),
                    number(cells, high, columns.high(), false), number(cells, low, columns.low(), false),
                    number(cells, close, columns.close(), false),
                    volume < 0 ? Double.NaN : number(cells, volume, columns.volume(), true));
                return;
            }
            double b = bid < 0 ? Double.NaN : number(cells, bid, columns.bid(), true);
            double a = ask < 0 ? Double.NaN : number(cells, ask, columns.ask(), true);
            boolean quoted = !Double.isNaN(b) && !Double.isNaN(a);
            double s = size < 0 ? Double.NaN : number(cells, size, columns.size(), true);
            double p = price < 0 ? Double.NaN : number(cells, price, columns.price(), quoted);
            if (Double.isNaN(p)) {
                p = (b + a) * 0.5;
            }
            if (quoted && size < 0) {
                double bs = bidSize < 0 ? Double.NaN : number(cells, bidSize, columns.bidSize(), true);
                double as = askSize < 0 ? Double.NaN : number(cells, askSize, columns.askSize(), true);
                tick.quote(seq, instrument, t, now, b, a, bs, as).price(p);
            } else if (size >= 0) {
                tick.trade(seq, instrument, t, now, p, s).bid(b).ask(a);
            } else {
                tick.priceOnly(seq, instrument, t, now, p);
            }
        }
    }

    private static int column(List<String> names, String wanted, String source, String option) {
        if (wanted == null) {
            return -1;
        }
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).trim().equalsIgnoreCase(wanted.trim())) {
                return i;
            }
        }
        throw new IllegalArgumentException(source + ": line 1: " + option + " '" + wanted + "' is not a column; the "
            + "header has " + names);
    }

    private static String cell(List<String> cells, int idx, String name) {
        if (idx >= cells.size()) {
            throw new IllegalArgumentException("column " + name + ": missing (the row has " + cells.size() + " cells)");
        }
        return cells.get(idx);
    }

    /** A number; an empty cell (or NA, the R and pandas spelling) is NaN when {@code optional}, else an error. */
    private static double number(List<String> cells, int idx, String name, boolean optional) {
        String c = idx < cells.size() ? cells.get(idx).trim() : "";
        if (c.isEmpty() || c.equals("NA") || c.equals("NaN") || c.equals("null")) {
            if (optional) {
                return Double.NaN;
            }
            throw new IllegalArgumentException("column " + name + ": expected a number, found "
                + (c.isEmpty() ? "an empty cell" : "'" + c + "'"));
        }
        try {
            double v = Double.parseDouble(c);
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("column " + name + ": expected a finite number, found '" + c + "'"
                + (c.indexOf(',') >= 0 ? " (a decimal comma? tickgrad reads numbers written with a '.')" : ""));
        }
    }

    /**
     * Splits one CSV line into cells (commas, or the tabs or semicolons of a line without a comma; double-quoted
     * fields with "" escapes; a byte-order mark dropped).
     *
     * @param line one line of CSV
     * @return the cells, unquoted
     */
    public static List<String> splitLine(String line) {
        return CsvLine.split(line, CsvFields.delimiterOf(line));
    }

    /** Splits one CSV line at its delimiter, double-quoted fields with "" escapes, a byte-order mark dropped. */
    static final class CsvLine {
        private CsvLine() {
        }

        static List<String> split(String line, char delimiter) {
            List<String> out = CsvFields.split(line, delimiter);
            if (!out.isEmpty()) {
                out.set(0, out.get(0).replace("\uFEFF", ""));
            }
            return out;
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "CsvTickImporter[%s, shape %s, format %s]", columns.describe(),
            columns.shape(), timeFormat);
    }
}
