// Reduced-precision inference kernels (bf16 and int8 weights, fp32 activations in and out): one table per ISA and
// per CPU extension, chosen per call by quant.cpp. Packed layouts are described in tickgrad.h.
#pragma once
#include <cstdint>

namespace tg {

struct QuantKernels {
  // y[out] = x[in] W + bias (bias nullable); W bf16 packed [ceil(in/2)][out][2]. scratch: at least in + 64 floats,
  // 64-byte aligned (the input row rounded to bf16 when the kernel uses VDPBF16PS).
  void (*bf16_row)(float* y, const float* x, const uint16_t* w, const float* bias, int64_t in, int64_t out,
                   float* scratch);
  // Quantises x[in] into xq[ceil(in/4) * 4] (zero padded): qx = round(x * (127 / max|x|)) in [-127, 127]; returns
  // sx = max|x| / 127 (0 for an all-zero row, NaN when x holds a NaN or an infinity; xq is then all zero).
  float (*quantize_row)(int8_t* xq, const float* x, int64_t in);
  // y[out] = float(sum_i xq[i] W[i, o]) * (sx * scales[o]) + bias[o] (bias nullable; the product, then the sum, each
  // rounded once). W int8 packed [ceil(in/4)][out][4]; colsum[o] = sum_i W[i, o].
  void (*int8_row)(float* y, const int8_t* xq, float sx, const int8_t* w, const float* scales, const int32_t* colsum,
                   const float* bias, int64_t in, int64_t out);
};

// Portable and per-ISA tables (bf16 widened to fp32 as it is loaded; int8 in plain integer code).
QuantKernels quant_kernels_scalar();
QuantKernels quant_kernels_avx2();
QuantKernels quant_kernels_avx512();
// AVX512_BF16 (VDPBF16PS) and AVX512_VNNI (VPDPBUSD) rows; call only when the CPU has the extension.
decltype(QuantKernels::bf16_row) quant_bf16_row_avx512bf16();
decltype(QuantKernels::int8_row) quant_int8_row_avx512vnni();

// bf16 bits -> float
static inline float bf16_to_float(uint16_t h) {
  const uint32_t bits = uint32_t(h) << 16;
  float f;
  __builtin_memcpy(&f, &bits, sizeof f);
  return f;
}

}  // namespace tg
