// Unchecked kernels behind the entry points, shared with tg_plan_forward. Callers validated the
// arguments and hold an FpGuard.
#pragma once
#include <cstdint>

namespace tg {

// y[B,O] = x[B,I] w[I,O] (+ bias[O]); TG_OK or TG_ERR_ALLOC
int dense_forward(float* y, const float* x, const float* w, const float* bias, int64_t batch, int64_t in, int64_t out);
bool activation_kind_ok(int32_t kind);
// y[n] = f(x[n])
void activation_forward(float* y, const float* x, int64_t n, int32_t kind, float alpha);
// dx[n] = dy * f'(x) (x the forward input, y its output); dx may equal dy
void activation_backward(float* dx, const float* dy, const float* x, const float* y, int64_t n, int32_t kind,
                         float alpha);
// y[B,C] = softmax(x[B,C]) per row
void softmax_forward(float* y, const float* x, int64_t batch, int64_t classes);
// y[B,D] = layernorm(x[B,D]) * gamma[D] + beta[D]; mean[B], rstd[B], beta nullable
void layernorm_forward(float* y, float* mean, float* rstd, const float* x, const float* gamma, const float* beta,
                       int64_t batch, int64_t dim, float eps);

}  // namespace tg
