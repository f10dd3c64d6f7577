package io.tickgrad.nativeio;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.NoException;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * Raw JNI binding of native/include/tickgrad/tickgrad_cuda.h (library tickgrad_cuda). Device, pinned-host and
 * handle values are {@code long}; every function returns a status code ({@link Status} codes plus the
 * {@code CUDA_ERR_*} codes here) unless it is a query.
 *
 * <p>libtickgrad_cuda links the CUDA runtime statically, so loading this class needs no GPU and no driver; on
 * a build without nvcc it is a stub whose {@link #tg_cuda_built()} returns 0. Nothing here checks arguments: use
 * {@code io.tickgrad.nn.cuda}, which does. Loading this class never loads the bytedeco CUDA presets.
 *
 * <p>Memory: device buffers ({@link #tg_cuda_malloc}), pinned host buffers ({@link #tg_cuda_host_alloc}), streams
 * and MLP runners are owned by the Java object that created them and released only by its {@code close()}
 * through the matching free, destroy or {@link #tg_cuda_mlp_destroy} call, never by the garbage collector. Shapes
 * and units are those of {@link TickgradNative}. Ops are asynchronous on the stream they are given: a status of
 * {@link Status#OK} means the work was enqueued, and an error of a launched kernel shows up at the next
 * synchronising call as {@link #CUDA_ERR_RUNTIME}. A runner's predict and training calls each belong to one thread
 * (the inference and the trainer thread).
 */
@Platform(include = "tickgrad/tickgrad_cuda.h", link = "tickgrad_cuda")
@NoException
public final class TickgradCuda {
    static {
        Loader.load();
    }

    private TickgradCuda() {
    }

    /** Loads the native libraries; idempotent. Throws {@link UnsatisfiedLinkError} when they are missing. */
    public static void load() {
        // the static initialiser does the work
    }

    /** The ABI version of tickgrad_cuda.h this Java code was written against. */
    public static final int CUDA_ABI_VERSION = 2;
    /** Status: a CUDA runtime call failed; {@link #tg_cuda_last_error()} holds the cudaError_t. */
    public static final int CUDA_ERR_RUNTIME = 20;
    /** Status: no usable GPU. */
    public static final int CUDA_ERR_NO_DEVICE = 21;
    /** Status: this is the stub library, built without nvcc. */
    public static final int CUDA_ERR_NOT_BUILT = 22;
    /** Matrix precision: plain fp32 FMA SGEMM (the default), the CPU's function up to summation order. */
    public static final int CUDA_MATMUL_FP32 = 0;
    /**
     * Matrix precision: tensor cores with inputs rounded to TF32 (10-bit mantissa), fp32 accumulation; sm_80 and newer.
     */
    public static final int CUDA_MATMUL_TF32 = 1;
    /** Runner optimizer: SGD; parameters lr, momentum, weight decay, nesterov (0/1). */
    public static final int CUDA_OPT_SGD = 1;
    /** Runner optimizer: Adam; parameters lr, beta1, beta2, eps, weight decay. */
    public static final int CUDA_OPT_ADAM = 2;
    /** Runner optimizer: AdamW (decoupled weight decay); parameters as Adam. */
    public static final int CUDA_OPT_ADAMW = 3;
    /** The widest layer the fused (one-kernel) forward supports. */
    public static final int CUDA_MLP_FUSED_MAX_WIDTH = 1024;
    /** The most dense layers of one runner. */
    public static final int CUDA_MLP_MAX_LAYERS = 64;
    /** Runner forward: one GEMM kernel per layer. */
    public static final int CUDA_MLP_LAYERED = 0;
    /** Runner forward: one kernel, one block per sample, activations in shared memory. */
    public static final int CUDA_MLP_FUSED_BLOCK = 1;
    /**
     * Runner forward with thread-block clusters: a kernel-lab experiment, always refused with
     * {@link Status#ERR_UNSUPPORTED}.
     */
    public static final int CUDA_MLP_FUSED_CLUSTER = 2;

    /**
     * The ABI version of the loaded CUDA library, compared with {@link #CUDA_ABI_VERSION} when it loads.
     *
     * @return the version
     */
    public static native int tg_cuda_abi_version();

    /**
     * Whether the library was built with nvcc (1) or is the stub (0), whose functions return
     * {@link #CUDA_ERR_NOT_BUILT}.
     *
     * @return 1 or 0
     */
    public static native int tg_cuda_built();

    /**
     * The number of usable GPUs; 0 without a driver or GPU (never fails).
     *
     * @return the count
     */
    public static native int tg_cuda_device_count();

    /**
     * The cudaError_t of this thread's last failed runtime call, after a {@link #CUDA_ERR_RUNTIME}.
     *
     * @return the cudaError_t value, 0 when none
     */
    public static native int tg_cuda_last_error();

    /**
     * The CUDA runtime's text for an error.
     *
     * @param cudaError a cudaError_t value, as from {@link #tg_cuda_last_error()}
     * @return a pointer to static text, never null; not to be freed
     */
    public static native @Cast("const char*") BytePointer tg_cuda_error_string(int cudaError);

    /**
     * Makes a device current for the calling thread.
     *
     * @param device the device index, from 0
     * @return {@link Status#OK}, a {@code Status.ERR_*} code, or {@link #CUDA_ERR_RUNTIME}
     */
    public static native int tg_cuda_set_device(int device);

    /**
     * Describes a device.
     *
     * @param name    host address of a buffer of nameLen bytes that receives the NUL-terminated name
     * @param nameLen the buffer's length in bytes
     * @param info    host address of 8 int64 values that receive: global memory bytes, free bytes, multiprocessors,
     *                compute capability major and minor, L2 bytes, opt-in shared memory per block bytes, clock kHz
     * @param device  the device index, from 0
     * @return {@link Status#OK}, a {@code Status.ERR_*} code (checked before launch), or {@link #CUDA_ERR_RUNTIME}
     */
    public static native int tg_cuda_device_info(
        @Cast("char*") long name, int nameLen, @Cast("int64_t*") long info, int device);

    /**
     * Chooses the matrix precision of later GEMMs (global to the process).
     *
     * @param precision {@link #CUDA_MATMUL_FP32} or {@link #CUDA_MATMUL_TF32}
     * @return {@link Status#OK}; {@link Status#ERR_ARG} for an unknown precision;
     *         {@link Status#ERR_UNSUPPORTED} for TF32 below compute capability 8.0; {@link #CUDA_ERR_NO_DEVICE}
     *         without a device
     */
    public static native int tg_cuda_set_matmul_precision(int precision);

    /**
     * The matrix precision in use.
     *
     * @return {@link #CUDA_MATMUL_FP32} or {@link #CUDA_MATMUL_TF32}
     */
    public static native int tg_cuda_matmul_precision();

    /**
     * Chooses the fp32 SGEMM block tile, for tuning on a new GPU (global to the process).
     *
     * @param tile 0 (chosen per shape), 64 or 128
     * @return {@link Status#OK}, or {@link Status#ERR_ARG} for another tile
     */
    public static native int tg_cuda_set_gemm_tile(int tile);

    /**
     * Waits for all work on the current device.
     *
     * @return {@link Status#OK}, a {@code Status.ERR_*} code (checked before launch), or {@link #CUDA_ERR_RUNTIME}
     */
    public static native int tg_cuda_synchronize();

    /**
     * Allocates zeroed device memory. The caller owns it and frees it with {@link #tg_cuda_free}; the garbage collector
     * never does.
     *
     * @param bytes bytes to allocate
     * @return the device address, or 0 on failure
     */
    public static native long tg_cuda_malloc(long bytes);

    /**
     * Frees device memory from {@link #tg_cuda_malloc}, once, after the last kernel using it has finished.
     *
     * @param devicePtr a device address from {@link #tg_cuda_malloc}, or 0 (ignored by free)
     * @return {@link Status#OK}, a {@code Status.ERR_*} code (checked before launch), or {@link #CUDA_ERR_RUNTIME}
     */
    public static native int tg_cuda_free(long devicePtr);

    /**
     * Allocates zeroed pinned host memory (copies from it can run asynchronously). The caller frees it with
     * {@link #tg_cuda_host_free}.
     *
     * @param bytes bytes to allocate
     * @return the pinned host address, or 0 on failure
     */
    public static native long tg_cuda_host_alloc(long bytes);

    /**
     * Frees pinned host memory from {@link #tg_cuda_host_alloc}.
     *
     * @param hostPtr a pinned host address from {@link #tg_cuda_host_alloc}
     * @return {@link Status#OK}, a {@code Status.ERR_*} code (checked before launch), or {@link #CUDA_ERR_RUNTIME}
     */
    public static native int tg_cuda_host_free(long hostPtr);

    /**
     * Copies bytes between host and device addresses (unified addressing); asynchronous on the stream when the host
     * side is pinned.
     *
     * @param dst    destination address, host or device
     * @param src    source address, host or device
     * @param bytes  bytes to copy
     * @param stream the stream handle from {@link #tg_cuda_stream_create}, 0 for the legacy default stream
     * @return {@link Status#OK}, a {@code Status.ERR_*} code (checked before launch), or {@link #CUDA_ERR_RUNTIME}
     */
    public static native int tg_cuda_memcpy(long dst, long src, long bytes, long stream);

    /**
     * Sets device bytes to a value, on a stream.
     *
     * @param devicePtr the device address
     * @param value     the byte value
     * @param bytes     bytes to set
     * @param stream    the stream handle from {@link #tg_cuda_stream_create}, 0 for the legacy default stream
     * @return {@link Status#OK}, a {@code Status.ERR_*} code (checked before launch), or {@link #CUDA_ERR_RUNTIME}
     */
    public static native int tg_cuda_memset(long devicePtr, int value, long bytes, long stream);

    /**
     * Creates a non-blocking stream. The caller destroys it with {@link #tg_cuda_stream_destroy}.
     *
     * @return the stream handle, or 0 on failure
     */
    public static native long tg_cuda_stream_create();

    /**
     * Destroys a stream from {@link #tg_cuda_stream_create}.
     *
     * @param stream a handle from {@link #tg_cuda_stream_create}
     * @return {@link Status#OK}, a {@code Status.ERR_*} code (checked before launch), or {@link #CUDA_ERR_RUNTIME}
     */
    public static native int tg_cuda_stream_destroy(long stream);

    /**
     * Waits for the work enqueued on a stream.
     *
     * @param stream a stream handle, 0 for the default stream
     * @return {@link Status#OK}, a {@code Status.ERR_*} code (checked before launch), or {@link #CUDA_ERR_RUNTIME}
     */
    public static native int tg_cuda_stream_synchronize(long stream);

    /**
     * C[M,N] = alpha op(A) op(B) + beta C on the device, fp32 row-major (TF32 when chosen), asynchronous on the stream.
     *
     * @param c      device address of C, m x n floats (row stride ldc)
     * @param a      device address of A: [M,K], or [K,M] when transposed
     * @param b      device address of B: [K,N], or [N,K] when transposed
     * @param m      rows M of C
     * @param n      columns N of C
     * @param k      the inner dimension K
     * @param transA 1 to use A transposed
     * @param transB 1 to use B transposed
     * @param alpha  the scale of op(A) op(B)
     * @param beta   the scale of C; 0 overwrites C
     * @param lda    row stride of A, in floats
     * @param ldb    row stride of B, in floats
     * @param ldc    row stride of C, in floats
     * @param stream the stream handle from {@link #tg_cuda_stream_create}, 0 for the legacy default stream
     * @return {@link Status#OK}, a {@code Status.ERR_*} code (checked before launch), or {@link #CUDA_ERR_RUNTIME}
     */
    public static native int tg_cuda_sgemm(
        @Cast("float*") long c, @Cast("const float*") long a, @Cast("const float*") long b, int m, int n, int k, int transA, int transB, float alpha, float beta, int lda, int ldb, int ldc, long stream);

    /**
     * y[B,O] = x[B,I] w[I,O] + bias[O] on the device, asynchronous on the stream.
     *
     * @param y      device address of the output (overwritten)
     * @param x      device address of the input
     * @param w      device address of the weights, in x out floats, row-major
     * @param bias   device address of the bias, out floats, or 0 for none
     * @param batch  rows B
     * @param in     input features I
     * @param out    output features O
     * @param stream the stream handle from {@link #tg_cuda_stream_create}, 0 for the legacy default stream
     * @return {@link Status#OK}, a {@code Status.ERR_*} code (checked before launch), or {@link #CUDA_ERR_RUNTIME}
     */
    public static native int tg_cuda_dense_forward(
        @Cast("float*") long y, @Cast("const float*") long x, @Cast("const float*") long w, @Cast("const float*") long bias, int batch, int in, int out, long stream);

    /**
     * dx[B,I] = dy w^T (overwritten), dw[I,O] += x^T dy, dbias[O] += sum_b dy on the device.
     *
     * @param dx     device address of the input gradient (overwritten), or 0 where the description allows
     * @param dw     device address of the weight gradient (accumulated, +=), or 0 to skip
     * @param dbias  device address of the bias gradient (accumulated), or 0 to skip
     * @param dy     device address of the output gradient
     * @param x      device address of the input
     * @param w      device address of the weights, in x out floats, row-major
     * @param batch  rows B
     * @param in     input features I
     * @param out    output features O
     * @param stream the stream handle from {@link #tg_cuda_stream_create}, 0 for the legacy default stream
     * @return {@link Status#OK}, a {@code Status.ERR_*} code (checked before launch), or {@link #CUDA_ERR_RUNTIME}
     */
    public static native int tg_cuda_dense_backward(
        @Cast("float*") long dx, @Cast("float*") long dw, @Cast("float*") long dbias, @Cast("const float*") long dy, @Cast("const float*") long x, @Cast("const float*") long w, int batch, int in, int out, long stream);

    /**
     * y = f(x) elementwise over n device floats.
     *
     * @param y      device address of the output (overwritten)
     * @param x      device address of the input
     * @param n      number of floats
     * @param kind   the activation, an {@code Abi.ACT_*} code
     * @param alpha  the activation's parameter (leaky ReLU's negative slope)
     * @param stream the stream handle from {@link #tg_cuda_stream_create}, 0 for the legacy default stream
     * @return {@link Status#OK}, a {@code Status.ERR_*} code (checked before launch), or {@link #CUDA_ERR_RUNTIME}
     */
    public static native int tg_cuda_activation_forward(
        @Cast("float*") long y, @Cast("const float*") long x, long n, int kind, float alpha, long stream);

    /**
     * dx = dy * f'(x) elementwise over n device floats.
     *
     * @param dx     device address of the input gradient (overwritten), or 0 where the description allows
     * @param dy     device address of the output gradient
     * @param x      device address of the input
     * @param y      device address of the output (overwritten)
     * @param n      number of floats
     * @param kind   the activation, an {@code Abi.ACT_*} code
     * @param alpha  the activation's parameter (leaky ReLU's negative slope)
     * @param stream the stream handle from {@link #tg_cuda_stream_create}, 0 for the legacy default stream
     * @return {@link Status#OK}, a {@code Status.ERR_*} code (checked before launch), or {@link #CUDA_ERR_RUNTIME}
     */
    public static native int tg_cuda_activation_backward(
        @Cast("float*") long dx, @Cast("const float*") long dy, @Cast("const float*") long x, @Cast("const float*") long y, long n, int kind, float alpha, long stream);

    /**
     * y[B,C] = softmax(x[B,C]) per row on the device.
     *
     * @param y       device address of the output (overwritten)
     * @param x       device address of the input
     * @param batch   rows B
     * @param classes columns C per row
     * @param stream  the stream handle from {@link #tg_cuda_stream_create}, 0 for the legacy default stream
     * @return {@link Status#OK}, a {@code Status.ERR_*} code (checked before launch), or {@link #CUDA_ERR_RUNTIME}
     */
    public static native int tg_cuda_softmax_forward(
        @Cast("float*") long y, @Cast("const float*") long x, int batch, int classes, long stream);

    /**
     * dx[B,C] = y * (dy - sum_c dy y) per row on the device.
     *
     * @param dx      device address of the input gradient (overwritten), or 0 where the description allows
     * @param dy      device address of the output gradient
     * @param y       device address of the output (overwritten)
     * @param batch   rows B
     * @param classes columns C per row
     * @param stream  the stream handle from {@link #tg_cuda_stream_create}, 0 for the legacy default stream
     * @return {@link Status#OK}, a {@code Status.ERR_*} code (checked before launch), or {@link #CUDA_ERR_RUNTIME}
     */
    public static native int tg_cuda_softmax_backward(
        @Cast("float*") long dx, @Cast("const float*") long dy, @Cast("const float*") long y, int batch, int classes, long stream);

    /**
     * Layer normalisation per row of x[B,D] on the device; mean[B] and rstd[B] saved for the backward pass.
     *
     * @param y      device address of the output (overwritten)
     * @param mean   device address of the row means, batch floats (0 = not saved, forward only)
     * @param rstd   device address of the reciprocal standard deviations, batch floats (0 = not saved, forward only)
     * @param x      device address of the input
     * @param gamma  device address of the scale, dim floats
     * @param beta   device address of the shift, dim floats, or 0 for none
     * @param batch  rows B
     * @param dim    features D per row
     * @param eps    added to the variance
     * @param stream the stream handle from {@link #tg_cuda_stream_create}, 0 for the legacy default stream
     * @return {@link Status#OK}, a {@code Status.ERR_*} code (checked before launch), or {@link #CUDA_ERR_RUNTIME}
     */
    public static native int tg_cuda_layernorm_forward(
        @Cast("float*") long y, @Cast("float*") long mean, @Cast("float*") long rstd, @Cast("const float*") long x, @Cast("const float*") long gamma, @Cast("const float*") long beta, int batch, int dim, float eps, long stream);

    /**
     * Layer normalisation's backward on the device: dx overwritten, dgamma and dbeta accumulated.
     *
     * @param dx     device address of the input gradient (overwritten), or 0 where the description allows
     * @param dgamma device address of the scale gradient, dim floats (accumulated), or 0
     * @param dbeta  device address of the shift gradient, dim floats (accumulated), or 0
     * @param dy     device address of the output gradient
     * @param x      device address of the input
     * @param mean   device address of the saved row means, batch floats
     * @param rstd   device address of the saved reciprocal standard deviations, batch floats
     * @param gamma  device address of the scale, dim floats
     * @param batch  rows B
     * @param dim    features D per row
     * @param stream the stream handle from {@link #tg_cuda_stream_create}, 0 for the legacy default stream
     * @return {@link Status#OK}, a {@code Status.ERR_*} code (checked before launch), or {@link #CUDA_ERR_RUNTIME}
     */
    public static native int tg_cuda_layernorm_backward(
        @Cast("float*") long dx, @Cast("float*") long dgamma, @Cast("float*") long dbeta, @Cast("const float*") long dy, @Cast("const float*") long x, @Cast("const float*") long mean, @Cast("const float*") long rstd, @Cast("const float*") long gamma, int batch, int dim, long stream);

    /**
     * Inverted dropout over n device floats with the same counter-based mask as the CPU.
     *
     * @param y      device address of the output (overwritten)
     * @param mask   device address of the dropout mask, n floats (written forward, read backward)
     * @param x      device address of the input
     * @param n      number of floats
     * @param rate   the drop probability, in [0, 1)
     * @param seed   the mask's seed
     * @param stream the stream handle from {@link #tg_cuda_stream_create}, 0 for the legacy default stream
     * @return {@link Status#OK}, a {@code Status.ERR_*} code (checked before launch), or {@link #CUDA_ERR_RUNTIME}
     */
    public static native int tg_cuda_dropout_forward(
        @Cast("float*") long y, @Cast("float*") long mask, @Cast("const float*") long x, long n, float rate, long seed, long stream);

    /**
     * dx = dy * mask over n device floats.
     *
     * @param dx     device address of the input gradient (overwritten), or 0 where the description allows
     * @param dy     device address of the output gradient
     * @param mask   device address of the dropout mask, n floats (written forward, read backward)
     * @param n      number of floats
     * @param stream the stream handle from {@link #tg_cuda_stream_create}, 0 for the legacy default stream
     * @return {@link Status#OK}, a {@code Status.ERR_*} code (checked before launch), or {@link #CUDA_ERR_RUNTIME}
     */
    public static native int tg_cuda_dropout_backward(
        @Cast("float*") long dx, @Cast("const float*") long dy, @Cast("const float*") long mask, long n, long stream);

    /**
     * A loss on the device, the mean over the batch, written to a device float.
     *
     * @param grad    device address of d loss / d pred, batch x cols floats (overwritten), or 0 to skip
     * @param loss    device address of one float that receives the mean loss
     * @param pred    device address of the predictions, batch x cols floats
     * @param target  device address of the targets, batch x cols floats
     * @param weights device address of per-sample weights, batch floats, or 0 for all 1
     * @param batch   rows B
     * @param cols    columns C per row
     * @param kind    the loss, an {@code Abi.LOSS_*} code
     * @param param   the loss's parameter (Huber's delta, the BCE probability clip)
     * @param stream  the stream handle from {@link #tg_cuda_stream_create}, 0 for the legacy default stream
     * @return {@link Status#OK}, a {@code Status.ERR_*} code (checked before launch), or {@link #CUDA_ERR_RUNTIME}
     */
    public static native int tg_cuda_loss(
        @Cast("float*") long grad, @Cast("float*") long loss, @Cast("const float*") long pred, @Cast("const float*") long target, @Cast("const float*") long weights, int batch, int cols, int kind, float param, long stream);

    /**
     * One SGD step over n device parameters in place.
     *
     * @param p           device address of the parameters, n floats (updated in place)
     * @param velocity    device address of the momentum buffer, n floats, or 0 when momentum is 0
     * @param g           device address of the gradients, n floats
     * @param n           number of floats
     * @param lr          learning rate
     * @param momentum    momentum factor
     * @param weightDecay weight decay
     * @param nesterov    1 for Nesterov momentum, 0 otherwise
     * @param stream      the stream handle from {@link #tg_cuda_stream_create}, 0 for the legacy default stream
     * @return {@link Status#OK}, a {@code Status.ERR_*} code (checked before launch), or {@link #CUDA_ERR_RUNTIME}
     */
    public static native int tg_cuda_sgd_step(
        @Cast("float*") long p, @Cast("float*") long velocity, @Cast("const float*") long g, long n, float lr, float momentum, float weightDecay, int nesterov, long stream);

    /**
     * One Adam or AdamW step over n device parameters in place.
     *
     * @param p           device address of the parameters, n floats (updated in place)
     * @param m           device address of the first moments, n floats (updated)
     * @param v           device address of the second moments, n floats
     * @param g           device address of the gradients, n floats
     * @param n           number of floats
     * @param lr          learning rate
     * @param beta1       decay of the first moment
     * @param beta2       decay of the second moment
     * @param eps         added to the denominator
     * @param weightDecay weight decay
     * @param t           the step number, from 1
     * @param decoupled   1 for AdamW, 0 for Adam with L2
     * @param stream      the stream handle from {@link #tg_cuda_stream_create}, 0 for the legacy default stream
     * @return {@link Status#OK}, a {@code Status.ERR_*} code (checked before launch), or {@link #CUDA_ERR_RUNTIME}
     */
    public static native int tg_cuda_adam_step(
        @Cast("float*") long p, @Cast("float*") long m, @Cast("float*") long v, @Cast("const float*") long g, long n, float lr, float beta1, float beta2, float eps, float weightDecay, long t, int decoupled, long stream);

    /**
     * Adds the sum of squares of n device floats, in double, to a device double.
     *
     * @param out    device address of one double, accumulated (+=)
     * @param x      device address of the input
     * @param n      number of floats
     * @param stream the stream handle from {@link #tg_cuda_stream_create}, 0 for the legacy default stream
     * @return {@link Status#OK}, a {@code Status.ERR_*} code (checked before launch), or {@link #CUDA_ERR_RUNTIME}
     */
    public static native int tg_cuda_sum_squares(
        @Cast("double*") long out, @Cast("const float*") long x, long n, long stream);

    /**
     * x *= s over n device floats.
     *
     * @param x      device address of the input
     * @param n      number of floats
     * @param s      the factor
     * @param stream the stream handle from {@link #tg_cuda_stream_create}, 0 for the legacy default stream
     * @return {@link Status#OK}, a {@code Status.ERR_*} code (checked before launch), or {@link #CUDA_ERR_RUNTIME}
     */
    public static native int tg_cuda_scale(@Cast("float*") long x, long n, float s, long stream);

    /**
     * Runs a forward plan on the device; the plan itself stays on the host.
     *
     * @param act    device address of the activation slab
     * @param params device address of the fp32 parameter slab
     * @param plan   HOST address of the plan: nOps entries of {@link Abi#PLAN_WORDS} int64 words
     * @param nOps   number of plan entries
     * @param batch  rows B
     * @param stream the stream handle from {@link #tg_cuda_stream_create}, 0 for the legacy default stream
     * @return {@link Status#OK}, a {@code Status.ERR_*} code (checked before launch), or {@link #CUDA_ERR_RUNTIME}
     */
    public static native int tg_cuda_plan_forward(
        @Cast("float*") long act, @Cast("const float*") long params, @Cast("const int64_t*") long plan, int nOps, int batch, long stream);

    /**
     * Checks a parameter layout and writes the offsets the runner would use for it. A pure host function (in the stub
     * too).
     *
     * @param outOffsets  host address of 2 x nLayers int64 that receive the offsets the runner uses, or 0
     * @param dims        host address of nLayers + 1 int32 widths: inputs, each layer's output
     * @param nLayers     dense layers, in [1, {@link #CUDA_MLP_MAX_LAYERS}]
     * @param offsets     host address of 2 x nLayers int64 float offsets: per layer, W then bias, in the caller's
     *                    parameter slab
     * @param paramFloats floats of the parameter slab, padding included
     * @return {@link Status#OK}; {@link Status#ERR_SIZE} for a width below 1, a layer count out of range or a tensor
     *         outside the slab; {@link Status#ERR_ARG} when two tensors overlap
     */
    public static native int tg_cuda_mlp_layout(
        @Cast("int64_t*") long outOffsets, @Cast("const int32_t*") long dims, int nLayers, @Cast("const int64_t*") long offsets, long paramFloats);

    /**
     * Creates an MLP runner: device parameters, gradients, optimizer state and activations, pinned host buffers, an
     * inference and a training stream. The caller owns the handle and frees everything with
     * {@link #tg_cuda_mlp_destroy}.
     *
     * @param outHandle   host address of one int64 that receives the handle
     * @param dims        host address of nLayers + 1 int32 widths: inputs, each layer's output
     * @param nLayers     dense layers, in [1, {@link #CUDA_MLP_MAX_LAYERS}]
     * @param offsets     host address of 2 x nLayers int64 float offsets: per layer, W then bias, in the caller's
     *                    parameter slab
     * @param paramFloats floats of the parameter slab, padding included
     * @param hiddenAct   the hidden layers' activation, an {@code Abi.ACT_*} code
     * @param outSoftmax  1 to apply a softmax at predict time, 0 for linear outputs
     * @param inferBatch  rows per predict
     * @param trainBatch  rows per training step
     * @param lossKind    an {@code Abi.LOSS_*} code on the linear outputs
     * @param lossParam   the loss's parameter, as {@code tg_loss}
     * @param optimizer   {@link #CUDA_OPT_SGD}, {@link #CUDA_OPT_ADAM} or {@link #CUDA_OPT_ADAMW}
     * @param optParams   host address of 5 floats: the optimizer's hyperparameters (see tickgrad_cuda.h)
     * @return {@link Status#OK}, a {@code Status.ERR_*} code (checked before launch), or {@link #CUDA_ERR_RUNTIME}
     */
    public static native int tg_cuda_mlp_create(
        @Cast("int64_t*") long outHandle, @Cast("const int32_t*") long dims, int nLayers, @Cast("const int64_t*") long offsets, long paramFloats, int hiddenAct, int outSoftmax, int inferBatch, int trainBatch, int lossKind, float lossParam, int optimizer, @Cast("const float*") long optParams);

    /**
     * Frees a runner and all its device and pinned memory; the handle is invalid afterwards.
     *
     * @param handle the runner handle; 0 is ignored
     * @return {@link Status#OK}, a {@code Status.ERR_*} code (checked before launch), or {@link #CUDA_ERR_RUNTIME}
     */
    public static native int tg_cuda_mlp_destroy(long handle);

    /**
     * The floats of the runner's parameter slab, padding included.
     *
     * @param handle a runner handle from {@link #tg_cuda_mlp_create}
     * @return floats
     */
    public static native long tg_cuda_mlp_param_count(long handle);

    /**
     * Copies the whole parameter slab from the host (synchronous); also writes the inference copy and resets the
     * optimizer state.
     *
     * @param handle     a runner handle from {@link #tg_cuda_mlp_create}
     * @param hostParams host address of count floats, the whole parameter slab
     * @param count      floats to copy, equal to {@link #tg_cuda_mlp_param_count}
     * @return {@link Status#OK}, a {@code Status.ERR_*} code (checked before launch), or {@link #CUDA_ERR_RUNTIME}
     */
    public static native int tg_cuda_mlp_set_params(long handle, @Cast("const float*") long hostParams, long count);

    /**
     * Copies the training parameter slab to the host (synchronous).
     *
     * @param handle     a runner handle from {@link #tg_cuda_mlp_create}
     * @param hostParams host address of count floats, the whole parameter slab
     * @param count      floats to copy, equal to {@link #tg_cuda_mlp_param_count}
     * @return {@link Status#OK}, a {@code Status.ERR_*} code (checked before launch), or {@link #CUDA_ERR_RUNTIME}
     */
    public static native int tg_cuda_mlp_get_params(long handle, @Cast("float*") long hostParams, long count);

    /**
     * The pinned host buffer of predict's input, [inferBatch, dims[0]] floats; valid until destroy, owned by the
     * runner.
     *
     * @param handle a runner handle from {@link #tg_cuda_mlp_create}
     * @return the host address
     */
    public static native long tg_cuda_mlp_infer_input(long handle);

    /**
     * The pinned host buffer of predict's output, [inferBatch, dims[nLayers]] floats; valid until destroy, owned by the
     * runner.
     *
     * @param handle a runner handle from {@link #tg_cuda_mlp_create}
     * @return the host address
     */
    public static native long tg_cuda_mlp_infer_output(long handle);

    /**
     * The pinned host buffer of a training step's input, [trainBatch, dims[0]] floats; valid until destroy, owned by
     * the runner.
     *
     * @param handle a runner handle from {@link #tg_cuda_mlp_create}
     * @return the host address
     */
    public static native long tg_cuda_mlp_train_input(long handle);

    /**
     * The pinned host buffer of a training step's targets, [trainBatch, dims[nLayers]] floats; valid until destroy,
     * owned by the runner.
     *
     * @param handle a runner handle from {@link #tg_cuda_mlp_create}
     * @return the host address
     */
    public static native long tg_cuda_mlp_train_target(long handle);

    /**
     * Chooses how predict runs the forward: one GEMM kernel per layer, or one fused kernel.
     *
     * @param handle a runner handle from {@link #tg_cuda_mlp_create}
     * @param fused  {@link #CUDA_MLP_LAYERED} or {@link #CUDA_MLP_FUSED_BLOCK}
     * @return {@link Status#OK}, or {@link Status#ERR_UNSUPPORTED} when that choice cannot run here
     */
    public static native int tg_cuda_mlp_set_fused(long handle, int fused);

    /**
     * Chooses between replaying captured CUDA Graphs and plain stream launches.
     *
     * @param handle    a runner handle from {@link #tg_cuda_mlp_create}
     * @param useGraphs 1 to replay captured CUDA Graphs (default), 0 for plain launches
     * @return {@link Status#OK}, a {@code Status.ERR_*} code (checked before launch), or {@link #CUDA_ERR_RUNTIME}
     */
    public static native int tg_cuda_mlp_set_graphs(long handle, int useGraphs);

    /**
     * Chooses whether each training step copies its batch to the device first.
     *
     * @param handle     a runner handle from {@link #tg_cuda_mlp_create}
     * @param copyInputs 1 to copy the pinned train input and target to the device each step (default), 0 to reuse the
     *                   batch on the device
     * @return {@link Status#OK}, a {@code Status.ERR_*} code (checked before launch), or {@link #CUDA_ERR_RUNTIME}
     */
    public static native int tg_cuda_mlp_set_train_copy(long handle, int copyInputs);

    /**
     * Sets which tensors the optimizer updates (fine-tuning: the backward stops below the lowest trainable layer).
     *
     * @param handle    a runner handle from {@link #tg_cuda_mlp_create}
     * @param trainable host address of 2 x nLayers int32 flags, 1 = the optimizer updates that tensor (W_l, bias_l)
     * @return {@link Status#OK}, a {@code Status.ERR_*} code (checked before launch), or {@link #CUDA_ERR_RUNTIME}
     */
    public static native int tg_cuda_mlp_set_trainable(long handle, @Cast("const int32_t*") long trainable);

    /**
     * Copies the infer input to the device, runs the forward on the inference copy, copies the output back and waits.
     * Call from one thread (the inference thread).
     *
     * @param handle a runner handle from {@link #tg_cuda_mlp_create}
     * @return {@link Status#OK}, a {@code Status.ERR_*} code (checked before launch), or {@link #CUDA_ERR_RUNTIME}
     */
    public static native int tg_cuda_mlp_predict(long handle);

    /**
     * One training step on the train input and target (copy in, forward, loss, backward, optimizer step) on the
     * training stream, and waits.
     *
     * @param handle  a runner handle from {@link #tg_cuda_mlp_create}
     * @param lossOut host address of one float that receives the batch loss before the update, or 0
     * @return {@link Status#OK}, a {@code Status.ERR_*} code (checked before launch), or {@link #CUDA_ERR_RUNTIME}
     */
    public static native int tg_cuda_mlp_train_step(long handle, @Cast("float*") long lossOut);

    /**
     * The same step as {@link #tg_cuda_mlp_train_step}, enqueued without waiting.
     *
     * @param handle a runner handle from {@link #tg_cuda_mlp_create}
     * @return {@link Status#OK}, a {@code Status.ERR_*} code (checked before launch), or {@link #CUDA_ERR_RUNTIME}
     */
    public static native int tg_cuda_mlp_train_step_async(long handle);

    /**
     * Waits for the step enqueued by {@link #tg_cuda_mlp_train_step_async}.
     *
     * @param handle  a runner handle from {@link #tg_cuda_mlp_create}
     * @param lossOut host address of one float that receives the batch loss before the update, or 0
     * @return {@link Status#OK}, a {@code Status.ERR_*} code (checked before launch), or {@link #CUDA_ERR_RUNTIME}
     */
    public static native int tg_cuda_mlp_train_wait(long handle, @Cast("float*") long lossOut);

    /**
     * Copies the training parameters into the inference copy, ordered after the training stream's work.
     *
     * @param handle a runner handle from {@link #tg_cuda_mlp_create}
     * @return {@link Status#OK}, a {@code Status.ERR_*} code (checked before launch), or {@link #CUDA_ERR_RUNTIME}
     */
    public static native int tg_cuda_mlp_publish(long handle);
}
