// Portable "vector" of one float for the shared kernel templates (the compiler may still use SSE2).
#pragma once

namespace tg { namespace TG_ISA_NS {
constexpr int kW = 1;
constexpr int kMR = 4;
constexpr int kNV = 8;          // NR = 8
constexpr bool kDirectB = false;  // GEMM packs B whenever several row tiles reuse it
constexpr int kGemvAcc = 8;
constexpr int kGemvMaxNV = 8;
using vf = float;
using vmask = bool;  // the single lane is present
static inline vmask make_mask(int n) { return n > 0; }
static inline vf vload_m(const float* p, vmask m) { return m ? *p : 0.0f; }
static inline void vstore_m(float* p, vf v, vmask m) { if (m) *p = v; }
static inline vf vzero() { return 0.0f; }
static inline vf vload(const float* p) { return *p; }
static inline vf vload_n(const float* p, int n) { return n > 0 ? *p : 0.0f; }
static inline void vstore(float* p, vf v) { *p = v; }
static inline void vstore_n(float* p, vf v, int n) { if (n > 0) *p = v; }
static inline vf vbcast(float x) { return x; }
static inline vf vfma(vf a, vf b, vf c) { return a * b + c; }  // no contraction promise; fine for the fallback
static inline vf vmul(vf a, vf b) { return a * b; }
static inline vf vadd(vf a, vf b) { return a + b; }
// x > 0 ? a : b and x < 0 ? a : b (a NaN x picks b)
static inline vf vsel_gt0(vf x, vf a, vf b) { return x > 0.0f ? a : b; }
static inline vf vsel_lt0(vf x, vf a, vf b) { return x < 0.0f ? a : b; }
constexpr int kTransposeW = 0;  // no in-register transpose: GEMM packing of transposed operands is scalar
static inline void transpose_w(vf*) {}
static inline float vsum(vf v) { return v; }
}}  // namespace tg::TG_ISA_NS
