package io.tickgrad.serve;

import java.io.PrintStream;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/** Prints a latency histogram recorded in nanoseconds: a percentile line, then HdrHistogram's distribution in µs. */
public final class LatencyReport {
    private LatencyReport() {
    }

    /** @return a new histogram for latencies from 1 ns to 10 s, 3 significant digits (not thread-safe) */
    public static Histogram newHistogram() {
        return new Histogram(1, 10_000_000_000L, 3);
    }

    /**
     * @param h a histogram of nanoseconds
     * @return one line: "n=... p50=... us p90=... p99=... p99.9=... max=..." in microseconds
     */
    public static String summary(Histogram h) {
        return String.format(Locale.ROOT, "n=%d p50=%.2f us p90=%.2f us p99=%.2f us p99.9=%.2f us max=%.2f us",
            h.getTotalCount(), h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(90) / 1e3,
            h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3);
    }

    /**
     * Prints the summary line and the full distribution, values in microseconds.
     *
     * @param title the line's prefix
     * @param h     a histogram of nanoseconds; read it only once the thread that records into it has stopped
     * @param out   where to print
     */
    public static void print(String title, Histogram h, PrintStream out) {
        out.println(title + ": " + summary(h));
        if (h.getTotalCount() > 0) {
            h.outputPercentileDistribution(out, 5, 1000.0);
        }
    }
}
