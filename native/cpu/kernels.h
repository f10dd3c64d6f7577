// The per-ISA kernel table. Each ISA translation unit (isa_scalar/avx2/avx512.cpp) fills one;
// entry points validate arguments and then call through active_kernels().
#pragma once
#include <cstdint>

namespace tg {

// Elementwise functions a GEMM can apply to its output as it writes it (dense layer + activation fused).
enum GemmAct : int32_t { kActNone = 0, kActIdentity, kActRelu, kActLeaky };

// C = alpha * op(A) op(B) + beta * C with element strides: op(A)(i,p) = a[i*a_rs + p*a_cs],
// op(B)(p,j) = b[p*b_rs + j*b_cs], C(i,j) = c[i*c_rs + j*c_cs]. m, n, k >= 1; beta = 0 never reads C.
// Optional epilogue on each finished element of C, in this order (what a dense layer and the activation next to
// it would do in separate passes; same float operations, so the same results):
//   bias:  C(i,j) += bias[j]
//   gate:  C(i,j) = gate(i,j) > 0 ? C(i,j) : (relu: 0, leaky: gate_slope * C(i,j)), gate(i,j) at C's offsets
//          (the backward of the activation whose input was gate)
//   act:   act(i,j) = f(C(i,j)) at C's offsets (identity, relu, leaky with act_slope: the activation forward)
// and b_col_sums[j] += sum_p op(B)(p,j) (a dense layer's bias gradient, taken while op(B) is packed).
struct GemmArgs {
  int64_t m, n, k;
  const float* a; int64_t a_rs, a_cs;
  const float* b; int64_t b_rs, b_cs;
  float* c; int64_t c_rs, c_cs;
  float alpha, beta;
  bool may_thread;
  const float* bias = nullptr;
  const float* gate = nullptr;
  int32_t gate_kind = kActNone;
  float gate_slope = 0.0f;
  float* act = nullptr;
  int32_t act_kind = kActNone;
  float act_slope = 0.0f;
  float* b_col_sums = nullptr;
  bool has_epilogue() const { return bias || gate || act; }
};

struct Kernels {
  int isa;
  int (*sgemm)(const GemmArgs& g);  // TG_OK or TG_ERR_ALLOC
  // y[rows,out] = x[rows,in] w[in,out] (+ bias[out] if non-null); small batch, W streamed per row
  void (*gemv_rows)(float* y, const float* x, const float* w, const float* bias, int64_t rows, int64_t in, int64_t out);
  // dx[rows,in] = dy[rows,out] w[in,out]^T
  void (*dot_rows)(float* dx, const float* dy, const float* w, int64_t rows, int64_t in, int64_t out);
  // dw[in,out] += x[rows,in]^T dy[rows,out]
  void (*ger_rows)(float* dw, const float* x, const float* dy, int64_t rows, int64_t in, int64_t out);
  // y[rows,cols] += bias[cols]
  void (*add_bias)(float* y, const float* bias, int64_t rows, int64_t cols);
  // acc[cols] += sum over rows of x[rows,cols]
  void (*col_sum_add)(float* acc, const float* x, int64_t rows, int64_t cols);
  void (*relu_fwd)(float* y, const float* x, int64_t n);
  void (*relu_bwd)(float* dx, const float* dy, const float* x, int64_t n);
  void (*leaky_fwd)(float* y, const float* x, int64_t n, float alpha);
  void (*leaky_bwd)(float* dx, const float* dy, const float* x, int64_t n, float alpha);
  void (*scale)(float* x, int64_t n, float s);
  void (*mul)(float* y, const float* a, const float* b, int64_t n);   // y = a * b
  double (*sum_squares)(const float* x, int64_t n);
  void (*sgd)(float* p, float* vel, const float* g, int64_t n, float lr, float momentum, float wd, int nesterov);
  // bc1 = 1 - beta1^t, bc2 = 1 - beta2^t (computed in double by the caller)
  void (*adam)(float* p, float* m, float* v, const float* g, int64_t n, float lr, float b1, float b2, float eps,
               float wd, int decoupled, float bc1, float bc2);
};

const Kernels& kernels_scalar();
const Kernels& kernels_avx2();
const Kernels& kernels_avx512();

}  // namespace tg
