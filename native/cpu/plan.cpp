// tg_plan_forward: the single-call predict path. Checks every entry first, then runs them in order
// on the caller's thread with one FpGuard for the whole pass.
#include "plan_walk.h"

extern "C" TG_API int32_t tg_plan_forward(float* act, const float* params, const int64_t* plan, int32_t n_ops,
                                          int32_t batch) {
  if (!act || !params || !plan) return TG_ERR_NULL;
  if (n_ops < 1 || batch < 1) return TG_ERR_SIZE;
  for (int32_t i = 0; i < n_ops; ++i)
    if (int st = tg::check_plan_entry(plan + int64_t(i) * TG_PLAN_WORDS, TG_OP_COPY)) return st;
  tg::FpGuard fp;
  for (int32_t i = 0; i < n_ops; ++i)
    if (int st = tg::run_fp32_entry(plan + int64_t(i) * TG_PLAN_WORDS, act, params, batch)) return st;
  return TG_OK;
}
