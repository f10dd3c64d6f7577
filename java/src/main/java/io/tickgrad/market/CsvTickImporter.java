package io.tickgrad.market;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reads a CSV of trades, quotes or bars into ticks. Columns are found by header name (case-insensitive, quotes
 * stripped). A row with a price becomes a trade (size optional); a row whose bid and ask are given and that has no
 * size becomes a quote (its price column, e.g. a mid or last, is kept as the price; empty price: the mid). Bars are
 * recorded as trades at the price column (say, close). A bad row (missing cell, unparsable or non-positive number,
 * bad time) is counted and reported with its line number, never silently dropped. Cold path.
 */
public final class CsvTickImporter {
    /** How many bad rows are described one by one; the rest are counted. */
    public static final int MAX_REPORTED = 20;

    private final String timeCol;
    private final String priceCol;
    private final String sizeCol;
    private final String bidCol;
    private final String askCol;
    private final String bidSizeCol;
    private final String askSizeCol;
    private final TimeFormat timeFormat;
    private final int instrumentId;

    /** Column names; sizeCol, bidCol, askCol, bidSizeCol, askSizeCol may be null. */
    public CsvTickImporter(String timeCol, String priceCol, String sizeCol, String bidCol, String askCol,
                           String bidSizeCol, String askSizeCol, TimeFormat timeFormat, int instrumentId) {
        this.timeCol = timeCol;
        this.priceCol = priceCol;
        this.sizeCol = sizeCol;
        this.bidCol = bidCol;
        this.askCol = askCol;
        this.bidSizeCol = bidSizeCol;
        this.askSizeCol = askSizeCol;
        this.timeFormat = timeFormat;
        this.instrumentId = instrumentId;
    }

    /** A stable instrument id for a name (CRC-32 of its UTF-8 bytes, made non-negative). */
    public static int instrumentId(String name) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return (int) (crc.getValue() & 0x7fffffff);
    }

    /** What an import did. */
    public record Report(long rows, long ticks, long badRows, List<String> badRowMessages, long firstTimeNs,
                         long lastTimeNs) {
        /** One line per described bad row and a count of the rest. */
        public String describeBadRows() {
            StringBuilder s = new StringBuilder();
            for (String m : badRowMessages) {
                s.append(m).append(System.lineSeparator());
            }
            if (badRows > badRowMessages.size()) {
                s.append("... and ").append(badRows - badRowMessages.size()).append(" more bad rows")
                    .append(System.lineSeparator());
            }
            return s.toString();
        }
    }

    /**
     * Reads every row after the header and hands each good one to {@code out} as a tick numbered from
     * {@code firstSequence}, stamped with {@code clock}'s time as its receive time.
     */
    public Report read(BufferedReader in, String source, TickHandler out, long firstSequence, EpochNanoClock clock) {
        List<String> messages = new ArrayList<>();
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
            List<String> names = CsvLine.split(header);
            int timeIdx = column(names, timeCol, source, "--time-col", true);
            int priceIdx = column(names, priceCol, source, "--price-col", true);
            int sizeIdx = column(names, sizeCol, source, "--size-col", false);
            int bidIdx = column(names, bidCol, source, "--bid-col", false);
            int askIdx = column(names, askCol, source, "--ask-col", false);
            int bidSizeIdx = column(names, bidSizeCol, source, "--bid-size-col", false);
            int askSizeIdx = column(names, askSizeCol, source, "--ask-size-col", false);
            String line;
            long lineNo = 1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                rows++;
                try {
                    List<String> cells = CsvLine.split(line);
                    long time = timeFormat.toEpochNanos(cell(cells, timeIdx, timeCol));
                    double bid = bidIdx < 0 ? Double.NaN : number(cells, bidIdx, bidCol, true);
                    double ask = askIdx < 0 ? Double.NaN : number(cells, askIdx, askCol, true);
                    boolean quoted = !Double.isNaN(bid) && !Double.isNaN(ask);
                    double size = sizeIdx < 0 ? Double.NaN : number(cells, sizeIdx, sizeCol, true);
                    double price = number(cells, priceIdx, priceCol, quoted);
                    if (Double.isNaN(price)) {
                        price = (bid + ask) * 0.5;
                    }
                    if (!(price > 0) || Double.isInfinite(price)) {
                        throw new IllegalArgumentException("column " + priceCol + ": expected a positive price, found "
                            + price);
                    }
                    if (quoted && !(bid > 0 && ask >= bid)) {
                        throw new IllegalArgumentException("columns " + bidCol + "/" + askCol
                            + ": expected 0 < bid <= ask, found " + bid + " / " + ask);
                    }
                    long seq = firstSequence + ticks;
                    long now = clock.nanoTime();
                    if (quoted && Double.isNaN(size)) {
                        double bs = bidSizeIdx < 0 ? Double.NaN : number(cells, bidSizeIdx, bidSizeCol, true);
                        double as = askSizeIdx < 0 ? Double.NaN : number(cells, askSizeIdx, askSizeCol, true);
                        tick.quote(seq, instrumentId, time, now, bid, ask, bs, as).price(price);
                    } else {
                        tick.trade(seq, instrumentId, time, now, price, size).bid(bid).ask(ask);
                    }
                    out.onTick(tick);
                    ticks++;
                    if (first == Long.MIN_VALUE) {
                        first = time;
                    }
                    last = time;
                } catch (IllegalArgumentException | ArithmeticException e) {
                    bad++;
                    if (messages.size() < MAX_REPORTED) {
                        messages.add(source + ": line " + lineNo + ": " + e.getMessage());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": " + e.getMessage(), e);
        }
        return new Report(rows, ticks, bad, messages, first, last);
    }

    private static int column(List<String> names, String wanted, String source, String option, boolean required) {
        if (wanted == null) {
            return -1;
        }
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).trim().equalsIgnoreCase(wanted.trim())) {
                return i;
            }
        }
        if (!required && wanted.isEmpty()) {
            return -1;
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

    /** A number; an empty cell is NaN when {@code optional}, else an error. */
    private static double number(List<String> cells, int idx, String name, boolean optional) {
        String c = idx < cells.size() ? cells.get(idx).trim() : "";
        if (c.isEmpty()) {
            if (optional) {
                return Double.NaN;
            }
            throw new IllegalArgumentException("column " + name + ": expected a number, found an empty cell");
        }
        try {
            double v = Double.parseDouble(c);
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("column " + name + ": expected a finite number, found '" + c + "'");
        }
    }

    /** Splits one CSV line: commas, double-quoted fields with "" escapes. */
    static final class CsvLine {
        private CsvLine() {
        }

        static List<String> split(String line) {
            List<String> out = new ArrayList<>();
            StringBuilder cur = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quoted) {
                    if (c == '"') {
                        if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                            cur.append('"');
                            i++;
                        } else {
                            quoted = false;
                        }
                    } else {
                        cur.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    out.add(cur.toString());
                    cur.setLength(0);
                } else {
                    cur.append(c);
                }
            }
            out.add(cur.toString());
            if (!out.isEmpty()) {
                out.set(0, out.get(0).replace("\uFEFF", ""));
            }
            return out;
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "CsvTickImporter[time=%s, price=%s, size=%s, bid=%s, ask=%s, format=%s]",
            timeCol, priceCol, sizeCol, bidCol, askCol, timeFormat);
    }
}
