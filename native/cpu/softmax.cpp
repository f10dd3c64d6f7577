// Row softmax forward/backward (scalar; the row max is subtracted for stability, sums in double).
#include "common.h"
#include "ops.h"
#include <cmath>

namespace tg {

void softmax_forward(float* y, const float* x, int64_t batch, int64_t classes) {
  for (int64_t b = 0; b < batch; ++b) {
    const float* xr = x + b * classes;
    float* yr = y + b * classes;
    float mx = xr[0];
    for (int64_t c = 1; c < classes; ++c) mx = xr[c] > mx ? xr[c] : mx;
    double sum = 0.0;
    for (int64_t c = 0; c < classes; ++c) {
      const float e = std::exp(xr[c] - mx);
      yr[c] = e;
      sum += e;
    }
    const float inv = float(1.0 / sum);
    for (int64_t c = 0; c < classes; ++c) yr[c] *= inv;
  }
}

}  // namespace tg

extern "C" {

TG_API int32_t tg_softmax_forward(float* y, const float* x, int32_t batch, int32_t classes) {
  if (!y || !x) return TG_ERR_NULL;
  if (batch < 1 || classes < 1) return TG_ERR_SIZE;
  tg::FpGuard fp;
  tg::softmax_forward(y, x, batch, classes);
  return TG_OK;
}

// dx[B,C] = y * (dy - sum_c dy y); dx may alias dy
TG_API int32_t tg_softmax_backward(float* dx, const float* dy, const float* y, int32_t batch, int32_t classes) {
  if (!dx || !dy || !y) return TG_ERR_NULL;
  if (batch < 1 || classes < 1) return TG_ERR_SIZE;
  tg::FpGuard fp;
  for (int64_t b = 0; b < batch; ++b) {
    const int64_t o = b * classes;
    double dot = 0.0;
    for (int64_t c = 0; c < classes; ++c) dot += double(dy[o + c]) * y[o + c];
    const float s = float(dot);
    for (int64_t c = 0; c < classes; ++c) dx[o + c] = y[o + c] * (dy[o + c] - s);
  }
  return TG_OK;
}

}  // extern "C"
