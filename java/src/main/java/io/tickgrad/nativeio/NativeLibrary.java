package io.tickgrad.nativeio;

/**
 * Loads libtickgrad once and checks that its ABI matches this Java code, so a stale library
 * fails with a clear message instead of calling functions with the wrong signature.
 */
public final class NativeLibrary {
    private static volatile boolean loaded;

    private NativeLibrary() {
    }

    /**
     * Loads libtickgrad (unpacked from the jar by JavaCPP) on the first call and checks its ABI version; later calls
     * return at once. Thread-safe: any thread may call it, and concurrent first calls load once.
     *
     * @throws IllegalStateException when the library's ABI version differs from {@link Abi#VERSION}
     * @throws UnsatisfiedLinkError when the library cannot be loaded on this platform
     */
    public static void ensureLoaded() {
        if (loaded) {
            return;
        }
        synchronized (NativeLibrary.class) {
            if (loaded) {
                return;
            }
            TickgradNative.load();
            int version = TickgradNative.tg_abi_version();
            if (version != Abi.VERSION) {
                throw new IllegalStateException("libtickgrad ABI version " + version + ", but this tickgrad jar expects "
                    + Abi.VERSION + ": the native library and the Java classes come from different builds");
            }
            loaded = true;
        }
    }

    /**
     * The best instruction set the CPU supports, as a name.
     *
     * @return "scalar", "avx2" or "avx512"
     */
    public static String cpuIsa() {
        ensureLoaded();
        return Abi.isaName(TickgradNative.tg_cpu_isa());
    }
}
