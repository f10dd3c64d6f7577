package io.tickgrad.reliability;

import static io.tickgrad.cli.CliCapture.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tickgrad.io.ChronicleTickWriter;
import io.tickgrad.market.TestTicks;
import io.tickgrad.market.Tick;
import io.tickgrad.market.TickKind;
import io.tickgrad.market.TickValidator;
import io.tickgrad.serve.ServingSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Market data in the shapes users hold (a bare price series, OHLCV bars, quotes, trades), end to end through
 * {@code record}, {@code replay}, {@code serve} and {@code tail} with the shipped model, and every way a queue can
 * hold nothing usable: each refused with exit 1 and a one-line reason, never a report of zeros.
 */
class MarketDataShapesTest {
    private static final String MODEL = "../models/updown/updown.safetensors";
    /** The shipped model's chart window: ticks before its first prediction. */
    private static final int WARMUP = 400;
    /** The shipped model's label horizon in ticks. */
    private static final int HORIZON = 100;

    @TempDir
    Path dir;


    private static double[] walk(int n, long seed, double start) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] p = new double[n];
        double x = start;
        for (int i = 0; i < n; i++) {
            x *= Math.exp((r.nextDouble() - 0.5) * 0.01);
            p[i] = x;
        }
        return p;
    }

    /** Half-hourly closes with no size, as an FX series comes: "time,price", times as "yyyy-MM-dd HH:mm:ss". */
    private Path priceSeries(int n) throws IOException {
        double[] p = walk(n, 11, 1.6);
        StringBuilder s = new StringBuilder("time,USDCHF\n");
        for (int i = 0; i < n; i++) {
            s.append(Instant.ofEpochSecond(946_857_600L + i * 1800L).toString().replace('T', ' ').replace("Z", ""))
                .append(',').append(String.format(Locale.ROOT, "%.5f", p[i])).append('\n');
        }
        return Files.writeString(dir.resolve("usdchf.csv"), s);
    }

    /** Daily OHLCV bars as a data vendor writes them: Date,Open,High,Low,Close,Volume. */
    private Path dailyBars(int n) throws IOException {
        double[] c = walk(n, 12, 100);
        SplittableRandom r = new SplittableRandom(3);
        StringBuilder s = new StringBuilder("Date,Open,High,Low,Close,Volume\n");
        double open = 100;
        for (int i = 0; i < n; i++) {
            double hi = Math.max(open, c[i]) * (1 + r.nextDouble() * 0.01);
            double lo = Math.min(open, c[i]) * (1 - r.nextDouble() * 0.01);
            s.append(java.time.LocalDate.ofEpochDay(10_000 + i)).append(',')
                .append(String.format(Locale.ROOT, "%.4f,%.4f,%.4f,%.4f,%d%n", open, hi, lo, c[i],
                    1000 + r.nextInt(5000)));
            open = c[i];
        }
        return Files.writeString(dir.resolve("bars.csv"), s);
    }

    /** Quotes, epoch milliseconds, with sizes. */
    private Path quotes(int n) throws IOException {
        double[] m = walk(n, 13, 50);
        StringBuilder s = new StringBuilder("ts,bid,ask,bid_size,ask_size\n");
        for (int i = 0; i < n; i++) {
            s.append(1_700_000_000_000L + i * 250L).append(',')
                .append(String.format(Locale.ROOT, "%.4f,%.4f,%d,%d%n", m[i] - 0.01, m[i] + 0.01, 1 + i % 7, 1 + i % 5));
        }
        return Files.writeString(dir.resolve("quotes.csv"), s);
    }

    private static long count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Records {@code csv} with {@code columns}, replays it with the shipped model, and checks every tick is served. */
    private void recordAndReplay(Path csv, int rows, String shape, String... columns) {
        Path queue = dir.resolve(shape + "-ticks");
        List<String> args = new ArrayList<>(List.of("record", "--csv", csv.toString(), "--queue", queue.toString(),
            "--instrument", shape.toUpperCase(Locale.ROOT)));
        args.addAll(List.of(columns));
        String[] r = run(args.toArray(new String[0]));
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("recorded " + rows + " " + shape + " ticks"), r[1]);
        assertTrue(r[1].contains("bad rows 0"), r[1]);
        Path report = dir.resolve(shape + "-report");
        r = run("replay", "--queue", queue.toString(), "--model", MODEL, "--report", report.toString());
        assertEquals("0", r[0], r[1] + r[2]);
        assertEquals(rows, count(r[1], "replayed (\\d+) ticks"), r[1]);
        assertEquals(0, count(r[1], "\\((\\d+) bad, skipped\\)"), r[1]);
        // a prediction for every tick once the chart window is full, the first on the window's last tick
        assertEquals(rows - WARMUP + 1, count(r[1], ", (\\d+) predictions"), r[1]);
        // labels at the horizon (100 ticks): every prediction but the last horizon's is labelled
        assertEquals(Math.min(HORIZON, rows - WARMUP + 1), count(r[1], "; (\\d+) labels not yet matured"), r[1]);
        assertTrue(Files.isRegularFile(report.resolve("summary.json")));
        r = run("tail", "--queue", queue.toString(), "--limit", "2", "--format", "jsonl");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("\"kind\":\"" + shape + "\""), r[1]);
        serveByCliAndInProcess(queue, rows - WARMUP + 1, shape);
    }

    /** Serves {@code queue} with {@code serve} and with a session in process: each predicts every tick after warm-up. */
    private void serveByCliAndInProcess(Path queue, long expected, String shape) {
        Path predictions = dir.resolve(shape + "-predictions");
        String[] r = run("serve", "--ticks", queue.toString(), "--predictions", predictions.toString(), "--model",
            MODEL, "--exit-when-idle-ms", "1500");
        assertEquals("0", r[0], r[1] + r[2]);
        r = run("tail", "--queue", predictions.toString());
        assertEquals("0", r[0], r[2]);
        assertEquals(expected, r[1].lines().count() - 1, "serve: a prediction per tick after warm-up");
        long[] seen = {0};
        try (ServingSession session = ServingSession.builder().model(Path.of(MODEL)).ticks(queue)
                 .onPrediction(p -> seen[0]++).open()) {
            session.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (session.predictions() < expected && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            session.stop();
            assertEquals(expected, session.predictions(), "in process: a prediction per tick after warm-up");
            assertEquals(0, session.inferenceErrors());
        }
        assertEquals(expected, seen[0], "every prediction reaches the in-process callback");
    }

    @Test
    void shouldRecordAndReplayAPriceSeriesWithoutSizes() throws IOException {
        recordAndReplay(priceSeries(1200), 1200, "price", "--time-col", "time", "--price-col", "USDCHF");
    }

    @Test
    void shouldDetectAPriceSeriesFromItsHeader() throws IOException {
        recordAndReplay(priceSeries(900), 900, "price");
    }

    @Test
    void shouldRecordAndReplayDailyBars() throws IOException {
        recordAndReplay(dailyBars(700), 700, "bar", "--time-col", "Date", "--open-col", "Open", "--high-col", "High",
            "--low-col", "Low", "--close-col", "Close", "--volume-col", "Volume");
    }

    @Test
    void shouldRecordAndReplayQuotesWithMidAndBook() throws IOException {
        recordAndReplay(quotes(800), 800, "quote", "--time-col", "ts", "--bid-col", "bid", "--ask-col", "ask",
            "--bid-size-col", "bid_size", "--ask-size-col", "ask_size");
    }

    @Test
    void shouldRecordAndReplayTradesWithSizes() throws IOException {
        double[] p = walk(750, 14, 30_000);
        StringBuilder s = new StringBuilder("timestamp,price,amount\n");
        for (int i = 0; i < p.length; i++) {
            s.append(1_700_000_000_000L + i * 37L).append(',')
                .append(String.format(Locale.ROOT, "%.2f,%.6f%n", p[i], 0.001 + (i % 13) * 0.01));
        }
        Path csv = Files.writeString(dir.resolve("trades.csv"), s);
        recordAndReplay(csv, 750, "trade", "--time-col", "timestamp", "--price-col", "price", "--size-col", "amount");
    }

    /** Real series from Debian's R data packages, converted by models/market-daily/rebuild-data.sh (R wrote them). */
    private static final Path REAL = Path.of("../models/market-daily/data/reserved");

    @Test
    void shouldRecordAndReplayTheHalfHourlyUsdChfSeriesThatOnceGaveZeroPredictions() {
        // r-cran-timeseries' USDCHF: 62,496 half-hourly prices, a time and a price column, no sizes
        Path queue = dir.resolve("usdchf");
        String[] r = run("record", "--csv", REAL.resolve("USDCHF.csv").toString(), "--queue", queue.toString());
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("recorded 62496 price ticks of USDCHF"), r[1]);
        assertTrue(r[1].contains("bad rows 0"), r[1]);
        r = run("replay", "--queue", queue.toString(), "--model", MODEL, "--report", dir.resolve("rep").toString());
        assertEquals("0", r[0], r[1] + r[2]);
        assertEquals(62_496, count(r[1], "replayed (\\d+) ticks"), r[1]);
        assertEquals(62_496 - WARMUP + 1, count(r[1], ", (\\d+) predictions"), r[1]);
        assertEquals(HORIZON, count(r[1], "; (\\d+) labels not yet matured"), r[1]);
    }

    @Test
    void shouldRecordReplayAndServeTheDailyDjia8012Series() {
        // r-cran-aer's DJIA8012: daily closes of the Dow Jones Industrial Average, 1980 to 2012
        recordAndReplay(REAL.resolve("DJIA8012.csv"), 8_610, "price");
    }

    /** Daily closes as R writes them: write.csv (quoted header, quoted row names) or write.table (tabs). */
    private Path rStyle(String name, int n, boolean tabs) throws IOException {
        double[] p = walk(n, 15, 100);
        StringBuilder s = new StringBuilder(tabs ? "\"Date\"\t\"Close\"\n" : "\"\",\"Date\",\"Close\"\n");
        for (int i = 0; i < n; i++) {
            String date = java.time.LocalDate.ofEpochDay(18_262 + i).toString();
            s.append(tabs ? date + "\t" + p[i] : "\"" + (i + 1) + "\"," + date + "," + p[i]).append('\n');
        }
        return Files.writeString(dir.resolve(name), s);
    }

    @Test
    void shouldReadFilesAsOtherToolsWriteThem() throws IOException {
        // R's write.csv: row names in a column with an empty quoted name; the instrument is named after the file
        Path csv = rStyle("spx_close.csv", 600, false);
        Path queue = dir.resolve("r-ticks");
        String[] r = run("record", "--csv", csv.toString(), "--queue", queue.toString());
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("recorded 600 price ticks of spx_close "), r[1]);
        assertTrue(r[1].contains("bad rows 0"), r[1]);
        // R's write.table: tab-separated; appended without a name, it goes on as the queue's instrument
        r = run("record", "--csv", rStyle("more.txt", 650, true).toString(), "--queue", queue.toString());
        assertEquals("0", r[0], r[1] + r[2]);
        // the days up to the queue's last are refused as already recorded, its last day too
        assertTrue(r[1].contains("recorded 50 price ticks of the queue's instrument"), r[1]);
        assertTrue(r[1].contains("bad rows 600"), r[1]);
        assertTrue(r[2].contains("at or before the queue's last tick"), r[2]);
        // recording the same file again adds nothing and says so
        r = run("record", "--csv", rStyle("more.txt", 650, true).toString(), "--queue", queue.toString());
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("nothing new: every row is at or before the queue's last tick"), r[1]);
        r = run("replay", "--queue", queue.toString(), "--model", MODEL, "--report", dir.resolve("rep").toString());
        assertEquals("0", r[0], r[1] + r[2]);
        assertEquals(650, count(r[1], "replayed (\\d+) ticks"), r[1]);
        // appending another named instrument is refused before any row is read
        r = run("record", "--csv", csv.toString(), "--queue", queue.toString(), "--instrument", "NDX");
        assertEquals("1", r[0], r[1] + r[2]);
        assertTrue(r[2].contains("--instrument NDX") && r[2].contains("expected the same instrument"), r[2]);
        // a spreadsheet in a decimal-comma locale: semicolons between fields; a comma in a number is named
        Path semi = Files.writeString(dir.resolve("semi.csv"), "Datum;Schluss\n2020-01-02;1.25\n2020-01-03;1,26\n");
        r = run("record", "--csv", semi.toString(), "--queue", dir.resolve("semi-ticks").toString(),
            "--time-col", "Datum", "--price-col", "Schluss");
        assertTrue(r[1].contains("rows 2, bad rows 1"), r[1] + r[2]);
        assertTrue(r[2].contains("found '1,26' (a decimal comma?"), r[2]);
    }

    @Test
    void shouldCountOneOutlierTimestampAsOneBadRowAndKeepTheRest() throws IOException {
        Path csv = priceSeries(600);
        List<String> lines = new ArrayList<>(Files.readAllLines(csv));
        lines.set(300, "2091-06-01 00:00:00,1.61");   // a row dated decades ahead, in the middle
        Files.write(csv, lines);
        Path queue = dir.resolve("outlier");
        String[] r = run("record", "--csv", csv.toString(), "--queue", queue.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("recorded 599 price ticks"), r[1]);
        assertTrue(r[1].contains("bad rows 1"), r[1]);
        assertTrue(r[2].contains("line 301: " + TickValidator.reasonName(TickValidator.TIME_IN_FUTURE)), r[2]);
        assertTrue(r[2].contains("2091-06-01"), r[2]);
        r = run("replay", "--queue", queue.toString(), "--model", MODEL, "--report", dir.resolve("rep").toString());
        assertEquals("0", r[0], r[2]);
        assertEquals(599, count(r[1], "replayed (\\d+) ticks"), r[1]);
        assertEquals(599 - WARMUP + 1, count(r[1], ", (\\d+) predictions"), r[1]);
    }

    @Test
    void shouldJudgeARecordedRowAndAReplayedTickByTheSameValidator() throws IOException {
        // the same faults written straight into a queue (as another writer might) and through record
        Path csv = Files.writeString(dir.resolve("faults.csv"), "time,price,size\n"
            + "2020-01-01T00:00:00Z,100,1\n2020-01-01T00:00:01Z,0,1\n2020-01-01T00:00:02Z,101,-1\n"
            + "2019-12-31T23:59:59Z,99,1\n2020-01-01T00:00:03Z,102,2\n");
        String[] r = run("record", "--csv", csv.toString(), "--queue", dir.resolve("rq").toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[2].contains("bad rows: 1 " + TickValidator.reasonName(TickValidator.BAD_PRICE)), r[2]);
        assertTrue(r[2].contains("bad rows: 1 " + TickValidator.reasonName(TickValidator.BAD_SIZE)), r[2]);
        assertTrue(r[2].contains("bad rows: 1 " + TickValidator.reasonName(TickValidator.TIME_BACKWARDS)), r[2]);
        TickValidator v = new TickValidator();
        Tick t = TestTicks.scratch();
        long s = 1_577_836_800_000_000_000L;
        assertEquals(TickValidator.OK, v.check(t.trade(0, 1, s, 0, 100, 1)));
        assertEquals(TickValidator.BAD_PRICE, v.check(t.trade(1, 1, s + 1, 0, 0, 1)));
        assertEquals(TickValidator.BAD_SIZE, v.check(t.trade(1, 1, s + 2, 0, 101, -1)));
        assertEquals(TickValidator.TIME_BACKWARDS, v.check(t.trade(1, 1, s - 1, 0, 99, 1)));
        assertEquals(TickValidator.UNKNOWN_KIND, v.check(t.trade(1, 1, s + 3, 0, 102, 2).kind((byte) 9)));
        assertEquals(TickValidator.BAD_BAR, v.check(t.bar(1, 1, s + 3, 0, 100, 99, 98, 100, 5)));   // high < open
        assertEquals(TickValidator.OK, v.check(t.bar(1, 1, s + 3, 0, 100, 102, 98, 101, Double.NaN)));
        assertEquals(TickValidator.OK, v.check(t.priceOnly(2, 1, s + 4, 0, 101)));
        assertEquals(TickValidator.OK, v.check(t.quote(3, 1, s + 5, 0, 100, 100.5, Double.NaN, Double.NaN)));
        assertEquals(TickKind.QUOTE, t.kind());
        long received = 1_700_000_000_000_000_000L;
        assertEquals(TickValidator.TIME_IN_FUTURE, v.check(t.priceOnly(4, 1, received + 2 * 86_400_000_000_000L,
            received, 101)));
        assertEquals(TickValidator.OK, v.check(t.priceOnly(4, 1, s + 6, received, 101)), "the outlier moved nothing");
    }

    @Test
    void shouldRefuseQueuesThatHoldNothingUsable() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        String[] r = run("replay", "--queue", empty.toString(), "--model", MODEL, "--report", dir.resolve("r1").toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("holds no queue"), r[2]);
        assertOneLine(r[2]);

        Path zeroed = Files.createDirectories(dir.resolve("zeroed"));
        Files.write(zeroed.resolve("20240101F.cq4"), new byte[1 << 16]);
        r = run("replay", "--queue", zeroed.toString(), "--model", MODEL, "--report", dir.resolve("r2").toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("20240101F.cq4: not a Chronicle queue file: found zeros"), r[2]);

        Path random = Files.createDirectories(dir.resolve("random"));
        byte[] junk = new byte[1 << 16];
        new SplittableRandom(5).nextBytes(junk);
        Files.write(random.resolve("20240101F.cq4"), junk);
        r = run("tail", "--queue", random.toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("not a Chronicle queue file: found other bytes"), r[2]);

        Path ticks = dir.resolve("ticks");
        try (ChronicleTickWriter w = ChronicleTickWriter.open(ticks)) {
            Tick t = TestTicks.scratch();
            for (int i = 0; i < 500; i++) {
                w.onTick(TestTicks.trade(t, i, 100 + Math.sin(i), 1));
            }
        }
        Path predictions = dir.resolve("predictions");
        r = run("serve", "--ticks", ticks.toString(), "--predictions", predictions.toString(), "--model", MODEL,
            "--exit-when-idle-ms", "500");
        assertEquals("0", r[0], r[2]);
        r = run("replay", "--queue", predictions.toString(), "--model", MODEL, "--report", dir.resolve("r3").toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("holds no tick records (found 101 prediction records"), r[2]);
        r = run("serve", "--ticks", predictions.toString(), "--predictions", dir.resolve("p2").toString(), "--model",
            MODEL, "--exit-when-idle-ms", "500");
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("no tick records (found 101 prediction records"), r[2]);

        Path truncated = Files.createDirectories(dir.resolve("truncated"));
        try (Stream<Path> files = Files.list(ticks)) {
            for (Path f : files.toList()) {
                Files.copy(f, truncated.resolve(f.getFileName()));
            }
        }
        try (Stream<Path> files = Files.list(truncated)) {
            Path cq4 = files.filter(f -> f.toString().endsWith(".cq4")).findFirst().orElseThrow();
            try (var ch = java.nio.channels.FileChannel.open(cq4, java.nio.file.StandardOpenOption.WRITE)) {
                ch.truncate(1 << 16);
            }
            Map<String, Long> before = snapshot(truncated);
            r = run("replay", "--queue", truncated.toString(), "--model", MODEL, "--report", dir.resolve("r4").toString());
            assertEquals("1", r[0]);
            assertTrue(r[2].contains("the queue file is truncated"), r[2]);
            assertEquals(before, snapshot(truncated), "a reader changed the input directory");
        }

        Path allBad = dir.resolve("allbad");
        try (ChronicleTickWriter w = ChronicleTickWriter.open(allBad)) {
            Tick t = TestTicks.scratch();
            for (int i = 0; i < 50; i++) {
                w.onTick(TestTicks.trade(t, i, -1, 1));
            }
        }
        r = run("replay", "--queue", allBad.toString(), "--model", MODEL, "--report", dir.resolve("r5").toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("no valid tick: all 50 ticks were bad"), r[2]);
        assertFalse(Files.exists(dir.resolve("r5").resolve("summary.json")), "no report of zeros");

        r = run("serve", "--ticks", ticks.toString(), "--predictions", ticks.toString(), "--model", MODEL);
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("is the ticks queue"), r[2]);
    }

    @Test
    void shouldWarnAtTheTopWhenMoreThanOnePercentOfTicksAreBad() {
        Path ticks = dir.resolve("ticks");
        try (ChronicleTickWriter w = ChronicleTickWriter.open(ticks)) {
            Tick t = TestTicks.scratch();
            for (int i = 0; i < 600; i++) {
                w.onTick(TestTicks.trade(t, i, i % 20 == 0 ? Double.NaN : 100 + Math.sin(i * 0.1), 1));
            }
        }
        String[] r = run("replay", "--queue", ticks.toString(), "--model", MODEL, "--report", dir.resolve("r").toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("WARNING: 5.0% of the ticks were bad (30 of 600)"), r[1]);
    }

    @Test
    void shouldNeverWriteIntoAQueueItReads() throws IOException {
        recordAndReplay(priceSeries(450), 450, "price", "--time-col", "time", "--price-col", "USDCHF");
        Path queue = dir.resolve("price-ticks");
        Map<String, Long> before = snapshot(queue);
        assertEquals("0", run("replay", "--queue", queue.toString(), "--model", MODEL, "--report",
            dir.resolve("again").toString())[0]);
        assertEquals("0", run("tail", "--queue", queue.toString())[0]);
        assertEquals(before, snapshot(queue));
    }

    /** Every file of a directory with its size and modification time. */
    private static Map<String, Long> snapshot(Path d) throws IOException {
        Map<String, Long> m = new TreeMap<>();
        try (Stream<Path> files = Files.list(d)) {
            for (Path f : files.toList()) {
                m.put(f.getFileName() + " size", Files.size(f));
                m.put(f.getFileName() + " mtime", Files.getLastModifiedTime(f).toMillis());
            }
        }
        return m;
    }

    private static void assertOneLine(String err) {
        assertEquals(1, err.strip().lines().count(), err);
    }

    @Test
    void shouldRefuseASecondServerOfTheSamePredictionsQueue() throws Exception {
        Path ticks = dir.resolve("ticks");
        try (ChronicleTickWriter w = ChronicleTickWriter.open(ticks)) {
            w.onTick(TestTicks.trade(TestTicks.scratch(), 0, 100, 1));
        }
        Path predictions = dir.resolve("predictions");
        Path log = dir.resolve("first.log");
        Process first = new ProcessBuilder(ChildJvm.tickgrad("serve", "--ticks", ticks.toString(), "--predictions",
            predictions.toString(), "--model", MODEL, "--exit-when-idle-ms", "60000")).redirectErrorStream(true)
            .redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(log).contains("serving ") && System.nanoTime() < deadline && first.isAlive()) {
                Thread.sleep(50);
            }
            assertTrue(first.isAlive(), Files.readString(log));
            Process second = new ProcessBuilder(ChildJvm.tickgrad("serve", "--ticks", ticks.toString(),
                "--predictions", predictions.toString(), "--model", MODEL)).redirectErrorStream(true).start();
            assertTrue(second.waitFor(60, TimeUnit.SECONDS));
            String out = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(1, second.exitValue(), out);
            assertTrue(out.contains("another process already writes there"), out);
            assertTrue(out.contains("pid " + first.pid()), out);
        } finally {
            first.destroyForcibly().waitFor();   // kill -9: the kernel lets go of the lock
        }
        Process third = new ProcessBuilder(ChildJvm.tickgrad("serve", "--ticks", ticks.toString(), "--predictions",
            predictions.toString(), "--model", MODEL, "--exit-when-idle-ms", "300")).redirectErrorStream(true).start();
        assertTrue(third.waitFor(60, TimeUnit.SECONDS));
        String out = new String(third.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertFalse(out.contains("another process"), out);
    }

    /** A writer killed in the middle of an append: {@code args[0]} is the queue, {@code args[1]} the ticks first. */
    static final class HaltMidAppend {
        public static void main(String[] args) {
            Path queue = Path.of(args[0]);
            try (ChronicleTickWriter w = ChronicleTickWriter.open(queue)) {
                Tick t = TestTicks.scratch();
                for (int i = 0; i < Integer.parseInt(args[1]); i++) {
                    w.onTick(TestTicks.trade(t, i, 100 + Math.sin(i * 0.01), 1));
                }
            }
            ChronicleQueue q = SingleChronicleQueueBuilder.single(queue.toFile()).build();
            DocumentContext dc = q.createAppender().writingDocument();
            dc.wire().bytes().writeLong(7L).writeLong(8L);   // half a tick, never finished
            Runtime.getRuntime().halt(0);
        }
    }

    @Test
    void shouldReportARecordThatItsWriterNeverFinished() throws Exception {
        Path ticks = dir.resolve("ticks");
        Process writer = new ProcessBuilder(ChildJvm.main(HaltMidAppend.class, ticks.toString(), "1000"))
            .redirectErrorStream(true).start();
        String out = new String(writer.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(writer.waitFor(60, TimeUnit.SECONDS), out);
        Path report = dir.resolve("report");
        String[] r = run("replay", "--queue", ticks.toString(), "--model", MODEL, "--report", report.toString());
        assertEquals("0", r[0], r[1] + r[2]);
        assertEquals(1000, count(r[1], "replayed (\\d+) ticks"), r[1]);
        assertTrue(r[1].contains("WARNING: ") && r[1].contains("was never finished (its writer stopped in the middle "
            + "of an append)"), r[1]);
        try (Stream<Path> files = Files.list(report)) {
            assertTrue(files.filter(f -> f.toString().endsWith(".html")).anyMatch(f -> {
                try {
                    return Files.readString(f).contains("was never finished");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }), "the report says so too");
        }
        r = run("tail", "--queue", ticks.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[2].contains("tail: WARNING: ") && r[2].contains("was never finished"), r[2]);
        // the next writer reclaims the unfinished record (its process is dead): nothing is left to report
        try (ChronicleTickWriter w = ChronicleTickWriter.open(ticks)) {
            Tick t = TestTicks.scratch();
            for (int i = 0; i < 10; i++) {
                w.onTick(TestTicks.trade(t, 1000 + i, 100, 1));
            }
        }
        r = run("replay", "--queue", ticks.toString(), "--model", MODEL, "--report", dir.resolve("r2").toString());
        assertEquals("0", r[0], r[1] + r[2]);
        assertEquals(1010, count(r[1], "replayed (\\d+) ticks"), r[1]);
        assertFalse(r[1].contains("never finished"), r[1]);
    }

    /** A small tmpfs for the full-disk tests, or a skip where mounting is not allowed (no root, a container). */
    private Path smallDisk(String name, String size) throws Exception {
        Path mount = Files.createDirectories(dir.resolve(name));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mount.toString())
            .redirectErrorStream(true).start();
        boolean mounted;
        try {
            mounted = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (RuntimeException e) {
            mounted = false;
        }
        assumeTrue(mounted, "cannot mount a tmpfs here (needs root): the full-disk test is skipped");
        return mount;
    }

    private static void unmount(Path mount) throws Exception {
        new ProcessBuilder("umount", "-l", mount.toString()).start().waitFor(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldEndRecordAndServeWithOneLineOnAFullDiskAndKeepWhatWasAcknowledged() throws Exception {
        Path disk = smallDisk("disk", "1m");
        try {
            Path csv = priceSeries(30_000);
            Path queue = disk.resolve("ticks");
            String[] r = run("record", "--csv", csv.toString(), "--queue", queue.toString());
            assertEquals("1", r[0], r[1]);
            assertOneLine(r[2].lines().filter(l -> l.startsWith("tickgrad")).reduce("", (a, b) -> a + b + "\n"));
            assertTrue(r[2].contains("the disk is full"), r[2]);
            assertFalse(r[2].contains("InternalError"), r[2]);
            long recorded = count(r[2], "append failed after (\\d+) records");
            assertTrue(recorded > 1000, r[2]);
            r = run("replay", "--queue", queue.toString(), "--model", MODEL, "--report", dir.resolve("rep").toString());
            assertEquals("0", r[0], r[2]);
            assertEquals(recorded, count(r[1], "replayed (\\d+) ticks"), r[1]);
        } finally {
            unmount(disk);
        }
        Path ticks = dir.resolve("ticks");
        try (ChronicleTickWriter w = ChronicleTickWriter.open(ticks)) {
            Tick t = TestTicks.scratch();
            for (int i = 0; i < 20_000; i++) {
                w.onTick(TestTicks.trade(t, i, 100 + Math.sin(i * 0.01), 1));
            }
        }
        Path small = smallDisk("disk2", "1m");
        try {
            String[] r = run("serve", "--ticks", ticks.toString(), "--predictions", small.resolve("p").toString(),
                "--model", MODEL, "--exit-when-idle-ms", "2000");
            assertEquals("1", r[0], r[1]);
            assertTrue(r[2].contains("the disk is full") && r[2].contains("the inference thread stopped"), r[2]);
            long appended = count(r[2], "append failed after (\\d+) records");
            r = run("tail", "--queue", small.resolve("p").toString());
            assertEquals("0", r[0], r[2]);
            assertEquals(appended, r[1].lines().count() - 1, "every acknowledged prediction is in the queue");
        } finally {
            unmount(small);
        }
    }
}
