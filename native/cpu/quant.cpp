// Reduced-precision inference entry points: packing (bf16, int8 per output channel), dense forward, the forward plan
// with reduced-precision dense ops, and the choice of kernels (active ISA, then the AVX-512 extensions allowed).
#include "common.h"
#include "ops.h"
#include "plan_walk.h"
#include "quant_kernels.h"
#include <atomic>
#include <cmath>
#include <cstring>
#if defined(TG_X86)
#  include <cpuid.h>
#endif

namespace tg {
namespace {

constexpr int32_t kAllFeatures = TG_FEAT_AVX512_BF16 | TG_FEAT_AVX512_VNNI;
constexpr int64_t kInt8MaxIn = 65536;  // 65536 * 255 * 127 < 2^31: the int32 sums cannot overflow

int detect_features() {
#if defined(TG_X86) && defined(TG_HAVE_AVX_KERNELS)
  if (tg_cpu_isa() < TG_ISA_AVX512) return 0;  // the extensions need AVX-512 state, which that check covers
  unsigned a, b, c, d;
  int f = 0;
  if (__get_cpuid_count(7, 0, &a, &b, &c, &d) && ((c >> 11) & 1)) f |= TG_FEAT_AVX512_VNNI;
  if (__get_cpuid_count(7, 1, &a, &b, &c, &d) && ((a >> 5) & 1)) f |= TG_FEAT_AVX512_BF16;
  return f;
#else
  return 0;
#endif
}

int cpu_features() {
  static const int f = detect_features();
  return f;
}

std::atomic<int32_t> g_allowed{kAllFeatures};

int active_features() {
  if (tg_active_isa() != TG_ISA_AVX512) return 0;
  return cpu_features() & g_allowed.load(std::memory_order_relaxed);
}

QuantKernels active_quant() {
#if defined(TG_HAVE_AVX_KERNELS)
  switch (tg_active_isa()) {
    case TG_ISA_AVX512: {
      QuantKernels k = quant_kernels_avx512();
      const int f = active_features();
      if (f & TG_FEAT_AVX512_BF16) k.bf16_row = quant_bf16_row_avx512bf16();
      if (f & TG_FEAT_AVX512_VNNI) k.int8_row = quant_int8_row_avx512vnni();
      return k;
    }
    case TG_ISA_AVX2: return quant_kernels_avx2();
    default: break;
  }
#endif
  return quant_kernels_scalar();
}

int64_t bf16_bytes(int64_t in, int64_t out) { return (in + 1) / 2 * out * 4; }
int64_t int8_weight_bytes(int64_t in, int64_t out) { return (in + 3) / 4 * out * 4; }
int64_t int8_bytes(int64_t in, int64_t out) { return int8_weight_bytes(in, out) + out * 8; }

// fp32 -> bf16, round to nearest even; a NaN stays a (quiet) NaN
uint16_t float_to_bf16(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  if ((u & 0x7FFFFFFFu) > 0x7F800000u) return uint16_t((u >> 16) | 0x40u);
  u += 0x7FFFu + ((u >> 16) & 1u);
  return uint16_t(u >> 16);
}

bool sizes_ok(int64_t in, int64_t out) { return in >= 1 && out >= 1; }

int dense_bf16(float* y, const float* x, const uint16_t* w, const float* bias, int64_t batch, int64_t in,
               int64_t out) {
  const QuantKernels k = active_quant();
  float* s = scratch(3, size_t(in + 64));
  if (!s) return TG_ERR_ALLOC;
  for (int64_t b = 0; b < batch; ++b) k.bf16_row(y + b * out, x + b * in, w, bias, in, out, s);
  return TG_OK;
}

int dense_int8(float* y, const float* x, const int8_t* packed, const float* bias, int64_t batch, int64_t in,
               int64_t out) {
  const QuantKernels k = active_quant();
  int8_t* xq = reinterpret_cast<int8_t*>(scratch(3, size_t((in + 3) / 4 + 16)));
  if (!xq) return TG_ERR_ALLOC;
  const float* scales = reinterpret_cast<const float*>(packed + int8_weight_bytes(in, out));
  const int32_t* colsum = reinterpret_cast<const int32_t*>(scales + out);
  for (int64_t b = 0; b < batch; ++b) {
    const float sx = k.quantize_row(xq, x + b * in, in);
    k.int8_row(y + b * out, xq, sx, packed, scales, colsum, bias, in, out);
  }
  return TG_OK;
}

// A plan entry: the shared checks, then those of the packed dense ops.
int check_entry(const int64_t* e) {
  if (int st = check_plan_entry(e, TG_OP_DENSE_INT8)) return st;
  if (e[0] == TG_OP_DENSE_INT8 && ((e[3] & 3) != 0 || e[1] > kInt8MaxIn)) return TG_ERR_SIZE;
  return TG_OK;
}

}  // namespace
}  // namespace tg

extern "C" {

TG_API int32_t tg_cpu_features(void) { return tg::cpu_features(); }

TG_API int32_t tg_active_features(void) { return tg::active_features(); }

TG_API int32_t tg_set_features(int32_t mask) {
  if (mask & ~tg::kAllFeatures) return TG_ERR_ARG;
  if (mask & ~tg::cpu_features()) return TG_ERR_UNSUPPORTED;
  tg::g_allowed.store(mask, std::memory_order_relaxed);
  return TG_OK;
}

TG_API int64_t tg_bf16_packed_bytes(int32_t in, int32_t out) {
  return tg::sizes_ok(in, out) ? tg::bf16_bytes(in, out) : -1;
}

TG_API int64_t tg_int8_packed_bytes(int32_t in, int32_t out) {
  return tg::sizes_ok(in, out) && in <= tg::kInt8MaxIn ? tg::int8_bytes(in, out) : -1;
}

TG_API int32_t tg_quantize_bf16(void* packed, const float* w, int32_t in, int32_t out) {
  if (!packed || !w) return TG_ERR_NULL;
  if (!tg::sizes_ok(in, out)) return TG_ERR_SIZE;
  uint16_t* q = static_cast<uint16_t*>(packed);
  const int64_t pairs = (int64_t(in) + 1) / 2;
  for (int64_t p = 0; p < pairs; ++p)
    for (int64_t j = 0; j < out; ++j)
      for (int64_t h = 0; h < 2; ++h) {
        const int64_t i = 2 * p + h;
        q[(p * out + j) * 2 + h] = i < in ? tg::float_to_bf16(w[i * out + j]) : uint16_t(0);
      }
  return TG_OK;
}

TG_API int32_t tg_quantize_int8(void* packed, const float* w, int32_t in, int32_t out) {
  if (!packed || !w) return TG_ERR_NULL;
  if (!tg::sizes_ok(in, out) || in > tg::kInt8MaxIn) return TG_ERR_SIZE;
  if (reinterpret_cast<uintptr_t>(packed) % 4 != 0) return TG_ERR_ARG;
  int8_t* q = static_cast<int8_t*>(packed);
  float* scales = reinterpret_cast<float*>(q + tg::int8_weight_bytes(in, out));
  int32_t* colsum = reinterpret_cast<int32_t*>(scales + out);
  const int64_t groups = (int64_t(in) + 3) / 4;
  for (int64_t j = 0; j < out; ++j) {
    float maxabs = 0.0f;
    for (int64_t i = 0; i < in; ++i) maxabs = std::fmax(maxabs, std::fabs(w[i * out + j]));
    const float scale = maxabs / 127.0f;
    scales[j] = scale;
    int32_t sum = 0;
    for (int64_t g = 0; g < groups; ++g)
      for (int64_t h = 0; h < 4; ++h) {
        const int64_t i = 4 * g + h;
        int32_t v = 0;
        if (i < in && scale > 0.0f) {
          // in double: w / scale rounded once, so |w - v * scale| <= scale / 2 up to a relative 2^-53
          const double r = std::nearbyint(double(w[i * out + j]) / double(scale));
          v = int32_t(r > 127.0 ? 127.0 : r < -127.0 ? -127.0 : r);
        }
        q[(g * out + j) * 4 + h] = int8_t(v);
        sum += v;
      }
    colsum[j] = sum;
  }
  return TG_OK;
}

TG_API int32_t tg_dense_forward_bf16(float* y, const float* x, const void* packed, const float* bias, int32_t batch,
                                     int32_t in, int32_t out) {
  if (!y || !x || !packed) return TG_ERR_NULL;
  if (batch < 1 || !tg::sizes_ok(in, out)) return TG_ERR_SIZE;
  tg::FpGuard fp;
  return tg::dense_bf16(y, x, static_cast<const uint16_t*>(packed), bias, batch, in, out);
}

TG_API int32_t tg_dense_forward_int8(float* y, const float* x, const void* packed, const float* bias, int32_t batch,
                                     int32_t in, int32_t out) {
  if (!y || !x || !packed) return TG_ERR_NULL;
  if (batch < 1 || !tg::sizes_ok(in, out) || in > tg::kInt8MaxIn) return TG_ERR_SIZE;
  if (reinterpret_cast<uintptr_t>(packed) % 4 != 0) return TG_ERR_ARG;
  tg::FpGuard fp;
  return tg::dense_int8(y, x, static_cast<const int8_t*>(packed), bias, batch, in, out);
}

TG_API int32_t tg_plan_forward_q(float* act, const float* params, const void* qparams, const int64_t* plan,
                                 int32_t n_ops, int32_t batch) {
  if (!act || !params || !plan) return TG_ERR_NULL;
  if (n_ops < 1 || batch < 1) return TG_ERR_SIZE;
  bool quantized = false;
  for (int32_t i = 0; i < n_ops; ++i) {
    const int64_t* e = plan + int64_t(i) * TG_PLAN_WORDS;
    if (int st = tg::check_entry(e)) return st;
    quantized = quantized || e[0] == TG_OP_DENSE_BF16 || e[0] == TG_OP_DENSE_INT8;
  }
  if (quantized && !qparams) return TG_ERR_NULL;
  if (qparams && reinterpret_cast<uintptr_t>(qparams) % 4 != 0) return TG_ERR_ARG;
  const uint8_t* q = static_cast<const uint8_t*>(qparams);
  tg::FpGuard fp;
  for (int32_t i = 0; i < n_ops; ++i) {
    const int64_t* e = plan + int64_t(i) * TG_PLAN_WORDS;
    const int64_t in = e[1], out = e[2];
    const float* x = act + e[5];
    float* y = act + e[6];
    const float* bias = e[4] < 0 ? nullptr : params + e[4];
    int st;
    switch (e[0]) {
      case TG_OP_DENSE_BF16:
        st = tg::dense_bf16(y, x, reinterpret_cast<const uint16_t*>(q + e[3]), bias, batch, in, out);
        break;
      case TG_OP_DENSE_INT8:
        st = tg::dense_int8(y, x, reinterpret_cast<const int8_t*>(q + e[3]), bias, batch, in, out);
        break;
      default: st = tg::run_fp32_entry(e, act, params, batch); break;
    }
    if (st) return st;
  }
  return TG_OK;
}

}  // extern "C"
