// AVX512_BF16 and AVX512_VNNI rows: compiled with -mavx512bf16 -mavx512vnni, reached only when tg_cpu_features()
// reports the extension. VDPBF16PS does 32 bf16 products per instruction and VPDPBUSD 64 u8 x s8 products, against
// 16 for an fp32 FMA: these are what let a batch-1 predict beat the fp32 FMA ceiling.
#define TG_ISA_NS avx512x
#include "simd_avx512.h"
#include "quant_kernels.h"

namespace tg { namespace avx512x {

constexpr int kMaxNV = 16;  // 256 outputs per chunk

// ---- bf16: x rounded to bf16 (VCVTNE2PS2BF16, nearest even), pairs of inputs broadcast as one 32-bit word ----

template <int NV>
static void bf16_chunk(float* y, const uint16_t* xb, const uint16_t* w, int64_t ldw, const float* bias, int64_t pairs,
                       int cols) {
  constexpr int S = NV <= 4 ? 2 : 1;  // independent accumulator sets per output vector
  const int last = cols - (NV - 1) * kW;
  const __mmask16 lm = tail_mask(last);
  __m512 acc[S][NV];
#pragma GCC unroll 16
  for (int s = 0; s < S; ++s)
#pragma GCC unroll 16
    for (int v = 0; v < NV; ++v) acc[s][v] = vzero();
  int64_t p = 0;
  for (; p + S <= pairs; p += S) {
#pragma GCC unroll 2
    for (int s = 0; s < S; ++s) {
      int32_t word;
      __builtin_memcpy(&word, xb + 2 * (p + s), 4);
      const __m512bh xv = (__m512bh)_mm512_set1_epi32(word);
      const uint16_t* wr = w + (p + s) * ldw * 2;
#pragma GCC unroll 16
      for (int v = 0; v < NV; ++v) {
        const __m512i wv = v == NV - 1 ? _mm512_maskz_loadu_epi32(lm, wr + v * 32) : _mm512_loadu_si512(wr + v * 32);
        acc[s][v] = _mm512_dpbf16_ps(acc[s][v], (__m512bh)wv, xv);
      }
    }
  }
  for (; p < pairs; ++p) {
    int32_t word;
    __builtin_memcpy(&word, xb + 2 * p, 4);
    const __m512bh xv = (__m512bh)_mm512_set1_epi32(word);
    const uint16_t* wr = w + p * ldw * 2;
#pragma GCC unroll 16
    for (int v = 0; v < NV; ++v) {
      const __m512i wv = v == NV - 1 ? _mm512_maskz_loadu_epi32(lm, wr + v * 32) : _mm512_loadu_si512(wr + v * 32);
      acc[0][v] = _mm512_dpbf16_ps(acc[0][v], (__m512bh)wv, xv);
    }
  }
#pragma GCC unroll 16
  for (int v = 0; v < NV; ++v) {
    __m512 r = acc[0][v];
    if constexpr (S > 1) r = _mm512_add_ps(r, acc[1][v]);
    const __mmask16 m = v == NV - 1 ? lm : __mmask16(0xFFFF);
    if (bias) r = _mm512_add_ps(r, _mm512_maskz_loadu_ps(m, bias + v * kW));
    _mm512_mask_storeu_ps(y + v * kW, m, r);
  }
}

using Bf16Fn = void (*)(float*, const uint16_t*, const uint16_t*, int64_t, const float*, int64_t, int);
template <int NV>
static void fill_bf16(Bf16Fn* fns) {
  fns[NV] = &bf16_chunk<NV>;
  if constexpr (NV > 1) fill_bf16<NV - 1>(fns);
}

static void bf16_row(float* y, const float* x, const uint16_t* w, const float* bias, int64_t in, int64_t out,
                     float* scratch) {
  // the row as bf16, zero padded to whole pairs (32 at a time: two float vectors per conversion)
  uint16_t* xb = reinterpret_cast<uint16_t*>(scratch);
  for (int64_t i = 0; i < in; i += 32) {
    const int64_t n = in - i;
    const __mmask16 m0 = tail_mask(int(n)), m1 = tail_mask(int(n - 16));
    const __m512 lo = _mm512_maskz_loadu_ps(m0, x + i), hi = _mm512_maskz_loadu_ps(m1, x + i + 16);
    _mm512_storeu_si512(xb + i, (__m512i)_mm512_cvtne2ps_pbh(hi, lo));
  }
  const int64_t pairs = (in + 1) / 2;
  if (out == 1) {  // one output: its weights are contiguous, a dot product over 32 bf16 pairs at a time
    __m512 acc0 = vzero(), acc1 = vzero();
    int64_t w_words = pairs, i = 0;
    for (; i + 32 <= w_words; i += 32) {
      acc0 = _mm512_dpbf16_ps(acc0, (__m512bh)_mm512_loadu_si512(w + 2 * i), (__m512bh)_mm512_loadu_si512(xb + 2 * i));
      acc1 = _mm512_dpbf16_ps(acc1, (__m512bh)_mm512_loadu_si512(w + 2 * i + 32),
                              (__m512bh)_mm512_loadu_si512(xb + 2 * i + 32));
    }
    for (; i < w_words; i += 16) {
      const __mmask16 m = tail_mask(int(w_words - i));
      acc0 = _mm512_dpbf16_ps(acc0, (__m512bh)_mm512_maskz_loadu_epi32(m, w + 2 * i),
                              (__m512bh)_mm512_maskz_loadu_epi32(m, xb + 2 * i));
    }
    const float r = _mm512_reduce_add_ps(_mm512_add_ps(acc0, acc1));
    y[0] = bias ? r + bias[0] : r;
    return;
  }
  Bf16Fn fns[kMaxNV + 1];
  fill_bf16<kMaxNV>(fns);
  constexpr int64_t chunk = int64_t(kMaxNV) * kW;
  for (int64_t j = 0; j < out; j += chunk) {
    const int cols = int(out - j < chunk ? out - j : chunk);
    fns[(cols + kW - 1) / kW](y + j, xb, w + j * 2, out, bias ? bias + j : nullptr, pairs, cols);
  }
}

// ---- int8: VPDPBUSD takes unsigned activations, so xq + 128 (xq ^ 0x80) goes in and 128 * colsum comes off ----

template <int NV>
static void int8_chunk(float* y, const int8_t* xq, float sx, const int8_t* w, int64_t ldw, const float* scales,
                       const int32_t* colsum, const float* bias, int64_t groups, int cols) {
  constexpr int S = NV <= 4 ? 2 : 1;
  const int last = cols - (NV - 1) * kW;
  const __mmask16 lm = tail_mask(last);
  const __m512i flip = _mm512_set1_epi32(int(0x80808080u));
  __m512i acc[S][NV];
#pragma GCC unroll 16
  for (int s = 0; s < S; ++s)
#pragma GCC unroll 16
    for (int v = 0; v < NV; ++v) acc[s][v] = _mm512_setzero_si512();
  int64_t g = 0;
  for (; g + S <= groups; g += S) {
#pragma GCC unroll 2
    for (int s = 0; s < S; ++s) {
      int32_t word;
      __builtin_memcpy(&word, xq + 4 * (g + s), 4);
      const __m512i xv = _mm512_xor_si512(_mm512_set1_epi32(word), flip);
      const int8_t* wr = w + (g + s) * ldw * 4;
#pragma GCC unroll 16
      for (int v = 0; v < NV; ++v) {
        const __m512i wv = v == NV - 1 ? _mm512_maskz_loadu_epi32(lm, wr + v * 64) : _mm512_loadu_si512(wr + v * 64);
        acc[s][v] = _mm512_dpbusd_epi32(acc[s][v], xv, wv);
      }
    }
  }
  for (; g < groups; ++g) {
    int32_t word;
    __builtin_memcpy(&word, xq + 4 * g, 4);
    const __m512i xv = _mm512_xor_si512(_mm512_set1_epi32(word), flip);
    const int8_t* wr = w + g * ldw * 4;
#pragma GCC unroll 16
    for (int v = 0; v < NV; ++v) {
      const __m512i wv = v == NV - 1 ? _mm512_maskz_loadu_epi32(lm, wr + v * 64) : _mm512_loadu_si512(wr + v * 64);
      acc[0][v] = _mm512_dpbusd_epi32(acc[0][v], xv, wv);
    }
  }
  const __m512 vsx = _mm512_set1_ps(sx);
#pragma GCC unroll 16
  for (int v = 0; v < NV; ++v) {
    __m512i a = acc[0][v];
    if constexpr (S > 1) a = _mm512_add_epi32(a, acc[1][v]);
    const __mmask16 m = v == NV - 1 ? lm : __mmask16(0xFFFF);
    a = _mm512_sub_epi32(a, _mm512_slli_epi32(_mm512_maskz_loadu_epi32(m, colsum + v * kW), 7));
    const __m512 s = _mm512_mul_ps(vsx, _mm512_maskz_loadu_ps(m, scales + v * kW));
    __m512 r = _mm512_mul_ps(_mm512_cvtepi32_ps(a), s);
    if (bias) r = _mm512_add_ps(r, _mm512_maskz_loadu_ps(m, bias + v * kW));
    _mm512_mask_storeu_ps(y + v * kW, m, r);
  }
}

using Int8Fn = void (*)(float*, const int8_t*, float, const int8_t*, int64_t, const float*, const int32_t*,
                        const float*, int64_t, int);
template <int NV>
static void fill_int8(Int8Fn* fns) {
  fns[NV] = &int8_chunk<NV>;
  if constexpr (NV > 1) fill_int8<NV - 1>(fns);
}

static void int8_row(float* y, const int8_t* xq, float sx, const int8_t* w, const float* scales,
                     const int32_t* colsum, const float* bias, int64_t in, int64_t out) {
  const int64_t groups = (in + 3) / 4;
  if (out == 1) {  // one output: its weights are contiguous, a dot product over 64 bytes at a time
    const __m512i flip = _mm512_set1_epi32(int(0x80808080u));
    __m512i acc = _mm512_setzero_si512();
    for (int64_t g = 0; g < groups; g += 16) {
      const __mmask16 m = tail_mask(int(groups - g));
      const __m512i xv = _mm512_xor_si512(_mm512_maskz_loadu_epi32(m, xq + 4 * g), flip);
      acc = _mm512_dpbusd_epi32(acc, xv, _mm512_maskz_loadu_epi32(m, w + 4 * g));
    }
    const int32_t dot = _mm512_reduce_add_epi32(acc) - colsum[0] * 128;
    const float r = float(dot) * (sx * scales[0]);
    y[0] = bias ? r + bias[0] : r;
    return;
  }
  Int8Fn fns[kMaxNV + 1];
  fill_int8<kMaxNV>(fns);
  constexpr int64_t chunk = int64_t(kMaxNV) * kW;
  for (int64_t j = 0; j < out; j += chunk) {
    const int cols = int(out - j < chunk ? out - j : chunk);
    fns[(cols + kW - 1) / kW](y + j, xq, sx, w + j * 4, out, scales + j, colsum + j, bias ? bias + j : nullptr,
                              groups, cols);
  }
}

}}  // namespace tg::avx512x

namespace tg {
decltype(QuantKernels::bf16_row) quant_bf16_row_avx512bf16() { return &avx512x::bf16_row; }
decltype(QuantKernels::int8_row) quant_int8_row_avx512vnni() { return &avx512x::int8_row; }
}  // namespace tg
