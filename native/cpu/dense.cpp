// Dense layer forward/backward: GEMV paths for tiny batches (no packing), blocked GEMM otherwise. The _act entry
// points fuse the activation next to the layer into the GEMM's output pass where the kernels can (identity, ReLU,
// leaky ReLU) and run it as a separate pass otherwise.
#include "common.h"
#include "kernels.h"
#include "ops.h"

namespace tg {
namespace {
// Up to this many rows, streaming W once per row beats packing it (the pack alone reads W once).
constexpr int64_t kSmallBatch = 4;

// The GEMM epilogue code of an activation kind, or kActNone when the kernels cannot fuse it.
int32_t gemm_act(int32_t kind) {
  switch (kind) {
    case TG_ACT_IDENTITY: return kActIdentity;
    case TG_ACT_RELU: return kActRelu;
    case TG_ACT_LEAKY_RELU: return kActLeaky;
    default: return kActNone;
  }
}

// y[B,O] = x w (+ bias); with act non-null, act = f(y) as well (kind, alpha).
int dense_forward_impl(float* y, float* act, const float* x, const float* w, const float* bias, int64_t batch,
                       int64_t in, int64_t out, int32_t kind, float alpha) {
  const Kernels& k = active_kernels();
  const int32_t fused = act ? gemm_act(kind) : kActNone;
  if (batch <= kSmallBatch) {
    k.gemv_rows(y, x, w, bias, batch, in, out);
  } else {
    GemmArgs g{batch, out, in, x, in, 1, w, out, 1, y, out, 1, 1.0f, 0.0f, true};
    g.bias = bias;
    if (fused != kActNone) {
      g.act = act;
      g.act_kind = fused;
      g.act_slope = alpha;
    }
    if (int st = k.sgemm(g)) return st;
    if (fused != kActNone) return TG_OK;
  }
  if (act) activation_forward(act, y, batch * out, kind, alpha);
  return TG_OK;
}

// dx[B,I] = dy w^T, then, with act_x non-null, dx = dx * f'(act_x) (the backward of the activation whose input was
// act_x and output act_y); dw[I,O] += x^T dy; dbias[O] += sum_b dy. Each output nullable (act_x only with dx).
int dense_backward_impl(float* dx, float* dw, float* dbias, const float* dy, const float* x, const float* w,
                        const float* act_x, const float* act_y, int64_t batch, int64_t in, int64_t out, int32_t kind,
                        float alpha) {
  const Kernels& k = active_kernels();
  const bool small = batch <= kSmallBatch;
  if (dx) {  // dx[B,I] = dy[B,O] W[I,O]^T, overwritten
    const int32_t fused = act_x && !small ? gemm_act(kind) : kActNone;
    if (small) {
      k.dot_rows(dx, dy, w, batch, in, out);
    } else {
      GemmArgs g{batch, in, out, dy, out, 1, w, 1, out, dx, in, 1, 1.0f, 0.0f, true};
      if (fused != kActNone) {
        g.gate = act_x;
        g.gate_kind = fused;
        g.gate_slope = alpha;
      }
      if (int st = k.sgemm(g)) return st;
    }
    if (act_x && fused == kActNone) activation_backward(dx, dx, act_x, act_y, batch * in, kind, alpha);
  }
  if (dw) {  // dW[I,O] += x[B,I]^T dy[B,O]; the bias gradient is summed while dy is packed
    if (small) {
      k.ger_rows(dw, x, dy, batch, in, out);
    } else {
      GemmArgs g{in, out, batch, x, 1, in, dy, out, 1, dw, out, 1, 1.0f, 1.0f, true};
      g.b_col_sums = dbias;
      if (int st = k.sgemm(g)) return st;
      dbias = nullptr;
    }
  }
  if (dbias) k.col_sum_add(dbias, dy, batch, out);
  return TG_OK;
}

}  // namespace

int dense_forward(float* y, const float* x, const float* w, const float* bias, int64_t batch, int64_t in, int64_t out) {
  return dense_forward_impl(y, nullptr, x, w, bias, batch, in, out, TG_ACT_IDENTITY, 0.0f);
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

TG_API int32_t tg_dense_forward_act(float* y, float* a, const float* x, const float* w, const float* bias,
                                    int32_t batch, int32_t in, int32_t out, int32_t kind, float alpha) {
  if (!y || !a || !x || !w) return TG_ERR_NULL;
  if (batch < 1 || in < 1 || out < 1) return TG_ERR_SIZE;
  if (!tg::activation_kind_ok(kind)) return TG_ERR_ARG;
  tg::FpGuard fp;
  return tg::dense_forward_impl(y, a, x, w, bias, batch, in, out, kind, alpha);
}

TG_API int32_t tg_dense_backward(float* dx, float* dw, float* dbias, const float* dy, const float* x, const float* w,
                                 int32_t batch, int32_t in, int32_t out) {
  if (!dy || !x || !w) return TG_ERR_NULL;
  if (batch < 1 || in < 1 || out < 1) return TG_ERR_SIZE;
  tg::FpGuard fp;
  return tg::dense_backward_impl(dx, dw, dbias, dy, x, w, nullptr, nullptr, batch, in, out, TG_ACT_IDENTITY, 0.0f);
}

TG_API int32_t tg_dense_backward_act(float* dx, float* dw, float* dbias, const float* dy, const float* x,
                                     const float* w, const float* act_x, const float* act_y, int32_t batch, int32_t in,
                                     int32_t out, int32_t kind, float alpha) {
  if (!dx || !dy || !x || !w || !act_x || !act_y) return TG_ERR_NULL;
  if (batch < 1 || in < 1 || out < 1) return TG_ERR_SIZE;
  if (!tg::activation_kind_ok(kind)) return TG_ERR_ARG;
  tg::FpGuard fp;
  return tg::dense_backward_impl(dx, dw, dbias, dy, x, w, act_x, act_y, batch, in, out, kind, alpha);
}

}  // extern "C"
