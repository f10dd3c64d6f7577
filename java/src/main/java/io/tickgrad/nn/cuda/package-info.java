/**
 * The GPU: {@link io.tickgrad.nn.cuda.CudaRuntime} finds out whether CUDA can run here without needing a driver;
 * {@link io.tickgrad.nn.cuda.CudaBackend} runs every op of the {@link io.tickgrad.nn.Backend} seam as a CUDA kernel;
 * {@link io.tickgrad.nn.cuda.CudaNetwork} keeps a whole dense network on the device and replays its predict and
 * training steps as CUDA Graphs. Device buffers, pinned host buffers and streams belong to the object that created
 * them and are freed by its {@code close()}. Every class checks lengths and addresses before calling
 * {@link io.tickgrad.nativeio.TickgradCuda}.
 */
package io.tickgrad.nn.cuda;
