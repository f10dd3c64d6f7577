// Layer normalisation over the last axis (biased variance); row statistics in double.
#include "common.h"
#include "ops.h"
#include <cmath>
#include <cstring>

namespace tg {

void layernorm_forward(float* y, float* mean, float* rstd, const float* x, const float* gamma, const float* beta,
                       int64_t batch, int64_t dim, float eps) {
  for (int64_t b = 0; b < batch; ++b) {
    const float* xr = x + b * dim;
    float* yr = y + b * dim;
    double s = 0.0;
    for (int64_t d = 0; d < dim; ++d) s += xr[d];
    const double mu = s / double(dim);
    double ss = 0.0;  // two-pass variance: no cancellation for large means
    for (int64_t d = 0; d < dim; ++d) {
      const double c = xr[d] - mu;
      ss += c * c;
    }
    const double rs = 1.0 / std::sqrt(ss / double(dim) + double(eps));
    const float muf = float(mu), rsf = float(rs);
    if (mean) mean[b] = muf;
    if (rstd) rstd[b] = rsf;
    for (int64_t d = 0; d < dim; ++d) {
      const float xh = (xr[d] - muf) * rsf;
      yr[d] = beta ? xh * gamma[d] + beta[d] : xh * gamma[d];
    }
  }
}

}  // namespace tg

extern "C" {

TG_API int32_t tg_layernorm_forward(float* y, float* mean, float* rstd, const float* x, const float* gamma,
                                    const float* beta, int32_t batch, int32_t dim, float eps) {
  if (!y || !x || !gamma) return TG_ERR_NULL;
  if (batch < 1 || dim < 1) return TG_ERR_SIZE;
  if (!(eps >= 0.0f) || std::isinf(eps)) return TG_ERR_ARG;
  tg::FpGuard fp;
  tg::layernorm_forward(y, mean, rstd, x, gamma, beta, batch, dim, eps);
  return TG_OK;
}

// dx = rstd * (g - mean(g) - xhat * mean(g xhat)) with g = dy * gamma, xhat = (x - mean) * rstd
TG_API int32_t tg_layernorm_backward(float* dx, float* dgamma, float* dbeta, const float* dy, const float* x,
                                     const float* mean, const float* rstd, const float* gamma,
                                     int32_t batch, int32_t dim) {
  if (!dx || !dy || !x || !mean || !rstd || !gamma) return TG_ERR_NULL;
  if (batch < 1 || dim < 1) return TG_ERR_SIZE;
  tg::FpGuard fp;
  for (int64_t b = 0; b < batch; ++b) {
    const int64_t o = b * dim;
    const float mu = mean[b], rs = rstd[b];
    double sg = 0.0, sgx = 0.0;
    for (int64_t d = 0; d < dim; ++d) {
      const double xh = double(x[o + d] - mu) * rs;
      const double g = double(dy[o + d]) * gamma[d];
      sg += g;
      sgx += g * xh;
    }
    const double mg = sg / double(dim), mgx = sgx / double(dim);
    for (int64_t d = 0; d < dim; ++d) {
      const float xh = (x[o + d] - mu) * rs;
      const float gy = dy[o + d];
      if (dgamma) dgamma[d] += gy * xh;
      if (dbeta) dbeta[d] += gy;
      dx[o + d] = float(rs * (double(gy) * gamma[d] - mg - double(xh) * mgx));
    }
  }
  return TG_OK;
}

}  // extern "C"
