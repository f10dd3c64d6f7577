// Activation functions shared by the op kernels and the fused MLP kernel (the CPU formulas, in double).
#pragma once
#include "tickgrad/tickgrad_cuda.h"

namespace tgc {

constexpr double kInvSqrt2 = 0.70710678118654752440;
constexpr double kInvSqrt2Pi = 0.39894228040143267794;
constexpr double kSqrt2OverPi = 0.79788456080286535588;
constexpr double kGeluC = 0.044715;

__device__ __forceinline__ double sigmoid_d(double x) {
  if (x >= 0) return 1.0 / (1.0 + exp(-x));
  const double e = exp(x);
  return e / (1.0 + e);
}

__device__ __forceinline__ float act_fwd(float xf, int kind, float alpha) {
  const double v = xf;
  switch (kind) {
    case TG_ACT_RELU: return xf < 0.0f ? 0.0f : xf;
    case TG_ACT_LEAKY_RELU: return xf < 0.0f ? alpha * xf : xf;
    case TG_ACT_GELU: return float(0.5 * v * (1.0 + erf(v * kInvSqrt2)));
    case TG_ACT_GELU_TANH: return float(0.5 * v * (1.0 + tanh(kSqrt2OverPi * (v + kGeluC * v * v * v))));
    case TG_ACT_TANH: return float(tanh(v));
    case TG_ACT_SIGMOID: return float(sigmoid_d(v));
    default: return xf;
  }
}

__device__ __forceinline__ float act_bwd(float dy, float xf, float yf, int kind, float alpha) {
  const double v = xf;
  switch (kind) {
    case TG_ACT_RELU: return xf > 0.0f ? dy : 0.0f;
    case TG_ACT_LEAKY_RELU: return xf > 0.0f ? dy : alpha * dy;
    case TG_ACT_GELU: {
      const double d = 0.5 * (1.0 + erf(v * kInvSqrt2)) + v * kInvSqrt2Pi * exp(-0.5 * v * v);
      return float(dy * d);
    }
    case TG_ACT_GELU_TANH: {
      const double t = tanh(kSqrt2OverPi * (v + kGeluC * v * v * v));
      const double du = kSqrt2OverPi * (1.0 + 3.0 * kGeluC * v * v);
      return float(dy * (0.5 * (1.0 + t) + 0.5 * v * (1.0 - t * t) * du));
    }
    case TG_ACT_TANH: {
      const double t = yf;
      return float(dy * (1.0 - t * t));
    }
    case TG_ACT_SIGMOID: {
      const double s = yf;
      return float(dy * (s * (1.0 - s)));
    }
    default: return dy;
  }
}

}  // namespace tgc
