package io.tickgrad.nn.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tickgrad.nativeio.Abi;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.reference.ReferenceBackend;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CUDA backend against the Java reference backend (double precision), on fresh random weights and inputs with
 * outputs poisoned first. Needs a GPU: skipped, with the detection's reason, everywhere else (bench/gpu/run.sh runs
 * it on a GPU machine). Tolerance 1e-4 absolute on softmax outputs in [0, 1]: fp32 sums of at most 33 products of
 * values below 1 against double sums, with the CUDA GEMM's own summation order.
 */
class CudaBackendTest {
    private static final double TOL = 1e-4;

    @BeforeEach
    void requireGpu() {
        CudaRuntime runtime = CudaRuntime.detect();
        assumeTrue(runtime.available(), runtime.reason());
    }

    private static Network build(io.tickgrad.nn.Backend backend, int[] dims) {
        var b = Network.builder(dims[0]);
        for (int l = 1; l < dims.length; l++) {
            b.dense(dims[l]);
            if (l + 1 < dims.length) {
                b.relu();
            }
        }
        return b.softmax().build(backend, 8, 11);
    }

    @Test
    void shouldPredictWhatTheReferencePredictsThroughTheBackendAndTheRunner() {
        int[][] shapes = {{10, 5, 3}, {33, 17, 4}};
        SplittableRandom rng = new SplittableRandom(5);
        for (int[] dims : shapes) {
            try (ReferenceBackend ref = new ReferenceBackend(); CudaBackend cuda = CudaBackend.create();
                 Network want = build(ref, dims); Network got = build(cuda, dims)) {
                got.copyParametersFrom(want);
                int batch = 3;
                float[] x = new float[batch * dims[0]];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) rng.nextDouble(-1, 1);
                }
                float[] y = new float[batch * dims[dims.length - 1]];
                float[] z = new float[y.length];
                java.util.Arrays.fill(z, Float.NaN);
                want.predict(x, batch, y);
                got.predict(x, batch, z);
                for (int i = 0; i < y.length; i++) {
                    assertEquals(y[i], z[i], TOL, "backend predict " + java.util.Arrays.toString(dims) + " [" + i + "]");
                }
                // the runner, fed the Java slab as it is
                try (CudaNetwork runner = CudaNetwork.of(want, batch, 4, Abi.LOSS_SOFTMAX_XENT, 0f,
                    CudaNetwork.Optimizer.sgd(0.01f, 0f, 0f, false))) {
                    runner.setParams(want.parameterSlab());
                    UnsafeBuffer in = new UnsafeBuffer(runner.inferInput(), x.length * 4);
                    UnsafeBuffer out = new UnsafeBuffer(runner.inferOutput(), y.length * 4);
                    for (int i = 0; i < x.length; i++) {
                        in.putFloat(4 * i, x[i]);
                    }
                    for (int i = 0; i < y.length; i++) {
                        out.putFloat(4 * i, Float.NaN);
                    }
                    runner.predict();
                    for (int i = 0; i < y.length; i++) {
                        assertEquals(y[i], out.getFloat(4 * i), TOL,
                            "runner predict " + java.util.Arrays.toString(dims) + " [" + i + "]");
                    }
                }
            }
        }
    }
}
