package io.tickgrad.nn.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tickgrad.nativeio.Abi;
import io.tickgrad.nativeio.TickgradNative;
import io.tickgrad.tensor.Slab;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CUDA network against the native CPU kernels on the 400-256x5-6 shape. Needs a GPU: skipped, with the
 * detection's reason, everywhere else. (The full per-kernel check is the C++ harness native/test/cuda.)
 */
class CudaNetworkTest {
    private static final int[] DIMS = {400, 256, 256, 256, 256, 256, 6};

    @BeforeEach
    void requireGpu() {
        CudaRuntime runtime = CudaRuntime.detect();
        assumeTrue(runtime.available(), runtime.reason());
    }

    private static final CudaLayout LAYOUT = CudaLayout.of(DIMS, Abi.ACT_RELU, true);

    private static void fill(Slab s, long count, SplittableRandom rng, double scale) {
        for (long i = 0; i < count; i++) {
            s.putFloat(i, (float) ((rng.nextDouble() * 2 - 1) * scale));
        }
    }

    /** CPU forward with softmax into out[batch, 6], reading the parameters at the layout's offsets. */
    private static void cpuPredict(Slab params, Slab x, Slab out, int batch) {
        long[] off = LAYOUT.offsets();
        try (Slab a = Slab.ofFloats("a", (long) batch * 256); Slab b = Slab.ofFloats("b", (long) batch * 256)) {
            long in = x.address();
            for (int l = 0; l + 1 < DIMS.length; l++) {
                boolean last = l + 2 == DIMS.length;
                long y = last ? out.address() : (l % 2 == 0 ? a.address() : b.address());
                long w = params.address() + 4 * off[2 * l];
                long bias = params.address() + 4 * off[2 * l + 1];
                assertEquals(0, TickgradNative.tg_dense_forward(y, in, w, bias, batch, DIMS[l], DIMS[l + 1]));
                if (!last) {
                    assertEquals(0, TickgradNative.tg_activation_forward(y, y, (long) batch * DIMS[l + 1],
                        Abi.ACT_RELU, 0f));
                }
                in = y;
            }
            assertEquals(0, TickgradNative.tg_softmax_forward(out.address(), out.address(), batch, 6));
        }
    }

    @Test
    void shouldPredictWhatTheCpuPredicts() {
        SplittableRandom rng = new SplittableRandom(42);
        long n = LAYOUT.paramFloats();
        try (CudaNetwork net = CudaNetwork.chartPatterns(2, 64, CudaNetwork.Optimizer.sgd(0.01f, 0.9f, 0f, true));
             Slab params = Slab.ofFloats("params", n); Slab x = Slab.ofFloats("x", 800);
             Slab want = Slab.ofFloats("want", 12)) {
            assertEquals(n, net.paramCount());
            fill(params, n, rng, 0.1);
            fill(x, 800, rng, 1.0);
            net.setParams(params);
            cpuPredict(params, x, want, 2);
            UnsafeBuffer in = new UnsafeBuffer(net.inferInput(), 800 * 4);
            UnsafeBuffer out = new UnsafeBuffer(net.inferOutput(), 12 * 4);
            for (int i = 0; i < 800; i++) {
                in.putFloat(4 * i, x.getFloat(i));
            }
            for (int mode : new int[] {CudaNetwork.FUSED_BLOCK, CudaNetwork.LAYERED}) {
                if (!net.setForwardMode(mode)) {
                    continue;
                }
                net.predict();
                for (int i = 0; i < 12; i++) {
                    assertEquals(want.getFloat(i), out.getFloat(4 * i), 1e-5, "mode " + mode + " output " + i);
                }
            }
        }
    }

    @Test
    void shouldReduceTheLossWhenTrainingOnOneBatch() {
        SplittableRandom rng = new SplittableRandom(7);
        long n = LAYOUT.paramFloats();
        try (CudaNetwork net = CudaNetwork.chartPatterns(1, 64, CudaNetwork.Optimizer.sgd(0.05f, 0.9f, 0f, true));
             Slab params = Slab.ofFloats("params", n)) {
            fill(params, n, rng, 0.08);
            net.setParams(params);
            UnsafeBuffer x = new UnsafeBuffer(net.trainInput(), 64 * 400 * 4);
            UnsafeBuffer t = new UnsafeBuffer(net.trainTarget(), 64 * 6 * 4);
            for (int i = 0; i < 64 * 400; i++) {
                x.putFloat(4 * i, (float) rng.nextDouble(-1, 1));
            }
            for (int b = 0; b < 64; b++) {
                for (int c = 0; c < 6; c++) {
                    t.putFloat(4 * (b * 6 + c), c == b % 6 ? 1f : 0f);
                }
            }
            float first = net.trainStep();
            float last = first;
            for (int i = 0; i < 50; i++) {
                last = net.trainStep();
            }
            assertEquals(true, Float.isFinite(first) && last < first, "loss " + first + " -> " + last);
        }
    }
}
