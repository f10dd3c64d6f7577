package io.tickgrad.backtest.sweep;

import io.tickgrad.io.ChronicleTickWriter;
import io.tickgrad.market.CsvTickImporter;
import io.tickgrad.market.TimeFormat;
import io.tickgrad.market.Trades;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.agrona.concurrent.OffsetEpochNanoClock;

/**
 * Finds each data entry's ticks queue: an existing queue as given, or a CSV recorded into {@code DIR/queues/NAME}
 * once (a marker file says the recording finished; a recording cut short is removed and done again).
 */
final class SweepData {
    static final String QUEUES_DIR = "queues";

    private SweepData() {
    }

    static Map<String, Path> prepare(SweepGrid grid, Path out) throws IOException {
        Map<String, Path> queues = new LinkedHashMap<>();
        for (SweepGrid.DataSpec d : grid.data()) {
            if (!d.recorded()) {
                if (!Files.isDirectory(d.queue())) {
                    throw new IllegalArgumentException(grid.source() + ": data '" + d.name() + "': queue " + d.queue()
                        + " is not a directory");
                }
                queues.put(d.name(), d.queue());
                continue;
            }
            Path q = out.resolve(QUEUES_DIR).resolve(d.name());
            Path marker = out.resolve(QUEUES_DIR).resolve(d.name() + ".recorded");
            if (!Files.isRegularFile(marker)) {
                deleteQueue(q);
                long ticks = record(grid, d, q);
                ResultStore.write(marker, ticks + " ticks from " + d.csv() + "\n");
            }
            queues.put(d.name(), q);
        }
        return queues;
    }

    private static long record(SweepGrid grid, SweepGrid.DataSpec d, Path q) throws IOException {
        InputStream in;
        String source;
        if (d.csv().equals("bundled")) {
            source = Trades.BITSTAMP_RESOURCE;
            in = SweepData.class.getClassLoader().getResourceAsStream(Trades.BITSTAMP_RESOURCE);
            if (in == null) {
                throw new IllegalStateException(Trades.BITSTAMP_RESOURCE + " is not on the classpath (it comes with "
                    + "org.ta4j:ta4j-examples:0.18)");
            }
        } else {
            Path csv = Path.of(d.csv());
            if (!Files.isRegularFile(csv)) {
                throw new IllegalArgumentException(grid.source() + ": data '" + d.name() + "': csv " + csv
                    + ": no such file");
            }
            source = csv.toString();
            in = Files.newInputStream(csv);
        }
        CsvTickImporter importer = new CsvTickImporter(d.timeCol(), d.priceCol(), d.sizeCol(), d.bidCol(), d.askCol(),
            null, null, TimeFormat.parse(d.timeFormat()), CsvTickImporter.instrumentId(d.instrument()));
        Files.createDirectories(q.getParent());
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
             ChronicleTickWriter writer = ChronicleTickWriter.open(q)) {
            CsvTickImporter.Report report = importer.read(reader, source, writer, writer.nextSequence(),
                new OffsetEpochNanoClock());
            if (report.ticks() == 0) {
                throw new IllegalArgumentException(source + ": no valid tick recorded for data '" + d.name() + "'");
            }
            return report.ticks();
        }
    }

    private static void deleteQueue(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                String name = p.getFileName().toString();
                if (p.equals(dir) || name.endsWith(".cq4") || name.endsWith(".cq4t")) {
                    Files.delete(p);
                }
            }
        }
    }
}
