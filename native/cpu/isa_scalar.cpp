// Portable kernels: the fallback for CPUs without AVX2+FMA (and for tests via tg_set_isa).
#define TG_ISA_NS scalar
#include "simd_scalar.h"
#include "gemm_impl.h"
#include "gemv_impl.h"
#include "elementwise_impl.h"
#include "table_impl.h"

namespace tg {
namespace {
constexpr Kernels kTable = scalar::make_table(TG_ISA_SCALAR);
}
const Kernels& kernels_scalar() { return kTable; }
}  // namespace tg
