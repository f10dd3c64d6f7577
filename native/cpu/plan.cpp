// tg_plan_forward: the single-call predict path. Checks every entry first, then runs them in order
// on the caller's thread with one FpGuard for the whole pass.
#include "common.h"
#include "ops.h"
#include <cstring>

namespace tg {
namespace {

float low_float(int64_t word) {
  const uint32_t bits = uint32_t(uint64_t(word) & 0xFFFFFFFFu);
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

// TG_OK or the status for one plan entry e[TG_PLAN_WORDS]
int check_entry(const int64_t* e) {
  const int64_t op = e[0], in = e[1], out = e[2];
  if (op < TG_OP_DENSE || op > TG_OP_COPY) return TG_ERR_ARG;
  if (in < 1 || out < 1 || in > INT32_MAX || out > INT32_MAX) return TG_ERR_SIZE;
  if (e[5] < 0 || e[6] < 0) return TG_ERR_SIZE;
  if (op != TG_OP_DENSE && in != out) return TG_ERR_SIZE;
  if ((op == TG_OP_DENSE || op == TG_OP_LAYERNORM) && (e[3] < 0 || e[4] < -1)) return TG_ERR_SIZE;
  if (op == TG_OP_ACTIVATION && (e[7] < INT32_MIN || e[7] > INT32_MAX || !activation_kind_ok(int32_t(e[7]))))
    return TG_ERR_ARG;
  if (op == TG_OP_LAYERNORM && !(low_float(e[8]) >= 0.0f)) return TG_ERR_ARG;
  return TG_OK;
}

}  // namespace
}  // namespace tg

extern "C" TG_API int32_t tg_plan_forward(float* act, const float* params, const int64_t* plan, int32_t n_ops,
                                          int32_t batch) {
  if (!act || !params || !plan) return TG_ERR_NULL;
  if (n_ops < 1 || batch < 1) return TG_ERR_SIZE;
  for (int32_t i = 0; i < n_ops; ++i)
    if (int st = tg::check_entry(plan + int64_t(i) * TG_PLAN_WORDS)) return st;
  tg::FpGuard fp;
  for (int32_t i = 0; i < n_ops; ++i) {
    const int64_t* e = plan + int64_t(i) * TG_PLAN_WORDS;
    const int64_t in = e[1], out = e[2];
    const float* x = act + e[5];
    float* y = act + e[6];
    switch (e[0]) {
      case TG_OP_DENSE:
        if (int st = tg::dense_forward(y, x, params + e[3], e[4] < 0 ? nullptr : params + e[4], batch, in, out))
          return st;
        break;
      case TG_OP_ACTIVATION:
        tg::activation_forward(y, x, int64_t(batch) * in, int32_t(e[7]), tg::low_float(e[8]));
        break;
      case TG_OP_SOFTMAX: tg::softmax_forward(y, x, batch, in); break;
      case TG_OP_LAYERNORM:
        tg::layernorm_forward(y, nullptr, nullptr, x, params + e[3], e[4] < 0 ? nullptr : params + e[4], batch, in,
                              tg::low_float(e[8]));
        break;
      case TG_OP_COPY:
        if (y != x) std::memmove(y, x, size_t(batch) * size_t(in) * sizeof(float));
        break;
      default: break;
    }
  }
  return TG_OK;
}
