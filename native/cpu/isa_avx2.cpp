// AVX2+FMA kernels: compiled with -mavx2 -mfma, reached only after the run-time CPU check.
#define TG_ISA_NS avx2
#include "simd_avx2.h"
#include "gemm_impl.h"
#include "gemv_impl.h"
#include "elementwise_impl.h"
#include "table_impl.h"

namespace tg {
namespace {
constexpr Kernels kTable = avx2::make_table(TG_ISA_AVX2);
}
const Kernels& kernels_avx2() { return kTable; }
}  // namespace tg
