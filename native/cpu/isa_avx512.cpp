// AVX-512 kernels: compiled with -mavx512f/dq/bw/vl, reached only after the run-time CPU check.
#define TG_ISA_NS avx512
#include "simd_avx512.h"
#include "gemm_impl.h"
#include "gemv_impl.h"
#include "elementwise_impl.h"
#include "table_impl.h"

namespace tg {
namespace {
constexpr Kernels kTable = avx512::make_table(TG_ISA_AVX512);
}
const Kernels& kernels_avx512() { return kTable; }
}  // namespace tg
