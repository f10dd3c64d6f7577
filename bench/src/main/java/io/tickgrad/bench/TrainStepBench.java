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
 * One training step (forward, softmax cross-entropy, backward, Adam lr 1e-4 with Keras' defaults) of the
 * 400-256x5-6 network on one thread, at batch 32 and 256, training the whole network ({@code mode=whole}) or only
 * the head with the five trunk layers frozen ({@code mode=head}, {@code net.freezeFirst(5)}). Peers in the same run:
 * OpenBLAS doing the very GEMMs of the whole-network step (forward y = x W, dW = x^T dy for every layer, dx = dy W^T
 * for every layer but the first), single threaded, and Deeplearning4j's fit on the same network, weights, batch,
 * loss and optimizer (module bench-dl4j, class of the same name). Reported as GFLOP/s over the step's GEMM flop
 * count ({@link #stepFlops}), so ratios are the same as ratios of time.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TrainStepBench {

    @State(Scope.Thread)
    public static class TickgradState {
        @Param({"32", "256"})
        public int batch;

        /** whole: every layer trains; head: the five trunk dense layers are frozen, only the output layer trains. */
        @Param({"whole", "head"})
        public String mode;

        NativeCpuBackend backend;
        Network net;
        Trainer trainer;

        @Setup(Level.Trial)
        public void setUp() {
            backend = NativeCpuBackend.create(threads());
            net = Networks.build("chart", backend, batch);
            if (mode.equals("head")) {
                net.freezeFirst(5);
            } else if (!mode.equals("whole")) {
                throw new IllegalArgumentException("mode '" + mode + "': expected whole or head");
            }
            trainer = trainer(net);
            fillBatch(trainer, batch);
            float first = trainer.step(batch);
            float second = trainer.step(batch);
            if (!Float.isFinite(first) || !Float.isFinite(second)) {
                throw new IllegalStateException("training step loss not finite: " + first + ", " + second);
            }
        }

        /** Threads of the native batch kernels (the GEMMs split by row panels; same results for a given count). */
        int threads() {
            return 1;
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            trainer.close();
            net.close();
            backend.close();
            io.tickgrad.nativeio.TickgradNative.tg_set_num_threads(1);
        }
    }

    /** The same step with the native thread pool sized to every core of the machine. */
    public static class AllCoresState extends TickgradState {
        @Override
        int threads() {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    /** The loss and optimizer every engine trains the chart network with. */
    static Trainer trainer(Network net) {
        return Trainer.builder(net).loss(Loss.softmaxCrossEntropy()).optimizer(Adam.adam(1e-4f)).build();
    }

    /** The training batch: inputs uniform in [-1, 1) (seed 3), one-hot targets (seed 4); smaller batches are a prefix. */
    static void fillBatch(Trainer trainer, int batch) {
        Network net = trainer.network();
        Networks.randomInput(net, batch, 3);
        SplittableRandom r = new SplittableRandom(4);
        for (int i = 0; i < batch; i++) {
            trainer.targets().putFloat((i * 6 + r.nextInt(6)) * Float.BYTES, 1f);
        }
    }

    /** The same GEMMs, shapes and transposes as the tickgrad whole-network step, through OpenBLAS. */
    @State(Scope.Thread)
    public static class OpenBlasState {
        @Param({"32", "256"})
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

    /** GEMM flops of one whole-network step of the chart network at this batch (what every engine is credited with). */
    public static double stepFlops(int batch) {
        return stepFlops(batch, "whole");
    }

    /**
     * GEMM flops of one step: whole network = forward + dW for every layer, plus dx except for the first layer;
     * head only = forward through every layer, then dW of the output layer (nothing flows back into the frozen trunk).
     */
    public static double stepFlops(int batch, String mode) {
        int[] widths = {400, 256, 256, 256, 256, 256, 6};
        boolean head = "head".equals(mode);
        double flops = 0;
        for (int i = 0; i + 1 < widths.length; i++) {
            double layer = 2.0 * batch * widths[i] * widths[i + 1];
            boolean last = i + 2 == widths.length;
            flops += head ? (last ? 2 * layer : layer) : i == 0 ? 2 * layer : 3 * layer;
        }
        return flops;
    }

    @Benchmark
    public float tickgrad(TickgradState s) {
        return s.trainer.step(s.batch);
    }

    /** tickgrad on all cores (result name TrainStep.allcores[...]). */
    @Benchmark
    public float tickgrad_allcores(AllCoresState s) {
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
