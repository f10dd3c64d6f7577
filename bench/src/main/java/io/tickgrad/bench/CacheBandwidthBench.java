package io.tickgrad.bench;

import io.tickgrad.nativeio.Status;
import io.tickgrad.nativeio.TickgradNative;
import java.util.concurrent.TimeUnit;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Single-threaded read bandwidth over a cache-resident float buffer: the floor for single-sample
 * inference, which must stream every weight once per prediction.
 *
 * <p>367,366 floats (1.47 MB) is the chart network's weights. On Zen 4 that exceeds the 1 MiB L2 of
 * one core, so it is served partly from L3; 196,608 floats (768 KiB) fits in L2 and shows the L2 rate.
 * The buffer is read repeatedly, so after warm-up it stays in cache. bench/run.sh reports GB/s.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class CacheBandwidthBench {
    @Param({"367366", "196608"})
    public int floats;

    private NativeBuffer x;
    private NativeBuffer sumOfSquares;

    @Setup
    public void setUp() {
        OpenBlas.loadSingleThreaded();
        TickgradNative.load();
        x = new NativeBuffer(floats).randomize(7);
        sumOfSquares = new NativeBuffer(16);
    }

    @TearDown
    public void tearDown() {
        x.close();
        sumOfSquares.close();
    }

    /** x . x reads each float once (both operands are the same cache lines). */
    @Benchmark
    public float openblas_sdot() {
        return openblas_nolapack.cblas_sdot(floats, x.pointer(), 1, x.pointer(), 1);
    }

    @Benchmark
    public float openblas_sasum() {
        return openblas_nolapack.cblas_sasum(floats, x.pointer(), 1);
    }

    /** tickgrad's own reduction over the buffer (double accumulation); fails if not implemented. */
    @Benchmark
    public int tickgrad_sumsq() {
        int status = TickgradNative.tg_sum_squares(sumOfSquares.address(), x.address(), floats);
        if (status != Status.OK) {
            throw new IllegalStateException("tg_sum_squares returned status " + status + " (" + Status.describe(status) + ")");
        }
        return status;
    }
}
