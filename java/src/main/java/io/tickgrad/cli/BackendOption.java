package io.tickgrad.cli;

import io.tickgrad.nn.Backend;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import io.tickgrad.nn.cuda.CudaBackend;
import io.tickgrad.nn.reference.ReferenceBackend;
import picocli.CommandLine.Option;

/** The --backend and --threads options shared by the commands that compute. */
final class BackendOption {
    @Option(names = "--backend", defaultValue = "native",
        description = "native (C++ kernels, fp32), reference (Java, double precision) or cuda (CUDA kernels on GPU 0;"
            + " refused with the reason where there is no GPU or driver); default ${DEFAULT-VALUE}")
    String backend;

    @Option(names = "--threads", defaultValue = "1", description = "threads for batch kernels; default ${DEFAULT-VALUE}")
    int threads;

    Backend create() {
        switch (backend) {
            case "native":
                return NativeCpuBackend.create(threads);
            case "reference":
                return new ReferenceBackend();
            case "cuda":
                return CudaBackend.create();  // "CUDA backend unavailable: no GPU (...)" without one
            default:
                throw new IllegalArgumentException("--backend must be native, reference or cuda, got '" + backend + "'");
        }
    }
}
