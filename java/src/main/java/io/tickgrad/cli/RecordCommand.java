package io.tickgrad.cli;

import io.tickgrad.io.ChronicleTickWriter;
import io.tickgrad.io.QueueWriteException;
import io.tickgrad.market.CsvColumns;
import io.tickgrad.market.CsvTickImporter;
import io.tickgrad.market.Pacing;
import io.tickgrad.market.TickValidator;
import io.tickgrad.market.TimeFormat;
import io.tickgrad.market.Trades;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Records a CSV of trades, quotes, bars or a bare price series into a ticks queue. */
@Command(name = "record", mixinStandardHelpOptions = true,
    description = {"Record a CSV into a ticks queue (Chronicle Queue, fixed binary ticks). Without --csv, records the "
        + "bundled Bitstamp BTC/USD trades (ta4j-examples 0.18).",
        "Shapes: a price series (--price-col alone: closes, mids, index levels, fixings); trades (--price-col and "
        + "--size-col); quotes (--bid-col --ask-col, optional --bid-size-col --ask-size-col); OHLC bars "
        + "(--open-col --high-col --low-col --close-col, optional --volume-col). With --csv and no column options "
        + "the shape is detected from the header (open/high/low/close, bid/ask, price or close with size/volume).",
        "Every row is judged by the same validator that replay and serve use: a bad row is counted under its "
        + "reason, listed with its line number on stderr, and not recorded."})
final class RecordCommand implements Callable<Integer> {
    @Option(names = "--csv", description = "CSV file with a header line; default: the bundled Bitstamp trades")
    Path csv;

    @Option(names = "--queue", required = true, description = "ticks queue directory (created if missing; "
        + "appended to when it holds ticks)")
    Path queue;

    @Option(names = "--time-col", description = "time column; default: the first of timestamp, time, datetime, date, "
        + "ts, index that the header has")
    String timeCol;

    @Option(names = "--price-col", description = "price column: a trade price, or a bare price series (a close, mid, "
        + "index level or fixing) when there is no --size-col")
    String priceCol;

    @Option(names = "--size-col", description = "trade size column; with --price-col makes trades (the bundled "
        + "data: amount)")
    String sizeCol;

    @Option(names = "--bid-col", description = "bid column (quotes: with --ask-col)")
    String bidCol;

    @Option(names = "--ask-col", description = "ask column (quotes: with --bid-col)")
    String askCol;

    @Option(names = "--bid-size-col", description = "bid size column (quotes, optional)")
    String bidSizeCol;

    @Option(names = "--ask-size-col", description = "ask size column (quotes, optional)")
    String askSizeCol;

    @Option(names = "--open-col", description = "bar open column (bars: with --high-col, --low-col, --close-col)")
    String openCol;

    @Option(names = "--high-col", description = "bar high column")
    String highCol;

    @Option(names = "--low-col", description = "bar low column")
    String lowCol;

    @Option(names = "--close-col", description = "bar close column (a bar's price)")
    String closeCol;

    @Option(names = "--volume-col", description = "bar volume column (bars, optional)")
    String volumeCol;

    @Option(names = "--instrument", description = "instrument name; default: the CSV file's name without its "
        + "extension (BTC-USD for the bundled trades)")
    String instrument;

    @Option(names = "--time-format", defaultValue = "auto",
        description = "auto, iso, epoch-s, epoch-ms or epoch-ns; default ${DEFAULT-VALUE}")
    String timeFormat;

    @Option(names = "--rate", description = "append at most this many ticks per second (paced, for watching serve "
        + "live); default: as fast as possible")
    Double rate;

    @Option(names = "--realtime", description = "append with the recorded gaps between exchange times, so the queue "
        + "fills as the market did")
    boolean realtime;

    @Option(names = "--speed", defaultValue = "1", description = "with --realtime: play the gaps this many times "
        + "faster; default ${DEFAULT-VALUE}")
    double speed;

    @Option(names = "--max-gap-ms", defaultValue = "1000", description = "with --realtime: wait at most this long "
        + "between two ticks (nights and weekends are skipped); default ${DEFAULT-VALUE}")
    long maxGapMs;

    @Override
    public Integer call() throws Exception {
        TimeFormat format = TimeFormat.parse(timeFormat);
        CsvTickImporter.Pacer pacer = pacer();
        String source;
        InputStream in;
        if (csv == null) {
            source = Trades.BITSTAMP_RESOURCE + " (bundled)";
            in = RecordCommand.class.getClassLoader().getResourceAsStream(Trades.BITSTAMP_RESOURCE);
            if (in == null) {
                throw new IllegalStateException(Trades.BITSTAMP_RESOURCE + " is not on the classpath: it comes with "
                    + "org.ta4j:ta4j-examples:0.18, a dependency of tickgrad");
            }
            if (!anyColumnGiven()) {
                priceCol = "price";
                sizeCol = "amount";
            }
        } else {
            if (Files.isDirectory(csv)) {
                throw new IllegalArgumentException("--csv " + csv + ": is a directory; expected a CSV file");
            }
            if (!Files.isRegularFile(csv)) {
                throw new IllegalArgumentException("--csv " + csv + ": no such file");
            }
            source = csv.toString();
            in = Files.newInputStream(csv);
        }
        String instrument = this.instrument != null ? this.instrument
            : csv == null ? "BTC-USD" : csv.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        int id;
        CsvTickImporter.Report report;
        long appendedBefore;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            reader.mark(1 << 16);
            String header = reader.readLine();
            reader.reset();
            CsvColumns columns = columns(header, source);
            System.err.println("recording " + columns.shape() + " ticks from " + source + " (" + columns.describe()
                + ")");
            try (ChronicleTickWriter writer = ChronicleTickWriter.open(queue)) {
                long first = writer.nextSequence();
                TickValidator validator = new TickValidator();
                io.tickgrad.market.Tick last = new io.tickgrad.market.Tick()
                    .wrap(new UnsafeBuffer(new byte[io.tickgrad.market.TickDescriptor.LENGTH]), 0);
                id = CsvTickImporter.instrumentId(instrument);
                if (writer.lastTick(last)) {
                    validator.continueAfter(last);   // appending: the time order goes on from the queue's last tick
                    if (this.instrument == null) {
                        id = last.instrumentId();     // appending without a name: the queue's instrument goes on
                        instrument = "the queue's instrument";
                    } else if (id != last.instrumentId()) {
                        throw new IllegalArgumentException("--instrument " + this.instrument + ": the queue " + queue
                            + " holds instrument id " + last.instrumentId() + ", not " + id + "; expected the same "
                            + "instrument when appending (or another --queue)");
                    }
                }
                CsvTickImporter importer = new CsvTickImporter(columns, format, id);
                appendedBefore = first;
                try {
                    report = importer.read(reader, source, writer, first, new OffsetEpochNanoClock(), validator, pacer);
                } catch (QueueWriteException e) {
                    throw new IllegalStateException(e.getMessage() + "; " + writer.appended() + " ticks of " + source
                        + " were recorded before it and stay in the queue", e);
                }
            }
        }
        System.err.print(report.describeBadRows());
        System.out.printf(Locale.ROOT, "recorded %d %s ticks of %s (instrument id %d) from %s into %s%n", report.ticks(),
            report.shape(), instrument, id, source, queue);
        if (report.ticks() > 0) {
            System.out.printf(Locale.ROOT, "exchange time %s .. %s%n", Instant.ofEpochSecond(0, report.firstTimeNs()),
                Instant.ofEpochSecond(0, report.lastTimeNs()));
        }
        System.out.printf(Locale.ROOT, "rows %d, bad rows %d%s%n", report.rows(), report.badRows(),
            report.badRows() > 0 ? " (not recorded; listed on stderr with their line numbers and reasons)" : "");
        String backwards = TickValidator.reasonName(TickValidator.TIME_BACKWARDS);
        long back = report.badByReason().getOrDefault(backwards, 0L);
        if (back > report.rows() / 2) {
            System.err.println("record: " + source + ": " + back + " of " + report.rows() + " rows go back in time: is "
                + "the file in descending time order? tickgrad records ticks in ascending time order; sort it first");
        }
        long already = report.badByReason().getOrDefault(TickValidator.reasonName(TickValidator.ALREADY_RECORDED), 0L);
        if (report.ticks() == 0 && report.rows() > 0 && already == report.badRows()) {
            System.out.println("nothing new: every row is at or before the queue's last tick, which it already holds");
            return 0;
        }
        if (report.ticks() == 0 && report.rows() > 0) {
            throw new IllegalArgumentException(source + ": every row was bad; nothing recorded");
        }
        if (report.rows() == 0) {
            throw new IllegalArgumentException(source + ": the file has a header but no rows; nothing recorded");
        }
        return 0;
    }

    private boolean anyColumnGiven() {
        return priceCol != null || sizeCol != null || bidCol != null || askCol != null || bidSizeCol != null
            || askSizeCol != null || openCol != null || highCol != null || lowCol != null || closeCol != null
            || volumeCol != null;
    }

    /** The columns asked for, or, when none is named, the ones the header offers. */
    private CsvColumns columns(String header, String source) {
        if (header == null) {
            throw new IllegalArgumentException(source + ": empty file, expected a header line");
        }
        if (anyColumnGiven()) {
            String time = timeCol;
            if (time == null) {
                CsvColumns detected = CsvColumns.detect(splitHeader(header), null);
                time = detected == null ? "timestamp" : detected.time();
            }
            return new CsvColumns(time, priceCol, sizeCol, bidCol, askCol, bidSizeCol, askSizeCol, openCol, highCol,
                lowCol, closeCol, volumeCol);
        }
        CsvColumns detected = CsvColumns.detect(splitHeader(header), timeCol);
        if (detected == null) {
            throw new IllegalArgumentException(source + ": line 1: cannot tell the columns from the header "
                + splitHeader(header) + "; expected a time column (--time-col) and --price-col, --bid-col/--ask-col "
                + "or --open-col/--high-col/--low-col/--close-col");
        }
        return detected;
    }

    private static List<String> splitHeader(String header) {
        return CsvTickImporter.splitLine(header);
    }

    private CsvTickImporter.Pacer pacer() {
        if (rate != null && realtime) {
            throw new IllegalArgumentException("--rate and --realtime: give one of them (a fixed rate, or the "
                + "recorded gaps)");
        }
        if (rate != null) {
            if (!(rate > 0) || rate.isInfinite()) {
                throw new IllegalArgumentException("--rate: expected ticks per second > 0, found " + rate);
            }
            return Pacing.fixedRate(rate);
        }
        if (realtime) {
            if (!(speed > 0) || Double.isInfinite(speed)) {
                throw new IllegalArgumentException("--speed: expected a factor > 0, found " + speed);
            }
            if (maxGapMs < 0) {
                throw new IllegalArgumentException("--max-gap-ms: expected >= 0, found " + maxGapMs);
            }
            return Pacing.recordedGaps(speed, maxGapMs * 1_000_000L);
        }
        if (speed != 1) {
            throw new IllegalArgumentException("--speed needs --realtime");
        }
        return CsvTickImporter.Pacer.NONE;
    }
}
