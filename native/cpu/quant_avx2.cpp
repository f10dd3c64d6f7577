// AVX2+FMA reduced-precision rows: bf16 widened as it is loaded; int8 in integer code the compiler vectorises.
#define TG_ISA_NS avx2
#include "simd_avx2.h"
#include <cstdint>

namespace tg { namespace avx2 {
constexpr int kQuantMaxNV = 6;  // 6 accumulators x 2 + 2 broadcasts + weights within 16 ymm registers
using wi = __m256i;
static inline wi wload(const uint16_t* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); }
static inline wi wload_n(const uint16_t* p, int words) {
  return _mm256_maskload_epi32(reinterpret_cast<const int*>(p), tail_mask(words));
}
static inline vf weven(wi v) { return _mm256_castsi256_ps(_mm256_slli_epi32(v, 16)); }
static inline vf wodd(wi v) { return _mm256_castsi256_ps(_mm256_and_si256(v, _mm256_set1_epi32(int(0xFFFF0000u)))); }
}}  // namespace tg::avx2

#include "quant_simd_impl.h"

namespace tg {
QuantKernels quant_kernels_avx2() {
  return QuantKernels{&avx2::bf16_row_simd, &avx2::quantize_row_portable, &avx2::int8_row_portable};
}
}  // namespace tg
