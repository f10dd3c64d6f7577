// Activation forward/backward. ReLU and leaky ReLU run on the ISA table; the transcendental ones
// are scalar, evaluated in double so they match the Java reference to float rounding.
#include "common.h"
#include "kernels.h"
#include "ops.h"
#include <cmath>
#include <cstring>

namespace tg {
namespace {

constexpr double kInvSqrt2 = 0.70710678118654752440;
constexpr double kInvSqrt2Pi = 0.39894228040143267794;
constexpr double kSqrt2OverPi = 0.79788456080286535588;
constexpr double kGeluC = 0.044715;

double sigmoid(double x) {
  if (x >= 0) return 1.0 / (1.0 + std::exp(-x));
  const double e = std::exp(x);
  return e / (1.0 + e);
}

}  // namespace

bool activation_kind_ok(int32_t kind) { return kind >= TG_ACT_IDENTITY && kind <= TG_ACT_SIGMOID; }

void activation_forward(float* y, const float* x, int64_t n, int32_t kind, float alpha) {
  const Kernels& k = active_kernels();
  switch (kind) {
    case TG_ACT_IDENTITY:
      if (y != x) std::memmove(y, x, size_t(n) * sizeof(float));
      return;
    case TG_ACT_RELU: k.relu_fwd(y, x, n); return;
    case TG_ACT_LEAKY_RELU: k.leaky_fwd(y, x, n, alpha); return;
    case TG_ACT_GELU:
      for (int64_t i = 0; i < n; ++i) {
        const double v = x[i];
        y[i] = float(0.5 * v * (1.0 + std::erf(v * kInvSqrt2)));
      }
      return;
    case TG_ACT_GELU_TANH:
      for (int64_t i = 0; i < n; ++i) {
        const double v = x[i];
        y[i] = float(0.5 * v * (1.0 + std::tanh(kSqrt2OverPi * (v + kGeluC * v * v * v))));
      }
      return;
    case TG_ACT_TANH:
      for (int64_t i = 0; i < n; ++i) y[i] = float(std::tanh(double(x[i])));
      return;
    case TG_ACT_SIGMOID:
      for (int64_t i = 0; i < n; ++i) y[i] = float(sigmoid(x[i]));
      return;
    default: return;
  }
}

void activation_backward(float* dx, const float* dy, const float* x, const float* y, int64_t n, int32_t kind,
                         float alpha) {
  const Kernels& k = active_kernels();
  switch (kind) {
    case TG_ACT_IDENTITY:
      if (dx != dy) std::memmove(dx, dy, size_t(n) * sizeof(float));
      break;
    case TG_ACT_RELU: k.relu_bwd(dx, dy, x, n); break;
    case TG_ACT_LEAKY_RELU: k.leaky_bwd(dx, dy, x, n, alpha); break;
    case TG_ACT_GELU:  // d/dx = Phi(x) + x phi(x)
      for (int64_t i = 0; i < n; ++i) {
        const double v = x[i];
        const double d = 0.5 * (1.0 + std::erf(v * kInvSqrt2)) + v * kInvSqrt2Pi * std::exp(-0.5 * v * v);
        dx[i] = float(dy[i] * d);
      }
      break;
    case TG_ACT_GELU_TANH:
      for (int64_t i = 0; i < n; ++i) {
        const double v = x[i];
        const double t = std::tanh(kSqrt2OverPi * (v + kGeluC * v * v * v));
        const double du = kSqrt2OverPi * (1.0 + 3.0 * kGeluC * v * v);
        dx[i] = float(dy[i] * (0.5 * (1.0 + t) + 0.5 * v * (1.0 - t * t) * du));
      }
      break;
    case TG_ACT_TANH:
      for (int64_t i = 0; i < n; ++i) {
        const double t = y[i];
        dx[i] = float(dy[i] * (1.0 - t * t));
      }
      break;
    case TG_ACT_SIGMOID:
      for (int64_t i = 0; i < n; ++i) {
        const double s = y[i];
        dx[i] = float(dy[i] * (s * (1.0 - s)));
      }
      break;
    default: break;
  }
}

}  // namespace tg

extern "C" {

TG_API int32_t tg_activation_forward(float* y, const float* x, int64_t n, int32_t kind, float alpha) {
  if (!y || !x) return TG_ERR_NULL;
  if (n < 1) return TG_ERR_SIZE;
  if (!tg::activation_kind_ok(kind)) return TG_ERR_ARG;
  tg::FpGuard fp;
  tg::activation_forward(y, x, n, kind, alpha);
  return TG_OK;
}

TG_API int32_t tg_activation_backward(float* dx, const float* dy, const float* x, const float* y,
                                      int64_t n, int32_t kind, float alpha) {
  if (!dx || !dy || !x || !y) return TG_ERR_NULL;
  if (n < 1) return TG_ERR_SIZE;
  if (!tg::activation_kind_ok(kind)) return TG_ERR_ARG;
  tg::FpGuard fp;
  tg::activation_backward(dx, dy, x, y, n, kind, alpha);
  return TG_OK;
}

}  // extern "C"
