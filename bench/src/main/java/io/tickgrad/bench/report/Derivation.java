package io.tickgrad.bench.report;

import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;

/**
 * Turns a time per operation into a rate, from the work one operation does: flops for a GEMM,
 * bytes for a bandwidth test.
 *
 * @param benchmarkPattern matches the benchmark class's simple name (e.g. {@code SgemmBench})
 * @param unit             the rate's unit, e.g. GFLOP/s
 * @param workPerOp        work of one operation in units of {@code unit} times seconds (GFLOP, GB)
 */
public record Derivation(Pattern benchmarkPattern, String unit, ToDoubleFunction<Map<String, String>> workPerOp) {

    public static Derivation of(String benchmarkRegex, String unit, ToDoubleFunction<Map<String, String>> workPerOp) {
        return new Derivation(Pattern.compile(benchmarkRegex), unit, workPerOp);
    }

    public boolean appliesTo(String benchmark) {
        return benchmarkPattern.matcher(benchmark).matches();
    }
}
