package io.tickgrad.cli;

import io.tickgrad.io.ChronicleTickWriter;
import io.tickgrad.market.CsvTickImporter;
import io.tickgrad.market.TimeFormat;
import io.tickgrad.market.Trades;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.agrona.concurrent.OffsetEpochNanoClock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Records a CSV of trades, quotes or bars into a ticks queue. */
@Command(name = "record", mixinStandardHelpOptions = true,
    description = "Record a CSV of trades, quotes or bars into a ticks queue (Chronicle Queue, fixed binary ticks). "
        + "Without --csv, records the bundled Bitstamp BTC/USD trades (ta4j-examples 0.18).")
final class RecordCommand implements Callable<Integer> {
    @Option(names = "--csv", description = "CSV file with a header line; default: the bundled Bitstamp trades")
    Path csv;

    @Option(names = "--queue", required = true, description = "ticks queue directory (created if missing)")
    Path queue;

    @Option(names = "--time-col", description = "time column; default timestamp")
    String timeCol;

    @Option(names = "--price-col", description = "price column (trade price, mid, or a bar's close); default price")
    String priceCol;

    @Option(names = "--size-col", description = "size column (optional; the bundled data: amount)")
    String sizeCol;

    @Option(names = "--bid-col", description = "bid column (optional)")
    String bidCol;

    @Option(names = "--ask-col", description = "ask column (optional)")
    String askCol;

    @Option(names = "--bid-size-col", description = "bid size column (optional)")
    String bidSizeCol;

    @Option(names = "--ask-size-col", description = "ask size column (optional)")
    String askSizeCol;

    @Option(names = "--instrument", defaultValue = "BTC-USD", description = "instrument name; default ${DEFAULT-VALUE}")
    String instrument;

    @Option(names = "--time-format", defaultValue = "auto",
        description = "auto, iso, epoch-s, epoch-ms or epoch-ns; default ${DEFAULT-VALUE}")
    String timeFormat;

    @Override
    public Integer call() throws Exception {
        TimeFormat format = TimeFormat.parse(timeFormat);
        String source;
        InputStream in;
        if (csv == null) {
            source = Trades.BITSTAMP_RESOURCE + " (bundled)";
            in = RecordCommand.class.getClassLoader().getResourceAsStream(Trades.BITSTAMP_RESOURCE);
            if (in == null) {
                throw new IllegalStateException(Trades.BITSTAMP_RESOURCE + " is not on the classpath: it comes with "
                    + "org.ta4j:ta4j-examples:0.18, a dependency of tickgrad");
            }
            if (sizeCol == null) {
                sizeCol = "amount";
            }
        } else {
            if (!Files.isRegularFile(csv)) {
                throw new IllegalArgumentException(csv + ": no such file");
            }
            source = csv.toString();
            in = Files.newInputStream(csv);
        }
        int id = CsvTickImporter.instrumentId(instrument);
        CsvTickImporter importer = new CsvTickImporter(timeCol == null ? "timestamp" : timeCol,
            priceCol == null ? "price" : priceCol, sizeCol, bidCol, askCol, bidSizeCol, askSizeCol, format, id);
        CsvTickImporter.Report report;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
             ChronicleTickWriter writer = ChronicleTickWriter.open(queue)) {
            long first = writer.nextSequence();
            report = importer.read(reader, source, writer, first, new OffsetEpochNanoClock());
        }
        System.err.print(report.describeBadRows());
        System.out.printf(Locale.ROOT, "recorded %d ticks of %s (instrument id %d) from %s into %s%n", report.ticks(),
            instrument, id, source, queue);
        if (report.ticks() > 0) {
            System.out.printf(Locale.ROOT, "exchange time %s .. %s%n", Instant.ofEpochSecond(0, report.firstTimeNs()),
                Instant.ofEpochSecond(0, report.lastTimeNs()));
        }
        System.out.printf(Locale.ROOT, "rows %d, bad rows %d%s%n", report.rows(), report.badRows(),
            report.badRows() > 0 ? " (skipped; listed on stderr with their line numbers)" : "");
        if (report.ticks() == 0 && report.rows() > 0) {
            throw new IllegalArgumentException(source + ": every row was bad; nothing recorded");
        }
        return 0;
    }
}
