// AVX-512 reduced-precision rows without the BF16/VNNI extensions: bf16 widened as it is loaded, the row
// quantisation vectorised, int8 sums in integer code the compiler vectorises.
#define TG_ISA_NS avx512
#include "simd_avx512.h"
#include <cmath>
#include <cstdint>

namespace tg { namespace avx512 {
constexpr int kQuantMaxNV = 16;  // 16 accumulators (256 outputs) + broadcasts and weights within 32 zmm registers
using wi = __m512i;
static inline wi wload(const uint16_t* p) { return _mm512_loadu_si512(p); }
static inline wi wload_n(const uint16_t* p, int words) { return _mm512_maskz_loadu_epi32(tail_mask(words), p); }
static inline vf weven(wi v) { return _mm512_castsi512_ps(_mm512_slli_epi32(v, 16)); }
static inline vf wodd(wi v) { return _mm512_castsi512_ps(_mm512_and_si512(v, _mm512_set1_epi32(int(0xFFFF0000u)))); }
}}  // namespace tg::avx512

#include "quant_simd_impl.h"

namespace tg { namespace avx512 {

// Same results as quantize_row_portable: max is exact, x * inv is one IEEE product, VCVTPS2DQ rounds to nearest even
// as nearbyint does under the default rounding mode.
static float quantize_row(int8_t* xq, const float* x, int64_t in) {
  const int64_t padded = (in + 3) / 4 * 4;
  const __m512 abs_mask = _mm512_castsi512_ps(_mm512_set1_epi32(0x7FFFFFFF));
  __m512 mx = vzero();
  __mmask16 bad = 0;
  int64_t i = 0;
  for (; i + kW <= in; i += kW) {
    const __m512 a = _mm512_and_ps(vload(x + i), abs_mask);
    bad |= _mm512_cmp_ps_mask(a, _mm512_set1_ps(3.4028234663852886e38f), _CMP_NLE_UQ);  // NaN or infinity
    mx = _mm512_max_ps(mx, a);
  }
  if (i < in) {
    const __mmask16 m = tail_mask(int(in - i));
    const __m512 a = _mm512_and_ps(_mm512_maskz_loadu_ps(m, x + i), abs_mask);
    bad |= _mm512_mask_cmp_ps_mask(m, a, _mm512_set1_ps(3.4028234663852886e38f), _CMP_NLE_UQ);
    mx = _mm512_max_ps(mx, a);
  }
  const float maxabs = _mm512_reduce_max_ps(mx);
  if (bad || maxabs == 0.0f) {
    for (int64_t k = 0; k < padded; ++k) xq[k] = 0;
    return bad ? NAN : 0.0f;
  }
  const __m512 inv = _mm512_set1_ps(127.0f / maxabs);
  const __m512i lo = _mm512_set1_epi32(-127), hi = _mm512_set1_epi32(127);
  for (i = 0; i + kW <= in; i += kW) {
    __m512i q = _mm512_cvtps_epi32(_mm512_mul_ps(vload(x + i), inv));
    q = _mm512_min_epi32(_mm512_max_epi32(q, lo), hi);
    _mm512_mask_cvtepi32_storeu_epi8(xq + i, 0xFFFF, q);
  }
  if (i < in) {
    const __mmask16 m = tail_mask(int(in - i));
    __m512i q = _mm512_cvtps_epi32(_mm512_mul_ps(_mm512_maskz_loadu_ps(m, x + i), inv));
    q = _mm512_min_epi32(_mm512_max_epi32(q, lo), hi);
    _mm512_mask_cvtepi32_storeu_epi8(xq + i, m, q);
  }
  for (int64_t k = in; k < padded; ++k) xq[k] = 0;
  return maxabs / 127.0f;
}

}}  // namespace tg::avx512

namespace tg {
QuantKernels quant_kernels_avx512() {
  return QuantKernels{&avx512::bf16_row_simd, &avx512::quantize_row, &avx512::int8_row_portable};
}
}  // namespace tg
