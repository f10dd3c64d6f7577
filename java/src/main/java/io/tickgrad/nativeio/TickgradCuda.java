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

    public static final int CUDA_ABI_VERSION = 2;
    public static final int CUDA_ERR_RUNTIME = 20;
    public static final int CUDA_ERR_NO_DEVICE = 21;
    public static final int CUDA_ERR_NOT_BUILT = 22;
    public static final int CUDA_MATMUL_FP32 = 0;
    public static final int CUDA_MATMUL_TF32 = 1;
    public static final int CUDA_OPT_SGD = 1;
    public static final int CUDA_OPT_ADAM = 2;
    public static final int CUDA_OPT_ADAMW = 3;
    public static final int CUDA_MLP_FUSED_MAX_WIDTH = 1024;
    public static final int CUDA_MLP_MAX_LAYERS = 64;
    public static final int CUDA_MLP_LAYERED = 0;
    public static final int CUDA_MLP_FUSED_BLOCK = 1;
    public static final int CUDA_MLP_FUSED_CLUSTER = 2;

    public static native int tg_cuda_abi_version();

    public static native int tg_cuda_built();

    public static native int tg_cuda_device_count();

    public static native int tg_cuda_last_error();

    public static native @Cast("const char*") BytePointer tg_cuda_error_string(int cudaError);

    public static native int tg_cuda_set_device(int device);

    public static native int tg_cuda_device_info(
        @Cast("char*") long name, int nameLen, @Cast("int64_t*") long info, int device);

    public static native int tg_cuda_set_matmul_precision(int precision);

    public static native int tg_cuda_matmul_precision();

    public static native int tg_cuda_set_gemm_tile(int tile);

    public static native int tg_cuda_synchronize();

    public static native long tg_cuda_malloc(long bytes);

    public static native int tg_cuda_free(long devicePtr);

    public static native long tg_cuda_host_alloc(long bytes);

    public static native int tg_cuda_host_free(long hostPtr);

    public static native int tg_cuda_memcpy(long dst, long src, long bytes, long stream);

    public static native int tg_cuda_memset(long devicePtr, int value, long bytes, long stream);

    public static native long tg_cuda_stream_create();

    public static native int tg_cuda_stream_destroy(long stream);

    public static native int tg_cuda_stream_synchronize(long stream);

    public static native int tg_cuda_sgemm(
        @Cast("float*") long c, @Cast("const float*") long a, @Cast("const float*") long b, int m, int n, int k, int transA, int transB, float alpha, float beta, int lda, int ldb, int ldc, long stream);

    public static native int tg_cuda_dense_forward(
        @Cast("float*") long y, @Cast("const float*") long x, @Cast("const float*") long w, @Cast("const float*") long bias, int batch, int in, int out, long stream);

    public static native int tg_cuda_dense_backward(
        @Cast("float*") long dx, @Cast("float*") long dw, @Cast("float*") long dbias, @Cast("const float*") long dy, @Cast("const float*") long x, @Cast("const float*") long w, int batch, int in, int out, long stream);

    public static native int tg_cuda_activation_forward(
        @Cast("float*") long y, @Cast("const float*") long x, long n, int kind, float alpha, long stream);

    public static native int tg_cuda_activation_backward(
        @Cast("float*") long dx, @Cast("const float*") long dy, @Cast("const float*") long x, @Cast("const float*") long y, long n, int kind, float alpha, long stream);

    public static native int tg_cuda_softmax_forward(
        @Cast("float*") long y, @Cast("const float*") long x, int batch, int classes, long stream);

    public static native int tg_cuda_softmax_backward(
        @Cast("float*") long dx, @Cast("const float*") long dy, @Cast("const float*") long y, int batch, int classes, long stream);

    public static native int tg_cuda_layernorm_forward(
        @Cast("float*") long y, @Cast("float*") long mean, @Cast("float*") long rstd, @Cast("const float*") long x, @Cast("const float*") long gamma, @Cast("const float*") long beta, int batch, int dim, float eps, long stream);

    public static native int tg_cuda_layernorm_backward(
        @Cast("float*") long dx, @Cast("float*") long dgamma, @Cast("float*") long dbeta, @Cast("const float*") long dy, @Cast("const float*") long x, @Cast("const float*") long mean, @Cast("const float*") long rstd, @Cast("const float*") long gamma, int batch, int dim, long stream);

    public static native int tg_cuda_dropout_forward(
        @Cast("float*") long y, @Cast("float*") long mask, @Cast("const float*") long x, long n, float rate, long seed, long stream);

    public static native int tg_cuda_dropout_backward(
        @Cast("float*") long dx, @Cast("const float*") long dy, @Cast("const float*") long mask, long n, long stream);

    public static native int tg_cuda_loss(
        @Cast("float*") long grad, @Cast("float*") long loss, @Cast("const float*") long pred, @Cast("const float*") long target, @Cast("const float*") long weights, int batch, int cols, int kind, float param, long stream);

    public static native int tg_cuda_sgd_step(
        @Cast("float*") long p, @Cast("float*") long velocity, @Cast("const float*") long g, long n, float lr, float momentum, float weightDecay, int nesterov, long stream);

    public static native int tg_cuda_adam_step(
        @Cast("float*") long p, @Cast("float*") long m, @Cast("float*") long v, @Cast("const float*") long g, long n, float lr, float beta1, float beta2, float eps, float weightDecay, long t, int decoupled, long stream);

    public static native int tg_cuda_sum_squares(
        @Cast("double*") long out, @Cast("const float*") long x, long n, long stream);

    public static native int tg_cuda_scale(@Cast("float*") long x, long n, float s, long stream);

    public static native int tg_cuda_plan_forward(
        @Cast("float*") long act, @Cast("const float*") long params, @Cast("const int64_t*") long plan, int nOps, int batch, long stream);

    public static native int tg_cuda_mlp_layout(
        @Cast("int64_t*") long outOffsets, @Cast("const int32_t*") long dims, int nLayers, @Cast("const int64_t*") long offsets, long paramFloats);

    public static native int tg_cuda_mlp_create(
        @Cast("int64_t*") long outHandle, @Cast("const int32_t*") long dims, int nLayers, @Cast("const int64_t*") long offsets, long paramFloats, int hiddenAct, int outSoftmax, int inferBatch, int trainBatch, int lossKind, float lossParam, int optimizer, @Cast("const float*") long optParams);

    public static native int tg_cuda_mlp_destroy(long handle);

    public static native long tg_cuda_mlp_param_count(long handle);

    public static native int tg_cuda_mlp_set_params(long handle, @Cast("const float*") long hostParams, long count);

    public static native int tg_cuda_mlp_get_params(long handle, @Cast("float*") long hostParams, long count);

    public static native long tg_cuda_mlp_infer_input(long handle);

    public static native long tg_cuda_mlp_infer_output(long handle);

    public static native long tg_cuda_mlp_train_input(long handle);

    public static native long tg_cuda_mlp_train_target(long handle);

    public static native int tg_cuda_mlp_set_fused(long handle, int fused);

    public static native int tg_cuda_mlp_set_graphs(long handle, int useGraphs);

    public static native int tg_cuda_mlp_set_train_copy(long handle, int copyInputs);

    public static native int tg_cuda_mlp_set_trainable(long handle, @Cast("const int32_t*") long trainable);

    public static native int tg_cuda_mlp_predict(long handle);

    public static native int tg_cuda_mlp_train_step(long handle, @Cast("float*") long lossOut);

    public static native int tg_cuda_mlp_train_step_async(long handle);

    public static native int tg_cuda_mlp_train_wait(long handle, @Cast("float*") long lossOut);

    public static native int tg_cuda_mlp_publish(long handle);
}
