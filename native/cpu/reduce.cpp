// Sum of squares and scaling, for global gradient-norm clipping.
#include "common.h"
#include "kernels.h"

extern "C" {

TG_API int32_t tg_sum_squares(double* out, const float* x, int64_t n) {
  if (!out || !x) return TG_ERR_NULL;
  if (n < 1) return TG_ERR_SIZE;
  tg::FpGuard fp;
  *out += tg::active_kernels().sum_squares(x, n);
  return TG_OK;
}

TG_API int32_t tg_scale(float* x, int64_t n, float s) {
  if (!x) return TG_ERR_NULL;
  if (n < 1) return TG_ERR_SIZE;
  tg::FpGuard fp;
  tg::active_kernels().scale(x, n, s);
  return TG_OK;
}

}  // extern "C"
