package io.tickgrad.bench.libtorch;

import org.bytedeco.pytorch.global.torch;

/** LibTorch's intra-op thread count, set per benchmark trial (each JMH fork runs one trial). */
final class Threads {
    private Threads() {
    }

    /** One thread, as every single-threaded engine in these benchmarks. */
    static void one() {
        set(1);
    }

    /** Every core of the machine: LibTorch's own default (it sizes its pool to the physical cores). */
    static void allCores() {
        set(Runtime.getRuntime().availableProcessors());
    }

    /** at::set_num_threads (OpenMP and LibTorch's intra-op pool), then checks that it took. */
    static void set(int n) {
        torch.set_num_threads(n);
        if (torch.get_num_threads() != n) {
            throw new IllegalStateException("LibTorch runs " + torch.get_num_threads() + " threads after set_num_threads(" + n + ")");
        }
    }
}
