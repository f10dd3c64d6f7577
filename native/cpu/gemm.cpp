// tg_sgemm: argument checks, then the active ISA's blocked GEMM.
#include "common.h"
#include "kernels.h"

extern "C" TG_API int32_t tg_sgemm(float* c, const float* a, const float* b, int32_t m, int32_t n, int32_t k,
                                   int32_t trans_a, int32_t trans_b, float alpha, float beta,
                                   int32_t lda, int32_t ldb, int32_t ldc) {
  if (!c || !a || !b) return TG_ERR_NULL;
  if (m < 1 || n < 1 || k < 1) return TG_ERR_SIZE;
  if ((trans_a != 0 && trans_a != 1) || (trans_b != 0 && trans_b != 1)) return TG_ERR_ARG;
  if (lda < (trans_a ? m : k) || ldb < (trans_b ? k : n) || ldc < n) return TG_ERR_SIZE;
  tg::FpGuard fp;
  tg::GemmArgs g;
  g.m = m; g.n = n; g.k = k;
  g.a = a; g.a_rs = trans_a ? 1 : lda; g.a_cs = trans_a ? lda : 1;
  g.b = b; g.b_rs = trans_b ? 1 : ldb; g.b_cs = trans_b ? ldb : 1;
  g.c = c; g.c_rs = ldc; g.c_cs = 1;
  g.alpha = alpha; g.beta = beta;
  g.may_thread = true;
  return tg::active_kernels().sgemm(g);
}
