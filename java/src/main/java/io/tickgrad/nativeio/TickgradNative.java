package io.tickgrad.nativeio;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.NoException;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * Raw JNI binding of native/include/tickgrad/tickgrad.h. Addresses are passed as {@code long}
 * (about 7 ns a call) and every function returns a status code from {@link Status}.
 *
 * <p>Nothing here checks its arguments: callers in {@code io.tickgrad} validate every address,
 * length and shape before calling, so that a bad argument raises a Java exception instead of
 * crashing the JVM. Do not call these methods directly from application code.
 *
 * <p>The contract every function shares (tickgrad.h):
 * <ul>
 *   <li>Memory: every address points into memory that Java owns: a {@code Slab} allocated by {@link #tg_alloc}
 *       and freed only by {@link #tg_free} from the slab's {@code close()}, never by the garbage collector. No
 *       function keeps an address after it returns.</li>
 *   <li>Units and shapes: values are fp32 unless a name says otherwise; sizes count elements (floats), not bytes,
 *       except where a name says bytes; matrices are row-major, B = batch rows, I = input features, O = output
 *       features, C = classes or columns, D = feature dimension. An address of 0 is allowed only where a
 *       parameter says so (an optional bias, a gradient to skip).</li>
 *   <li>Results: parameter gradients accumulate (+=), input gradients are overwritten. A function returns
 *       {@link Status#OK} or a {@code Status.ERR_*} code, in which case it wrote nothing; the few queries return
 *       their value instead.</li>
 *   <li>Threads: kernels keep no state between calls and may run on several threads at once on disjoint
 *       outputs; {@link #tg_set_isa}, {@link #tg_set_features} and {@link #tg_set_num_threads} change global
 *       settings and are for start-up and tests. Each call sets flush-to-zero for its own duration.</li>
 * </ul>
 */
@Platform(include = "tickgrad/tickgrad.h", link = "tickgrad")
@NoException
public final class TickgradNative {
    static {
        Loader.load();
    }

    private TickgradNative() {
    }

    /** Loads the native libraries; idempotent. */
    public static void load() {
        // the static initialiser does the work
    }

    /**
     * The ABI version of the loaded library; {@link NativeLibrary#ensureLoaded()} compares it with {@link Abi#VERSION}.
     *
     * @return the version
     */
    public static native int tg_abi_version();

    /**
     * The best instruction set this CPU (and OS) supports.
     *
     * @return an {@code Abi.ISA_*} code
     */
    public static native int tg_cpu_isa();

    /**
     * The instruction set the kernels use now.
     *
     * @return an {@code Abi.ISA_*} code
     */
    public static native int tg_active_isa();

    /**
     * Forces the kernels onto an instruction set no better than {@link #tg_cpu_isa()} (tests compare ISAs this way).
     * Global to the process: not while another thread runs kernels.
     *
     * @param isa an {@code Abi.ISA_*} code
     * @return {@link Status#OK}, or {@link Status#ERR_UNSUPPORTED} when the CPU lacks it
     */
    public static native int tg_set_isa(int isa);

    /**
     * Sets the threads that batch kernels (GEMM) may use; global to the library.
     *
     * @param n threads, in [1, 256]; 1 = the caller's thread only
     * @return {@link Status#OK} or a {@code Status.ERR_*} code
     */
    public static native int tg_set_num_threads(int n);

    /**
     * The threads batch kernels may use.
     *
     * @return the thread count
     */
    public static native int tg_num_threads();

    /**
     * Allocates zeroed, 64-byte-aligned native memory. The caller owns it and frees it with {@link #tg_free};
     * {@code io.tickgrad.tensor.Slab} is the only caller.
     *
     * @param bytes number of bytes
     * @return the address, or 0 when the allocation failed
     */
    public static native long tg_alloc(long bytes);

    /**
     * Frees memory from {@link #tg_alloc}; must be called exactly once per allocation, after the last use.
     *
     * @param address an address from {@link #tg_alloc}, or 0 (ignored)
     * @return {@link Status#OK}
     */
    public static native int tg_free(long address);

    /**
     * Live bytes from {@link #tg_alloc} not yet freed, for leak tests.
     *
     * @return bytes
     */
    public static native long tg_allocated_bytes();

    /**
     * Reserves disk blocks for a byte range of an existing file without changing its size or contents (fallocate with
     * KEEP_SIZE), so writes through a memory mapping cannot fault on a full disk.
     *
     * @param path   the file's path
     * @param offset first byte of the range
     * @param length bytes in the range
     * @return 0, or the errno (ENOSPC: the disk is full; EOPNOTSUPP: the file system cannot reserve)
     */
    public static native int tg_file_reserve(String path, long offset, long length);

    /**
     * C[M,N] = alpha op(A)[M,K] op(B)[K,N] + beta C, fp32, row-major.
     *
     * @param c      address of C, m x n floats (row stride ldc)
     * @param a      address of A: [M,K], or [K,M] when transposed (row stride lda)
     * @param b      address of B: [K,N], or [N,K] when transposed (row stride ldb)
     * @param m      rows M of C
     * @param n      columns N of C
     * @param k      the inner dimension K
     * @param transA 1 to use A transposed
     * @param transB 1 to use B transposed
     * @param alpha  the scale of op(A) op(B)
     * @param beta   the scale of C; 0 overwrites C without reading it
     * @param lda    row stride of A, in floats
     * @param ldb    row stride of B, in floats
     * @param ldc    row stride of C, in floats
     * @return {@link Status#OK} or a {@code Status.ERR_*} code
     */
    public static native int tg_sgemm(@Cast("float*") long c, @Cast("const float*") long a, @Cast("const float*") long b,
                                      int m, int n, int k, int transA, int transB,
                                      float alpha, float beta, int lda, int ldb, int ldc);

    /**
     * y[B,O] = x[B,I] w[I,O] + bias[O]; see {@code io.tickgrad.nn.Backend#denseForward}.
     *
     * @param y     address of the output (overwritten)
     * @param x     address of the input
     * @param w     address of the weights, in x out floats, row-major
     * @param bias  address of the bias, out floats, or 0 for none
     * @param batch rows B
     * @param in    input features I
     * @param out   output features O
     * @return {@link Status#OK} or a {@code Status.ERR_*} code
     */
    public static native int tg_dense_forward(@Cast("float*") long y, @Cast("const float*") long x,
                                              @Cast("const float*") long w, @Cast("const float*") long bias,
                                              int batch, int in, int out);

    /**
     * dx[B,I] = dy w^T (overwritten), dw[I,O] += x^T dy, dbias[O] += sum_b dy; see {@code Backend#denseBackward}.
     *
     * @param dx    address of the input gradient (overwritten), or 0 where the description allows
     * @param dw    address of the weight gradient (accumulated, +=), or 0 to skip
     * @param dbias address of the bias gradient (accumulated), or 0 to skip
     * @param dy    address of the output gradient
     * @param x     address of the input
     * @param w     address of the weights, in x out floats, row-major
     * @param batch rows B
     * @param in    input features I
     * @param out   output features O
     * @return {@link Status#OK} or a {@code Status.ERR_*} code
     */
    public static native int tg_dense_backward(@Cast("float*") long dx, @Cast("float*") long dw, @Cast("float*") long dbias,
                                               @Cast("const float*") long dy, @Cast("const float*") long x,
                                               @Cast("const float*") long w, int batch, int in, int out);

    /**
     * y[B,O] = x w + bias, a[B,O] = f(y), in one call; see {@code Backend#denseActivationForward}.
     *
     * @param y     address of the pre-activation output, batch x out floats (overwritten)
     * @param a     address of the activated output (may equal y)
     * @param x     address of the input
     * @param w     address of the weights, in x out floats, row-major
     * @param bias  address of the bias, out floats, or 0 for none
     * @param batch rows B
     * @param in    input features I
     * @param out   output features O
     * @param kind  the activation, an {@code Abi.ACT_*} code
     * @param alpha the activation's parameter (leaky ReLU's negative slope; ignored by the others)
     * @return {@link Status#OK} or a {@code Status.ERR_*} code
     */
    public static native int tg_dense_forward_act(@Cast("float*") long y, @Cast("float*") long a,
                                                  @Cast("const float*") long x, @Cast("const float*") long w,
                                                  @Cast("const float*") long bias, int batch, int in, int out,
                                                  int kind, float alpha);

    /**
     * A dense backward whose dx continues through the activation before it: dx = (dy w^T) * f'(actX); see
     * {@code Backend#denseActivationBackward}.
     *
     * @param dx    address of the input gradient, batch x in floats (overwritten, required)
     * @param dw    address of the weight gradient (accumulated, +=), or 0 to skip
     * @param dbias address of the bias gradient (accumulated), or 0 to skip
     * @param dy    address of the output gradient
     * @param x     address of the input
     * @param w     address of the weights, in x out floats, row-major
     * @param actX  address of the previous activation's forward input, batch x in floats
     * @param actY  address of the previous activation's forward output, batch x in floats
     * @param batch rows B
     * @param in    input features I
     * @param out   output features O
     * @param kind  the previous activation, an {@code Abi.ACT_*} code
     * @param alpha the activation's parameter (leaky ReLU's negative slope; ignored by the others)
     * @return {@link Status#OK} or a {@code Status.ERR_*} code
     */
    public static native int tg_dense_backward_act(@Cast("float*") long dx, @Cast("float*") long dw,
                                                   @Cast("float*") long dbias, @Cast("const float*") long dy,
                                                   @Cast("const float*") long x, @Cast("const float*") long w,
                                                   @Cast("const float*") long actX, @Cast("const float*") long actY,
                                                   int batch, int in, int out, int kind, float alpha);

    /**
     * y = f(x) elementwise over n floats.
     *
     * @param y     address of the output (overwritten)
     * @param x     address of the input
     * @param n     number of floats
     * @param kind  the activation, an {@code Abi.ACT_*} code
     * @param alpha the activation's parameter (leaky ReLU's negative slope; ignored by the others)
     * @return {@link Status#OK} or a {@code Status.ERR_*} code
     */
    public static native int tg_activation_forward(@Cast("float*") long y, @Cast("const float*") long x,
                                                   long n, int kind, float alpha);

    /**
     * dx = dy * f'(x) elementwise over n floats.
     *
     * @param dx    address of the input gradient (overwritten), or 0 where the description allows
     * @param dy    address of the output gradient
     * @param x     address of the input
     * @param y     address of the output (overwritten)
     * @param n     number of floats
     * @param kind  the activation, an {@code Abi.ACT_*} code
     * @param alpha the activation's parameter (leaky ReLU's negative slope; ignored by the others)
     * @return {@link Status#OK} or a {@code Status.ERR_*} code
     */
    public static native int tg_activation_backward(@Cast("float*") long dx, @Cast("const float*") long dy,
                                                    @Cast("const float*") long x, @Cast("const float*") long y,
                                                    long n, int kind, float alpha);

    /**
     * y[B,C] = softmax(x[B,C]) per row, numerically stable.
     *
     * @param y       address of the output (overwritten)
     * @param x       address of the input
     * @param batch   rows B
     * @param classes columns C per row
     * @return {@link Status#OK} or a {@code Status.ERR_*} code
     */
    public static native int tg_softmax_forward(@Cast("float*") long y, @Cast("const float*") long x, int batch, int classes);

    /**
     * dx[B,C] = y * (dy - sum_c dy y) per row.
     *
     * @param dx      address of the input gradient (overwritten), or 0 where the description allows
     * @param dy      address of the output gradient
     * @param y       address of the output (overwritten)
     * @param batch   rows B
     * @param classes columns C per row
     * @return {@link Status#OK} or a {@code Status.ERR_*} code
     */
    public static native int tg_softmax_backward(@Cast("float*") long dx, @Cast("const float*") long dy,
                                                 @Cast("const float*") long y, int batch, int classes);

    /**
     * Layer normalisation per row of x[B,D] (biased variance); mean[B] and rstd[B] saved for the backward pass.
     *
     * @param y     address of the output (overwritten)
     * @param mean  address of the row means, batch floats (0 = not saved, forward only)
     * @param rstd  address of the reciprocal standard deviations, batch floats (0 = not saved, forward only)
     * @param x     address of the input
     * @param gamma address of the scale, dim floats
     * @param beta  address of the shift, dim floats, or 0 for none
     * @param batch rows B
     * @param dim   features D per row
     * @param eps   added to the variance before the square root
     * @return {@link Status#OK} or a {@code Status.ERR_*} code
     */
    public static native int tg_layernorm_forward(@Cast("float*") long y, @Cast("float*") long mean, @Cast("float*") long rstd,
                                                  @Cast("const float*") long x, @Cast("const float*") long gamma,
                                                  @Cast("const float*") long beta, int batch, int dim, float eps);

    /**
     * Layer normalisation's backward: dx[B,D] overwritten, dgamma[D] and dbeta[D] accumulated.
     *
     * @param dx     address of the input gradient (overwritten), or 0 where the description allows
     * @param dgamma address of the scale gradient, dim floats (accumulated), or 0
     * @param dbeta  address of the shift gradient, dim floats (accumulated), or 0
     * @param dy     address of the output gradient
     * @param x      address of the input
     * @param mean   address of the row means saved by the forward pass, batch floats
     * @param rstd   address of the reciprocal standard deviations saved by the forward pass, batch floats
     * @param gamma  address of the scale, dim floats
     * @param batch  rows B
     * @param dim    features D per row
     * @return {@link Status#OK} or a {@code Status.ERR_*} code
     */
    public static native int tg_layernorm_backward(@Cast("float*") long dx, @Cast("float*") long dgamma, @Cast("float*") long dbeta,
                                                   @Cast("const float*") long dy, @Cast("const float*") long x,
                                                   @Cast("const float*") long mean, @Cast("const float*") long rstd,
                                                   @Cast("const float*") long gamma, int batch, int dim);

    /**
     * Inverted dropout over n floats with the counter-based mask of {@code io.tickgrad.nn.DropoutMask}.
     *
     * @param y    address of the output (overwritten)
     * @param mask address of the dropout mask, n floats (written forward, read backward)
     * @param x    address of the input
     * @param n    number of floats
     * @param rate the drop probability, in [0, 1)
     * @param seed the mask's seed
     * @return {@link Status#OK} or a {@code Status.ERR_*} code
     */
    public static native int tg_dropout_forward(@Cast("float*") long y, @Cast("float*") long mask, @Cast("const float*") long x,
                                                long n, float rate, long seed);

    /**
     * dx = dy * mask over n floats.
     *
     * @param dx   address of the input gradient (overwritten), or 0 where the description allows
     * @param dy   address of the output gradient
     * @param mask address of the dropout mask, n floats (written forward, read backward)
     * @param n    number of floats
     * @return {@link Status#OK} or a {@code Status.ERR_*} code
     */
    public static native int tg_dropout_backward(@Cast("float*") long dx, @Cast("const float*") long dy,
                                                 @Cast("const float*") long mask, long n);

    /**
     * A loss, the mean over the batch of the per-sample loss (summed over the columns); see {@code Backend#loss}.
     *
     * @param grad    address of d loss / d pred, batch x cols floats (overwritten), or 0 to skip
     * @param loss    address of one float that receives the mean loss
     * @param pred    address of the predictions, batch x cols floats
     * @param target  address of the targets, batch x cols floats
     * @param weights address of per-sample weights, batch floats, or 0 for all 1
     * @param batch   rows B
     * @param cols    columns C per row
     * @param kind    the loss, an {@code Abi.LOSS_*} code
     * @param param   the loss's parameter (Huber's delta, the BCE probability clip)
     * @return {@link Status#OK} or a {@code Status.ERR_*} code
     */
    public static native int tg_loss(@Cast("float*") long grad, @Cast("float*") long loss, @Cast("const float*") long pred,
                                     @Cast("const float*") long target, @Cast("const float*") long weights,
                                     int batch, int cols, int kind, float param);

    /**
     * A loss as PyTorch weighs it, sum_b s_b loss_b / sum_b s_b r_b; see {@code Backend#weightedLoss}.
     *
     * @param grad          address of d loss / d pred, batch x cols floats (overwritten), or 0 to skip
     * @param loss          address of one float that receives the weighted mean loss
     * @param pred          address of the predictions, batch x cols floats
     * @param target        address of the targets, batch x cols floats
     * @param sampleWeights address of per-sample weights, batch floats, or 0 for all 1
     * @param columnWeights address of class or positive-class weights, cols floats, or 0
     * @param batch         rows B
     * @param cols          columns C per row
     * @param kind          the loss, an {@code Abi.LOSS_*} code
     * @param param         the loss's parameter (Huber's delta, the BCE probability clip)
     * @return {@link Status#OK} or a {@code Status.ERR_*} code
     */
    public static native int tg_loss_weighted(@Cast("float*") long grad, @Cast("float*") long loss,
                                              @Cast("const float*") long pred, @Cast("const float*") long target,
                                              @Cast("const float*") long sampleWeights,
                                              @Cast("const float*") long columnWeights, int batch, int cols, int kind,
                                              float param);

    /**
     * One SGD step over n parameters in place (PyTorch semantics); see {@code Backend#sgdStep}.
     *
     * @param p           address of the parameters, n floats (updated in place)
     * @param velocity    address of the momentum buffer, n floats, or 0 when momentum is 0
     * @param g           address of the gradients, n floats
     * @param n           number of floats
     * @param lr          learning rate
     * @param momentum    momentum factor
     * @param weightDecay weight decay
     * @param nesterov    1 for Nesterov momentum, 0 otherwise
     * @return {@link Status#OK} or a {@code Status.ERR_*} code
     */
    public static native int tg_sgd_step(@Cast("float*") long p, @Cast("float*") long velocity, @Cast("const float*") long g,
                                         long n, float lr, float momentum, float weightDecay, int nesterov);

    /**
     * One Adam or AdamW step over n parameters in place; see {@code Backend#adamStep}.
     *
     * @param p           address of the parameters, n floats (updated in place)
     * @param m           address of the first moments, n floats (updated)
     * @param v           address of the second moments, n floats
     * @param g           address of the gradients, n floats
     * @param n           number of floats
     * @param lr          learning rate
     * @param beta1       decay of the first moment
     * @param beta2       decay of the second moment
     * @param eps         added to the denominator
     * @param weightDecay weight decay
     * @param t           the step number, from 1
     * @param decoupled   1 for AdamW, 0 for Adam with L2
     * @return {@link Status#OK} or a {@code Status.ERR_*} code
     */
    public static native int tg_adam_step(@Cast("float*") long p, @Cast("float*") long m, @Cast("float*") long v,
                                          @Cast("const float*") long g, long n, float lr, float beta1, float beta2,
                                          float eps, float weightDecay, long t, int decoupled);

    /**
     * Adds the sum of squares of n floats, accumulated in double, to {@code *out}.
     *
     * @param out address of one double, accumulated (+=)
     * @param x   address of the input
     * @param n   number of floats
     * @return {@link Status#OK} or a {@code Status.ERR_*} code
     */
    public static native int tg_sum_squares(@Cast("double*") long out, @Cast("const float*") long x, long n);

    /**
     * x *= s over n floats.
     *
     * @param x address of the input
     * @param n number of floats
     * @param s the factor
     * @return {@link Status#OK} or a {@code Status.ERR_*} code
     */
    public static native int tg_scale(@Cast("float*") long x, long n, float s);

    /**
     * Runs a whole forward plan (the predict path): each entry reads x[batch, in] and writes y[batch, out] at float
     * offsets into the activation slab.
     *
     * @param act    address of the activation slab
     * @param params address of the fp32 parameter slab
     * @param plan   address of the plan: nOps entries of {@link Abi#PLAN_WORDS} int64 words
     * @param nOps   number of plan entries
     * @param batch  rows B
     * @return {@link Status#OK} or a {@code Status.ERR_*} code
     */
    public static native int tg_plan_forward(@Cast("float*") long act, @Cast("const float*") long params,
                                             @Cast("const int64_t*") long plan, int nOps, int batch);

    // ---- reduced-precision inference ----

    /**
     * The reduced-precision features ({@code Abi.FEAT_*} bits) this CPU and OS support.
     *
     * @return the bits
     */
    public static native int tg_cpu_features();

    /**
     * The {@code Abi.FEAT_*} bits the reduced-precision kernels use now (supported, allowed, and only under AVX-512).
     *
     * @return the bits
     */
    public static native int tg_active_features();

    /**
     * Allows only these {@code Abi.FEAT_*} bits (tests compare code paths this way); global to the process.
     *
     * @param mask a bit set of {@code Abi.FEAT_*} to allow
     * @return {@link Status#OK}, or {@link Status#ERR_UNSUPPORTED} when a bit is not supported
     */
    public static native int tg_set_features(int mask);

    /**
     * Bytes of a dense layer's weights packed as bf16 ([ceil(I/2)][O][2] uint16).
     *
     * @param in  input features
     * @param out output features
     * @return bytes, or -1 for invalid sizes
     */
    public static native long tg_bf16_packed_bytes(int in, int out);

    /**
     * Bytes of a dense layer's weights packed as int8, with their per-channel scales and column sums.
     *
     * @param in  input features, at most 65536
     * @param out output features
     * @return bytes, or -1 for invalid sizes
     */
    public static native long tg_int8_packed_bytes(int in, int out);

    /**
     * Packs fp32 weights w[I,O] as bf16 (round to nearest even).
     *
     * @param packed address of the destination, {@link #tg_bf16_packed_bytes} bytes
     * @param w      address of the fp32 weights, in x out floats
     * @param in     input features I
     * @param out    output features O
     * @return {@link Status#OK} or a {@code Status.ERR_*} code
     */
    public static native int tg_quantize_bf16(@Cast("void*") long packed, @Cast("const float*") long w, int in, int out);

    /**
     * Packs fp32 weights w[I,O] as int8, quantised per output channel (scale = max |w| / 127).
     *
     * @param packed address of the destination, {@link #tg_int8_packed_bytes} bytes, 4-byte aligned
     * @param w      address of the fp32 weights, in x out floats
     * @param in     input features I
     * @param out    output features O
     * @return {@link Status#OK} or a {@code Status.ERR_*} code
     */
    public static native int tg_quantize_int8(@Cast("void*") long packed, @Cast("const float*") long w, int in, int out);

    /**
     * y[B,O] = x[B,I] W + bias with W packed as bf16; products summed in fp32.
     *
     * @param y      address of the output (overwritten)
     * @param x      address of the input
     * @param packed address of the weights packed by {@link #tg_quantize_bf16}
     * @param bias   address of the bias, out floats, or 0 for none
     * @param batch  rows B
     * @param in     input features I
     * @param out    output features O
     * @return {@link Status#OK} or a {@code Status.ERR_*} code
     */
    public static native int tg_dense_forward_bf16(@Cast("float*") long y, @Cast("const float*") long x,
                                                   @Cast("const void*") long packed, @Cast("const float*") long bias,
                                                   int batch, int in, int out);

    /**
     * y[B,O] = x[B,I] W + bias with W packed as int8 and each input row quantised on the fly; exact integer sums.
     *
     * @param y      address of the output (overwritten)
     * @param x      address of the input
     * @param packed address of the weights packed by {@link #tg_quantize_int8}
     * @param bias   address of the bias, out floats, or 0 for none
     * @param batch  rows B
     * @param in     input features I
     * @param out    output features O
     * @return {@link Status#OK} or a {@code Status.ERR_*} code
     */
    public static native int tg_dense_forward_int8(@Cast("float*") long y, @Cast("const float*") long x,
                                                   @Cast("const void*") long packed, @Cast("const float*") long bias,
                                                   int batch, int in, int out);

    /**
     * {@link #tg_plan_forward} whose reduced-precision dense entries read packed weights at byte offsets into
     * {@code qparams}.
     *
     * @param act     address of the activation slab
     * @param params  address of the fp32 parameter slab (biases, unpacked layers)
     * @param qparams address of the packed reduced-precision weights
     * @param plan    address of the plan: nOps entries of {@link Abi#PLAN_WORDS} int64 words
     * @param nOps    number of plan entries
     * @param batch   rows B
     * @return {@link Status#OK} or a {@code Status.ERR_*} code
     */
    public static native int tg_plan_forward_q(@Cast("float*") long act, @Cast("const float*") long params,
                                               @Cast("const void*") long qparams, @Cast("const int64_t*") long plan,
                                               int nOps, int batch);
}
