// Small-batch dense kernels shared by every ISA (no packing: the weights stream once per row).
#pragma once
#include <cstdint>

namespace tg { namespace TG_ISA_NS {

// y[cols] = x[in] . w[in, cols] (row stride ldw) (+ bias[cols]).
// NV output vectors stay in registers; S partial sums over i hide the FMA latency when NV is small.
template <int NV>
static void gemv_chunk(float* y, const float* x, const float* w, int64_t ldw, const float* bias, int64_t in, int cols) {
  constexpr int S = kGemvAcc / NV < 1 ? 1 : (kGemvAcc / NV > 8 ? 8 : kGemvAcc / NV);
  const int last = cols - (NV - 1) * kW;  // floats in the last vector, 1..kW
  const vmask lm = make_mask(last);       // built once: the loop must not recompute it
  vf acc[S][NV];
#pragma GCC unroll 8
  for (int s = 0; s < S; ++s)
#pragma GCC unroll 16
    for (int v = 0; v < NV; ++v) acc[s][v] = vzero();
  int64_t i = 0;
  for (; i + S <= in; i += S) {
#pragma GCC unroll 8
    for (int s = 0; s < S; ++s) {
      const vf xs = vbcast(x[i + s]);
      const float* wr = w + (i + s) * ldw;
#pragma GCC unroll 16
      for (int v = 0; v < NV; ++v) {
        const vf wv = v == NV - 1 ? vload_m(wr + v * kW, lm) : vload(wr + v * kW);
        acc[s][v] = vfma(xs, wv, acc[s][v]);
      }
    }
  }
  for (; i < in; ++i) {
    const vf xs = vbcast(x[i]);
    const float* wr = w + i * ldw;
#pragma GCC unroll 16
    for (int v = 0; v < NV; ++v) {
      const vf wv = v == NV - 1 ? vload_m(wr + v * kW, lm) : vload(wr + v * kW);
      acc[0][v] = vfma(xs, wv, acc[0][v]);
    }
  }
#pragma GCC unroll 8
  for (int s = 1; s < S; ++s)
#pragma GCC unroll 16
    for (int v = 0; v < NV; ++v) acc[0][v] = vadd(acc[0][v], acc[s][v]);
#pragma GCC unroll 16
  for (int v = 0; v < NV; ++v) {
    vf r = acc[0][v];
    if (v == NV - 1) {
      if (bias) r = vadd(r, vload_m(bias + v * kW, lm));
      vstore_m(y + v * kW, r, lm);
    } else {
      if (bias) r = vadd(r, vload(bias + v * kW));
      vstore(y + v * kW, r);
    }
  }
}

using GemvFn = void (*)(float*, const float*, const float*, int64_t, const float*, int64_t, int);

template <int NV>
static void fill_gemv(GemvFn* fns) {
  fns[NV] = &gemv_chunk<NV>;
  if constexpr (NV > 1) fill_gemv<NV - 1>(fns);
}

static float dot(const float* a, const float* b, int64_t n);

// y[rows,out] = x[rows,in] w[in,out] (+ bias[out]); each row in chunks of up to kGemvMaxNV vectors.
static void gemv_rows(float* y, const float* x, const float* w, const float* bias, int64_t rows, int64_t in, int64_t out) {
  GemvFn fns[kGemvMaxNV + 1];
  fill_gemv<kGemvMaxNV>(fns);
  constexpr int64_t chunk = int64_t(kGemvMaxNV) * kW;
  if (out == 1) {  // a single output column is contiguous in W: a plain dot product
    for (int64_t b = 0; b < rows; ++b) y[b] = dot(x + b * in, w, in) + (bias ? bias[0] : 0.0f);
    return;
  }
  for (int64_t b = 0; b < rows; ++b) {
    for (int64_t j = 0; j < out; j += chunk) {
      const int cols = int(out - j < chunk ? out - j : chunk);
      const int nv = (cols + kW - 1) / kW;
      fns[nv](y + b * out + j, x + b * in, w + j, out, bias ? bias + j : nullptr, in, cols);
    }
  }
}

// sum a[n] * b[n] with four vector partial sums
static float dot(const float* a, const float* b, int64_t n) {
  vf s0 = vzero(), s1 = vzero(), s2 = vzero(), s3 = vzero();
  int64_t i = 0;
  for (; i + 4 * kW <= n; i += 4 * kW) {
    s0 = vfma(vload(a + i), vload(b + i), s0);
    s1 = vfma(vload(a + i + kW), vload(b + i + kW), s1);
    s2 = vfma(vload(a + i + 2 * kW), vload(b + i + 2 * kW), s2);
    s3 = vfma(vload(a + i + 3 * kW), vload(b + i + 3 * kW), s3);
  }
  for (; i + kW <= n; i += kW) s0 = vfma(vload(a + i), vload(b + i), s0);
  if (i < n) s1 = vfma(vload_n(a + i, int(n - i)), vload_n(b + i, int(n - i)), s1);
  return vsum(vadd(vadd(s0, s1), vadd(s2, s3)));
}

// y[n] += s * x[n]
static void axpy(float* y, float s, const float* x, int64_t n) {
  const vf vs = vbcast(s);
  int64_t i = 0;
  for (; i + kW <= n; i += kW) vstore(y + i, vfma(vs, vload(x + i), vload(y + i)));
  if (i < n) vstore_n(y + i, vfma(vs, vload_n(x + i, int(n - i)), vload_n(y + i, int(n - i))), int(n - i));
}

// dx[rows,in] = dy[rows,out] w[in,out]^T
static void dot_rows(float* dx, const float* dy, const float* w, int64_t rows, int64_t in, int64_t out) {
  for (int64_t b = 0; b < rows; ++b)
    for (int64_t i = 0; i < in; ++i) dx[b * in + i] = dot(dy + b * out, w + i * out, out);
}

// dw[in,out] += x[rows,in]^T dy[rows,out]  (rank-`rows` update, row by row)
static void ger_rows(float* dw, const float* x, const float* dy, int64_t rows, int64_t in, int64_t out) {
  for (int64_t b = 0; b < rows; ++b)
    for (int64_t i = 0; i < in; ++i) axpy(dw + i * out, x[b * in + i], dy + b * out, out);
}

}}  // namespace tg::TG_ISA_NS
