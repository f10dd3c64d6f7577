package io.tickgrad.bench.libtorch;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.bytedeco.pytorch.global.torch;

/**
 * LibTorch's thread count, set per benchmark trial (each JMH fork runs one trial). This LibTorch build has no MKL:
 * its fp32 GEMMs go to OpenBLAS 0.3.31 ({@code BLAS_INFO=open}), a pthreads build with its own pool that
 * {@code at::set_num_threads} does not reach, while its other kernels run on OpenMP. Both are set here: the
 * presets load one libopenblas.so.0 (LibTorch's copy is a link to it), so {@code openblas_set_num_threads} through
 * the openblas presets sizes the pool LibTorch's GEMMs use.
 */
final class Threads {
    private Threads() {
    }

    /** One thread, as every single-threaded engine in these benchmarks. */
    static void one() {
        set(1);
    }

    /** Every core of the machine (what LibTorch and OpenBLAS use by default on a machine without SMT siblings). */
    static void allCores() {
        set(Runtime.getRuntime().availableProcessors());
    }

    /** at::set_num_threads (OpenMP and LibTorch's intra-op pool) and OpenBLAS's pool, then checks that both took. */
    static void set(int n) {
        torch.set_num_threads(n);
        Loader.load(openblas_nolapack.class);
        openblas_nolapack.blas_set_num_threads(n);
        if (torch.get_num_threads() != n || openblas_nolapack.blas_get_num_threads() != n) {
            throw new IllegalStateException("LibTorch runs " + torch.get_num_threads() + " threads and its OpenBLAS "
                + openblas_nolapack.blas_get_num_threads() + " after setting both to " + n);
        }
    }
}
