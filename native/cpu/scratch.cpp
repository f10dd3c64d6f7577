// Thread-local packing buffers: grown on demand, reused across calls, freed at thread exit.
#include "common.h"
#include <cstdlib>

namespace tg {
namespace {

struct Buffers {
  static constexpr int kSlots = 6;
  float* ptr[kSlots] = {};
  size_t cap[kSlots] = {};
  ~Buffers() {
    for (float* p : ptr) std::free(p);
  }
};

thread_local Buffers t_buffers;

}  // namespace

float* scratch(int slot, size_t floats) {
  Buffers& b = t_buffers;
  if (slot < 0 || slot >= Buffers::kSlots) return nullptr;
  if (b.cap[slot] < floats) {
    const size_t want = (floats * sizeof(float) + 4095) & ~size_t(4095);
    void* p = std::aligned_alloc(64, want);
    if (!p) return nullptr;
    std::free(b.ptr[slot]);
    b.ptr[slot] = static_cast<float*>(p);
    b.cap[slot] = want / sizeof(float);
  }
  return b.ptr[slot];
}

}  // namespace tg
