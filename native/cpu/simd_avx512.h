// AVX-512 vector vocabulary for the shared kernel templates; include only from an -mavx512f TU.
#pragma once
// gcc 12's AVX-512 headers build "undefined" vectors from themselves, which -Wmaybe-uninitialized flags.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop

namespace tg { namespace TG_ISA_NS {
constexpr int kW = 16;          // floats per vector
constexpr int kMR = 14;         // GEMM micro-tile rows: 14 x 2 zmm accumulators + 2 B vectors + 1 broadcast
constexpr int kNV = 2;          // GEMM micro-tile width in vectors (NR = 32)
// GEMM may read a row-major B in place for any M: two B vectors feed 28 FMAs, so B streams from L2 fast enough and
// skipping the packing copy measured 2 to 3% faster on the chart network's 256-wide layers (bench_gemm)
constexpr bool kDirectB = true;
constexpr int kGemvAcc = 16;    // accumulator vectors the GEMV keeps live
constexpr int kGemvMaxNV = 16;  // widest GEMV chunk in vectors (256 floats)
using vf = __m512;
static inline __mmask16 tail_mask(int n) { return n <= 0 ? 0 : n >= 16 ? 0xFFFF : __mmask16((1u << n) - 1); }
using vmask = __mmask16;  // lanes [0, n) of a partial vector
static inline vmask make_mask(int n) { return tail_mask(n); }
static inline vf vload_m(const float* p, vmask m) { return _mm512_maskz_loadu_ps(m, p); }
static inline void vstore_m(float* p, vf v, vmask m) { _mm512_mask_storeu_ps(p, m, v); }
static inline vf vzero() { return _mm512_setzero_ps(); }
static inline vf vload(const float* p) { return _mm512_loadu_ps(p); }
static inline vf vload_n(const float* p, int n) { return _mm512_maskz_loadu_ps(tail_mask(n), p); }
static inline void vstore(float* p, vf v) { _mm512_storeu_ps(p, v); }
static inline void vstore_n(float* p, vf v, int n) { _mm512_mask_storeu_ps(p, tail_mask(n), v); }
static inline vf vbcast(float x) { return _mm512_set1_ps(x); }
static inline vf vfma(vf a, vf b, vf c) { return _mm512_fmadd_ps(a, b, c); }
static inline vf vmul(vf a, vf b) { return _mm512_mul_ps(a, b); }
static inline vf vadd(vf a, vf b) { return _mm512_add_ps(a, b); }
// x > 0 ? a : b and x < 0 ? a : b per lane (ordered compares: a NaN x picks b)
static inline vf vsel_gt0(vf x, vf a, vf b) { return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(x, vzero(), _CMP_GT_OQ), b, a); }
static inline vf vsel_lt0(vf x, vf a, vf b) { return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(x, vzero(), _CMP_LT_OQ), b, a); }
// In-register 16 x 16 transpose: v[i] lane j becomes v[j] lane i (GEMM packing of transposed operands).
constexpr int kTransposeW = 16;
static inline void transpose_w(vf v[16]) {
  vf t[16];
  for (int i = 0; i < 8; ++i) {
    t[2 * i] = _mm512_unpacklo_ps(v[2 * i], v[2 * i + 1]);
    t[2 * i + 1] = _mm512_unpackhi_ps(v[2 * i], v[2 * i + 1]);
  }
  // v[4i + c], 128-bit lane L: rows 4i..4i+3 of column 4L + c
  for (int i = 0; i < 4; ++i) {
    const __m512d t0 = _mm512_castps_pd(t[4 * i]), t1 = _mm512_castps_pd(t[4 * i + 1]);
    const __m512d t2 = _mm512_castps_pd(t[4 * i + 2]), t3 = _mm512_castps_pd(t[4 * i + 3]);
    v[4 * i] = _mm512_castpd_ps(_mm512_unpacklo_pd(t0, t2));
    v[4 * i + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(t0, t2));
    v[4 * i + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(t1, t3));
    v[4 * i + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(t1, t3));
  }
  for (int c = 0; c < 4; ++c) {
    const vf u0 = _mm512_shuffle_f32x4(v[c], v[4 + c], 0x88), u1 = _mm512_shuffle_f32x4(v[c], v[4 + c], 0xdd);
    const vf u2 = _mm512_shuffle_f32x4(v[8 + c], v[12 + c], 0x88), u3 = _mm512_shuffle_f32x4(v[8 + c], v[12 + c], 0xdd);
    t[c] = _mm512_shuffle_f32x4(u0, u2, 0x88);
    t[c + 8] = _mm512_shuffle_f32x4(u0, u2, 0xdd);
    t[c + 4] = _mm512_shuffle_f32x4(u1, u3, 0x88);
    t[c + 12] = _mm512_shuffle_f32x4(u1, u3, 0xdd);
  }
  for (int i = 0; i < 16; ++i) v[i] = t[i];
}
static inline float vsum(vf v) {
  v = _mm512_add_ps(v, _mm512_shuffle_f32x4(v, v, _MM_SHUFFLE(1, 0, 3, 2)));
  v = _mm512_add_ps(v, _mm512_shuffle_f32x4(v, v, _MM_SHUFFLE(2, 3, 0, 1)));
  __m128 s = _mm512_castps512_ps128(v);
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}
}}  // namespace tg::TG_ISA_NS
