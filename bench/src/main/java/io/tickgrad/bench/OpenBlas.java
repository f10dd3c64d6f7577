package io.tickgrad.bench;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * Loads bytedeco's OpenBLAS (the no-LAPACK binding) single threaded and names the kernel set it chose.
 *
 * <p>The binding does not expose {@code openblas_get_corename()}, so the core is identified from the
 * DYNAMIC_ARCH dispatch table: the global {@code gotoblas} points at one of the {@code gotoblas_<CORE>}
 * tables, and their addresses are compared. bench/run.sh also calls the C functions directly.
 */
public final class OpenBlas {
    /** The DYNAMIC_ARCH x86-64 tables exported by the bundled libopenblas (see {@code nm -D}). */
    private static final String[] CORES = {
        "SAPPHIRERAPIDS", "COOPERLAKE", "SKYLAKEX", "HASWELL", "ZEN", "SANDYBRIDGE", "NEHALEM", "CORE2",
        "PRESCOTT", "EXCAVATOR", "STEAMROLLER", "PILEDRIVER", "BULLDOZER", "BARCELONA", "ATHLON",
        "BANIAS", "COPPERMINE", "KATMAI", "NORTHWOOD",
    };

    private OpenBlas() {
    }

    /** Loads the library and forces one thread; throws if OpenBLAS still reports more. */
    public static void loadSingleThreaded() {
        Loader.load(openblas_nolapack.class);
        openblas_nolapack.blas_set_num_threads(1);
        int threads = openblas_nolapack.blas_get_num_threads();
        if (threads != 1) {
            throw new IllegalStateException("OpenBLAS runs " + threads + " threads after blas_set_num_threads(1)");
        }
    }

    /** The kernel set chosen at load time, e.g. SKYLAKEX (AVX-512) or HASWELL (AVX2). */
    public static String coreName() {
        Loader.load(openblas_nolapack.class);
        Pointer table = Loader.addressof("gotoblas");
        if (table == null || table.address() == 0) {
            return "unknown (no gotoblas symbol: not a DYNAMIC_ARCH build)";
        }
        long active = new LongPointer(table).get(0);
        for (String core : CORES) {
            Pointer candidate = Loader.addressof("gotoblas_" + core);
            if (candidate != null && candidate.address() == active) {
                return core;
            }
        }
        return "unknown (table at 0x" + Long.toHexString(active) + ")";
    }

    /** The OpenBLAS version the binding was built from, e.g. 0.3.31. */
    public static String version() {
        return openblas_nolapack.OPENBLAS_VERSION.trim().replaceFirst("^OpenBLAS ", "");
    }
}
