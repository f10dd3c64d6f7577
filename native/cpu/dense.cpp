// Dense layer forward/backward: GEMV paths for tiny batches (no packing), blocked GEMM otherwise.
#include "common.h"
#include "kernels.h"
#include "ops.h"

namespace tg {
namespace {
// Up to this many rows, streaming W once per row beats packing it (the pack alone reads W once).
constexpr int64_t kSmallBatch = 4;
}

int dense_forward(float* y, const float* x, const float* w, const float* bias, int64_t batch, int64_t in, int64_t out) {
  const Kernels& k = active_kernels();
  if (batch <= kSmallBatch) {
    k.gemv_rows(y, x, w, bias, batch, in, out);
    return TG_OK;
  }
  GemmArgs g{batch, out, in, x, in, 1, w, out, 1, y, out, 1, 1.0f, 0.0f, true};
  const int st = k.sgemm(g);
  if (st == TG_OK && bias) k.add_bias(y, bias, batch, out);
  return st;
}

}  // namespace tg

extern "C" {

TG_API int32_t tg_dense_forward(float* y, const float* x, const float* w, const float* bias,
                                int32_t batch, int32_t in, int32_t out) {
  if (!y || !x || !w) return TG_ERR_NULL;
  if (batch < 1 || in < 1 || out < 1) return TG_ERR_SIZE;
  tg::FpGuard fp;
  return tg::dense_forward(y, x, w, bias, batch, in, out);
}

TG_API int32_t tg_dense_backward(float* dx, float* dw, float* dbias, const float* dy, const float* x, const float* w,
                                 int32_t batch, int32_t in, int32_t out) {
  if (!dy || !x || !w) return TG_ERR_NULL;
  if (batch < 1 || in < 1 || out < 1) return TG_ERR_SIZE;
  tg::FpGuard fp;
  const tg::Kernels& k = tg::active_kernels();
  const bool small = batch <= tg::kSmallBatch;
  if (dx) {  // dx[B,I] = dy[B,O] W[I,O]^T, overwritten
    if (small) {
      k.dot_rows(dx, dy, w, batch, in, out);
    } else {
      tg::GemmArgs g{batch, in, out, dy, out, 1, w, 1, out, dx, in, 1, 1.0f, 0.0f, true};
      if (int st = k.sgemm(g)) return st;
    }
  }
  if (dw) {  // dW[I,O] += x[B,I]^T dy[B,O]
    if (small) {
      k.ger_rows(dw, x, dy, batch, in, out);
    } else {
      tg::GemmArgs g{in, out, batch, x, 1, in, dy, out, 1, dw, out, 1, 1.0f, 1.0f, true};
      if (int st = k.sgemm(g)) return st;
    }
  }
  if (dbias) k.col_sum_add(dbias, dy, batch, out);
  return TG_OK;
}

}  // extern "C"
