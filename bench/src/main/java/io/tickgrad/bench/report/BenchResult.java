package io.tickgrad.bench.report;

import java.util.Map;

/**
 * One JMH result, named the way the reports show it: {@code Sgemm[shape=256x256x400_NN]} with engine
 * {@code openblas}. The engine is the benchmark method's name up to its first underscore; the rest of
 * the method name is a variant that becomes part of the name ({@code CacheBandwidth.sdot[floats=...]}).
 *
 * @param name       benchmark class without "Bench", the variant, then the parameters
 * @param engine     who computed it: tickgrad, openblas, onnxruntime, ...
 * @param benchmark  the benchmark class's simple name, e.g. SgemmBench
 * @param params     JMH parameters
 * @param rawScore   JMH's primary score in {@code rawUnit}
 * @param rawError   JMH's 99.9% half-interval, NaN when it could not be computed
 * @param rawUnit    e.g. us/op or ops/s
 * @param score      the reported score: derived (GFLOP/s, GB/s) where a {@link Derivation} applies, else raw
 * @param error      error of {@code score}
 * @param unit       unit of {@code score}
 * @param jdk        the fork's JDK version
 * @param allocBytesPerOp heap bytes allocated per operation (JMH -prof gc), NaN when not profiled
 */
public record BenchResult(String name, String engine, String benchmark, Map<String, String> params,
                          double rawScore, double rawError, String rawUnit,
                          double score, double error, String unit, String jdk, double allocBytesPerOp) {

    /** True when a larger score is better (throughputs and rates), false for times. */
    public boolean higherIsBetter() {
        return !unit.endsWith("/op");
    }

    /** Score as speed (higher is better) so that ratios always read "times as fast". */
    public double speed() {
        return higherIsBetter() ? score : 1.0 / score;
    }
}
