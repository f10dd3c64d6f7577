package io.tickgrad.nn.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Runs on every machine: detection must answer, GPU or not, and never pull in the driver. */
class CudaRuntimeTest {

    @Test
    void shouldDetectWithoutCrashingAndExplainWhyWhenUnavailable() {
        CudaRuntime runtime = CudaRuntime.detect();
        assertNotNull(runtime.reason());
        if (runtime.available()) {
            assertFalse(runtime.devices().isEmpty());
            assertTrue(runtime.devices().get(0).multiprocessors() > 0);
        } else {
            assertTrue(runtime.reason().startsWith(CudaRuntime.UNAVAILABLE), runtime.reason());
            assertTrue(runtime.devices().isEmpty());
            IllegalStateException e = assertThrows(IllegalStateException.class, runtime::requireAvailable);
            assertEquals(runtime.reason(), e.getMessage());
        }
        assertTrue(runtime == CudaRuntime.detect(), "detection is cached");
    }

    @Test
    void shouldReportNoGpuOnMachinesWithoutDriver() throws IOException {
        boolean driverInstalled = Files.exists(Path.of("/proc/driver/nvidia/version"));
        CudaRuntime runtime = CudaRuntime.detect();
        if (!driverInstalled) {
            assertFalse(runtime.available(), runtime.reason());
            String r = runtime.reason();
            assertTrue(r.contains("no GPU") || r.contains("library not built"), r);
        }
    }

    @Test
    void shouldNotLoadTheDriverOrTheBytedecoCudaPresetsWhenDetecting() throws IOException {
        CudaRuntime runtime = CudaRuntime.detect();
        // the presets are not even on the class path: detection relies on libtickgrad_cuda alone
        assertThrows(ClassNotFoundException.class,
            () -> Class.forName("org.bytedeco.cuda.global.cudart", false, getClass().getClassLoader()));
        Path maps = Path.of("/proc/self/maps");
        if (!runtime.available() && Files.isReadable(maps)) {
            String mapped = Files.readString(maps);
            assertFalse(mapped.contains("libcuda.so"), "libcuda.so was loaded on a machine without a GPU");
        }
    }

    @Test
    void shouldRefuseToCreateANetworkWithoutAGpu() {
        CudaRuntime runtime = CudaRuntime.detect();
        if (!runtime.available()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> CudaNetwork.chartPatterns(1, 32, CudaNetwork.Optimizer.sgd(0.01f, 0.9f, 0f, true)));
            assertTrue(e.getMessage().startsWith(CudaRuntime.UNAVAILABLE), e.getMessage());
        }
    }
}
