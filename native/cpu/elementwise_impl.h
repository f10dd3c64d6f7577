// Cheap elementwise loops shared by every ISA: plain loops the compiler vectorises with the TU's -m flags.
// No std:: inline functions here: they would be emitted with AVX flags and could be picked by the linker
// for the portable build.
#pragma once
#include <cstdint>

namespace tg { namespace TG_ISA_NS {

// y[n] = max(x, 0), NaN propagates
static void relu_fwd(float* y, const float* x, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = x[i] < 0.0f ? 0.0f : x[i];
}
// dx[n] = x > 0 ? dy : 0
static void relu_bwd(float* dx, const float* dy, const float* x, int64_t n) {
  for (int64_t i = 0; i < n; ++i) dx[i] = x[i] > 0.0f ? dy[i] : 0.0f;
}
static void leaky_fwd(float* y, const float* x, int64_t n, float alpha) {
  for (int64_t i = 0; i < n; ++i) y[i] = x[i] < 0.0f ? alpha * x[i] : x[i];
}
static void leaky_bwd(float* dx, const float* dy, const float* x, int64_t n, float alpha) {
  for (int64_t i = 0; i < n; ++i) dx[i] = x[i] > 0.0f ? dy[i] : alpha * dy[i];
}
static void scale(float* x, int64_t n, float s) {
  for (int64_t i = 0; i < n; ++i) x[i] *= s;
}
static void mul(float* y, const float* a, const float* b, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = a[i] * b[i];
}
// y[rows,cols] += bias[cols]
static void add_bias(float* y, const float* bias, int64_t rows, int64_t cols) {
  for (int64_t r = 0; r < rows; ++r) {
    float* yr = y + r * cols;
    for (int64_t j = 0; j < cols; ++j) yr[j] += bias[j];
  }
}
// acc[cols] += sum_r x[rows,cols]
static void col_sum_add(float* acc, const float* x, int64_t rows, int64_t cols) {
  for (int64_t r = 0; r < rows; ++r) {
    const float* xr = x + r * cols;
    for (int64_t j = 0; j < cols; ++j) acc[j] += xr[j];
  }
}
// sum x^2 in double; eight independent partial sums so the loop vectorises without reassociation flags
static double sum_squares(const float* x, int64_t n) {
  double s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int j = 0; j < 8; ++j) {
      const double d = x[i + j];
      s[j] += d * d;
    }
  for (; i < n; ++i) {
    const double d = x[i];
    s[0] += d * d;
  }
  return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}
// PyTorch SGD; vel may be null only when momentum == 0 (checked by the caller)
static void sgd(float* p, float* vel, const float* g, int64_t n, float lr, float momentum, float wd, int nesterov) {
  if (momentum == 0.0f) {
    for (int64_t i = 0; i < n; ++i) p[i] -= lr * (g[i] + wd * p[i]);
  } else if (nesterov) {
    for (int64_t i = 0; i < n; ++i) {
      const float gi = g[i] + wd * p[i];
      const float v = momentum * vel[i] + gi;
      vel[i] = v;
      p[i] -= lr * (gi + momentum * v);
    }
  } else {
    for (int64_t i = 0; i < n; ++i) {
      const float v = momentum * vel[i] + (g[i] + wd * p[i]);
      vel[i] = v;
      p[i] -= lr * v;
    }
  }
}
// Adam (decoupled = 0) / AdamW (decoupled = 1); bc1 = 1 - b1^t, bc2 = 1 - b2^t
static void adam(float* p, float* m, float* v, const float* g, int64_t n, float lr, float b1, float b2, float eps,
                 float wd, int decoupled, float bc1, float bc2) {
  const float c1 = 1.0f - b1, c2 = 1.0f - b2;
  if (decoupled) {
    const float decay = lr * wd;
    for (int64_t i = 0; i < n; ++i) {
      const float pi = p[i] - decay * p[i];
      const float gi = g[i];
      const float mi = b1 * m[i] + c1 * gi;
      const float vi = b2 * v[i] + c2 * gi * gi;
      m[i] = mi;
      v[i] = vi;
      p[i] = pi - lr * (mi / bc1) / (__builtin_sqrtf(vi / bc2) + eps);
    }
  } else {
    for (int64_t i = 0; i < n; ++i) {
      const float gi = g[i] + wd * p[i];
      const float mi = b1 * m[i] + c1 * gi;
      const float vi = b2 * v[i] + c2 * gi * gi;
      m[i] = mi;
      v[i] = vi;
      p[i] -= lr * (mi / bc1) / (__builtin_sqrtf(vi / bc2) + eps);
    }
  }
}

}}  // namespace tg::TG_ISA_NS
