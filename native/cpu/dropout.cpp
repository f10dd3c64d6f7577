// Inverted dropout with a counter-based hash, so Java can rebuild the same mask bit for bit.
#include "common.h"
#include "kernels.h"

namespace tg {
namespace {

constexpr uint64_t kGolden = 0x9E3779B97F4A7C15ull;

inline uint64_t splitmix64(uint64_t z) {
  z += kGolden;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace
}  // namespace tg

extern "C" {

// mask[i] = u(seed, i) < rate ? 0 : 1/(1-rate), u = (splitmix64(seed + i*golden) >> 40) * 2^-24; y = x * mask
TG_API int32_t tg_dropout_forward(float* y, float* mask, const float* x, int64_t n, float rate, int64_t seed) {
  if (!y || !mask || !x) return TG_ERR_NULL;
  if (n < 1) return TG_ERR_SIZE;
  if (!(rate >= 0.0f && rate < 1.0f)) return TG_ERR_ARG;
  tg::FpGuard fp;
  const float keep = 1.0f / (1.0f - rate);
  const uint64_t s = uint64_t(seed);
  for (int64_t i = 0; i < n; ++i) {
    const uint64_t h = tg::splitmix64(s + uint64_t(i) * tg::kGolden);
    const float u = float(h >> 40) * 0x1p-24f;  // 24-bit integer times 2^-24: exact in float
    const float m = u < rate ? 0.0f : keep;
    mask[i] = m;
    y[i] = x[i] * m;
  }
  return TG_OK;
}

TG_API int32_t tg_dropout_backward(float* dx, const float* dy, const float* mask, int64_t n) {
  if (!dx || !dy || !mask) return TG_ERR_NULL;
  if (n < 1) return TG_ERR_SIZE;
  tg::FpGuard fp;
  tg::active_kernels().mul(dx, dy, mask, n);
  return TG_OK;
}

}  // extern "C"
