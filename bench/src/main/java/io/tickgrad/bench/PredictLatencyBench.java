package io.tickgrad.bench;

import io.tickgrad.nn.Network;
import io.tickgrad.nn.Precision;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The tail of single-sample predict in process (no queue), every call timed: {@code System.nanoTime} around each
 * {@code predict(1)} into an HdrHistogram (no allocation per call), for the 32-64-64-1 and chart networks at fp32,
 * bf16 and int8. Beside each, the platform: busy work ({@code Blackhole.consumeCPU}) calibrated to the same mean
 * length and timed the same way, in alternating rounds, so what the machine adds to any call that short (timer
 * interrupts, the hypervisor, this JVM's JIT and GC threads) is measured in the same run. Not JMH: JMH's
 * SampleTime times a subset of calls, and on this 2-vCPU machine its p99.9 of the same busy work is 33 us against
 * 0.2 us here; the stalls it catches are this histogram's p99.99.
 *
 * <p>Usage: {@code PredictLatencyBench [calls-per-configuration] [records.json|-]} (calls capped at 3 s of each
 * side per configuration). Writes results.json records:
 * {@code PredictLatency[.bf16|.int8].p50|p99|p99.9|p99.99[network=...]} (engine tickgrad, ns), the platform's
 * percentiles (engine platform) and {@code PredictLatency.p99.9platformRatio[network=...]} (fp32, x).
 */
public final class PredictLatencyBench {
    private static final int ROUNDS = 10;
    private static final double MAX_SECONDS = 3;
    private static final double[] POINTS = {50, 99, 99.9, 99.99};
    private static final String[] LABELS = {"p50", "p99", "p99.9", "p99.99"};

    private PredictLatencyBench() {
    }

    public static void main(String[] args) throws IOException {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 5_000_000;
        Path out = args.length > 1 && !args[1].equals("-") ? Path.of(args[1]) : null;
        if (calls < ROUNDS * 1000) {
            throw new IllegalArgumentException("calls-per-configuration must be at least " + ROUNDS * 1000);
        }
        StringBuilder json = new StringBuilder("[\n");
        try (NativeCpuBackend backend = NativeCpuBackend.create(1)) {
            for (String network : new String[] {"mlp32", "chart"}) {
                for (Precision precision : new Precision[] {Precision.FP32, Precision.BF16, Precision.INT8}) {
                    measure(backend, network, precision, calls, json);
                }
            }
        }
        json.setLength(json.length() - 2);  // the last record's ",\n"
        json.append("\n]\n");
        if (out != null) {
            Files.writeString(out, json);
        }
    }

    private static void measure(NativeCpuBackend backend, String network, Precision precision, int calls,
                                StringBuilder json) {
        try (Network net = Networks.build(network, backend, 1)) {
            Networks.randomInput(net, 1, 5);
            net.setPrecision(precision);
            Runnable predict = () -> net.predict(1);
            double callNs = BusyWork.meanNanos(predict, 200_000);
            long tokens = BusyWork.tokensFor(callNs);
            Runnable busy = () -> Blackhole.consumeCPU(tokens);
            Histogram tickgrad = new Histogram(10_000_000_000L, 3);
            Histogram platform = new Histogram(10_000_000_000L, 3);
            // at most MAX_SECONDS of calls per side: the chart network's 13 us calls would take minutes otherwise
            int perRound = (int) Math.min(calls, MAX_SECONDS * 1e9 / callNs) / ROUNDS;
            time(predict, perRound, null);  // warm-up, both
            time(busy, perRound, null);
            for (int round = 0; round < ROUNDS; round++) {  // A B B A: neither always runs first
                boolean predictFirst = round % 2 == 0;
                time(predictFirst ? predict : busy, perRound, predictFirst ? tickgrad : platform);
                time(predictFirst ? busy : predict, perRound, predictFirst ? platform : tickgrad);
            }
            String variant = precision == Precision.FP32 ? "" : "." + precision.label();
            System.out.printf(Locale.ROOT, "predict %s %-5s %s%n  platform (%d tokens) %s%n", network,
                precision.label(), summary(tickgrad), tokens, summary(platform));
            for (int i = 0; i < POINTS.length; i++) {
                record(json, "PredictLatency" + variant + "." + LABELS[i] + "[network=" + network + "]", "tickgrad",
                    "ns", tickgrad.getValueAtPercentile(POINTS[i]));
                if (precision == Precision.FP32) {
                    record(json, "PredictLatency.platform." + LABELS[i] + "[network=" + network + "]", "platform",
                        "ns", platform.getValueAtPercentile(POINTS[i]));
                }
            }
            if (precision == Precision.FP32) {
                record(json, "PredictLatency.p99.9platformRatio[network=" + network + "]", "tickgrad", "x",
                    (double) tickgrad.getValueAtPercentile(99.9) / Math.max(1, platform.getValueAtPercentile(99.9)));
            }
        }
    }

    private static void time(Runnable call, int times, Histogram into) {
        for (int i = 0; i < times; i++) {
            long start = System.nanoTime();
            call.run();
            long took = System.nanoTime() - start;
            if (into != null) {
                into.recordValue(took);
            }
        }
    }

    private static String summary(Histogram h) {
        return String.format(Locale.ROOT, "p50 %d ns, p99 %d ns, p99.9 %d ns, p99.99 %d ns, max %d ns",
            h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9),
            h.getValueAtPercentile(99.99), h.getMaxValue());
    }

    private static void record(StringBuilder json, String name, String engine, String unit, double score) {
        json.append(String.format(Locale.ROOT,
            "  {\"name\": \"%s\", \"engine\": \"%s\", \"unit\": \"%s\", \"score\": %.3f, \"error\": null},%n", name,
            engine, unit, score));
    }
}
