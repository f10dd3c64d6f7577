// Run-time ISA detection (cpuid + xgetbv, so the OS must also save the wider registers) and selection.
#include "common.h"
#include "kernels.h"
#include <atomic>
#if defined(TG_X86)
#  include <cpuid.h>
#endif

namespace tg {
namespace {

#if defined(TG_X86)
uint64_t xgetbv0() {
  uint32_t lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (uint64_t(hi) << 32) | lo;
}
#endif

int detect_isa() {
#if defined(TG_X86) && defined(TG_HAVE_AVX_KERNELS)
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return TG_ISA_SCALAR;
  const bool fma = (c >> 12) & 1, osxsave = (c >> 27) & 1, avx = (c >> 28) & 1;
  if (!(fma && osxsave && avx)) return TG_ISA_SCALAR;
  const uint64_t xcr0 = xgetbv0();
  if ((xcr0 & 0x6) != 0x6) return TG_ISA_SCALAR;  // XMM and YMM state
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return TG_ISA_SCALAR;
  const bool avx2 = (b >> 5) & 1;
  if (!avx2) return TG_ISA_SCALAR;
  const bool f = (b >> 16) & 1, dq = (b >> 17) & 1, bw = (b >> 30) & 1, vl = (b >> 31) & 1;
  if (f && dq && bw && vl && (xcr0 & 0xE6) == 0xE6) return TG_ISA_AVX512;  // opmask + ZMM state
  return TG_ISA_AVX2;
#else
  return TG_ISA_SCALAR;
#endif
}

const Kernels* table_for(int isa) {
#if defined(TG_HAVE_AVX_KERNELS)
  if (isa == TG_ISA_AVX512) return &kernels_avx512();
  if (isa == TG_ISA_AVX2) return &kernels_avx2();
#endif
  return &kernels_scalar();
}

int cpu_isa() {
  static const int isa = detect_isa();
  return isa;
}

std::atomic<const Kernels*> g_active{nullptr};

}  // namespace

const Kernels& active_kernels() {
  const Kernels* k = g_active.load(std::memory_order_acquire);
  if (!k) {
    k = table_for(cpu_isa());
    const Kernels* expected = nullptr;
    if (!g_active.compare_exchange_strong(expected, k, std::memory_order_acq_rel)) k = expected;
  }
  return *k;
}

}  // namespace tg

extern "C" {

TG_API int32_t tg_cpu_isa(void) { return tg::cpu_isa(); }

TG_API int32_t tg_active_isa(void) { return tg::active_kernels().isa; }

TG_API int32_t tg_set_isa(int32_t isa) {
  if (isa < TG_ISA_SCALAR || isa > TG_ISA_AVX512) return TG_ERR_ARG;
  if (isa > tg::cpu_isa()) return TG_ERR_UNSUPPORTED;
  tg::g_active.store(tg::table_for(isa), std::memory_order_release);
  return TG_OK;
}

}  // extern "C"
