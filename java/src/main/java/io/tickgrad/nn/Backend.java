package io.tickgrad.nn;

/**
 * The compute seam: every op of the engine, on raw addresses of fp32 off-heap memory.
 *
 * <p>Semantics are exactly those of the matching function in native/include/tickgrad/tickgrad.h
 * (shapes, accumulation of parameter gradients, nullable pointers as address 0). Implementations:
 * the reference backend (Java, double-precision arithmetic, plain loops: the oracle) and the native
 * CPU backend (C++ through JavaCPP). Callers ({@link Network}, the trainer) validate every address
 * and size against the slabs they own before calling; a backend may assume valid arguments.
 *
 * <p>Addresses point to float32 values unless the name says otherwise. Methods must not allocate
 * on the Java heap after construction, so the hot path stays garbage-free.
 *
 * <p>Threads: the native CPU backend's forward and backward kernels may be called from several threads at once (the
 * inference and trainer threads of a session share one backend), each on its own outputs. The reference and CUDA
 * backends stage operands through scratch buffers of their own, so they serve one thread at a time. On every backend
 * {@link #loss}, {@link #weightedLoss} and {@link #sumSquares} return their result through a scratch buffer, so one
 * thread at a time trains on a backend. Memory: a backend owns only its own scratch (freed by {@link #close()});
 * every address it is given belongs to the caller. Close a backend after the last network using it; a network never
 * closes its backend.
 */
public interface Backend extends AutoCloseable {

    /**
     * A short name for reports and error messages.
     *
     * @return the backend and, for native ones, the instruction set in use: "reference", "native-avx512", ...
     */
    String name();

    /**
     * A dense layer's forward pass: y[B,O] = x[B,I] w[I,O] + bias[O], all row-major fp32.
     *
     * @param y     address of the output, batch x out floats (overwritten)
     * @param x     address of the input, batch x in floats
     * @param w     address of the weights, in x out floats (row-major: row i holds input i's weights)
     * @param bias  address of the bias, out floats, or 0 for no bias
     * @param batch rows B, at least 1
     * @param in    input features I, at least 1
     * @param out   output features O, at least 1
     */
    void denseForward(long y, long x, long w, long bias, int batch, int in, int out);

    /**
     * A dense layer's backward pass: dx[B,I] = dy w^T (overwritten), dw[I,O] += x^T dy and dbias[O] += the column
     * sums of dy (parameter gradients accumulate, so several batches can be summed before a step).
     *
     * @param dx    address of the input gradient, batch x in floats, overwritten; 0 skips it (the first layer)
     * @param dw    address of the weight gradient, in x out floats, accumulated; 0 skips it (a frozen layer)
     * @param dbias address of the bias gradient, out floats, accumulated; 0 skips it
     * @param dy    address of the output gradient, batch x out floats
     * @param x     address of the forward input, batch x in floats
     * @param w     address of the weights, in x out floats
     * @param batch rows B
     * @param in    input features I
     * @param out   output features O
     */
    void denseBackward(long dx, long dw, long dbias, long dy, long x, long w, int batch, int in, int out);

    /**
     * A dense layer and the activation after it: y[B,O] = x[B,I] w[I,O] + bias[O] (kept, the activation's input),
     * a[B,O] = f(y). Exactly {@link #denseForward} then {@link #activationForward}; a backend may do both in one pass.
     *
     * @param y     address of the pre-activation output, batch x out floats (overwritten, kept for the backward pass)
     * @param a     address of the activated output, batch x out floats (overwritten; may equal {@code y})
     * @param x     address of the input, batch x in floats
     * @param w     address of the weights, in x out floats
     * @param bias  address of the bias, out floats, or 0 for no bias
     * @param batch rows B
     * @param in    input features I
     * @param out   output features O
     * @param kind  the activation, an {@code Abi.ACT_*} code
     * @param alpha the activation's parameter (the negative slope of leaky ReLU; ignored by the others)
     */
    default void denseActivationForward(long y, long a, long x, long w, long bias, int batch, int in, int out, int kind,
                                        float alpha) {
        denseForward(y, x, w, bias, batch, in, out);
        activationForward(a, y, (long) batch * out, kind, alpha);
    }

    /**
     * A dense layer's backward whose input gradient continues through the activation before it (whose forward input
     * was actX and output actY, both [B,I]; actY is normally x): dx[B,I] = (dy w^T) * f'(actX), overwritten (not 0);
     * dw and dbias accumulate as in {@link #denseBackward} (0 = skip). Exactly {@link #denseBackward} then
     * {@link #activationBackward} in place on dx; a backend may do both in one pass.
     *
     * @param dx    address of the input gradient, batch x in floats, overwritten (must not be 0)
     * @param dw    address of the weight gradient, in x out floats, accumulated; 0 skips it
     * @param dbias address of the bias gradient, out floats, accumulated; 0 skips it
     * @param dy    address of the output gradient, batch x out floats
     * @param x     address of the forward input, batch x in floats
     * @param w     address of the weights, in x out floats
     * @param actX  address of the previous activation's forward input, batch x in floats
     * @param actY  address of the previous activation's forward output, batch x in floats (normally {@code x})
     * @param batch rows B
     * @param in    input features I
     * @param out   output features O
     * @param kind  the previous activation, an {@code Abi.ACT_*} code
     * @param alpha that activation's parameter (leaky ReLU's slope)
     */
    default void denseActivationBackward(long dx, long dw, long dbias, long dy, long x, long w, long actX, long actY,
                                         int batch, int in, int out, int kind, float alpha) {
        denseBackward(dx, dw, dbias, dy, x, w, batch, in, out);
        activationBackward(dx, dx, actX, actY, (long) batch * in, kind, alpha);
    }

    /**
     * An activation's forward pass, y = f(x) elementwise.
     *
     * @param y     address of the output, n floats (overwritten; may equal {@code x})
     * @param x     address of the input, n floats
     * @param n     number of floats
     * @param kind  the activation, an {@code Abi.ACT_*} code
     * @param alpha the activation's parameter (the negative slope of leaky ReLU; ignored by the others)
     */
    void activationForward(long y, long x, long n, int kind, float alpha);

    /**
     * An activation's backward pass, dx = dy * f'(x), elementwise.
     *
     * @param dx    address of the input gradient, n floats (overwritten; may equal {@code dy})
     * @param dy    address of the output gradient, n floats
     * @param x     address of the forward input, n floats
     * @param y     address of the forward output, n floats (sigmoid and tanh derive f' from it)
     * @param n     number of floats
     * @param kind  the activation, an {@code Abi.ACT_*} code
     * @param alpha the activation's parameter
     */
    void activationBackward(long dx, long dy, long x, long y, long n, int kind, float alpha);

    /**
     * Softmax over the last axis of each row, numerically stable (the row maximum is subtracted first).
     *
     * @param y       address of the probabilities, batch x classes floats (overwritten)
     * @param x       address of the logits, batch x classes floats
     * @param batch   rows
     * @param classes columns per row
     */
    void softmaxForward(long y, long x, int batch, int classes);

    /**
     * Softmax's backward pass per row: dx = y * (dy - sum_c dy y).
     *
     * @param dx      address of the input gradient, batch x classes floats (overwritten)
     * @param dy      address of the output gradient, batch x classes floats
     * @param y       address of the forward output (the probabilities), batch x classes floats
     * @param batch   rows
     * @param classes columns per row
     */
    void softmaxBackward(long dx, long dy, long y, int batch, int classes);

    /**
     * Layer normalisation over the last axis (biased variance, as Keras and PyTorch):
     * y = (x - mean) * rstd * gamma + beta per row.
     *
     * @param y     address of the output, batch x dim floats (overwritten)
     * @param mean  address of the row means, batch floats, written for the backward pass; 0 = not saved
     * @param rstd  address of the reciprocal standard deviations, batch floats, written; 0 = not saved
     * @param x     address of the input, batch x dim floats
     * @param gamma address of the scale, dim floats
     * @param beta  address of the shift, dim floats, or 0 for none
     * @param batch rows
     * @param dim   features per row
     * @param eps   added to the variance before the square root
     */
    void layerNormForward(long y, long mean, long rstd, long x, long gamma, long beta, int batch, int dim, float eps);

    /**
     * Layer normalisation's backward pass.
     *
     * @param dx     address of the input gradient, batch x dim floats (overwritten)
     * @param dgamma address of the scale gradient, dim floats, accumulated; 0 skips it
     * @param dbeta  address of the shift gradient, dim floats, accumulated; 0 skips it
     * @param dy     address of the output gradient, batch x dim floats
     * @param x      address of the forward input, batch x dim floats
     * @param mean   address of the row means saved by the forward pass, batch floats
     * @param rstd   address of the reciprocal standard deviations saved by the forward pass, batch floats
     * @param gamma  address of the scale, dim floats
     * @param batch  rows
     * @param dim    features per row
     */
    void layerNormBackward(long dx, long dgamma, long dbeta, long dy, long x, long mean, long rstd, long gamma,
                           int batch, int dim);

    /**
     * Inverted dropout: mask[i] = 0 with probability {@code rate}, else 1 / (1 - rate); y = x * mask. The
     * uniform draw per index comes from splitmix64(seed + i * golden ratio), so every backend produces the same mask
     * bit for bit (see tg_dropout_forward).
     *
     * @param y    address of the output, n floats (overwritten)
     * @param mask address of the mask, n floats (overwritten, kept for the backward pass)
     * @param x    address of the input, n floats
     * @param n    number of floats
     * @param rate the probability of dropping a value, in [0, 1)
     * @param seed the seed of this call's mask; a different seed per step gives a different mask
     */
    void dropoutForward(long y, long mask, long x, long n, float rate, long seed);

    /**
     * Dropout's backward pass: dx = dy * mask.
     *
     * @param dx   address of the input gradient, n floats (overwritten)
     * @param dy   address of the output gradient, n floats
     * @param mask address of the mask written by {@link #dropoutForward}, n floats
     * @param n    number of floats
     */
    void dropoutBackward(long dx, long dy, long mask, long n);

    /**
     * A loss, the mean over the batch of the per-sample loss (a per-sample loss sums over the columns), optionally
     * weighted per sample: loss = (1/B) sum_b w_b loss_b. Not safe for two threads at once on one backend: native
     * backends return the scalar through a scratch buffer of the backend.
     *
     * @param grad    address of d loss / d pred, batch x cols floats, overwritten; 0 skips it
     * @param pred    address of the predictions (logits or probabilities, by kind), batch x cols floats
     * @param target  address of the targets, batch x cols floats
     * @param weights address of per-sample weights, batch floats, or 0 for all 1
     * @param batch   rows B
     * @param cols    columns C per row
     * @param kind    the loss, an {@code Abi.LOSS_*} code
     * @param param   the loss's parameter: Huber's delta, the probability clip of BCE on probabilities (Keras 1e-7)
     * @return the loss, a mean over the batch
     */
    float loss(long grad, long pred, long target, long weights, int batch, int cols, int kind, float param);

    /**
     * The weighted mean of the per-sample losses, as PyTorch weighs them (see tg_loss_weighted): loss =
     * sum_b s_b loss_b / sum_b s_b r_b, with sampleWeights[B] s (0 = all 1) and columnWeights[C] (0 = none): the
     * class weights of softmax cross-entropy (r_b = sum_c cw_c t_c, the target's weight) or the positive-class
     * weights of binary cross-entropy on logits (inside loss_b; r_b = 1). A batch without weight gives 0 and a zero
     * gradient. grad (0 = skip) is overwritten with d loss / d pred. Callers check every weight is finite and >= 0.
     * One thread at a time per backend, as {@link #loss}.
     *
     * @param grad          address of d loss / d pred, batch x cols floats, overwritten; 0 skips it
     * @param pred          address of the predictions, batch x cols floats
     * @param target        address of the targets, batch x cols floats
     * @param sampleWeights address of per-sample weights, batch floats, or 0 for all 1
     * @param columnWeights address of class or positive-class weights, cols floats, or 0 for none (only for
     *                      softmax cross-entropy and binary cross-entropy on logits)
     * @param batch         rows B
     * @param cols          columns C per row
     * @param kind          the loss, an {@code Abi.LOSS_*} code
     * @param param         the loss's parameter, as for {@link #loss}
     * @return the weighted mean loss, 0 when the batch carries no weight
     */
    float weightedLoss(long grad, long pred, long target, long sampleWeights, long columnWeights, int batch, int cols,
                       int kind, float param);

    /**
     * One SGD step over n parameters in place, with PyTorch's semantics: g' = g + wd p; with momentum
     * v = momentum v + g' and g' = nesterov ? g' + momentum v : v; then p -= lr g'.
     *
     * @param p           address of the parameters, n floats (updated in place)
     * @param velocity    address of the momentum buffer, n floats (updated); may be 0 when momentum is 0
     * @param g           address of the gradients, n floats
     * @param n           number of parameters
     * @param lr          learning rate
     * @param momentum    momentum factor, 0 for plain SGD
     * @param weightDecay L2 weight decay added to the gradient
     * @param nesterov    whether to use Nesterov momentum
     */
    void sgdStep(long p, long velocity, long g, long n, float lr, float momentum, float weightDecay, boolean nesterov);

    /**
     * One Adam or AdamW step over n parameters in place (see tg_adam_step): m and v are the moving averages of the
     * gradient and its square, bias-corrected by 1 - beta^t; p -= lr mhat / (sqrt(vhat) + eps).
     *
     * @param p           address of the parameters, n floats (updated in place)
     * @param m           address of the first moments, n floats (updated)
     * @param v           address of the second moments, n floats (updated)
     * @param g           address of the gradients, n floats
     * @param n           number of parameters
     * @param lr          learning rate
     * @param beta1       decay of the first moment (0.9 by default)
     * @param beta2       decay of the second moment (0.999 by default)
     * @param eps         added to the denominator
     * @param weightDecay L2 decay added to the gradient (Adam) or applied to p directly (AdamW)
     * @param t           the step number, from 1, for the bias correction
     * @param decoupled   true for AdamW (decoupled weight decay), false for Adam with L2
     */
    void adamStep(long p, long m, long v, long g, long n, float lr, float beta1, float beta2, float eps,
                  float weightDecay, long t, boolean decoupled);

    /**
     * The sum of squares of n floats, accumulated in double (for global gradient-norm clipping). One thread at a time
     * per backend, as {@link #loss}.
     *
     * @param x address of the floats
     * @param n number of floats
     * @return the sum of x[i]^2
     */
    double sumSquares(long x, long n);

    /**
     * Scales n floats in place: x *= s.
     *
     * @param x address of the floats
     * @param n number of floats
     * @param s the factor
     */
    void scale(long x, long n, float s);

    /**
     * Runs a whole forward plan (see tg_plan_forward) in one call: the predict path of {@link Network}.
     *
     * @param act    address of the activation slab; every op reads and writes at float offsets into it
     * @param params address of the parameter slab; ops read weights at float offsets into it
     * @param plan   address of the plan, nOps entries of {@code Abi.PLAN_WORDS} int64 words, validated by the caller
     * @param nOps   number of entries
     * @param batch  rows of every op's input and output
     */
    void planForward(long act, long params, long plan, int nOps, int batch);

    /**
     * Whether two threads may run forward and backward kernels on this backend at once, each on its own outputs (the
     * inference and trainer threads of a serving session with online learning share one backend).
     *
     * @return true for the native CPU backend; false (the default) for backends that stage operands through scratch
     *         buffers of their own and serve one thread at a time
     */
    default boolean concurrentKernels() {
        return false;
    }

    /**
     * Whether {@link #planForwardQuantized} runs dense weights at {@code precision} on this backend and CPU.
     *
     * @param precision the weight precision asked for
     * @return true when supported; fp32 is always supported
     */
    default boolean supportsPrecision(Precision precision) {
        return precision == Precision.FP32;
    }

    /**
     * The size of a dense layer's weights once packed.
     *
     * @param precision the weight precision
     * @param in        input features of the layer
     * @param out       output features of the layer
     * @return bytes of the packed in x out weights (with their scales), or -1 when they cannot be packed
     * @throws UnsupportedOperationException when the backend has no reduced-precision weights
     */
    default long packedWeightBytes(Precision precision, int in, int out) {
        throw new UnsupportedOperationException(name() + " has no reduced-precision weights");
    }

    /**
     * Packs a dense layer's fp32 weights at a reduced precision, in the layout {@link #planForwardQuantized} reads.
     *
     * @param precision the weight precision
     * @param packed    address of the destination, {@link #packedWeightBytes} bytes owned by the caller
     * @param w         address of the fp32 weights, in x out floats, row-major
     * @param in        input features
     * @param out       output features
     * @throws UnsupportedOperationException when the backend has no reduced-precision weights
     */
    default void packWeights(Precision precision, long packed, long w, int in, int out) {
        throw new UnsupportedOperationException(name() + " has no reduced-precision weights");
    }

    /**
     * Runs a forward plan whose dense entries read packed reduced-precision weights (see tg_plan_forward_q in
     * tickgrad.h).
     *
     * @param act    address of the activation slab
     * @param params address of the fp32 parameter slab (biases, layer-norm parameters, unpacked layers)
     * @param packed address of the packed weights; the plan's reduced-precision entries hold byte offsets into it
     * @param plan   address of the plan, nOps entries of {@code Abi.PLAN_WORDS} int64 words
     * @param nOps   number of entries
     * @param batch  rows
     * @throws UnsupportedOperationException when the backend has no reduced-precision weights
     */
    default void planForwardQuantized(long act, long params, long packed, long plan, int nOps, int batch) {
        throw new UnsupportedOperationException(name() + " has no reduced-precision weights");
    }

    /** Releases native resources held by the backend itself; a second call is harmless. */
    @Override
    void close();
}
