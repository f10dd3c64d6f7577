// Portable reduced-precision rows shared by every ISA translation unit (included after its simd_*.h, which defines
// TG_ISA_NS). The integer int8 sum is exact, so its result does not depend on the ISA; the bf16 rows here widen each
// weight to fp32 and accumulate in fp32. quant TUs are compiled with -ffp-contract=off: a * b + c stays two roundings.
#pragma once
#include "quant_kernels.h"
#include <cmath>
#include <cstdint>

namespace tg { namespace TG_ISA_NS {

constexpr int64_t kQuantChunk = 64;  // outputs whose accumulators a portable row keeps on the stack

[[maybe_unused]] static void bf16_row_portable(float* y, const float* x, const uint16_t* w, const float* bias,
                                               int64_t in, int64_t out, float*) {
  const int64_t pairs = (in + 1) / 2;
  for (int64_t j0 = 0; j0 < out; j0 += kQuantChunk) {
    const int64_t cols = out - j0 < kQuantChunk ? out - j0 : kQuantChunk;
    float acc[kQuantChunk];
    for (int64_t j = 0; j < cols; ++j) acc[j] = 0.0f;
    for (int64_t p = 0; p < pairs; ++p) {
      const float xe = x[2 * p], xo = 2 * p + 1 < in ? x[2 * p + 1] : 0.0f;
      const uint16_t* wr = w + (p * out + j0) * 2;
      for (int64_t j = 0; j < cols; ++j)
        acc[j] = acc[j] + xe * bf16_to_float(wr[2 * j]) + xo * bf16_to_float(wr[2 * j + 1]);
    }
    for (int64_t j = 0; j < cols; ++j) y[j0 + j] = bias ? acc[j] + bias[j0 + j] : acc[j];
  }
}

[[maybe_unused]] static float quantize_row_portable(int8_t* xq, const float* x, int64_t in) {
  const int64_t padded = (in + 3) / 4 * 4;
  float maxabs = 0.0f;
  bool finite = true;
  for (int64_t i = 0; i < in; ++i) {
    const float a = std::fabs(x[i]);
    finite = finite && a <= 3.4028234663852886e38f;
    maxabs = a > maxabs ? a : maxabs;
  }
  if (!finite || maxabs == 0.0f) {
    for (int64_t i = 0; i < padded; ++i) xq[i] = 0;
    return finite ? 0.0f : NAN;
  }
  const float inv = 127.0f / maxabs;
  for (int64_t i = 0; i < in; ++i) {
    float q = std::nearbyint(x[i] * inv);
    q = q > 127.0f ? 127.0f : q < -127.0f ? -127.0f : q;
    xq[i] = int8_t(q);
  }
  for (int64_t i = in; i < padded; ++i) xq[i] = 0;
  return maxabs / 127.0f;
}

[[maybe_unused]] static void int8_row_portable(float* y, const int8_t* xq, float sx, const int8_t* w,
                                               const float* scales, const int32_t*, const float* bias, int64_t in,
                                               int64_t out) {
  const int64_t groups = (in + 3) / 4;
  for (int64_t j0 = 0; j0 < out; j0 += kQuantChunk) {
    const int64_t cols = out - j0 < kQuantChunk ? out - j0 : kQuantChunk;
    int32_t acc[kQuantChunk];
    for (int64_t j = 0; j < cols; ++j) acc[j] = 0;
    for (int64_t g = 0; g < groups; ++g) {
      const int32_t x0 = xq[4 * g], x1 = xq[4 * g + 1], x2 = xq[4 * g + 2], x3 = xq[4 * g + 3];
      const int8_t* wr = w + (g * out + j0) * 4;
      for (int64_t j = 0; j < cols; ++j)
        acc[j] += x0 * wr[4 * j] + x1 * wr[4 * j + 1] + x2 * wr[4 * j + 2] + x3 * wr[4 * j + 3];
    }
    for (int64_t j = 0; j < cols; ++j) {
      const float r = float(acc[j]) * (sx * scales[j0 + j]);
      y[j0 + j] = bias ? r + bias[j0 + j] : r;
    }
  }
}

}}  // namespace tg::TG_ISA_NS
