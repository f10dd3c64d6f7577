package io.tickgrad.market;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTickImporterTest {
    private static final long T = 1_704_186_000L; // 2024-01-02T09:00:00Z

    @Test
    void shouldRecogniseEveryTimeFormat() {
        long ns = T * 1_000_000_000L;
        assertEquals(ns, TimeFormat.AUTO.toEpochNanos("1704186000"));
        assertEquals(ns + 500_000_000L, TimeFormat.AUTO.toEpochNanos("1704186000.5"));
        assertEquals(ns + 123_000_000L, TimeFormat.AUTO.toEpochNanos("1704186000123"));
        assertEquals(ns + 7, TimeFormat.AUTO.toEpochNanos("1704186000000000007"));
        assertEquals(ns, TimeFormat.AUTO.toEpochNanos("2024-01-02T09:00:00Z"));
        assertEquals(ns, TimeFormat.AUTO.toEpochNanos("2024-01-02T10:00:00+01:00"));
        assertEquals(ns, TimeFormat.AUTO.toEpochNanos("2024-01-02T10:00:00+0100"));
        assertEquals(ns, TimeFormat.AUTO.toEpochNanos("2024-01-02 09:00:00"));
        assertEquals(ns + 250_000_000L, TimeFormat.ISO.toEpochNanos("2024-01-02T09:00:00.25"));
        assertEquals(ns, TimeFormat.EPOCH_MS.toEpochNanos("1704186000000"));
        assertEquals(1_704_153_600L * 1_000_000_000L, TimeFormat.AUTO.toEpochNanos("2024-01-02"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> TimeFormat.EPOCH_S.toEpochNanos("2024-01-02"));
        assertTrue(e.getMessage().contains("epoch seconds"), e.getMessage());
    }

    @Test
    void shouldReadQuotedHeadersAndReportBadRowsWithLineNumbers() {
        String csv = "\"Time\",\"Last Price\",\"Qty\"\n"
            + "2024-01-02T09:00:00Z,100.5,2\n"
            + "2024-01-02T09:00:01Z,abc,2\n"
            + "\n"
            + "not a time,100,1\n"
            + "2024-01-02T09:00:03Z,-1,1\n"
            + "\"2024-01-02T09:00:04Z\",\"101\",\"3\"\n";
        List<String> seen = new ArrayList<>();
        CsvTickImporter importer = new CsvTickImporter("time", "last price", "qty", null, null, null, null,
            TimeFormat.AUTO, 7);
        CsvTickImporter.Report r = importer.read(new BufferedReader(new StringReader(csv)), "t.csv",
            tick -> seen.add(tick.sequence() + ":" + tick.price() + ":" + tick.size() + ":" + tick.exchangeTimeNs()),
            10, () -> 99L);
        assertEquals(5, r.rows());
        assertEquals(2, r.ticks());
        assertEquals(3, r.badRows());
        assertEquals(List.of("10:100.5:2.0:" + T * 1_000_000_000L, "11:101.0:3.0:" + (T + 4) * 1_000_000_000L), seen);
        assertTrue(r.badRowMessages().get(0).startsWith("t.csv: line 3: column last price"), r.badRowMessages().get(0));
        assertTrue(r.badRowMessages().get(1).startsWith("t.csv: line 5: "), r.badRowMessages().get(1));
        assertTrue(r.badRowMessages().get(2).startsWith("t.csv: line 6: price not finite, positive"), r.badRowMessages().get(2));
    }

    @Test
    void shouldRecordQuotesWhenBidAndAskAreGiven() {
        String csv = "ts,mid,bid,ask,bs,as\n1704186000000,,99,101,5,3\n";
        List<String> seen = new ArrayList<>();
        new CsvTickImporter("ts", "mid", null, "bid", "ask", "bs", "as", TimeFormat.AUTO, 1)
            .read(new BufferedReader(new StringReader(csv)), "q.csv",
                t -> seen.add(TickKind.name(t.kind()) + " " + t.price() + " " + t.bidSize() + " " + t.askSize()), 0,
                () -> 0L);
        assertEquals(List.of("quote 100.0 5.0 3.0"), seen);
    }

    @Test
    void shouldNameTheMissingColumn() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
            new CsvTickImporter("time", "close", null, null, null, null, null, TimeFormat.AUTO, 1)
                .read(new BufferedReader(new StringReader("time,price\n1,2\n")), "x.csv", t -> { }, 0, () -> 0L));
        assertTrue(e.getMessage().contains("--price-col 'close' is not a column"), e.getMessage());
    }
}
