package io.tickgrad.bench;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;

import io.tickgrad.nn.Dense;
import io.tickgrad.nn.Layer;
import io.tickgrad.nn.Network;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import io.tickgrad.train.Adam;
import io.tickgrad.train.Loss;
import io.tickgrad.train.Trainer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One training step (forward, softmax cross-entropy, backward, Adam) of the 400-256x5-6 network at batch 256 on
 * one thread, against its yardstick in the same run: OpenBLAS doing the very GEMMs of that step (forward y = x W,
 * dW = x^T dy for every layer, dx = dy W^T for every layer but the first), single threaded. Both are reported as
 * GFLOP/s over the same GEMM flop count, so their ratio is the step's share of OpenBLAS's sgemm rate (the
 * elementwise work, loss and Adam count against tickgrad).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TrainStepBench {

    @State(Scope.Thread)
    public static class TickgradState {
        @Param({"256"})
        public int batch;

        NativeCpuBackend backend;
        Network net;
        Trainer trainer;

        @Setup(Level.Trial)
        public void setUp() {
            backend = NativeCpuBackend.create(1);
            net = Networks.build("chart", backend, batch);
            trainer = Trainer.builder(net).loss(Loss.softmaxCrossEntropy()).optimizer(Adam.adam(1e-4f)).build();
            Networks.randomInput(net, batch, 3);
            SplittableRandom r = new SplittableRandom(4);
            for (int i = 0; i < batch; i++) {
                trainer.targets().putFloat((i * 6 + r.nextInt(6)) * Float.BYTES, 1f);
            }
            float first = trainer.step(batch);
            float second = trainer.step(batch);
            if (!Float.isFinite(first) || !Float.isFinite(second)) {
                throw new IllegalStateException("training step loss not finite: " + first + ", " + second);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            trainer.close();
            net.close();
            backend.close();
        }
    }

    /** The same GEMMs, shapes and transposes as the tickgrad step, through OpenBLAS. */
    @State(Scope.Thread)
    public static class OpenBlasState {
        @Param({"256"})
        public int batch;

        final List<GemmCall> calls = new ArrayList<>();
        final List<NativeBuffer> buffers = new ArrayList<>();

        @Setup(Level.Trial)
        public void setUp() {
            OpenBlas.loadSingleThreaded();
            try (NativeCpuBackend backend = NativeCpuBackend.create(1);
                 Network shape = Networks.build("chart", backend, 1)) {
                boolean first = true;
                for (Layer l : shape.layers()) {
                    if (!(l instanceof Dense)) {
                        continue;
                    }
                    int in = l.inFeatures();
                    int out = l.outFeatures();
                    // forward y[B,out] = x[B,in] W[in,out]
                    calls.add(gemm(batch, out, in, false, false));
                    // dW[in,out] = x^T[in,B] dy[B,out]
                    calls.add(gemm(in, out, batch, true, false));
                    if (!first) {
                        // dx[B,in] = dy[B,out] W^T
                        calls.add(gemm(batch, in, out, false, true));
                    }
                    first = false;
                }
            }
        }

        private GemmCall gemm(int m, int n, int k, boolean ta, boolean tb) {
            NativeBuffer a = new NativeBuffer((long) m * k).randomize(m + n);
            NativeBuffer b = new NativeBuffer((long) k * n).randomize(k + 1);
            NativeBuffer c = new NativeBuffer((long) m * n).randomize(7);
            buffers.add(a);
            buffers.add(b);
            buffers.add(c);
            // dW accumulates (beta 1) as in training; forward and dx overwrite (beta 0)
            return new GemmCall(m, n, k, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                ta ? m : k, tb ? k : n, n, ta ? 1f : 0f, a, b, c);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            buffers.forEach(NativeBuffer::close);
        }
    }

    record GemmCall(int m, int n, int k, int ta, int tb, int lda, int ldb, int ldc, float beta, NativeBuffer a,
                    NativeBuffer b, NativeBuffer c) {
    }

    /** GEMM flops of one step of the chart network at this batch (what both engines are credited with). */
    public static double stepFlops(int batch) {
        int[] widths = {400, 256, 256, 256, 256, 256, 6};
        double flops = 0;
        for (int i = 0; i + 1 < widths.length; i++) {
            double layer = 2.0 * batch * widths[i] * widths[i + 1];
            flops += i == 0 ? 2 * layer : 3 * layer;   // forward + dW, plus dx except for the first layer
        }
        return flops;
    }

    @Benchmark
    public float tickgrad(TickgradState s) {
        return s.trainer.step(s.batch);
    }

    @Benchmark
    public void openblas(OpenBlasState s) {
        for (GemmCall g : s.calls) {
            openblas_nolapack.cblas_sgemm(CblasRowMajor, g.ta(), g.tb(), g.m(), g.n(), g.k(), 1.0f, g.a().pointer(),
                g.lda(), g.b().pointer(), g.ldb(), g.beta(), g.c().pointer(), g.ldc());
        }
    }
}
