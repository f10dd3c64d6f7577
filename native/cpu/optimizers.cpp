// SGD and Adam/AdamW steps: checks here, the loops in the ISA table.
#include "common.h"
#include "kernels.h"
#include <cmath>

extern "C" {

TG_API int32_t tg_sgd_step(float* p, float* velocity, const float* g, int64_t n,
                           float lr, float momentum, float weight_decay, int32_t nesterov) {
  if (!p || !g || (momentum != 0.0f && !velocity)) return TG_ERR_NULL;
  if (n < 1) return TG_ERR_SIZE;
  tg::FpGuard fp;
  tg::active_kernels().sgd(p, velocity, g, n, lr, momentum, weight_decay, nesterov != 0);
  return TG_OK;
}

TG_API int32_t tg_adam_step(float* p, float* m, float* v, const float* g, int64_t n,
                            float lr, float beta1, float beta2, float eps, float weight_decay,
                            int64_t t, int32_t decoupled) {
  if (!p || !m || !v || !g) return TG_ERR_NULL;
  if (n < 1) return TG_ERR_SIZE;
  if (t < 1 || !(beta1 >= 0.0f && beta1 < 1.0f) || !(beta2 >= 0.0f && beta2 < 1.0f)) return TG_ERR_ARG;
  tg::FpGuard fp;
  // Bias corrections in double: b^t for large t underflows gracefully instead of losing digits.
  const double bc1 = 1.0 - std::pow(double(beta1), double(t));
  const double bc2 = 1.0 - std::pow(double(beta2), double(t));
  tg::active_kernels().adam(p, m, v, g, n, lr, beta1, beta2, eps, weight_decay, decoupled != 0, float(bc1), float(bc2));
  return TG_OK;
}

}  // extern "C"
