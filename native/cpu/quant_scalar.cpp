// Portable reduced-precision rows: the fallback for CPUs without AVX2+FMA (and for tests via tg_set_isa).
#define TG_ISA_NS scalar
#include "simd_scalar.h"
#include "quant_impl.h"

namespace tg {
QuantKernels quant_kernels_scalar() {
  return QuantKernels{&scalar::bf16_row_portable, &scalar::quantize_row_portable, &scalar::int8_row_portable};
}
}  // namespace tg
