package io.tickgrad.nn.cpu;

import io.tickgrad.nativeio.Abi;
import io.tickgrad.nativeio.NativeLibrary;
import io.tickgrad.nativeio.Status;
import io.tickgrad.nativeio.TickgradNative;
import io.tickgrad.nn.Backend;
import io.tickgrad.nn.Precision;
import io.tickgrad.tensor.Slab;

/**
 * The native CPU backend: each op is one JNI call into libtickgrad's fp32 kernels (AVX-512, AVX2+FMA or
 * portable code, chosen at run time; flush-to-zero inside the kernels).
 *
 * <p>Callers validate addresses and sizes before calling (see {@link Backend}); a non-zero status here
 * therefore means a bug, and is raised as an {@link IllegalStateException} naming the kernel.
 *
 * <p>Threads: as {@link Backend} says; the batch thread count set by {@link #create(int)} is global to the native
 * library. Memory: a 64-byte scratch slab, freed by {@link #close()}.
 */
public final class NativeCpuBackend implements Backend {
    private final Slab scratch;   // [0..4) loss float, [8..16) sum-of-squares double
    private final long scratchAddress;
    private final String name;
    private boolean closed;

    private NativeCpuBackend() {
        NativeLibrary.ensureLoaded();
        this.scratch = Slab.ofBytes("native-backend-scratch", 64);
        this.scratchAddress = scratch.address();
        this.name = "native-" + Abi.isaName(TickgradNative.tg_active_isa());
    }

    /**
     * A backend whose batch kernels use the caller's thread only (unless {@link #create(int)} set more threads for
     * the library earlier). Loads the native library on first use. The caller owns the backend and frees its scratch
     * memory with {@link #close()} after the last network using it is done.
     *
     * @return a new backend
     * @throws UnsatisfiedLinkError when the native library cannot be loaded
     */
    public static NativeCpuBackend create() {
        return new NativeCpuBackend();
    }

    /**
     * A backend whose batch kernels (GEMM) may use {@code threads} threads; single-sample predict always runs
     * on the caller's thread. The thread count is a property of the native library, shared by all backends.
     *
     * @param threads threads for batch kernels, in [1, 256]; 1 = the caller's thread only
     * @return a new backend, owned by the caller (free with {@link #close()})
     * @throws IllegalArgumentException when threads is out of range
     */
    public static NativeCpuBackend create(int threads) {
        NativeLibrary.ensureLoaded();
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("threads must be in [1, 256], got " + threads);
        }
        check(TickgradNative.tg_set_num_threads(threads), "tg_set_num_threads");
        return new NativeCpuBackend();
    }

    @Override
    public String name() {
        return name;
    }

    private static void check(int status, String kernel) {
        if (status != Status.OK) {
            throw new IllegalStateException(kernel + " failed: " + Status.describe(status));
        }
    }

    @Override
    public void denseForward(long y, long x, long w, long bias, int batch, int in, int out) {
        check(TickgradNative.tg_dense_forward(y, x, w, bias, batch, in, out), "tg_dense_forward");
    }

    @Override
    public void denseBackward(long dx, long dw, long dbias, long dy, long x, long w, int batch, int in, int out) {
        check(TickgradNative.tg_dense_backward(dx, dw, dbias, dy, x, w, batch, in, out), "tg_dense_backward");
    }

    @Override
    public void denseActivationForward(long y, long a, long x, long w, long bias, int batch, int in, int out, int kind,
                                       float alpha) {
        check(TickgradNative.tg_dense_forward_act(y, a, x, w, bias, batch, in, out, kind, alpha),
            "tg_dense_forward_act");
    }

    @Override
    public void denseActivationBackward(long dx, long dw, long dbias, long dy, long x, long w, long actX, long actY,
                                        int batch, int in, int out, int kind, float alpha) {
        check(TickgradNative.tg_dense_backward_act(dx, dw, dbias, dy, x, w, actX, actY, batch, in, out, kind, alpha),
            "tg_dense_backward_act");
    }

    @Override
    public void activationForward(long y, long x, long n, int kind, float alpha) {
        check(TickgradNative.tg_activation_forward(y, x, n, kind, alpha), "tg_activation_forward");
    }

    @Override
    public void activationBackward(long dx, long dy, long x, long y, long n, int kind, float alpha) {
        check(TickgradNative.tg_activation_backward(dx, dy, x, y, n, kind, alpha), "tg_activation_backward");
    }

    @Override
    public void softmaxForward(long y, long x, int batch, int classes) {
        check(TickgradNative.tg_softmax_forward(y, x, batch, classes), "tg_softmax_forward");
    }

    @Override
    public void softmaxBackward(long dx, long dy, long y, int batch, int classes) {
        check(TickgradNative.tg_softmax_backward(dx, dy, y, batch, classes), "tg_softmax_backward");
    }

    @Override
    public void layerNormForward(long y, long mean, long rstd, long x, long gamma, long beta, int batch, int dim,
                                 float eps) {
        check(TickgradNative.tg_layernorm_forward(y, mean, rstd, x, gamma, beta, batch, dim, eps),
            "tg_layernorm_forward");
    }

    @Override
    public void layerNormBackward(long dx, long dgamma, long dbeta, long dy, long x, long mean, long rstd, long gamma,
                                  int batch, int dim) {
        check(TickgradNative.tg_layernorm_backward(dx, dgamma, dbeta, dy, x, mean, rstd, gamma, batch, dim),
            "tg_layernorm_backward");
    }

    @Override
    public void dropoutForward(long y, long mask, long x, long n, float rate, long seed) {
        check(TickgradNative.tg_dropout_forward(y, mask, x, n, rate, seed), "tg_dropout_forward");
    }

    @Override
    public void dropoutBackward(long dx, long dy, long mask, long n) {
        check(TickgradNative.tg_dropout_backward(dx, dy, mask, n), "tg_dropout_backward");
    }

    @Override
    public float loss(long grad, long pred, long target, long weights, int batch, int cols, int kind, float param) {
        ensureOpen();
        check(TickgradNative.tg_loss(grad, scratchAddress, pred, target, weights, batch, cols, kind, param), "tg_loss");
        return scratch.buffer().getFloat(0);
    }

    @Override
    public float weightedLoss(long grad, long pred, long target, long sampleWeights, long columnWeights, int batch,
                              int cols, int kind, float param) {
        ensureOpen();
        check(TickgradNative.tg_loss_weighted(grad, scratchAddress, pred, target, sampleWeights, columnWeights, batch,
            cols, kind, param), "tg_loss_weighted");
        return scratch.buffer().getFloat(0);
    }

    @Override
    public void sgdStep(long p, long velocity, long g, long n, float lr, float momentum, float weightDecay,
                        boolean nesterov) {
        check(TickgradNative.tg_sgd_step(p, velocity, g, n, lr, momentum, weightDecay, nesterov ? 1 : 0),
            "tg_sgd_step");
    }

    @Override
    public void adamStep(long p, long m, long v, long g, long n, float lr, float beta1, float beta2, float eps,
                         float weightDecay, long t, boolean decoupled) {
        check(TickgradNative.tg_adam_step(p, m, v, g, n, lr, beta1, beta2, eps, weightDecay, t, decoupled ? 1 : 0),
            "tg_adam_step");
    }

    @Override
    public double sumSquares(long x, long n) {
        ensureOpen();
        scratch.buffer().putDouble(8, 0.0);
        check(TickgradNative.tg_sum_squares(scratchAddress + 8, x, n), "tg_sum_squares");
        return scratch.buffer().getDouble(8);
    }

    @Override
    public void scale(long x, long n, float s) {
        check(TickgradNative.tg_scale(x, n, s), "tg_scale");
    }

    @Override
    public void planForward(long act, long params, long plan, int nOps, int batch) {
        check(TickgradNative.tg_plan_forward(act, params, plan, nOps, batch), "tg_plan_forward");
    }

    /**
     * {@inheritDoc}
     *
     * @return true: the kernels keep no state between calls, and the thread pool is shared safely
     */
    @Override
    public boolean concurrentKernels() {
        return true;
    }

    @Override
    public boolean supportsPrecision(Precision precision) {
        return true;
    }

    @Override
    public long packedWeightBytes(Precision precision, int in, int out) {
        switch (precision) {
            case FP32: return (long) in * out * Float.BYTES;
            case BF16: return TickgradNative.tg_bf16_packed_bytes(in, out);
            case INT8: return TickgradNative.tg_int8_packed_bytes(in, out);
            default: throw new IllegalArgumentException("unknown precision " + precision);
        }
    }

    @Override
    public void packWeights(Precision precision, long packed, long w, int in, int out) {
        switch (precision) {
            case BF16:
                check(TickgradNative.tg_quantize_bf16(packed, w, in, out), "tg_quantize_bf16");
                break;
            case INT8:
                check(TickgradNative.tg_quantize_int8(packed, w, in, out), "tg_quantize_int8");
                break;
            default:
                throw new IllegalArgumentException("fp32 weights are not packed");
        }
    }

    @Override
    public void planForwardQuantized(long act, long params, long packed, long plan, int nOps, int batch) {
        check(TickgradNative.tg_plan_forward_q(act, params, packed, plan, nOps, batch), "tg_plan_forward_q");
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("backend " + name + " is closed");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            scratch.close();
        }
    }
}
