package io.tickgrad.bench;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;

import io.tickgrad.nativeio.Status;
import io.tickgrad.nativeio.TickgradNative;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
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
 * Single-threaded SGEMM, tickgrad against OpenBLAS, on every GEMM of one training step of the
 * 400-256-256-256-256-256-6 MLP at batch 256 (the 6-wide head is left out: too small to say
 * anything about a GEMM kernel). Shapes are {@code MxNxK_XY}, row-major, C = op(A) op(B):
 * <ul>
 *   <li>forward y = x W: 256x256x400_NN (first layer), 256x256x256_NN (hidden)</li>
 *   <li>backward dx = dy W^T: 256x400x256_NT, 256x256x256_NT</li>
 *   <li>backward dW = x^T dy: 400x256x256_TN, 256x256x256_TN</li>
 * </ul>
 * The score is time per GEMM; bench/run.sh turns it into GFLOP/s (2 m n k flops per op).
 * Both engines read the same kind of memory: 64-byte-aligned tg_alloc buffers of random floats.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SgemmBench {

    /** The shapes, shared by both engines so that each tickgrad result has an OpenBLAS twin. */
    @State(Scope.Thread)
    public abstract static class Operands {
        @Param({"256x256x400_NN", "256x256x256_NN", "256x400x256_NT", "256x256x256_NT", "400x256x256_TN", "256x256x256_TN"})
        public String shape;

        GemmShape gemm;
        NativeBuffer a;
        NativeBuffer b;
        NativeBuffer c;

        void allocate() {
            gemm = GemmShape.parse(shape);
            a = new NativeBuffer(gemm.aFloats()).randomize(1);
            b = new NativeBuffer(gemm.bFloats()).randomize(2);
            c = new NativeBuffer(gemm.cFloats()).randomize(3);
        }

        /**
         * Checks sampled entries of C against a double-precision dot product, so that a benchmark
         * never times a call that rejected its arguments or computed the wrong layout.
         */
        void verify(String engine) {
            UnsafeBuffer av = new UnsafeBuffer(a.address(), Math.toIntExact(a.floats() * Float.BYTES));
            UnsafeBuffer bv = new UnsafeBuffer(b.address(), Math.toIntExact(b.floats() * Float.BYTES));
            UnsafeBuffer cv = new UnsafeBuffer(c.address(), Math.toIntExact(c.floats() * Float.BYTES));
            SplittableRandom random = new SplittableRandom(11);
            for (int sample = 0; sample < 64; sample++) {
                int i = random.nextInt(gemm.m);
                int j = random.nextInt(gemm.n);
                double expected = 0;
                for (int p = 0; p < gemm.k; p++) {
                    long ai = gemm.transA ? (long) p * gemm.lda() + i : (long) i * gemm.lda() + p;
                    long bi = gemm.transB ? (long) j * gemm.ldb() + p : (long) p * gemm.ldb() + j;
                    expected += (double) av.getFloat((int) ai * Float.BYTES) * bv.getFloat((int) bi * Float.BYTES);
                }
                float actual = cv.getFloat((i * gemm.ldc() + j) * Float.BYTES);
                if (!(Math.abs(actual - expected) <= 1e-3 * (1 + Math.abs(expected)))) {
                    throw new IllegalStateException(engine + " sgemm " + shape + ": C[" + i + "," + j + "] = " + actual
                            + ", expected " + expected);
                }
            }
        }

        @TearDown
        public void free() {
            if (a != null) {
                a.close();
                b.close();
                c.close();
            }
        }
    }

    /** OpenBLAS cblas_sgemm with one thread. */
    public static class OpenBlasState extends Operands {
        int transA;
        int transB;

        @Setup
        public void setUp() {
            OpenBlas.loadSingleThreaded();
            allocate();
            transA = gemm.transA ? CblasTrans : CblasNoTrans;
            transB = gemm.transB ? CblasTrans : CblasNoTrans;
            openblas_nolapack.cblas_sgemm(CblasRowMajor, transA, transB, gemm.m, gemm.n, gemm.k,
                    1.0f, a.pointer(), gemm.lda(), b.pointer(), gemm.ldb(), 0.0f, c.pointer(), gemm.ldc());
            verify("OpenBLAS");
            System.out.println("# OpenBLAS " + OpenBlas.version() + " core " + OpenBlas.coreName() + ", 1 thread");
        }
    }

    /** tickgrad's tg_sgemm with one thread; a non-zero status fails the trial, not the whole run. */
    public static class TickgradState extends Operands {
        @Setup
        public void setUp() {
            TickgradNative.load();
            allocate();
            int status = TickgradNative.tg_set_num_threads(1);
            if (status != Status.OK) {
                throw new IllegalStateException("tg_set_num_threads(1) returned " + status + " (" + Status.describe(status) + ")");
            }
            status = run();
            if (status != Status.OK) {
                throw new IllegalStateException("tg_sgemm " + shape + " returned status " + status + " ("
                        + Status.describe(status) + "): tickgrad's GEMM is not available in this build");
            }
            verify("tickgrad");
        }

        int run() {
            return TickgradNative.tg_sgemm(c.address(), a.address(), b.address(), gemm.m, gemm.n, gemm.k,
                    gemm.transA ? 1 : 0, gemm.transB ? 1 : 0, 1.0f, 0.0f, gemm.lda(), gemm.ldb(), gemm.ldc());
        }
    }

    @Benchmark
    public void openblas(OpenBlasState s) {
        GemmShape g = s.gemm;
        openblas_nolapack.cblas_sgemm(CblasRowMajor, s.transA, s.transB, g.m, g.n, g.k,
                1.0f, s.a.pointer(), g.lda(), s.b.pointer(), g.ldb(), 0.0f, s.c.pointer(), g.ldc());
    }

    @Benchmark
    public int tickgrad(TickgradState s) {
        return s.run();
    }
}
