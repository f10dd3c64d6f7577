// Narrow-N GEMM in dot-product form (e.g. the 256 -> 6 output layer): C[i,j] = dot(A row i, B column j).
// With N far below the micro-tile width the blocked kernel would waste most of each vector; here every
// FMA is full width along K. Needs A rows contiguous (a_cs == 1); op(B) is copied once into Bt[n,k].
#pragma once
#include <cstdint>

namespace tg { namespace TG_ISA_NS {

constexpr int kNarrowMaxN = 8;

// c[R, J] (row stride ldc) = alpha * a[R, k] (row stride lda) . bt[J, k]^T (row stride k) + beta * c
template <int R, int J>
static void narrow_tile(float* c, int64_t ldc, const float* a, int64_t lda, const float* bt, int64_t k, float alpha,
                        float beta) {
  vf acc[R][J];
#pragma GCC unroll 4
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 4
    for (int j = 0; j < J; ++j) acc[r][j] = vzero();
  int64_t p = 0;
  for (; p + kW <= k; p += kW) {
    vf bv[J];
#pragma GCC unroll 4
    for (int j = 0; j < J; ++j) bv[j] = vload(bt + j * k + p);
#pragma GCC unroll 4
    for (int r = 0; r < R; ++r) {
      const vf av = vload(a + r * lda + p);
#pragma GCC unroll 4
      for (int j = 0; j < J; ++j) acc[r][j] = vfma(av, bv[j], acc[r][j]);
    }
  }
  if (p < k) {
    const int left = int(k - p);
    vf bv[J];
    for (int j = 0; j < J; ++j) bv[j] = vload_n(bt + j * k + p, left);
    for (int r = 0; r < R; ++r) {
      const vf av = vload_n(a + r * lda + p, left);
      for (int j = 0; j < J; ++j) acc[r][j] = vfma(av, bv[j], acc[r][j]);
    }
  }
  for (int r = 0; r < R; ++r)
    for (int j = 0; j < J; ++j) {
      const float x = alpha * vsum(acc[r][j]);
      float* dst = c + r * ldc + j;
      *dst = beta != 0.0f ? x + beta * *dst : x;
    }
}

using NarrowFn = void (*)(float*, int64_t, const float*, int64_t, const float*, int64_t, float, float);

template <int R, int J>
static void fill_narrow(NarrowFn (*fns)[5]) {
  fns[R][J] = &narrow_tile<R, J>;
  if constexpr (J > 1) fill_narrow<R, J - 1>(fns);
  else if constexpr (R > 1) fill_narrow<R - 1, 4>(fns);
}

// g.n <= kNarrowMaxN, g.a_cs == 1, C unit column stride. Returns TG_OK or TG_ERR_ALLOC.
static int sgemm_narrow(const GemmArgs& g) {
  float* bt = scratch(2, size_t(g.n * g.k));
  if (!bt) return TG_ERR_ALLOC;
  for (int64_t j = 0; j < g.n; ++j)
    for (int64_t p = 0; p < g.k; ++p) bt[j * g.k + p] = g.b[p * g.b_rs + j * g.b_cs];
  NarrowFn fns[5][5];
  fill_narrow<4, 4>(fns);
  for (int64_t i = 0; i < g.m; i += 4) {
    const int r = int(g.m - i < 4 ? g.m - i : 4);
    for (int64_t j = 0; j < g.n; j += 4) {
      const int w = int(g.n - j < 4 ? g.n - j : 4);
      fns[r][w](g.c + i * g.c_rs + j, g.c_rs, g.a + i * g.a_rs, g.a_rs, bt + j * g.k, g.k, g.alpha, g.beta);
    }
  }
  return TG_OK;
}

}}  // namespace tg::TG_ISA_NS
