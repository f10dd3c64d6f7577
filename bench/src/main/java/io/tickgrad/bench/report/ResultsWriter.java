package io.tickgrad.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tickgrad.bench.GemmShape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a JMH JSON result file into bench/results.json (one record per benchmark and engine) and
 * bench/RESULTS.md (machine, JDK, OpenBLAS kernel, every result, derived rates and same-run ratios).
 *
 * <p>To report a new benchmark, nothing is needed: every JMH result is listed. To show it as a rate,
 * add a {@link Derivation}; to compare it with a peer, add a {@link RatioRule}. Benchmark methods are
 * named after their engine ({@code tickgrad}, {@code openblas}, {@code onnxruntime_cpu}, ...).
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.tickgrad.bench.report.ResultsWriter --jmh jmh.json[,jmh-dl4j.json]
 * --json results.json --md RESULTS.md [--extra records.json,...] [--merged all-jmh.json] [--info openblas-info.txt]
 * [--note "text"]}: several JMH files are merged into one array; {@code --extra} adds results measured outside JMH
 * (see {@link #parseRecords}).
 */
public final class ResultsWriter {

    /** Rates derived from time per op. Work is in giga-units so that work / seconds is the unit. */
    static final List<Derivation> DERIVATIONS = List.of(
            Derivation.of("SgemmBench", "GFLOP/s", p -> GemmShape.parse(p.get("shape")).flops() / 1e9),
            Derivation.of("CacheBandwidthBench", "GB/s", p -> Double.parseDouble(p.get("floats")) * Float.BYTES / 1e9),
            Derivation.of("TrainStepBench", "GFLOP/s",
                p -> io.tickgrad.bench.TrainStepBench.stepFlops(Integer.parseInt(p.get("batch")),
                    p.getOrDefault("mode", "whole")) / 1e9),
            Derivation.of("HeadStepBench", "GFLOP/s",
                p -> io.tickgrad.bench.HeadStepBench.stepFlops(Integer.parseInt(p.get("batch"))) / 1e9));

    /** Same-run comparisons; targets are those of the acceptance criteria (issue #7), NaN where none is set. */
    static final List<RatioRule> RATIOS = List.of(
            RatioRule.sameName("tickgrad / OpenBLAS sgemm, 1 thread", "Sgemm\\[.*\\]", "tickgrad", "openblas", Double.NaN),
            RatioRule.mapped("tickgrad sum of squares / OpenBLAS sdot read bandwidth",
                    "CacheBandwidth\\.sumsq(\\[.*\\])", "tickgrad", "openblas", "CacheBandwidth.sdot$1", Double.NaN),
            RatioRule.sameName("tickgrad / reference backend, single-sample predict (median)", "Predict\\[.*\\]",
                    "tickgrad", "reference", Double.NaN),
            RatioRule.sameName("tickgrad / ONNX Runtime (1 thread), single-sample predict (median), 32-64-64-1 MLP",
                    "Predict\\[network=mlp32\\]", "tickgrad", "onnxruntime", 10),
            RatioRule.sameName("tickgrad / ONNX Runtime (1 thread), single-sample predict (median), chart network",
                    "Predict\\[network=chart\\]", "tickgrad", "onnxruntime", 1.5),
            RatioRule.sameName("tickgrad / Deeplearning4j (1 thread), single-sample predict (median)",
                    "Predict\\[.*\\]", "tickgrad", "dl4j", 10),
            RatioRule.sameName("tickgrad / Deeplearning4j fit (1 thread), chart network training step",
                    "TrainStep\\[.*\\]", "tickgrad", "dl4j", 3),
            RatioRule.sameName("tickgrad / Deeplearning4j (1 thread), head step on cached trunk outputs "
                    + "(Deeplearning4j: TransferLearningHelper.fitFeaturized)", "HeadStep\\[.*\\]", "tickgrad", "dl4j",
                    Double.NaN),
            RatioRule.sameName("tickgrad / LibTorch (1 thread, InferenceMode, reused tensors), single-sample predict "
                    + "(median)", "Predict\\[.*\\]", "tickgrad", "libtorch", Double.NaN),
            RatioRule.sameName("tickgrad / LibTorch (1 thread each), chart network training step", "TrainStep\\[.*\\]",
                    "tickgrad", "libtorch", Double.NaN),
            RatioRule.sameName("tickgrad / LibTorch (all cores each), chart network training step",
                    "TrainStep\\.allcores\\[.*\\]", "tickgrad", "libtorch", Double.NaN),
            RatioRule.sameName("tickgrad / LibTorch (1 thread each), head step on cached trunk outputs",
                    "HeadStep\\[.*\\]", "tickgrad", "libtorch", Double.NaN),
            RatioRule.mapped("LibTorch training step, all cores / 1 thread, chart network",
                    "TrainStep\\.allcores\\[(.*)\\]", "libtorch", "libtorch", "TrainStep[$1]", Double.NaN),
            RatioRule.mapped("tickgrad int8 weights / fp32, single-sample predict (median), chart network",
                    "Predict\\.int8\\[network=chart\\]", "tickgrad", "tickgrad", "Predict[network=chart]", 2.5),
            RatioRule.mapped("tickgrad bf16 weights / fp32, single-sample predict (median), chart network",
                    "Predict\\.bf16\\[network=chart\\]", "tickgrad", "tickgrad", "Predict[network=chart]", Double.NaN),
            RatioRule.mapped("tickgrad reduced-precision weights / fp32, single-sample predict (median), 32-64-64-1 MLP",
                    "Predict\\.(?:bf16|int8)\\[network=mlp32\\]", "tickgrad", "tickgrad", "Predict[network=mlp32]", 1.0),
            RatioRule.mapped("tickgrad training step, all cores / 1 thread, chart network, batch 256",
                    "TrainStep\\.allcores\\[(batch=256,.*)\\]", "tickgrad", "tickgrad", "TrainStep[$1]", 1.8),
            RatioRule.mapped("tickgrad training step, all cores / 1 thread, chart network, batch 32",
                    "TrainStep\\.allcores\\[(batch=32,.*)\\]", "tickgrad", "tickgrad", "TrainStep[$1]", Double.NaN),
            RatioRule.mapped("training step / OpenBLAS on the step's GEMMs, 1 thread",
                    "TrainStep\\[batch=(\\d+),mode=whole\\]", "tickgrad", "openblas", "TrainStep[batch=$1]", 0.6));

    /** Upper bounds on a raw score (median ns for sampled benchmarks), checked in the same report. */
    static final List<Bound> BOUNDS = List.of(
            new Bound("32-64-64-1 MLP single-sample predict, median", "Predict[network=mlp32]", "tickgrad", 300, "ns/op"),
            new Bound("32-64-64-1 MLP single-sample predict in process (no queue), p99.9 of every call timed",
                    "PredictLatency.p99.9[network=mlp32]", "tickgrad", 1000, "ns"),
            new Bound("the same p99.9 over the platform's own (busy work as long as the predict, timed alike, same run)",
                    "PredictLatency.p99.9platformRatio[network=mlp32]", "tickgrad", 2.0, "x"),
            new Bound("tick appended to prediction readable, p99.9, over the platform's own p99.9 (in-process noise "
                    + "meter, same run)", "QueueLatency.p99.9platformRatio[network=mlp32,rate=20000]", "tickgrad", 2.0,
                    "x"),
            new Bound("tick appended to prediction readable through Chronicle Queue, 32-64-64-1, median",
                    "QueueLatency.p50[network=mlp32,rate=20000]", "tickgrad", 10, "us"),
            new Bound("the same median with online learning training the whole network beside serving, over serving "
                    + "alone (same run, alternating rounds; median of the rounds' ratios)",
                    "QueueLatency.p50ratio[network=mlp32,rate=20000,online=whole]", "tickgrad", 1.5, "x"));

    /** A ceiling for one benchmark's raw score. */
    record Bound(String label, String name, String engine, double max, String unit) {
    }

    private ResultsWriter() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> options = parseOptions(args);
        Path json = Path.of(require(options, "json"));
        Path md = Path.of(require(options, "md"));
        Map<String, String> info = options.containsKey("info") ? readInfo(Path.of(options.get("info"))) : Map.of();

        // several JMH runs (one per benchmark jar) are merged into one array, in the order given
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode root = mapper.createArrayNode();
        for (String file : require(options, "jmh").split(",")) {
            JsonNode array = mapper.readTree(Path.of(file).toFile());
            if (array == null || !array.isArray()) {
                throw new IOException(file + ": expected a JMH JSON array (run JMH with -rf json)");
            }
            root.addAll((ArrayNode) array);
        }
        if (options.containsKey("merged")) {
            Files.writeString(Path.of(options.get("merged")), mapper.writeValueAsString(root), StandardCharsets.UTF_8);
        }
        List<BenchResult> results = parse(root);
        if (options.containsKey("extra")) {
            for (String file : options.get("extra").split(",")) {
                results.addAll(parseRecords(mapper.readTree(Path.of(file).toFile()), file));
            }
        }
        Files.writeString(json, toJson(mapper, results), StandardCharsets.UTF_8);
        Files.writeString(md, toMarkdown(results, root, info, options.get("note")), StandardCharsets.UTF_8);
        System.out.println("wrote " + results.size() + " results to " + json + " and " + md);
    }

    static List<BenchResult> parse(JsonNode root) {
        List<BenchResult> results = new ArrayList<>();
        for (JsonNode node : root) {
            String fqn = node.path("benchmark").asText();
            String[] parts = fqn.split("\\.");
            String benchmark = parts[parts.length - 2];
            String method = parts[parts.length - 1];
            int underscore = method.indexOf('_');
            String engine = underscore < 0 ? method : method.substring(0, underscore);
            String variant = underscore < 0 ? "" : "." + method.substring(underscore + 1);

            Map<String, String> params = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.path("params").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                params.put(e.getKey(), e.getValue().asText());
            }
            StringBuilder name = new StringBuilder(benchmark.replaceFirst("Bench$", "")).append(variant);
            if (!params.isEmpty()) {
                StringBuilder p = new StringBuilder();
                params.forEach((k, v) -> p.append(p.length() == 0 ? "" : ",").append(k).append('=').append(v));
                name.append('[').append(p).append(']');
            }

            JsonNode metric = node.path("primaryMetric");
            double rawScore = metric.path("score").asDouble(Double.NaN);
            double rawError = metric.path("scoreError").asDouble(Double.NaN);
            if ("sample".equals(node.path("mode").asText())) {
                // latency: report the median of the sampled times; the mean is skewed by rare stalls
                rawScore = metric.path("scorePercentiles").path("50.0").asDouble(rawScore);
                rawError = Double.NaN;
            }
            double alloc = node.path("secondaryMetrics").path("gc.alloc.rate.norm").path("score")
                    .asDouble(Double.NaN);
            String rawUnit = metric.path("scoreUnit").asText();

            double score = rawScore;
            double error = rawError;
            String unit = rawUnit;
            Optional<Derivation> derivation = DERIVATIONS.stream().filter(d -> d.appliesTo(benchmark)).findFirst();
            if (derivation.isPresent()) {
                double work = derivation.get().workPerOp().applyAsDouble(params);
                double[] rate = toRate(rawScore, rawError, rawUnit, work);
                score = rate[0];
                error = rate[1];
                unit = derivation.get().unit();
            }
            results.add(new BenchResult(name.toString(), engine, benchmark, params, rawScore, rawError, rawUnit,
                    score, error, unit, node.path("jdkVersion").asText("?"), alloc));
            JsonNode tail = metric.path("scorePercentiles").path("99.9");
            if ("sample".equals(node.path("mode").asText()) && derivation.isEmpty() && tail.isNumber()) {
                // the tail of a sampled latency beside its median: Predict.p99.9[...], Predict.bf16.p99.9[...]
                String tailName = name.toString().replaceFirst("^([^\\[]*)", "$1.p99.9");
                results.add(new BenchResult(tailName, engine, benchmark, params, tail.asDouble(), Double.NaN, rawUnit,
                        tail.asDouble(), Double.NaN, rawUnit, node.path("jdkVersion").asText("?"), Double.NaN));
            }
        }
        return results;
    }

    /**
     * Results measured outside JMH (e.g. the tick-to-prediction latency through Chronicle Queue, HdrHistogram),
     * given in results.json's own format: an array of {"name", "engine", "unit", "score", "error"}, optionally
     * with "alloc" (heap bytes per operation). They are listed and can take part in ratios like any JMH result.
     */
    static List<BenchResult> parseRecords(JsonNode array, String source) throws IOException {
        if (array == null || !array.isArray()) {
            throw new IOException(source + ": expected an array of {\"name\", \"engine\", \"unit\", \"score\", \"error\"}");
        }
        List<BenchResult> results = new ArrayList<>();
        for (JsonNode r : array) {
            String name = r.path("name").asText("");
            String engine = r.path("engine").asText("");
            String unit = r.path("unit").asText("");
            if (name.isEmpty() || engine.isEmpty() || unit.isEmpty() || !r.path("score").isNumber()) {
                throw new IOException(source + ": record " + r + " lacks name, engine, unit or a numeric score");
            }
            double score = r.path("score").asDouble();
            double error = r.path("error").isNumber() ? r.path("error").asDouble() : Double.NaN;
            double alloc = r.path("alloc").isNumber() ? r.path("alloc").asDouble() : Double.NaN;
            String benchmark = name.replaceAll("[.\\[].*$", "") + "Bench";
            results.add(new BenchResult(name, engine, benchmark, Map.of(), score, error, unit, score, error, unit, "?", alloc));
        }
        return results;
    }

    /** work / time with the error carried to first order; accepts time/op and ops/time units. */
    static double[] toRate(double score, double error, String unit, double work) {
        String[] u = unit.split("/");
        if (u.length != 2) {
            throw new IllegalArgumentException("unit '" + unit + "': expected time/op or ops/time");
        }
        if (u[1].equals("op")) {
            double seconds = score * secondsIn(u[0]);
            double errorSeconds = error * secondsIn(u[0]);
            return new double[] {work / seconds, work * errorSeconds / (seconds * seconds)};
        }
        double perSecond = 1.0 / secondsIn(u[1]);
        return new double[] {work * score * perSecond, work * error * perSecond};
    }

    static double secondsIn(String timeUnit) {
        switch (timeUnit) {
            case "ns": return 1e-9;
            case "us": return 1e-6;
            case "ms": return 1e-3;
            case "s": return 1.0;
            case "min": return 60.0;
            default: throw new IllegalArgumentException("time unit '" + timeUnit + "' is not one JMH writes");
        }
    }

    static String toJson(ObjectMapper mapper, List<BenchResult> results) throws IOException {
        ArrayNode array = mapper.createArrayNode();
        for (BenchResult r : results) {
            ObjectNode o = array.addObject();
            o.put("name", r.name());
            o.put("engine", r.engine());
            o.put("unit", r.unit());
            putNumber(o, "score", r.score());
            putNumber(o, "error", r.error());
        }
        return mapper.enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(array) + "\n";
    }

    /** JSON has no NaN: an unknown error (one iteration) is written as null. */
    private static void putNumber(ObjectNode o, String field, double value) {
        if (Double.isFinite(value)) {
            o.put(field, value);
        } else {
            o.putNull(field);
        }
    }

    /** One ratio row: numerator or peer may be missing (a benchmark failed or was not selected). */
    record Ratio(RatioRule rule, String name, BenchResult numerator, BenchResult peer) {
        double value() {
            return numerator == null || peer == null ? Double.NaN : numerator.speed() / peer.speed();
        }
    }

    static List<Ratio> ratios(List<BenchResult> results) {
        List<Ratio> rows = new ArrayList<>();
        for (RatioRule rule : RATIOS) {
            List<String> seenPeers = new ArrayList<>();
            for (BenchResult r : results) {
                if (rule.covers(r)) {
                    String peerName = rule.peerNameFor(r.name());
                    BenchResult peer = find(results, peerName, rule.peerEngine());
                    seenPeers.add(peerName);
                    rows.add(new Ratio(rule, r.name(), r, peer));
                }
            }
            // with a same-name rule, a peer without its numerator shows that the numerator failed
            if (rule.peerName().equals("$0")) {
                for (BenchResult p : results) {
                    if (p.engine().equals(rule.peerEngine()) && rule.namePattern().matcher(p.name()).matches()
                            && !seenPeers.contains(p.name())) {
                        rows.add(new Ratio(rule, p.name(), null, p));
                    }
                }
            }
        }
        return rows;
    }

    private static BenchResult find(List<BenchResult> results, String name, String engine) {
        for (BenchResult r : results) {
            if (r.name().equals(name) && r.engine().equals(engine)) {
                return r;
            }
        }
        return null;
    }

    static String toMarkdown(List<BenchResult> results, JsonNode root, Map<String, String> info, String note) {
        List<Ratio> ratios = ratios(results);
        boolean partial = ratios.stream().anyMatch(r -> r.numerator() == null || r.peer() == null);
        StringBuilder md = new StringBuilder();
        md.append("# tickgrad benchmark results\n\n");
        md.append("Generated by `bash bench/run.sh` (JMH, single-threaded engines); every number below comes from one run.\n\n");
        if (note != null && !note.isBlank()) {
            md.append("> ").append(note).append("\n\n");
        }
        if (partial) {
            md.append("> **PARTIAL**: some comparisons lack one side (a benchmark failed, e.g. a kernel returned a "
                    + "non-zero status, or was not selected). Do not quote these ratios.\n\n");
        }

        JsonNode first = root.size() > 0 ? root.get(0) : null;
        md.append("| | |\n|---|---|\n");
        md.append("| CPU | ").append(cpuModel()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" logical CPUs, AVX-512F ").append(cpuHasFlag("avx512f") ? "yes" : "no").append(" |\n");
        md.append("| JDK | ").append(first == null ? System.getProperty("java.version")
                : first.path("jdkVersion").asText() + " (" + first.path("vmName").asText() + " " + first.path("vmVersion").asText() + ")").append(" |\n");
        md.append("| Date | ").append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"))).append(" |\n");
        md.append("| OpenBLAS | ").append(openBlasLine(info)).append(" |\n");
        if (first != null) {
            md.append("| JMH | ").append(jmhSettings(root)).append(", error = 99.9% half-interval |\n");
        }
        md.append('\n');

        md.append("## Results\n\n");
        md.append("Sampled (latency) benchmarks report the median of the samples; `alloc` is JMH -prof gc's "
                + "gc.alloc.rate.norm, heap bytes per operation. Where an operation takes milliseconds, JMH's own "
                + "per-iteration allocations, spread over few operations, show as tens to hundreds of B/op: the "
                + "`openblas` TrainStep rows, whose timed code allocates nothing, show that floor.\n\n");
        md.append("| Benchmark | Engine | Score | ± Error | Unit | JMH score | alloc B/op |\n|---|---|---:|---:|---|---:|---:|\n");
        for (BenchResult r : results) {
            md.append("| ").append(r.name()).append(" | ").append(r.engine()).append(" | ").append(fmt(r.score()))
                    .append(" | ").append(fmt(r.error())).append(" | ").append(r.unit()).append(" | ")
                    .append(fmt(r.rawScore())).append(" ± ").append(fmt(r.rawError())).append(' ').append(r.rawUnit())
                    .append(" | ").append(Double.isNaN(r.allocBytesPerOp()) ? "—" : fmt(r.allocBytesPerOp()))
                    .append(" |\n");
        }
        md.append('\n');
        appendBounds(md, results);
        appendFloors(md, results);
        appendTrainingCeilings(md, results);

        if (!ratios.isEmpty()) {
            md.append("## Ratios (same run; above 1 = the first engine is faster)\n\n");
            md.append("| Comparison | Benchmark | First | Peer | Ratio | Target | |\n|---|---|---:|---:|---:|---:|---|\n");
            for (Ratio r : ratios) {
                double v = r.value();
                double t = r.rule().target();
                String verdict = Double.isNaN(v) ? "missing " + (r.numerator() == null ? r.rule().engine() : r.rule().peerEngine())
                        : Double.isNaN(t) ? "" : v >= t ? "meets" : "below";
                md.append("| ").append(r.rule().label()).append(" | ").append(r.name()).append(" | ")
                        .append(side(r.numerator())).append(" | ").append(side(r.peer())).append(" | ")
                        .append(Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.2f", v)).append(" | ")
                        .append(Double.isNaN(t) ? "—" : String.format(Locale.ROOT, "≥ %.2f", t)).append(" | ")
                        .append(verdict).append(" |\n");
            }
            md.append('\n');
        }
        return md.toString();
    }

    private static void appendBounds(StringBuilder md, List<BenchResult> results) {
        StringBuilder rows = new StringBuilder();
        for (Bound b : BOUNDS) {
            BenchResult r = find(results, b.name(), b.engine());
            if (r == null || !r.rawUnit().equals(b.unit())) {
                continue;
            }
            rows.append("| ").append(b.label()).append(" | ").append(fmt(r.rawScore())).append(' ').append(b.unit())
                    .append(" | ≤ ").append(fmt(b.max())).append(' ').append(b.unit()).append(" | ")
                    .append(r.rawScore() <= b.max() ? "meets" : "above").append(" |\n");
        }
        if (rows.length() > 0) {
            md.append("## Bounds\n\n| Target | Measured | Bound | |\n|---|---:|---:|---|\n").append(rows).append('\n');
        }
    }

    /**
     * Two yardsticks for single-sample inference of the chart network, from the same run: its flops at OpenBLAS's
     * sgemm rate, and its weight bytes at the read bandwidth OpenBLAS sdot reaches over as many floats. Neither is a
     * hard bound: the predict call's access pattern can keep part of the weights closer than one streaming pass does.
     */
    private static void appendFloors(StringBuilder md, List<BenchResult> results) {
        BenchResult predict = find(results, "Predict[network=chart]", "tickgrad");
        BenchResult gemm = find(results, "Sgemm[shape=256x256x256_NN]", "openblas");
        BenchResult bandwidth = find(results, "CacheBandwidth.sdot[floats=367366]", "openblas");
        if (predict == null || gemm == null || bandwidth == null) {
            return;
        }
        double parameters = 367_366;   // kernels 400x256 + 4 x 256x256 + 256x6 = 366,080, plus 1,286 biases
        double flops = 2 * 366_080;
        double flopNs = flops / gemm.score();            // GFLOP/s = flops per ns
        double byteNs = parameters * Float.BYTES / bandwidth.score();   // GB/s = bytes per ns
        md.append("## Single-sample chart network (400-256x5-6) against two yardsticks\n\n");
        md.append("| | ns |\n|---|---:|\n");
        md.append("| measured median, tickgrad | ").append(fmt(predict.rawScore())).append(" |\n");
        md.append(String.format(Locale.ROOT, "| compute: %.0f flops at OpenBLAS %.1f GFLOP/s | %s |%n",
                flops, gemm.score(), fmt(flopNs)));
        md.append(String.format(Locale.ROOT, "| memory: %.0f weight bytes at %.1f GB/s, OpenBLAS sdot's read bandwidth "
                + "over as many floats | %s |%n", parameters * Float.BYTES, bandwidth.score(), fmt(byteNs)));
        md.append("\nThe ").append(byteNs > flopNs ? "memory" : "compute")
                .append(" yardstick is the larger; tickgrad takes ").append(String.format(Locale.ROOT, "%.2f",
                        predict.rawScore() / Math.max(byteNs, flopNs)))
                .append(" times it (below 1: the predict call reads its weights faster than one streaming pass of sdot "
                        + "over the same bytes).\n\n");
    }

    /**
     * The JMH settings of the run, e.g. "1 fork(s), 2 x 1 s warm-up, 3 x 1 s measured"; where benchmark classes ran
     * with different settings (run.sh gives TrainStepBench its own in quick mode), each with the classes it covers.
     */
    static String jmhSettings(JsonNode root) {
        Map<String, java.util.Set<String>> classes = new LinkedHashMap<>();
        for (JsonNode b : root) {
            String setting = b.path("forks").asInt() + " fork(s), " + b.path("warmupIterations").asInt() + " x "
                    + b.path("warmupTime").asText() + " warm-up, " + b.path("measurementIterations").asInt() + " x "
                    + b.path("measurementTime").asText() + " measured";
            String benchmark = b.path("benchmark").asText();
            String[] parts = benchmark.split("\\.");
            String owner = parts.length >= 2 ? parts[parts.length - 2] : benchmark;
            classes.computeIfAbsent(setting, k -> new java.util.TreeSet<>()).add(owner);
        }
        if (classes.size() == 1) {
            return classes.keySet().iterator().next();
        }
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, java.util.Set<String>> e : classes.entrySet()) {
            s.append(s.length() == 0 ? "" : "; ").append(e.getKey()).append(" (").append(String.join(", ", e.getValue()))
                    .append(')');
        }
        return s.toString();
    }

    /**
     * How far a single-threaded fp32 engine could beat Deeplearning4j's training step on this CPU: the ratio tickgrad
     * would reach if its step were nothing but its GEMM flops at the fastest SGEMM rate of the same run (about the
     * core's FMA peak). Where that ceiling is near the target, no kernel can meet the target with margin.
     */
    static void appendTrainingCeilings(StringBuilder md, List<BenchResult> results) {
        double peak = results.stream().filter(r -> r.engine().equals("tickgrad") && r.benchmark().equals("SgemmBench"))
                .mapToDouble(BenchResult::score).max().orElse(Double.NaN);
        StringBuilder rows = new StringBuilder();
        for (BenchResult tg : results) {
            if (!tg.engine().equals("tickgrad") || !tg.benchmark().equals("TrainStepBench") || Double.isNaN(peak)) {
                continue;
            }
            BenchResult dl4j = find(results, tg.name(), "dl4j");
            if (dl4j == null) {
                continue;
            }
            double flops = io.tickgrad.bench.TrainStepBench.stepFlops(Integer.parseInt(tg.params().get("batch")),
                    tg.params().getOrDefault("mode", "whole"));
            double floorUs = flops / peak / 1e3;                  // GFLOP/s = flops per ns
            double dl4jUs = flops / dl4j.score() / 1e3;
            double tickgradUs = flops / tg.score() / 1e3;
            rows.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.2f | %.2f |%n", tg.name(), fmt(tickgradUs),
                    fmt(floorUs), fmt(dl4jUs), dl4jUs / tickgradUs, dl4jUs / floorUs));
        }
        if (rows.length() == 0) {
            return;
        }
        md.append("## Training steps against Deeplearning4j: the ceiling on this CPU\n\n");
        md.append(String.format(Locale.ROOT, "The GEMM floor is the step's GEMM flops at %.1f GFLOP/s, the fastest "
                + "single-threaded SGEMM rate of this run; the ceiling is the ratio tickgrad would reach if its step took "
                + "only that long.%n%n", peak));
        md.append("| Benchmark | tickgrad us | GEMM floor us | Deeplearning4j us | ratio | ceiling |\n"
                + "|---|---:|---:|---:|---:|---:|\n").append(rows).append('\n');
    }

    private static String side(BenchResult r) {
        return r == null ? "—" : fmt(r.score()) + " " + r.unit();
    }

    private static String openBlasLine(Map<String, String> info) {
        if (info.isEmpty()) {
            return "not recorded (run through bench/run.sh)";
        }
        StringBuilder s = new StringBuilder();
        s.append("core ").append(info.getOrDefault("corename", "?"));
        s.append(" (openblas_get_corename; in the JVM: ").append(info.getOrDefault("jvm.core", "?")).append(")");
        s.append(", config `").append(info.getOrDefault("config", "?")).append('`');
        s.append(", ").append(info.getOrDefault("jvm.threads", "?")).append(" thread");
        s.append(", OPENBLAS_CORETYPE ").append(info.getOrDefault("env.OPENBLAS_CORETYPE", "?"));
        return s.toString();
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "?";
        }
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a >= 100 ? "%.1f" : a >= 1 ? "%.2f" : "%.3g", v);
    }

    private static String cpuModel() {
        for (String line : cpuinfo()) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return System.getProperty("os.arch");
    }

    private static boolean cpuHasFlag(String flag) {
        for (String line : cpuinfo()) {
            if (line.startsWith("flags")) {
                return (" " + line.substring(line.indexOf(':') + 1) + " ").contains(" " + flag + " ");
            }
        }
        return false;
    }

    private static List<String> cpuinfo() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo"));
        } catch (IOException e) {
            return List.of();
        }
    }

    private static Map<String, String> readInfo(Path file) throws IOException {
        Map<String, String> info = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                info.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return info;
    }

    private static Map<String, String> parseOptions(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("argument '" + args[i] + "': expected --name value pairs "
                        + "(--jmh FILE[,FILE...] --json FILE --md FILE [--extra FILE[,FILE...]] [--merged FILE] [--info FILE] [--note TEXT])");
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    private static String require(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing --" + name + " (usage: --jmh FILE[,FILE...] --json FILE --md FILE "
                + "[--extra FILE[,FILE...]] [--merged FILE] [--info FILE] [--note TEXT])");
        }
        return value;
    }
}
