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

    public static native int tg_abi_version();

    public static native int tg_cpu_isa();

    public static native int tg_active_isa();

    public static native int tg_set_isa(int isa);

    public static native int tg_set_num_threads(int n);

    public static native int tg_num_threads();

    public static native long tg_alloc(long bytes);

    public static native int tg_free(long address);

    public static native long tg_allocated_bytes();

    public static native int tg_file_reserve(String path, long offset, long length);

    public static native int tg_sgemm(@Cast("float*") long c, @Cast("const float*") long a, @Cast("const float*") long b,
                                      int m, int n, int k, int transA, int transB,
                                      float alpha, float beta, int lda, int ldb, int ldc);

    public static native int tg_dense_forward(@Cast("float*") long y, @Cast("const float*") long x,
                                              @Cast("const float*") long w, @Cast("const float*") long bias,
                                              int batch, int in, int out);

    public static native int tg_dense_backward(@Cast("float*") long dx, @Cast("float*") long dw, @Cast("float*") long dbias,
                                               @Cast("const float*") long dy, @Cast("const float*") long x,
                                               @Cast("const float*") long w, int batch, int in, int out);

    public static native int tg_dense_forward_act(@Cast("float*") long y, @Cast("float*") long a,
                                                  @Cast("const float*") long x, @Cast("const float*") long w,
                                                  @Cast("const float*") long bias, int batch, int in, int out,
                                                  int kind, float alpha);

    public static native int tg_dense_backward_act(@Cast("float*") long dx, @Cast("float*") long dw,
                                                   @Cast("float*") long dbias, @Cast("const float*") long dy,
                                                   @Cast("const float*") long x, @Cast("const float*") long w,
                                                   @Cast("const float*") long actX, @Cast("const float*") long actY,
                                                   int batch, int in, int out, int kind, float alpha);

    public static native int tg_activation_forward(@Cast("float*") long y, @Cast("const float*") long x,
                                                   long n, int kind, float alpha);

    public static native int tg_activation_backward(@Cast("float*") long dx, @Cast("const float*") long dy,
                                                    @Cast("const float*") long x, @Cast("const float*") long y,
                                                    long n, int kind, float alpha);

    public static native int tg_softmax_forward(@Cast("float*") long y, @Cast("const float*") long x, int batch, int classes);

    public static native int tg_softmax_backward(@Cast("float*") long dx, @Cast("const float*") long dy,
                                                 @Cast("const float*") long y, int batch, int classes);

    public static native int tg_layernorm_forward(@Cast("float*") long y, @Cast("float*") long mean, @Cast("float*") long rstd,
                                                  @Cast("const float*") long x, @Cast("const float*") long gamma,
                                                  @Cast("const float*") long beta, int batch, int dim, float eps);

    public static native int tg_layernorm_backward(@Cast("float*") long dx, @Cast("float*") long dgamma, @Cast("float*") long dbeta,
                                                   @Cast("const float*") long dy, @Cast("const float*") long x,
                                                   @Cast("const float*") long mean, @Cast("const float*") long rstd,
                                                   @Cast("const float*") long gamma, int batch, int dim);

    public static native int tg_dropout_forward(@Cast("float*") long y, @Cast("float*") long mask, @Cast("const float*") long x,
                                                long n, float rate, long seed);

    public static native int tg_dropout_backward(@Cast("float*") long dx, @Cast("const float*") long dy,
                                                 @Cast("const float*") long mask, long n);

    public static native int tg_loss(@Cast("float*") long grad, @Cast("float*") long loss, @Cast("const float*") long pred,
                                     @Cast("const float*") long target, @Cast("const float*") long weights,
                                     int batch, int cols, int kind, float param);

    public static native int tg_loss_weighted(@Cast("float*") long grad, @Cast("float*") long loss,
                                              @Cast("const float*") long pred, @Cast("const float*") long target,
                                              @Cast("const float*") long sampleWeights,
                                              @Cast("const float*") long columnWeights, int batch, int cols, int kind,
                                              float param);

    public static native int tg_sgd_step(@Cast("float*") long p, @Cast("float*") long velocity, @Cast("const float*") long g,
                                         long n, float lr, float momentum, float weightDecay, int nesterov);

    public static native int tg_adam_step(@Cast("float*") long p, @Cast("float*") long m, @Cast("float*") long v,
                                          @Cast("const float*") long g, long n, float lr, float beta1, float beta2,
                                          float eps, float weightDecay, long t, int decoupled);

    public static native int tg_sum_squares(@Cast("double*") long out, @Cast("const float*") long x, long n);

    public static native int tg_scale(@Cast("float*") long x, long n, float s);

    public static native int tg_plan_forward(@Cast("float*") long act, @Cast("const float*") long params,
                                             @Cast("const int64_t*") long plan, int nOps, int batch);

    // ---- reduced-precision inference ----

    public static native int tg_cpu_features();

    public static native int tg_active_features();

    public static native int tg_set_features(int mask);

    public static native long tg_bf16_packed_bytes(int in, int out);

    public static native long tg_int8_packed_bytes(int in, int out);

    public static native int tg_quantize_bf16(@Cast("void*") long packed, @Cast("const float*") long w, int in, int out);

    public static native int tg_quantize_int8(@Cast("void*") long packed, @Cast("const float*") long w, int in, int out);

    public static native int tg_dense_forward_bf16(@Cast("float*") long y, @Cast("const float*") long x,
                                                   @Cast("const void*") long packed, @Cast("const float*") long bias,
                                                   int batch, int in, int out);

    public static native int tg_dense_forward_int8(@Cast("float*") long y, @Cast("const float*") long x,
                                                   @Cast("const void*") long packed, @Cast("const float*") long bias,
                                                   int batch, int in, int out);

    public static native int tg_plan_forward_q(@Cast("float*") long act, @Cast("const float*") long params,
                                               @Cast("const void*") long qparams, @Cast("const int64_t*") long plan,
                                               int nOps, int batch);
}
