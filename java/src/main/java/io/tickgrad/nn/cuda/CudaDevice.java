package io.tickgrad.nn.cuda;

/**
 * Properties and memory of one GPU, as reported by libtickgrad_cuda (cudaGetDeviceProperties and
 * cudaMemGetInfo of the statically linked CUDA runtime).
 *
 * @param index           device ordinal
 * @param name            marketing name, e.g. "NVIDIA H200"
 * @param totalBytes      global memory
 * @param freeBytes       free global memory when queried
 * @param multiprocessors SM count
 * @param major           compute capability major
 * @param minor           compute capability minor
 * @param l2Bytes         L2 cache size
 * @param sharedPerBlock  opt-in shared memory per block, bytes
 * @param clockKhz        SM clock, kHz (0 when unknown)
 */
public record CudaDevice(int index, String name, long totalBytes, long freeBytes, int multiprocessors, int major,
                         int minor, long l2Bytes, long sharedPerBlock, long clockKhz) {

    /** "NVIDIA H200 (sm_90, 132 SMs, 139.8 GiB)". */
    @Override
    public String toString() {
        return String.format("%s (sm_%d%d, %d SMs, %.1f GiB)", name, major, minor, multiprocessors,
            totalBytes / (1024.0 * 1024.0 * 1024.0));
    }
}
