/*
 * tickgrad_cuda.h: the flat C ABI of tickgrad's CUDA kernels (library tickgrad_cuda).
 *
 * The same functions as tickgrad.h, computed on the GPU. Conventions are those of tickgrad.h with these
 * additions:
 *  - Device and pinned-host addresses cross the boundary as int64; streams, graphs and networks as int64
 *    handles (0 = the legacy default stream for a stream argument).
 *  - Every op is asynchronous on the stream it is given and returns a status code: TG_OK, a TG_ERR_* of
 *    tickgrad.h (checked before anything is launched), or TG_CUDA_ERR_RUNTIME when the CUDA runtime refused
 *    a call (tg_cuda_last_error() then holds the cudaError_t value).
 *  - Parameter gradients ACCUMULATE (+=); input gradients are OVERWRITTEN; as on the CPU.
 *  - The library links the CUDA runtime statically: it loads on a machine without a GPU or driver, where
 *    tg_cuda_device_count() returns 0. A build without nvcc produces a stub with the same symbols whose
 *    tg_cuda_built() returns 0 and whose functions return TG_CUDA_ERR_NOT_BUILT.
 *  - Nothing here is bound by the CPU library; libtickgrad never depends on libtickgrad_cuda.
 */
#ifndef TICKGRAD_CUDA_H
#define TICKGRAD_CUDA_H

#include <stdint.h>
#include "tickgrad.h"  /* status codes, TG_ACT_*, TG_LOSS_*, TG_OP_*, TG_PLAN_WORDS */

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#  define TG_CUDA_API __declspec(dllexport)
#else
#  define TG_CUDA_API __attribute__((visibility("default")))
#endif

#define TG_CUDA_ABI_VERSION 2  /* 2: the runner takes its parameter layout from the caller */

/* status codes beyond those of tickgrad.h (0..5) */
#define TG_CUDA_ERR_RUNTIME    20  /* a CUDA runtime call failed; see tg_cuda_last_error() */
#define TG_CUDA_ERR_NO_DEVICE  21  /* no usable GPU */
#define TG_CUDA_ERR_NOT_BUILT  22  /* this is the stub library built without nvcc */

/* matrix precision (tg_cuda_set_matmul_precision) */
#define TG_CUDA_MATMUL_FP32 0      /* plain fp32 FMA SGEMM (default): same function as the CPU up to summation order */
#define TG_CUDA_MATMUL_TF32 1      /* tensor cores, inputs rounded to TF32 (10-bit mantissa), fp32 accumulate; sm_80+ */

/* ---- library and devices ---- */
TG_CUDA_API int32_t tg_cuda_abi_version(void);
TG_CUDA_API int32_t tg_cuda_built(void);               /* 1 for the CUDA build, 0 for the stub */
TG_CUDA_API int32_t tg_cuda_device_count(void);        /* 0 without a driver or GPU (never fails) */
TG_CUDA_API int32_t tg_cuda_last_error(void);          /* cudaError_t of the last failed runtime call of this thread */
TG_CUDA_API const char* tg_cuda_error_string(int32_t cuda_error);  /* static text, never null */
TG_CUDA_API int32_t tg_cuda_set_device(int32_t device);
/* name: out buffer of name_len bytes (NUL-terminated); info[8] int64 out: total global memory bytes, free bytes,
 * multiprocessors, compute capability major, minor, L2 bytes, shared memory per block (opt-in) bytes, clock kHz */
TG_CUDA_API int32_t tg_cuda_device_info(char* name, int32_t name_len, int64_t* info, int32_t device);
TG_CUDA_API int32_t tg_cuda_set_matmul_precision(int32_t precision);
TG_CUDA_API int32_t tg_cuda_matmul_precision(void);
/* fp32 SGEMM block tile: 0 = chosen per shape (default), 64 = 64x64 tiles (4x4 per thread), 128 = 128x128 tiles
 * (8x8 per thread); for tuning on a new GPU (cuda_harness --bench reports GFLOP/s of each) */
TG_CUDA_API int32_t tg_cuda_set_gemm_tile(int32_t tile);
TG_CUDA_API int32_t tg_cuda_synchronize(void);         /* whole device */

/* ---- memory ---- */
TG_CUDA_API int64_t tg_cuda_malloc(int64_t bytes);     /* device; 0 on failure; zeroed */
TG_CUDA_API int32_t tg_cuda_free(int64_t device_ptr);  /* 0 is ignored */
TG_CUDA_API int64_t tg_cuda_host_alloc(int64_t bytes); /* pinned host; 0 on failure; zeroed */
TG_CUDA_API int32_t tg_cuda_host_free(int64_t host_ptr);
/* dst and src may each be host or device (unified addressing); async on stream when the host side is pinned */
TG_CUDA_API int32_t tg_cuda_memcpy(int64_t dst, int64_t src, int64_t bytes, int64_t stream);
TG_CUDA_API int32_t tg_cuda_memset(int64_t device_ptr, int32_t value, int64_t bytes, int64_t stream);

/* ---- streams ---- */
TG_CUDA_API int64_t tg_cuda_stream_create(void);       /* non-blocking stream; 0 on failure */
TG_CUDA_API int32_t tg_cuda_stream_destroy(int64_t stream);
TG_CUDA_API int32_t tg_cuda_stream_synchronize(int64_t stream);

/* ---- ops: every pointer is a device address; shapes as in tickgrad.h ---- */
TG_CUDA_API int32_t tg_cuda_sgemm(float* c, const float* a, const float* b,
                                  int32_t m, int32_t n, int32_t k, int32_t trans_a, int32_t trans_b,
                                  float alpha, float beta, int32_t lda, int32_t ldb, int32_t ldc, int64_t stream);
/* y[B,O] = x[B,I] w[I,O] + bias[O] (nullable) */
TG_CUDA_API int32_t tg_cuda_dense_forward(float* y, const float* x, const float* w, const float* bias,
                                          int32_t batch, int32_t in, int32_t out, int64_t stream);
/* dx[B,I] nullable = dy w^T; dw[I,O] nullable += x^T dy; dbias[O] nullable += sum_b dy */
TG_CUDA_API int32_t tg_cuda_dense_backward(float* dx, float* dw, float* dbias,
                                           const float* dy, const float* x, const float* w,
                                           int32_t batch, int32_t in, int32_t out, int64_t stream);
TG_CUDA_API int32_t tg_cuda_activation_forward(float* y, const float* x, int64_t n, int32_t kind, float alpha,
                                               int64_t stream);
TG_CUDA_API int32_t tg_cuda_activation_backward(float* dx, const float* dy, const float* x, const float* y,
                                                int64_t n, int32_t kind, float alpha, int64_t stream);
TG_CUDA_API int32_t tg_cuda_softmax_forward(float* y, const float* x, int32_t batch, int32_t classes, int64_t stream);
TG_CUDA_API int32_t tg_cuda_softmax_backward(float* dx, const float* dy, const float* y, int32_t batch,
                                             int32_t classes, int64_t stream);
TG_CUDA_API int32_t tg_cuda_layernorm_forward(float* y, float* mean, float* rstd, const float* x, const float* gamma,
                                              const float* beta, int32_t batch, int32_t dim, float eps,
                                              int64_t stream);
TG_CUDA_API int32_t tg_cuda_layernorm_backward(float* dx, float* dgamma, float* dbeta, const float* dy,
                                               const float* x, const float* mean, const float* rstd,
                                               const float* gamma, int32_t batch, int32_t dim, int64_t stream);
TG_CUDA_API int32_t tg_cuda_dropout_forward(float* y, float* mask, const float* x, int64_t n, float rate,
                                            int64_t seed, int64_t stream);
TG_CUDA_API int32_t tg_cuda_dropout_backward(float* dx, const float* dy, const float* mask, int64_t n,
                                             int64_t stream);
/* loss[1] (device float) = mean over the batch; grad nullable, overwritten */
TG_CUDA_API int32_t tg_cuda_loss(float* grad, float* loss, const float* pred, const float* target,
                                 const float* weights, int32_t batch, int32_t cols, int32_t kind, float param,
                                 int64_t stream);
TG_CUDA_API int32_t tg_cuda_sgd_step(float* p, float* velocity, const float* g, int64_t n, float lr, float momentum,
                                     float weight_decay, int32_t nesterov, int64_t stream);
TG_CUDA_API int32_t tg_cuda_adam_step(float* p, float* m, float* v, const float* g, int64_t n, float lr, float beta1,
                                      float beta2, float eps, float weight_decay, int64_t t, int32_t decoupled,
                                      int64_t stream);
/* out[1] (device double) += sum x^2 */
TG_CUDA_API int32_t tg_cuda_sum_squares(double* out, const float* x, int64_t n, int64_t stream);
TG_CUDA_API int32_t tg_cuda_scale(float* x, int64_t n, float s, int64_t stream);
/* act and params are device addresses; plan is a HOST array of n_ops * TG_PLAN_WORDS int64 (see tickgrad.h) */
TG_CUDA_API int32_t tg_cuda_plan_forward(float* act, const float* params, const int64_t* plan, int32_t n_ops,
                                         int32_t batch, int64_t stream);

/* ---- the MLP runner: dense layers with one hidden activation, the fixed-shape steps as CUDA Graphs ----
 * dims[n_layers + 1]: dims[0] inputs, dims[n_layers] outputs. Hidden layers use hidden_act (TG_ACT_*); the last
 * layer is linear and, when out_softmax = 1, predict applies a softmax. Parameters, gradients, optimizer state and
 * activations are each one device allocation; inputs, targets and outputs go through pinned host buffers;
 * inference and training each run on their own stream, with their own parameter copy (the training copy is
 * published to inference by tg_cuda_mlp_publish). Loss is TG_LOSS_* on the linear outputs (softmax cross-entropy
 * for classifiers).
 *
 * The parameter layout is the caller's, never the runner's own: offsets[2 * n_layers] holds, per layer, the float
 * offset of W_l [dims[l], dims[l+1]] (row-major) and then of bias_l [dims[l+1]] in a slab of param_floats floats
 * (Java passes its ParamTable: every tensor 16-float aligned, so a 10-5-3 network has its first bias at 64, not
 * at 50). Parameter copies, gradients and optimizer state all use that layout; padding between tensors is copied
 * with the rest (Java keeps it zero, and a zero with a zero gradient stays zero under every optimizer). */
#define TG_CUDA_OPT_SGD   1  /* p0 lr, p1 momentum, p2 weight decay, p3 nesterov (0/1) */
#define TG_CUDA_OPT_ADAM  2  /* p0 lr, p1 beta1, p2 beta2, p3 eps, p4 weight decay */
#define TG_CUDA_OPT_ADAMW 3  /* as Adam, decoupled weight decay */
#define TG_CUDA_MLP_FUSED_MAX_WIDTH 1024  /* widest layer the fused (one kernel) forward supports */
#define TG_CUDA_MLP_MAX_LAYERS 64         /* most dense layers of one runner */

/* Checks a parameter layout and writes the offsets the runner uses for it to out_offsets[2 * n_layers]
 * (nullable). The runner's create calls exactly this, so the offsets it runs with are the ones returned here.
 * A pure host function: it needs no GPU and is in the stub library too.
 * TG_ERR_SIZE: a width < 1, n_layers outside [1, TG_CUDA_MLP_MAX_LAYERS], or a tensor outside [0, param_floats);
 * TG_ERR_ARG: two tensors overlap. */
TG_CUDA_API int32_t tg_cuda_mlp_layout(int64_t* out_offsets, const int32_t* dims, int32_t n_layers,
                                       const int64_t* offsets, int64_t param_floats);

/* out_handle[1] written; offsets[2 * n_layers] and param_floats: the layout (tg_cuda_mlp_layout); infer_batch:
 * rows per predict; train_batch: rows per training step; opt_params[5] as above; loss_param as tg_loss */
TG_CUDA_API int32_t tg_cuda_mlp_create(int64_t* out_handle, const int32_t* dims, int32_t n_layers,
                                       const int64_t* offsets, int64_t param_floats, int32_t hidden_act,
                                       int32_t out_softmax, int32_t infer_batch, int32_t train_batch,
                                       int32_t loss_kind, float loss_param, int32_t optimizer,
                                       const float* opt_params);
TG_CUDA_API int32_t tg_cuda_mlp_destroy(int64_t handle);
/* param_floats of the layout: the floats of a parameter slab, padding included */
TG_CUDA_API int64_t tg_cuda_mlp_param_count(int64_t handle);
/* host <-> device copies of the whole slab (count = param_floats; synchronous); set also writes the inference copy
 * and resets optimizer state */
TG_CUDA_API int32_t tg_cuda_mlp_set_params(int64_t handle, const float* host_params, int64_t count);
TG_CUDA_API int32_t tg_cuda_mlp_get_params(int64_t handle, float* host_params, int64_t count);
/* pinned host buffers: infer input [infer_batch, dims[0]], infer output [infer_batch, dims[n]],
 * train input [train_batch, dims[0]], train target [train_batch, dims[n]]; addresses stay valid until destroy */
TG_CUDA_API int64_t tg_cuda_mlp_infer_input(int64_t handle);
TG_CUDA_API int64_t tg_cuda_mlp_infer_output(int64_t handle);
TG_CUDA_API int64_t tg_cuda_mlp_train_input(int64_t handle);
TG_CUDA_API int64_t tg_cuda_mlp_train_target(int64_t handle);
/* how predict runs the forward: TG_CUDA_MLP_LAYERED (one GEMM kernel per layer) or TG_CUDA_MLP_FUSED_BLOCK (one
 * kernel, one block per sample, activations in shared memory). Default: the block kernel when every width <=
 * TG_CUDA_MLP_FUSED_MAX_WIDTH, n_layers <= 16 and infer_batch <= 64; layered otherwise. TG_ERR_UNSUPPORTED when
 * the choice cannot run here, and always for TG_CUDA_MLP_FUSED_CLUSTER, the thread-block-cluster variant, which
 * is a kernel-lab experiment (native/cuda/lab/) until a GPU run shows it earns its place. */
#define TG_CUDA_MLP_LAYERED       0
#define TG_CUDA_MLP_FUSED_BLOCK   1
#define TG_CUDA_MLP_FUSED_CLUSTER 2  /* an experiment: lives in native/cuda/lab/, never chosen by the runner */
TG_CUDA_API int32_t tg_cuda_mlp_set_fused(int64_t handle, int32_t fused);
/* 1 = replay captured CUDA Graphs (default), 0 = plain stream launches (for comparisons) */
TG_CUDA_API int32_t tg_cuda_mlp_set_graphs(int64_t handle, int32_t use_graphs);
/* 1 = each training step copies the pinned train input/target to the device first (default); 0 = the step
 * reuses the batch already on the device (for timing the compute alone, or repeated steps on one batch) */
TG_CUDA_API int32_t tg_cuda_mlp_set_train_copy(int64_t handle, int32_t copy_inputs);
/* copies the infer input to the device, runs the forward, copies the output back, waits for it */
TG_CUDA_API int32_t tg_cuda_mlp_predict(int64_t handle);
/* one training step on the train input/target: copy in, forward, loss, backward, optimizer step; waits and
 * writes the batch loss (before the update) to *loss_out when non-null */
TG_CUDA_API int32_t tg_cuda_mlp_train_step(int64_t handle, float* loss_out);
/* the same step, enqueued without waiting (loss readable after tg_cuda_mlp_train_wait) */
TG_CUDA_API int32_t tg_cuda_mlp_train_step_async(int64_t handle);
TG_CUDA_API int32_t tg_cuda_mlp_train_wait(int64_t handle, float* loss_out);
/* trainable[2 * n_layers]: 1 = the optimizer updates that tensor (W_l, bias_l as in the layout), 0 = frozen
 * (fine-tuning: the backward stops below the lowest trainable layer). Default: all trainable. */
TG_CUDA_API int32_t tg_cuda_mlp_set_trainable(int64_t handle, const int32_t* trainable);
/* copies the training parameters into the inference copy (ordered after the training stream's work) */
TG_CUDA_API int32_t tg_cuda_mlp_publish(int64_t handle);

#ifdef __cplusplus
}
#endif
#endif /* TICKGRAD_CUDA_H */
