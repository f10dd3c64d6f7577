package io.tickgrad.nn.cuda;

import io.tickgrad.nativeio.Status;
import io.tickgrad.nativeio.TickgradCuda;
import io.tickgrad.tensor.Slab;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds out, once, whether the CUDA backend can run here, without touching anything that needs a driver.
 *
 * <p>Order: (1) load tickgrad's own libtickgrad_cuda (CUDA runtime linked statically: it loads on any
 * machine, GPU or not); (2) if it is the stub built without nvcc, report "library not built"; (3) ask it for
 * the device count, which is 0 without a driver or GPU (cudaGetDeviceCount error 35 or 100); (4) only then
 * query device properties. The bytedeco CUDA presets, which need the driver's libcuda.so.1 just to load, are
 * never loaded here.
 *
 * <p>Threads: {@link #detect()} may be called from any thread; the result is computed once and cached.
 */
public final class CudaRuntime {
    /** Prefix of every reason why the backend cannot be used. */
    public static final String UNAVAILABLE = "CUDA backend unavailable: ";

    private static volatile CudaRuntime instance;

    private final boolean available;
    private final String reason;
    private final List<CudaDevice> devices;

    private CudaRuntime(boolean available, String reason, List<CudaDevice> devices) {
        this.available = available;
        this.reason = reason;
        this.devices = List.copyOf(devices);
    }

    /**
     * The result of detection on this machine (computed on the first call, then cached).
     *
     * Safe on a machine without a GPU, a driver or the CUDA library. Any thread.
     *
     * @return the detection result
     */
    public static CudaRuntime detect() {
        CudaRuntime r = instance;
        if (r == null) {
            synchronized (CudaRuntime.class) {
                r = instance;
                if (r == null) {
                    r = probe();
                    instance = r;
                }
            }
        }
        return r;
    }

    private static CudaRuntime probe() {
        try {
            TickgradCuda.load();
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return new CudaRuntime(false, UNAVAILABLE + "library not built or not loadable (" + e.getMessage() + ")",
                List.of());
        }
        if (TickgradCuda.tg_cuda_built() == 0) {
            return new CudaRuntime(false, UNAVAILABLE + "library not built (no nvcc when libtickgrad was compiled)",
                List.of());
        }
        int abi = TickgradCuda.tg_cuda_abi_version();
        if (abi != TickgradCuda.CUDA_ABI_VERSION) {
            return new CudaRuntime(false, UNAVAILABLE + "libtickgrad_cuda ABI " + abi + ", expected "
                + TickgradCuda.CUDA_ABI_VERSION, List.of());
        }
        int count = TickgradCuda.tg_cuda_device_count();
        if (count < 1) {
            int err = TickgradCuda.tg_cuda_last_error();
            return new CudaRuntime(false, UNAVAILABLE + "no GPU (cudaGetDeviceCount: error " + err + ", "
                + TickgradCuda.tg_cuda_error_string(err).getString() + ")", List.of());
        }
        List<CudaDevice> found = new ArrayList<>();
        try (Slab name = Slab.ofBytes("cuda-device-name", 256); Slab info = Slab.ofBytes("cuda-device-info", 64)) {
            for (int d = 0; d < count; d++) {
                int st = TickgradCuda.tg_cuda_device_info(name.address(), 256, info.address(), d);
                if (st != Status.OK) {
                    return new CudaRuntime(false, UNAVAILABLE + "device " + d + " cannot be queried: "
                        + describe(st), List.of());
                }
                byte[] bytes = new byte[256];
                name.buffer().getBytes(0, bytes);
                int len = 0;
                while (len < bytes.length && bytes[len] != 0) {
                    len++;
                }
                long[] v = new long[8];
                for (int i = 0; i < 8; i++) {
                    v[i] = info.buffer().getLong(i * 8);
                }
                found.add(new CudaDevice(d, new String(bytes, 0, len, StandardCharsets.UTF_8), v[0], v[1], (int) v[2],
                    (int) v[3], (int) v[4], v[5], v[6], v[7]));
            }
        }
        return new CudaRuntime(true, "CUDA backend available: " + found.get(0), found);
    }

    /**
     * True when a GPU is present and libtickgrad_cuda holds the CUDA kernels.
     *
     * @return whether the CUDA backend can run
     */
    public boolean available() {
        return available;
    }

    /**
     * Why the backend is unavailable (starts with {@link #UNAVAILABLE}), or a one-line device summary.
     *
     * @return the text
     */
    public String reason() {
        return reason;
    }

    /**
     * The GPUs found; empty when unavailable.
     *
     * @return an unmodifiable list
     */
    public List<CudaDevice> devices() {
        return devices;
    }

    /**
     * Throws {@link IllegalStateException} with {@link #reason()} when the backend is unavailable.
     *
     * @return this runtime, when available
     * @throws IllegalStateException with {@link #reason()} otherwise
     */
    public CudaRuntime requireAvailable() {
        if (!available) {
            throw new IllegalStateException(reason);
        }
        return this;
    }

    /** A status code of tickgrad_cuda.h, with the CUDA error text for runtime failures. */
    static String describe(int status) {
        switch (status) {
            case TickgradCuda.CUDA_ERR_RUNTIME: {
                int err = TickgradCuda.tg_cuda_last_error();
                return "CUDA runtime error " + err + " (" + TickgradCuda.tg_cuda_error_string(err).getString() + ")";
            }
            case TickgradCuda.CUDA_ERR_NO_DEVICE: return "no usable GPU";
            case TickgradCuda.CUDA_ERR_NOT_BUILT: return "libtickgrad_cuda was built without nvcc";
            default: return Status.describe(status);
        }
    }

    static void check(int status, String what) {
        if (status != Status.OK) {
            throw new IllegalStateException(what + " failed: " + describe(status));
        }
    }
}
