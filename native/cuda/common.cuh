// Shared helpers of the CUDA library: status from cudaError_t, stream handles, launch sizes.
#pragma once
#include "tickgrad/tickgrad_cuda.h"
#include <cuda_runtime.h>
#include <cstdint>

namespace tgc {

// The last failing cudaError_t of this host thread (tg_cuda_last_error).
void set_last_error(cudaError_t e);

inline int32_t status_of(cudaError_t e) {
  if (e == cudaSuccess) return TG_OK;
  set_last_error(e);
  return TG_CUDA_ERR_RUNTIME;
}

// Status after a kernel launch (launch-configuration errors only; never synchronises).
inline int32_t launch_status() { return status_of(cudaGetLastError()); }

inline cudaStream_t stream_of(int64_t h) { return reinterpret_cast<cudaStream_t>(static_cast<uintptr_t>(h)); }

inline unsigned blocks_for(int64_t n, int threads, int64_t cap = 65535) {
  int64_t b = (n + threads - 1) / threads;
  if (b < 1) b = 1;
  return unsigned(b > cap ? cap : b);
}

// Matrix precision chosen by tg_cuda_set_matmul_precision (process-wide).
int32_t matmul_precision();

// Internal GEMM with epilogue, all device pointers, row-major:
//   C[M,N] = alpha op(A) op(B) + beta C, then + bias[n] (nullable), then relu when relu = 1,
//   then * (mask[m*ldc+n] > 0) when mask is non-null (the ReLU derivative of the forward output).
// Splits K over blocks (atomic accumulation) only when there is no epilogue.
int32_t gemm(float* c, const float* a, const float* b, int m, int n, int k, int trans_a, int trans_b, float alpha,
             float beta, int lda, int ldb, int ldc, const float* bias, int relu, const float* mask,
             cudaStream_t stream);

// Internal op entry points used by the runner (no argument checks: the runner validated its shapes).
int32_t activation_forward(float* y, const float* x, int64_t n, int32_t kind, float alpha, cudaStream_t s);
int32_t activation_backward(float* dx, const float* dy, const float* x, const float* y, int64_t n, int32_t kind,
                            float alpha, cudaStream_t s);
int32_t softmax_forward(float* y, const float* x, int batch, int classes, cudaStream_t s);
int32_t column_sum_add(float* out, const float* x, int rows, int cols, cudaStream_t s);
int32_t loss(float* grad, float* loss_out, const float* pred, const float* target, const float* weights, int batch,
             int cols, int32_t kind, float param, cudaStream_t s);
int32_t layernorm_forward(float* y, float* mean, float* rstd, const float* x, const float* gamma, const float* beta,
                          int batch, int dim, float eps, cudaStream_t s);
int32_t sgd_step(float* p, float* vel, const float* g, int64_t n, float lr, float momentum, float wd, int nesterov,
                 cudaStream_t s);
// Adam whose step count t lives on the device, so a captured graph replays correct bias corrections; the caller
// advances it once per optimizer step with increment_step (before the first tensor's update).
int32_t increment_step(long long* t, cudaStream_t s);
int32_t adam_step_device_t(float* p, float* m, float* v, const float* g, int64_t n, float lr, float b1, float b2,
                           float eps, float wd, int decoupled, const long long* t, cudaStream_t s);

}  // namespace tgc
