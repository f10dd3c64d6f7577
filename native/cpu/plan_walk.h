// The forward plan's entries, shared by the fp32 plan (plan.cpp) and the reduced-precision plan (quant.cpp): one
// check of an entry's words before anything runs, and one runner of the fp32 ops. An entry is TG_PLAN_WORDS int64:
// op, in, out, weight offset, bias offset (-1: none), x offset, y offset, activation kind, low float (alpha/eps).
#pragma once
#include "common.h"
#include "ops.h"
#include <cstring>

namespace tg {

// The float stored in the low 32 bits of a plan word (an activation's alpha, a layer norm's epsilon).
inline float low_float(int64_t word) {
  const uint32_t bits = uint32_t(uint64_t(word) & 0xFFFFFFFFu);
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

inline bool is_dense_op(int64_t op) {
  return op == TG_OP_DENSE || op == TG_OP_DENSE_BF16 || op == TG_OP_DENSE_INT8;
}

// TG_OK or the status for one plan entry e[TG_PLAN_WORDS] whose op is at most last_op (TG_OP_COPY for the fp32
// plan, TG_OP_DENSE_INT8 where packed dense ops may appear); packed ops get their own checks from the caller.
inline int check_plan_entry(const int64_t* e, int64_t last_op) {
  const int64_t op = e[0], in = e[1], out = e[2];
  if (op < TG_OP_DENSE || op > last_op) return TG_ERR_ARG;
  if (in < 1 || out < 1 || in > INT32_MAX || out > INT32_MAX) return TG_ERR_SIZE;
  if (e[5] < 0 || e[6] < 0) return TG_ERR_SIZE;
  if (!is_dense_op(op) && in != out) return TG_ERR_SIZE;
  if ((is_dense_op(op) || op == TG_OP_LAYERNORM) && (e[3] < 0 || e[4] < -1)) return TG_ERR_SIZE;
  if (op == TG_OP_ACTIVATION && (e[7] < INT32_MIN || e[7] > INT32_MAX || !activation_kind_ok(int32_t(e[7]))))
    return TG_ERR_ARG;
  if (op == TG_OP_LAYERNORM && !(low_float(e[8]) >= 0.0f)) return TG_ERR_ARG;
  return TG_OK;
}

// Runs one checked fp32 entry (dense, activation, softmax, layer norm, copy) on batch rows of act; a packed dense
// op is the caller's and is passed over here. TG_OK or the dense kernel's status.
inline int run_fp32_entry(const int64_t* e, float* act, const float* params, int32_t batch) {
  const int64_t in = e[1], out = e[2];
  const float* x = act + e[5];
  float* y = act + e[6];
  const float* bias = e[4] < 0 ? nullptr : params + e[4];
  switch (e[0]) {
    case TG_OP_DENSE: return dense_forward(y, x, params + e[3], bias, batch, in, out);
    case TG_OP_ACTIVATION: activation_forward(y, x, int64_t(batch) * in, int32_t(e[7]), low_float(e[8])); break;
    case TG_OP_SOFTMAX: softmax_forward(y, x, batch, in); break;
    case TG_OP_LAYERNORM:
      layernorm_forward(y, nullptr, nullptr, x, params + e[3], bias, batch, in, low_float(e[8]));
      break;
    case TG_OP_COPY:
      if (y != x) std::memmove(y, x, size_t(batch) * size_t(in) * sizeof(float));
      break;
    default: break;
  }
  return TG_OK;
}

}  // namespace tg
