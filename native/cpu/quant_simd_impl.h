// bf16 rows for the AVX2 and AVX-512 translation units: each 32-bit word of the packed weights holds the bf16 weights
// of inputs 2p (low half) and 2p + 1 (high half) for one output, so one vector load gives kW outputs of two inputs,
// widened to fp32 by a shift (even input) and a mask (odd input). Needs the TU's simd_*.h plus:
//   wi, wload(const uint16_t*), wload_n(const uint16_t*, int words), weven(wi), wodd(wi).
#pragma once
#include "quant_impl.h"

namespace tg { namespace TG_ISA_NS {

// y[cols] = x[in] . W[:, cols] (+ bias); W's k-pair stride is ldw words. NV vectors of outputs stay in registers;
// when NV is small, the even and odd inputs feed separate accumulators to hide the FMA latency.
template <int NV>
static void bf16_chunk(float* y, const float* x, const uint16_t* w, int64_t ldw, const float* bias, int64_t in,
                       int cols) {
  constexpr bool kSplit = NV * 2 <= kQuantMaxNV;
  const int last = cols - (NV - 1) * kW;
  const vmask lm = make_mask(last);
  vf acc[NV], acc2[kSplit ? NV : 1];
#pragma GCC unroll 16
  for (int v = 0; v < NV; ++v) acc[v] = vzero();
#pragma GCC unroll 16
  for (int v = 0; v < (kSplit ? NV : 1); ++v) acc2[v] = vzero();
  const int64_t full = in / 2;
  for (int64_t p = 0; p < full; ++p) {
    const vf xe = vbcast(x[2 * p]), xo = vbcast(x[2 * p + 1]);
    const uint16_t* wr = w + p * ldw * 2;
#pragma GCC unroll 16
    for (int v = 0; v < NV; ++v) {
      const wi wv = v == NV - 1 ? wload_n(wr + v * kW * 2, last) : wload(wr + v * kW * 2);
      acc[v] = vfma(xe, weven(wv), acc[v]);
      if constexpr (kSplit) acc2[v] = vfma(xo, wodd(wv), acc2[v]);
      else acc[v] = vfma(xo, wodd(wv), acc[v]);
    }
  }
  if (in & 1) {
    const vf xe = vbcast(x[in - 1]);
    const uint16_t* wr = w + full * ldw * 2;
#pragma GCC unroll 16
    for (int v = 0; v < NV; ++v) {
      const wi wv = v == NV - 1 ? wload_n(wr + v * kW * 2, last) : wload(wr + v * kW * 2);
      acc[v] = vfma(xe, weven(wv), acc[v]);
    }
  }
#pragma GCC unroll 16
  for (int v = 0; v < NV; ++v) {
    vf r = acc[v];
    if constexpr (kSplit) r = vadd(r, acc2[v]);
    if (v == NV - 1) {
      if (bias) r = vadd(r, vload_m(bias + v * kW, lm));
      vstore_m(y + v * kW, r, lm);
    } else {
      if (bias) r = vadd(r, vload(bias + v * kW));
      vstore(y + v * kW, r);
    }
  }
}

using Bf16ChunkFn = void (*)(float*, const float*, const uint16_t*, int64_t, const float*, int64_t, int);

template <int NV>
static void fill_bf16(Bf16ChunkFn* fns) {
  fns[NV] = &bf16_chunk<NV>;
  if constexpr (NV > 1) fill_bf16<NV - 1>(fns);
}

static void bf16_row_simd(float* y, const float* x, const uint16_t* w, const float* bias, int64_t in, int64_t out,
                          float*) {
  Bf16ChunkFn fns[kQuantMaxNV + 1];
  fill_bf16<kQuantMaxNV>(fns);
  constexpr int64_t chunk = int64_t(kQuantMaxNV) * kW;
  for (int64_t j = 0; j < out; j += chunk) {
    const int cols = int(out - j < chunk ? out - j : chunk);
    fns[(cols + kW - 1) / kW](y + j, x, w + j * 2, out, bias ? bias + j : nullptr, in, cols);
  }
}

}}  // namespace tg::TG_ISA_NS
