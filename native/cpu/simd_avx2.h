// AVX2+FMA vector vocabulary for the shared kernel templates; include only from an -mavx2 -mfma TU.
#pragma once
#include <immintrin.h>

namespace tg { namespace TG_ISA_NS {
constexpr int kW = 8;
constexpr int kMR = 6;          // 6 x 2 ymm accumulators + 2 B vectors + 1 broadcast fit in 16 registers
constexpr int kNV = 2;          // NR = 16
constexpr bool kDirectB = false;  // GEMM packs B whenever several row tiles reuse it (reading it in place measured slower)
constexpr int kGemvAcc = 8;
constexpr int kGemvMaxNV = 8;
using vf = __m256;
static inline __m256i tail_mask(int n) {
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}
using vmask = __m256i;  // lanes [0, n) of a partial vector
static inline vmask make_mask(int n) { return tail_mask(n); }
static inline vf vload_m(const float* p, vmask m) { return _mm256_maskload_ps(p, m); }
static inline void vstore_m(float* p, vf v, vmask m) { _mm256_maskstore_ps(p, m, v); }
static inline vf vzero() { return _mm256_setzero_ps(); }
static inline vf vload(const float* p) { return _mm256_loadu_ps(p); }
static inline vf vload_n(const float* p, int n) { return _mm256_maskload_ps(p, tail_mask(n)); }
static inline void vstore(float* p, vf v) { _mm256_storeu_ps(p, v); }
static inline void vstore_n(float* p, vf v, int n) { _mm256_maskstore_ps(p, tail_mask(n), v); }
static inline vf vbcast(float x) { return _mm256_set1_ps(x); }
static inline vf vfma(vf a, vf b, vf c) { return _mm256_fmadd_ps(a, b, c); }
static inline vf vmul(vf a, vf b) { return _mm256_mul_ps(a, b); }
static inline vf vadd(vf a, vf b) { return _mm256_add_ps(a, b); }
// x > 0 ? a : b and x < 0 ? a : b per lane (ordered compares: a NaN x picks b)
static inline vf vsel_gt0(vf x, vf a, vf b) { return _mm256_blendv_ps(b, a, _mm256_cmp_ps(x, vzero(), _CMP_GT_OQ)); }
static inline vf vsel_lt0(vf x, vf a, vf b) { return _mm256_blendv_ps(b, a, _mm256_cmp_ps(x, vzero(), _CMP_LT_OQ)); }
constexpr int kTransposeW = 0;  // no in-register transpose: GEMM packing of transposed operands is scalar
static inline void transpose_w(vf*) {}
static inline float vsum(vf v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}
}}  // namespace tg::TG_ISA_NS
