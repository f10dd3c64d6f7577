// Internal helpers shared by the entry-point translation units (never compiled with -m flags).
#pragma once
#include "tickgrad/tickgrad.h"
#include <cstddef>
#include <cstdint>
#if defined(__x86_64__) || defined(_M_X64)
#  include <xmmintrin.h>
#  define TG_X86 1
#endif

namespace tg {

// FTZ (bit 15) and DAZ (bit 6) for the call; the caller's MXCSR, status flags included, comes back
// on return because the JVM's own float code needs IEEE denormals.
class FpGuard {
 public:
  FpGuard() {
#ifdef TG_X86
    saved_ = _mm_getcsr();
    _mm_setcsr(saved_ | 0x8040u);
#endif
  }
  ~FpGuard() {
#ifdef TG_X86
    _mm_setcsr(saved_);
#endif
  }
  FpGuard(const FpGuard&) = delete;
  FpGuard& operator=(const FpGuard&) = delete;

 private:
  unsigned saved_ = 0;
};

struct GemmArgs;
struct Kernels;

// The table of the ISA picked by tg_set_isa / detection.
const Kernels& active_kernels();

// Runs fn(ctx, t) for t in [0, tasks) on the pool (caller included); serial when the pool is busy or 1 thread.
void parallel_for(int tasks, void (*fn)(void* ctx, int task), void* ctx);
int pool_threads();
// Whether the calling thread's most recent GEMM was split over the pool (set by the GEMM, read by the optimizers).
void set_last_gemm_split(bool split);
bool last_gemm_split();

// Thread-local 64-byte-aligned scratch, grown on demand and kept for the thread's life
// (GEMM packing buffers: no malloc per call). Returns nullptr if allocation fails.
float* scratch(int slot, size_t floats);

}  // namespace tg
