// Losses: per-sample loss = sum over the C columns, mean over the batch, optional sample weights.
// The loss sum and the per-element math are in double; grad is overwritten with d(loss)/d(pred).
#include "common.h"
#include <cmath>

namespace tg {
namespace {

// QLIKE's exponent bound: e^80 is finite in float (3.4e38 is not reached)
constexpr double kQlikeMaxExp = 80.0;

// Returns the per-sample loss of row pred[C], target[C]; writes grad[C] (scaled by gs) when non-null.
double row_loss(float* grad, const float* p, const float* t, int64_t cols, int32_t kind, double param, double gs) {
  double loss = 0.0;
  switch (kind) {
    case TG_LOSS_BCE_LOGITS:
      for (int64_t c = 0; c < cols; ++c) {
        const double z = p[c], tc = t[c];
        loss += (z > 0 ? z : 0.0) - z * tc + std::log1p(std::exp(-std::fabs(z)));
        if (grad) {
          const double s = z >= 0 ? 1.0 / (1.0 + std::exp(-z)) : std::exp(z) / (1.0 + std::exp(z));
          grad[c] = float((s - tc) * gs);
        }
      }
      break;
    case TG_LOSS_BCE_PROBS:
      for (int64_t c = 0; c < cols; ++c) {
        const double raw = p[c], tc = t[c];
        // the bounds are fp32 values, as Keras clips in float32: 1 - 1e-7 rounds to 1 - 2^-23
        const double lo = param, hi = double(1.0f - float(param));
        const bool clipped = raw < lo || raw > hi;
        const double q = raw < lo ? lo : (raw > hi ? hi : raw);
        loss += -(tc * std::log(q) + (1.0 - tc) * std::log(1.0 - q));
        if (grad) grad[c] = clipped ? 0.0f : float((-tc / q + (1.0 - tc) / (1.0 - q)) * gs);
      }
      break;
    case TG_LOSS_SOFTMAX_XENT: {
      double mx = p[0];
      for (int64_t c = 1; c < cols; ++c) mx = p[c] > mx ? p[c] : mx;
      // exp(z_c - max) once per element: kept for the gradient when the row fits (softmax_c = e_c / sum e)
      constexpr int64_t kKeep = 64;
      double e[kKeep];
      const bool keep = cols <= kKeep;
      double se = 0.0, st = 0.0;
      for (int64_t c = 0; c < cols; ++c) {
        const double ec = std::exp(p[c] - mx);
        if (keep) e[c] = ec;
        se += ec;
        st += t[c];
      }
      const double lse = mx + std::log(se);
      for (int64_t c = 0; c < cols; ++c) loss += t[c] * (lse - p[c]);
      if (grad) {  // d/dz_c = softmax_c * sum(t) - t_c
        const double inv_se = 1.0 / se;
        for (int64_t c = 0; c < cols; ++c) {
          const double sm = keep ? e[c] * inv_se : std::exp(p[c] - lse);
          grad[c] = float((sm * st - t[c]) * gs);
        }
      }
      break;
    }
    case TG_LOSS_MSE:
      for (int64_t c = 0; c < cols; ++c) {
        const double r = double(p[c]) - t[c];
        loss += r * r;
        if (grad) grad[c] = float(2.0 * r * gs);
      }
      break;
    case TG_LOSS_HUBER:
      for (int64_t c = 0; c < cols; ++c) {
        const double r = double(p[c]) - t[c], a = std::fabs(r);
        loss += a <= param ? 0.5 * r * r : param * (a - 0.5 * param);
        if (grad) grad[c] = float((a <= param ? r : (r > 0 ? param : -param)) * gs);
      }
      break;
    case TG_LOSS_QLIKE:
      for (int64_t c = 0; c < cols; ++c) {
        const double s = p[c], y = t[c];
        if (y > 0.0) {
          const double d = std::fmin(std::log(y) - s, kQlikeMaxExp), r = std::exp(d);
          loss += r - d - 1.0;
          if (grad) grad[c] = float((1.0 - r) * gs);
        } else {
          loss += s;
          if (grad) grad[c] = float(gs);
        }
      }
      break;
    default: break;
  }
  return loss;
}

// The weighted per-sample loss of row pred[C], target[C] with per-column weights cw[C] (PyTorch's semantics):
// SOFTMAX_XENT: -sum_c cw_c t_c log softmax(z)_c (CrossEntropyLoss(weight=)); BCE_LOGITS:
// sum_c pw_c t_c softplus(-z_c) + (1 - t_c) softplus(z_c) (BCEWithLogitsLoss(pos_weight=)). Writes grad[C] scaled
// by gs when non-null. Other kinds have no column weights (the caller refuses them).
double row_loss_column_weighted(float* grad, const float* p, const float* t, const float* cw, int64_t cols,
                                int32_t kind, double gs) {
  double loss = 0.0;
  if (kind == TG_LOSS_BCE_LOGITS) {
    for (int64_t c = 0; c < cols; ++c) {
      const double z = p[c], tc = t[c], pw = cw[c];
      const double sp = (z > 0 ? z : 0.0) + std::log1p(std::exp(-std::fabs(z)));  // softplus(z)
      loss += pw * tc * (sp - z) + (1.0 - tc) * sp;                                // softplus(-z) = softplus(z) - z
      if (grad) {
        const double s = z >= 0 ? 1.0 / (1.0 + std::exp(-z)) : std::exp(z) / (1.0 + std::exp(z));
        grad[c] = float((s * (pw * tc + 1.0 - tc) - pw * tc) * gs);
      }
    }
    return loss;
  }
  // TG_LOSS_SOFTMAX_XENT
  double mx = p[0];
  for (int64_t c = 1; c < cols; ++c) mx = p[c] > mx ? p[c] : mx;
  double se = 0.0, wt = 0.0;
  for (int64_t c = 0; c < cols; ++c) {
    se += std::exp(p[c] - mx);
    wt += double(cw[c]) * t[c];
  }
  const double lse = mx + std::log(se);
  for (int64_t c = 0; c < cols; ++c) loss += double(cw[c]) * t[c] * (lse - p[c]);
  if (grad) {  // d/dz_c = softmax_c * sum_k(cw_k t_k) - cw_c t_c
    for (int64_t c = 0; c < cols; ++c) {
      grad[c] = float((std::exp(p[c] - lse) * wt - double(cw[c]) * t[c]) * gs);
    }
  }
  return loss;
}

}  // namespace
}  // namespace tg

extern "C" TG_API int32_t tg_loss(float* grad, float* loss, const float* pred, const float* target,
                                  const float* weights, int32_t batch, int32_t cols, int32_t kind, float param) {
  if (!loss || !pred || !target) return TG_ERR_NULL;
  if (batch < 1 || cols < 1) return TG_ERR_SIZE;
  if (kind < TG_LOSS_BCE_LOGITS || kind > TG_LOSS_QLIKE) return TG_ERR_ARG;
  if (kind == TG_LOSS_BCE_PROBS && !(param >= 0.0f && param < 0.5f)) return TG_ERR_ARG;
  if (kind == TG_LOSS_HUBER && !(param > 0.0f && std::isfinite(param))) return TG_ERR_ARG;
  tg::FpGuard fp;
  const double inv_b = 1.0 / double(batch);
  double sum = 0.0;
  for (int64_t b = 0; b < batch; ++b) {
    const double w = weights ? double(weights[b]) : 1.0;
    const int64_t o = b * int64_t(cols);
    sum += w * tg::row_loss(grad ? grad + o : nullptr, pred + o, target + o, cols, kind, param, w * inv_b);
  }
  *loss = float(sum * inv_b);
  return TG_OK;
}

extern "C" TG_API int32_t tg_loss_weighted(float* grad, float* loss, const float* pred, const float* target,
                                           const float* sample_weights, const float* column_weights, int32_t batch,
                                           int32_t cols, int32_t kind, float param) {
  if (!loss || !pred || !target) return TG_ERR_NULL;
  if (batch < 1 || cols < 1) return TG_ERR_SIZE;
  if (kind < TG_LOSS_BCE_LOGITS || kind > TG_LOSS_HUBER) return TG_ERR_ARG;
  if (column_weights && kind != TG_LOSS_SOFTMAX_XENT && kind != TG_LOSS_BCE_LOGITS) return TG_ERR_ARG;
  if (kind == TG_LOSS_BCE_PROBS && !(param >= 0.0f && param < 0.5f)) return TG_ERR_ARG;
  if (kind == TG_LOSS_HUBER && !(param > 0.0f && std::isfinite(param))) return TG_ERR_ARG;
  tg::FpGuard fp;
  // The normaliser: sum_b s_b r_b, r_b = sum_c cw_c t_c for class-weighted softmax cross-entropy, else 1.
  const bool class_weighted = column_weights && kind == TG_LOSS_SOFTMAX_XENT;
  double norm = 0.0;
  for (int64_t b = 0; b < batch; ++b) {
    double r = 1.0;
    if (class_weighted) {
      r = 0.0;
      const float* t = target + b * int64_t(cols);
      for (int64_t c = 0; c < cols; ++c) r += double(column_weights[c]) * t[c];
    }
    norm += (sample_weights ? double(sample_weights[b]) : 1.0) * r;
  }
  if (!(norm >= 0.0) || !std::isfinite(norm)) return TG_ERR_ARG;
  if (norm == 0.0) {  // nothing in this batch carries weight: it contributes nothing
    if (grad) {
      for (int64_t i = 0; i < int64_t(batch) * cols; ++i) grad[i] = 0.0f;
    }
    *loss = 0.0f;
    return TG_OK;
  }
  const double inv_n = 1.0 / norm;
  double sum = 0.0;
  for (int64_t b = 0; b < batch; ++b) {
    const double s = sample_weights ? double(sample_weights[b]) : 1.0;
    const int64_t o = b * int64_t(cols);
    float* g = grad ? grad + o : nullptr;
    sum += s * (column_weights
                    ? tg::row_loss_column_weighted(g, pred + o, target + o, column_weights, cols, kind, s * inv_n)
                    : tg::row_loss(g, pred + o, target + o, cols, kind, param, s * inv_n));
  }
  *loss = float(sum * inv_n);
  return TG_OK;
}
