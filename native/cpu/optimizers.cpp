// SGD and Adam/AdamW steps: checks here, the loops in the ISA table.
#include "common.h"
#include "kernels.h"
#include <cmath>

namespace {

// Element-wise steps over a large tensor split into one contiguous slice per pool thread (cache-line aligned), so
// each core updates the rows of the gradient that its own GEMM slice wrote: on the 2-core machine of bench/ a serial
// Adam after a 2-thread backward ran 5x slower than after a 1-thread one, every write waiting for the other core's
// copy of the line to be invalidated. Only after a split backward (the caller's last GEMM was split): after a serial
// one the split would move the weights to the other core and back every step (batch 32 ran at 0.83x). Element-wise,
// so the result is the same for any number of threads.
constexpr int64_t kParallelMin = int64_t(1) << 15;  // smaller tensors: one thread (the split costs more than it saves)

template <typename Slice>
void for_slices(int64_t n, Slice slice) {
  const int threads = tg::pool_threads();
  if (threads < 2 || n < kParallelMin || !tg::last_gemm_split()) {
    slice(0, n);
    return;
  }
  struct Ctx {
    Slice* slice;
    int64_t n, per;
  } ctx{&slice, n, ((n + threads - 1) / threads + 15) / 16 * 16};
  tg::parallel_for(threads, [](void* c, int t) {
    const Ctx& x = *static_cast<Ctx*>(c);
    const int64_t lo = int64_t(t) * x.per;
    const int64_t hi = lo + x.per < x.n ? lo + x.per : x.n;
    if (lo < hi) (*x.slice)(lo, hi - lo);
  }, &ctx);
}

}  // namespace

extern "C" {

TG_API int32_t tg_sgd_step(float* p, float* velocity, const float* g, int64_t n,
                           float lr, float momentum, float weight_decay, int32_t nesterov) {
  if (!p || !g || (momentum != 0.0f && !velocity)) return TG_ERR_NULL;
  if (n < 1) return TG_ERR_SIZE;
  tg::FpGuard fp;
  const auto& k = tg::active_kernels();
  for_slices(n, [&](int64_t o, int64_t len) {
    k.sgd(p + o, velocity ? velocity + o : nullptr, g + o, len, lr, momentum, weight_decay, nesterov != 0);
  });
  return TG_OK;
}

TG_API int32_t tg_adam_step(float* p, float* m, float* v, const float* g, int64_t n,
                            float lr, float beta1, float beta2, float eps, float weight_decay,
                            int64_t t, int32_t decoupled) {
  if (!p || !m || !v || !g) return TG_ERR_NULL;
  if (n < 1) return TG_ERR_SIZE;
  if (t < 1 || !(beta1 >= 0.0f && beta1 < 1.0f) || !(beta2 >= 0.0f && beta2 < 1.0f)) return TG_ERR_ARG;
  tg::FpGuard fp;
  // Bias corrections in double: b^t for large t underflows gracefully instead of losing digits.
  const double bc1 = 1.0 - std::pow(double(beta1), double(t));
  const double bc2 = 1.0 - std::pow(double(beta2), double(t));
  const auto& k = tg::active_kernels();
  for_slices(n, [&](int64_t o, int64_t len) {
    k.adam(p + o, m + o, v + o, g + o, len, lr, beta1, beta2, eps, weight_decay, decoupled != 0, float(bc1), float(bc2));
  });
  return TG_OK;
}

}  // extern "C"
