package io.tickgrad.backtest.sweep;

import io.tickgrad.nativeio.Abi;
import io.tickgrad.nativeio.NativeLibrary;
import io.tickgrad.nativeio.Status;
import io.tickgrad.nativeio.TickgradNative;

/**
 * The process-wide native settings a sweep fixes before any task runs: the kernels' instruction set (the same for
 * every task, since different instruction sets sum in another order and give other bits) and one kernel thread
 * per replay. Both are properties of the loaded native library, shared by every backend of the process: a
 * sweep's process (driver or executor) runs sweep tasks only.
 */
public final class SweepEngine {
    private SweepEngine() {
    }

    /**
     * Loads the native library (once per process), resolves {@code isa} (auto: the best the CPU has) and forces it;
     * returns its name. Any thread; synchronized, since the instruction set is global to the library.
     *
     * @param isa auto, scalar, avx2 or avx512
     * @return the instruction set forced, by name
     * @throws IllegalArgumentException for another name, or an instruction set this CPU lacks (naming both)
     */
    public static synchronized String init(String isa) {
        NativeLibrary.ensureLoaded();
        int code = switch (isa) {
            case "auto" -> TickgradNative.tg_cpu_isa();
            case "scalar" -> Abi.ISA_SCALAR;
            case "avx2" -> Abi.ISA_AVX2;
            case "avx512" -> Abi.ISA_AVX512;
            default -> throw new IllegalArgumentException("isa must be auto, scalar, avx2 or avx512, got '" + isa + "'");
        };
        if (code > TickgradNative.tg_cpu_isa()) {
            throw new IllegalArgumentException("isa " + Abi.isaName(code) + " was asked for, but this CPU has "
                + Abi.isaName(TickgradNative.tg_cpu_isa()) + " at best");
        }
        int status = TickgradNative.tg_set_isa(code);
        if (status != Status.OK) {
            throw new IllegalStateException("tg_set_isa(" + Abi.isaName(code) + ") failed: " + Status.describe(status));
        }
        status = TickgradNative.tg_set_num_threads(1);
        if (status != Status.OK) {
            throw new IllegalStateException("tg_set_num_threads(1) failed: " + Status.describe(status));
        }
        return Abi.isaName(TickgradNative.tg_active_isa());
    }
}
