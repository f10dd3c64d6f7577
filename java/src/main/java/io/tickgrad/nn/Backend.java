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
 */
public interface Backend extends AutoCloseable {

    /** A short name for reports: "reference", "native-avx512", ... */
    String name();

    /** y[B,O] = x[B,I] w[I,O] + bias[O] (bias address 0 = no bias). */
    void denseForward(long y, long x, long w, long bias, int batch, int in, int out);

    /** dx[B,I] = dy w^T (overwritten; 0 = skip); dw[I,O] += x^T dy (0 = skip); dbias[O] += sum dy (0 = skip). */
    void denseBackward(long dx, long dw, long dbias, long dy, long x, long w, int batch, int in, int out);

    /**
     * A dense layer and the activation after it: y[B,O] = x[B,I] w[I,O] + bias[O] (kept, the activation's input),
     * a[B,O] = f(y). Exactly {@link #denseForward} then {@link #activationForward}; a backend may do both in one pass.
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
     */
    default void denseActivationBackward(long dx, long dw, long dbias, long dy, long x, long w, long actX, long actY,
                                         int batch, int in, int out, int kind, float alpha) {
        denseBackward(dx, dw, dbias, dy, x, w, batch, in, out);
        activationBackward(dx, dx, actX, actY, (long) batch * in, kind, alpha);
    }

    /** y = f(x) elementwise over n values; kind is an {@code Abi.ACT_*} code. */
    void activationForward(long y, long x, long n, int kind, float alpha);

    /** dx = dy * f'(x), given the forward input x and output y. */
    void activationBackward(long dx, long dy, long x, long y, long n, int kind, float alpha);

    void softmaxForward(long y, long x, int batch, int classes);

    void softmaxBackward(long dx, long dy, long y, int batch, int classes);

    /** mean and rstd (each [B], 0 = not saved) are written for the backward pass. */
    void layerNormForward(long y, long mean, long rstd, long x, long gamma, long beta, int batch, int dim, float eps);

    void layerNormBackward(long dx, long dgamma, long dbeta, long dy, long x, long mean, long rstd, long gamma,
                           int batch, int dim);

    void dropoutForward(long y, long mask, long x, long n, float rate, long seed);

    void dropoutBackward(long dx, long dy, long mask, long n);

    /** Returns the loss (mean over the batch); grad (0 = skip) is overwritten with d loss / d pred. */
    float loss(long grad, long pred, long target, long weights, int batch, int cols, int kind, float param);

    /**
     * The weighted mean of the per-sample losses, as PyTorch weighs them (see tg_loss_weighted): loss =
     * sum_b s_b loss_b / sum_b s_b r_b, with sampleWeights[B] s (0 = all 1) and columnWeights[C] (0 = none): the
     * class weights of softmax cross-entropy (r_b = sum_c cw_c t_c, the target's weight) or the positive-class
     * weights of binary cross-entropy on logits (inside loss_b; r_b = 1). A batch without weight gives 0 and a zero
     * gradient. grad (0 = skip) is overwritten with d loss / d pred. Callers check every weight is finite and >= 0.
     */
    float weightedLoss(long grad, long pred, long target, long sampleWeights, long columnWeights, int batch, int cols,
                       int kind, float param);

    void sgdStep(long p, long velocity, long g, long n, float lr, float momentum, float weightDecay, boolean nesterov);

    void adamStep(long p, long m, long v, long g, long n, float lr, float beta1, float beta2, float eps,
                  float weightDecay, long t, boolean decoupled);

    /** Sum of squares of n floats, accumulated in double. */
    double sumSquares(long x, long n);

    /** x *= s over n floats. */
    void scale(long x, long n, float s);

    /** Runs a whole forward plan (see tg_plan_forward) in one call. */
    void planForward(long act, long params, long plan, int nOps, int batch);

    /** Whether {@link #planForwardQuantized} runs dense weights at {@code precision} (fp32 always). */
    default boolean supportsPrecision(Precision precision) {
        return precision == Precision.FP32;
    }

    /** Bytes of a dense layer's [in, out] weights packed at {@code precision}, or -1 when it cannot be packed. */
    default long packedWeightBytes(Precision precision, int in, int out) {
        throw new UnsupportedOperationException(name() + " has no reduced-precision weights");
    }

    /** Packs fp32 weights w[in, out] at {@code precision} into {@code packed} ({@link #packedWeightBytes} bytes). */
    default void packWeights(Precision precision, long packed, long w, int in, int out) {
        throw new UnsupportedOperationException(name() + " has no reduced-precision weights");
    }

    /** Runs a forward plan whose dense entries read packed reduced-precision weights from {@code packed}. */
    default void planForwardQuantized(long act, long params, long packed, long plan, int nOps, int batch) {
        throw new UnsupportedOperationException(name() + " has no reduced-precision weights");
    }

    /** Releases native resources held by the backend itself; a second call is harmless. */
    @Override
    void close();
}
