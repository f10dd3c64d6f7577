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
// sum x^2 in double; 32 independent partial sums so the loop vectorises without reassociation flags and
// enough FMA chains are in flight to hide their latency (eight would leave it latency-bound at ~30 GB/s)
static double sum_squares(const float* x, int64_t n) {
  constexpr int kLanes = 32;
  double s[kLanes] = {};
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (int j = 0; j < kLanes; ++j) {
      const double d = x[i + j];
      s[j] += d * d;
    }
  for (; i < n; ++i) {
    const double d = x[i];
    s[i % kLanes] += d * d;
  }
  for (int w = kLanes / 2; w > 0; w /= 2)
    for (int j = 0; j < w; ++j) s[j] += s[j + w];
  return s[0];
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
// Adam (decoupled = 0) / AdamW (decoupled = 1); bc1 = 1 - b1^t, bc2 = 1 - b2^t.
// p -= lr (m / bc1) / (sqrt(v / bc2) + eps), with the two bias corrections folded into per-call constants, so each
// element costs one division and one square root (vector division and square root are the slow ops here; three
// divisions per element made the step compute-bound).
static void adam(float* p, float* m, float* v, const float* g, int64_t n, float lr, float b1, float b2, float eps,
                 float wd, int decoupled, float bc1, float bc2) {
  const float c1 = 1.0f - b1, c2 = 1.0f - b2;
  const float step = lr / bc1, inv_bc2 = 1.0f / bc2;
  const float decay = decoupled ? lr * wd : 0.0f;  // AdamW: p shrinks before the step
  const float l2 = decoupled ? 0.0f : wd;           // Adam: weight decay joins the gradient
  // Blocks of 64 floats with a write prefetch 1 KiB ahead on p: the other cores of a threaded step have just read
  // these weights, and each write must first take the line back from them; asking early overlaps those requests
  // (the 2-thread batch-256 chart step's Adam: 207 us without, 130 us with; 4 KiB ahead was no better than none).
  for (int64_t b = 0; b < n; b += 64) {
    for (int l = 0; l < 64; l += 16) __builtin_prefetch(p + b + 256 + l, 1, 3);
    const int64_t e = b + 64 < n ? b + 64 : n;
    for (int64_t i = b; i < e; ++i) {
      const float pi = p[i] - decay * p[i];
      const float gi = g[i] + l2 * p[i];
      const float mi = b1 * m[i] + c1 * gi;
      const float vi = b2 * v[i] + c2 * gi * gi;
      m[i] = mi;
      v[i] = vi;
      p[i] = pi - step * mi / (__builtin_sqrtf(vi * inv_bc2) + eps);
    }
  }
}

}}  // namespace tg::TG_ISA_NS
