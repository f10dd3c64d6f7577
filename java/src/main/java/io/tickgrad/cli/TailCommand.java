package io.tickgrad.cli;

import io.tickgrad.io.QueueRecords;
import io.tickgrad.io.Queues;
import io.tickgrad.market.Prediction;
import io.tickgrad.market.PredictionDescriptor;
import io.tickgrad.market.Tick;
import io.tickgrad.market.TickDescriptor;
import io.tickgrad.market.TickKind;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints the ticks or predictions of a queue, read-only; with --follow, keeps printing as they arrive. */
@Command(name = "tail", mixinStandardHelpOptions = true,
    description = "Print the records of a ticks or predictions queue (it tells which the queue holds), as CSV or JSON "
        + "lines, read-only. With --follow, keep printing new records as they are appended (Ctrl-C to stop).")
final class TailCommand implements Callable<Integer> {
    @Option(names = "--queue", required = true, description = "queue directory (ticks or predictions)")
    Path queue;

    @Option(names = "--follow", description = "keep printing records as they are appended")
    boolean follow;

    @Option(names = "--format", defaultValue = "csv", description = "csv or jsonl; default ${DEFAULT-VALUE}")
    String format;

    @Option(names = "--limit", description = "stop after this many records")
    Long limit;

    private final Tick tick = new Tick();
    private final Prediction prediction = new Prediction();
    private String holds;
    private long printed;
    private long other;

    @Override
    public Integer call() throws Exception {
        boolean json;
        switch (format.toLowerCase(Locale.ROOT)) {
            case "csv": json = false; break;
            case "jsonl": json = true; break;
            default:
                throw new IllegalArgumentException("--format: expected csv or jsonl, found '" + format + "'");
        }
        if (limit != null && limit < 1) {
            throw new IllegalArgumentException("--limit: expected a count >= 1, found " + limit);
        }
        PrintStream out = System.out;
        long max = limit == null ? Long.MAX_VALUE : limit;
        try (QueueRecords records = QueueRecords.open(queue)) {
            QueueRecords.Handler handler = (buffer, length, index) -> print(out, json, buffer, length);
            while (printed < max) {
                int n = records.poll(handler, (int) Math.min(4096, max - printed));
                if (n == 0) {
                    if (!follow) {
                        break;
                    }
                    out.flush();
                    Thread.sleep(10);
                }
            }
        }
        out.flush();
        if (holds == null) {
            if (follow) {
                return 0;
            }
            throw new IllegalArgumentException("--queue " + queue + ": holds no tick or prediction records"
                + (other > 0 ? " (" + other + " records of other lengths)" : "") + "; expected a queue written by "
                + "tickgrad record or serve");
        }
        if (other > 0) {
            System.err.println("tail: " + other + " records of other lengths were skipped");
        }
        if (!follow && printed < max) {
            for (String doc : Queues.incompleteDocuments(queue)) {
                System.err.println("tail: WARNING: " + doc);
            }
        }
        return 0;
    }

    private void print(PrintStream out, boolean json, UnsafeBuffer buffer, int length) {
        if (length == TickDescriptor.LENGTH) {
            header(out, json, "ticks");
            tick.wrap(buffer, 0);
            out.println(json ? tickJson() : tickCsv());
        } else if (length == PredictionDescriptor.LENGTH) {
            header(out, json, "predictions");
            prediction.wrap(buffer, 0);
            out.println(json ? predictionJson() : predictionCsv());
        } else {
            other++;
            return;
        }
        printed++;
    }

    private void header(PrintStream out, boolean json, String kind) {
        if (holds == null) {
            holds = kind;
            System.err.println(queue + " holds " + kind);
            if (!json) {
                out.println(kind.equals("ticks")
                    ? "sequence,exchange_time,kind,instrument,price,size,bid,ask,bid_size,ask_size,open,high,low"
                    : "tick_sequence,tick_exchange_time,model_version,model_revision,decision_us,outputs");
            }
        }
    }

    private String tickCsv() {
        boolean bar = tick.kind() == TickKind.BAR;
        return String.format(Locale.ROOT, "%d,%s,%s,%d,%s,%s,%s,%s,%s,%s,%s,%s,%s", tick.sequence(),
            time(tick.exchangeTimeNs()), TickKind.name(tick.kind()), tick.instrumentId(), num(tick.price()),
            num(tick.size()), bar ? "" : num(tick.bid()), bar ? "" : num(tick.ask()), bar ? "" : num(tick.bidSize()),
            num(tick.askSize()), bar ? num(tick.open()) : "", bar ? num(tick.high()) : "", bar ? num(tick.low()) : "");
    }

    private String tickJson() {
        StringBuilder s = new StringBuilder("{\"sequence\":").append(tick.sequence())
            .append(",\"exchangeTime\":\"").append(time(tick.exchangeTimeNs())).append('"')
            .append(",\"kind\":\"").append(TickKind.name(tick.kind())).append('"')
            .append(",\"instrument\":").append(tick.instrumentId());
        field(s, "price", tick.price());
        field(s, "size", tick.size());
        if (tick.kind() == TickKind.BAR) {
            field(s, "open", tick.open());
            field(s, "high", tick.high());
            field(s, "low", tick.low());
        } else {
            field(s, "bid", tick.bid());
            field(s, "ask", tick.ask());
            field(s, "bidSize", tick.bidSize());
            field(s, "askSize", tick.askSize());
        }
        return s.append('}').toString();
    }

    private String predictionCsv() {
        StringBuilder outputs = new StringBuilder();
        for (int i = 0; i < outputCount(); i++) {
            outputs.append(i == 0 ? "" : ";").append(prediction.output(i));
        }
        return String.format(Locale.ROOT, "%d,%s,%016x,%d,%.3f,%s", prediction.tickSequence(),
            time(prediction.tickExchangeTimeNs()), prediction.modelVersion(), prediction.modelRevision(),
            (prediction.decisionEndNs() - prediction.decisionStartNs()) / 1e3, outputs);
    }

    private String predictionJson() {
        StringBuilder s = new StringBuilder("{\"tickSequence\":").append(prediction.tickSequence())
            .append(",\"tickExchangeTime\":\"").append(time(prediction.tickExchangeTimeNs())).append('"')
            .append(String.format(Locale.ROOT, ",\"modelVersion\":\"%016x\"", prediction.modelVersion()))
            .append(",\"modelRevision\":").append(prediction.modelRevision())
            .append(",\"outputs\":[");
        for (int i = 0; i < outputCount(); i++) {
            s.append(i == 0 ? "" : ",").append(jsonNumber(prediction.output(i)));
        }
        return s.append("]}").toString();
    }

    private int outputCount() {
        return Math.max(0, Math.min(prediction.outputCount(), PredictionDescriptor.MAX_OUTPUTS));
    }

    private static void field(StringBuilder s, String name, double v) {
        if (!Double.isNaN(v)) {
            s.append(",\"").append(name).append("\":").append(jsonNumber(v));
        }
    }

    private static String jsonNumber(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "null";
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    private static String time(long ns) {
        return Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L)).toString();
    }
}
