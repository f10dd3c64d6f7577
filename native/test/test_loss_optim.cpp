// Losses (all kinds, with and without sample weights) and the SGD / Adam steps against double references.
#include "test_util.h"
#include <cmath>
#include <vector>

namespace {

// per-element loss and d/dpred in double (softmax handled per row below)
void elem_ref(int kind, double p, double t, double param, double* l, double* g) {
  switch (kind) {
    case TG_LOSS_BCE_LOGITS: {
      const double s = 1 / (1 + std::exp(-p));
      *l = -(t * std::log(s) + (1 - t) * std::log(1 - s));
      *g = s - t;
      return;
    }
    case TG_LOSS_BCE_PROBS: {
      const double q = std::fmin(std::fmax(p, param), 1 - param);
      *l = -(t * std::log(q) + (1 - t) * std::log(1 - q));
      *g = (p < param || p > 1 - param) ? 0 : -t / q + (1 - t) / (1 - q);
      return;
    }
    case TG_LOSS_MSE: *l = (p - t) * (p - t); *g = 2 * (p - t); return;
    case TG_LOSS_QLIKE: {  // h = e^p; y/h - ln(y/h) - 1, written directly (not as e^d - d - 1)
      if (t <= 0) { *l = p; *g = 1; return; }
      const double h = std::exp(p);
      *l = t / h - std::log(t / h) - 1;
      *g = 1 - t / h;
      return;
    }
    default: {
      const double r = p - t, a = std::fabs(r);
      *l = a <= param ? 0.5 * r * r : param * (a - 0.5 * param);
      *g = a <= param ? r : (r > 0 ? param : -param);
    }
  }
}

void test_losses(tt::Rng& rng) {
  // C = 100: softmax rows too wide for the loss to keep their exps (the recomputing path)
  for (auto bc : {std::pair<int, int>{1, 1}, {3, 17}, {17, 3}, {64, 6}, {5, 100}}) {
    const int B = bc.first, C = bc.second;
    for (int kind = TG_LOSS_BCE_LOGITS; kind <= TG_LOSS_QLIKE; ++kind) {
      for (int weighted = 0; weighted < 2; ++weighted) {
        const float param = kind == TG_LOSS_BCE_PROBS ? 1e-3f : kind == TG_LOSS_HUBER ? 0.7f : 0.0f;
        std::vector<float> pred = kind == TG_LOSS_BCE_PROBS ? rng.vec(size_t(B) * C, -0.1f, 1.1f)
                                                            : rng.vec(size_t(B) * C, -3, 3);
        std::vector<float> target = rng.vec(size_t(B) * C, 0, 1), w = rng.vec(size_t(B), 0, 2);
        if (kind == TG_LOSS_SOFTMAX_XENT)  // target rows are distributions
          for (int b = 0; b < B; ++b) {
            double s = 0;
            for (int c = 0; c < C; ++c) s += target[size_t(b) * C + c];
            for (int c = 0; c < C; ++c) target[size_t(b) * C + c] = float(target[size_t(b) * C + c] / s);
          }
        double loss_ref = 0;
        std::vector<double> g_ref(pred.size());
        for (int b = 0; b < B; ++b) {
          const double wb = weighted ? w[size_t(b)] : 1.0;
          double lb = 0;
          if (kind == TG_LOSS_SOFTMAX_XENT) {
            double mx = -1e300, se = 0, st = 0;
            for (int c = 0; c < C; ++c) mx = std::fmax(mx, pred[size_t(b) * C + c]);
            for (int c = 0; c < C; ++c) se += std::exp(pred[size_t(b) * C + c] - mx), st += target[size_t(b) * C + c];
            for (int c = 0; c < C; ++c) {
              const double logp = pred[size_t(b) * C + c] - mx - std::log(se);
              lb -= target[size_t(b) * C + c] * logp;
              g_ref[size_t(b) * C + c] = (std::exp(logp) * st - target[size_t(b) * C + c]) * wb / B;
            }
          } else {
            for (int c = 0; c < C; ++c) {
              double l, g;
              elem_ref(kind, pred[size_t(b) * C + c], target[size_t(b) * C + c], param, &l, &g);
              lb += l;
              g_ref[size_t(b) * C + c] = g * wb / B;
            }
          }
          loss_ref += wb * lb;
        }
        loss_ref /= B;
        for (int isa : tt::isas()) {
          tg_set_isa(isa);
          float loss = NAN;
          std::vector<float> grad = tt::nans(pred.size());
          const int st = tg_loss(grad.data(), &loss, pred.data(), target.data(), weighted ? w.data() : nullptr, B, C,
                                 kind, param);
          double worst = 0;
          // computed in double and rounded once: a few float ulps relative (+ tiny absolute near 0)
          bool ok = st == TG_OK && std::fabs(loss - loss_ref) <= 8 * tt::kEps * std::fabs(loss_ref) + 1e-7;
          ok &= tt::close_rel(grad.data(), g_ref.data(), grad.size(), 8 * tt::kEps, 1e-8, &worst);
          tt::check(ok, "loss %-6s kind=%d B=%d C=%d weighted=%d (loss %.6g ref %.6g, grad worst %.3f)",
                    tt::isa_name(isa), kind, B, C, weighted, loss, loss_ref, worst);
          float loss2 = NAN;  // grad is nullable
          tt::check(tg_loss(nullptr, &loss2, pred.data(), target.data(), weighted ? w.data() : nullptr, B, C, kind,
                            param) == TG_OK && loss2 == loss,
                    "loss no-grad %-6s kind=%d", tt::isa_name(isa), kind);
        }
      }
    }
  }
}

// tg_loss_weighted against double references: class-weighted softmax cross-entropy and pos-weighted BCE on logits
// (PyTorch's weighted mean), each with and without sample weights; grads poisoned first.
void test_weighted_losses(tt::Rng& rng) {
  for (auto bc : {std::pair<int, int>{1, 2}, {7, 3}, {33, 6}, {5, 100}}) {
    const int B = bc.first, C = bc.second;
    for (int kind : {TG_LOSS_SOFTMAX_XENT, TG_LOSS_BCE_LOGITS}) {
      for (int sampled = 0; sampled < 2; ++sampled) {
        const std::vector<float> pred = rng.vec(size_t(B) * C, -3, 3);
        std::vector<float> target(size_t(B) * C, 0.0f);
        if (kind == TG_LOSS_SOFTMAX_XENT) {
          for (int b = 0; b < B; ++b) target[size_t(b) * C + size_t(rng.vec(1, 0, float(C) - 0.001f)[0])] = 1.0f;
        } else {
          target = rng.vec(size_t(B) * C, 0, 1);
        }
        const std::vector<float> cw = rng.vec(size_t(C), 0.1f, 4.0f), sw = rng.vec(size_t(B), 0.0f, 2.0f);
        double norm = 0, total = 0;
        std::vector<double> g_ref(pred.size());
        for (int b = 0; b < B; ++b) {
          const double s = sampled ? sw[size_t(b)] : 1.0;
          const float* t = target.data() + size_t(b) * C;
          double r = 1;
          if (kind == TG_LOSS_SOFTMAX_XENT) {
            r = 0;
            for (int c = 0; c < C; ++c) r += double(cw[size_t(c)]) * t[c];
          }
          norm += s * r;
        }
        for (int b = 0; b < B; ++b) {
          const double s = sampled ? sw[size_t(b)] : 1.0;
          const float* z = pred.data() + size_t(b) * C;
          const float* t = target.data() + size_t(b) * C;
          double* g = g_ref.data() + size_t(b) * C;
          if (kind == TG_LOSS_SOFTMAX_XENT) {
            double mx = z[0], se = 0, wt = 0;
            for (int c = 1; c < C; ++c) mx = std::fmax(mx, double(z[c]));
            for (int c = 0; c < C; ++c) { se += std::exp(z[c] - mx); wt += double(cw[size_t(c)]) * t[c]; }
            for (int c = 0; c < C; ++c) {
              const double logp = z[c] - mx - std::log(se);
              total += s * -double(cw[size_t(c)]) * t[c] * logp;
              g[c] = s / norm * (std::exp(logp) * wt - double(cw[size_t(c)]) * t[c]);
            }
          } else {
            for (int c = 0; c < C; ++c) {
              const double sg = 1 / (1 + std::exp(-double(z[c]))), pw = cw[size_t(c)];
              total += s * -(pw * t[c] * std::log(sg) + (1 - t[c]) * std::log(1 - sg));
              g[c] = s / norm * (sg * (pw * t[c] + 1 - t[c]) - pw * t[c]);
            }
          }
        }
        const double loss_ref = total / norm;
        float loss = NAN;
        std::vector<float> grad = tt::nans(pred.size());
        const int st = tg_loss_weighted(grad.data(), &loss, pred.data(), target.data(), sampled ? sw.data() : nullptr,
                                        cw.data(), B, C, kind, 0.0f);
        double worst = 0;
        bool ok = st == TG_OK && std::fabs(loss - loss_ref) <= 8 * tt::kEps * std::fabs(loss_ref) + 1e-7;
        ok &= tt::close_rel(grad.data(), g_ref.data(), grad.size(), 8 * tt::kEps, 1e-8, &worst);
        tt::check(ok, "loss_weighted kind=%d B=%d C=%d sampled=%d (loss %.6g ref %.6g, grad worst %.3f)", kind, B, C,
                  sampled, loss, loss_ref, worst);
      }
    }
  }
  // a batch without weight contributes nothing: loss 0, grad 0 (not NaN)
  const std::vector<float> z = rng.vec(6, -2, 2), t = {1, 0, 0, 0, 1, 0}, zero_w = {0, 0};
  float loss = NAN;
  std::vector<float> grad = tt::nans(6);
  const int st = tg_loss_weighted(grad.data(), &loss, z.data(), t.data(), zero_w.data(), nullptr, 2, 3,
                                  TG_LOSS_SOFTMAX_XENT, 0.0f);
  bool zeros = st == TG_OK && loss == 0.0f;
  for (float g : grad) zeros &= g == 0.0f;
  tt::check(zeros, "loss_weighted: all-zero sample weights give loss 0 and grad 0");
}

// The optimizers split a step over the pool only after a GEMM that the pool split (the gradient then lies across
// the cores): run one big enough first.
void split_gemm(int threads) {
  tg_set_num_threads(threads);
  if (threads < 2) return;
  static std::vector<float> a(170 * 170, 0.5f), c(170 * 170);
  tt::check(tg_sgemm(c.data(), a.data(), a.data(), 170, 170, 170, 0, 0, 1.0f, 0.0f, 170, 170, 170) == TG_OK,
            "split gemm");
}

// 70001: past the size that splits a step over the pool's threads, in slices that do not end on a vector.
void test_sgd(tt::Rng& rng) {
  for (int64_t n : {1, 17, 1003, 70001}) {
    for (int variant = 0; variant < 3; ++variant) {  // plain, momentum, nesterov
      const float lr = 0.05f, mom = variant ? 0.9f : 0.0f, wd = 0.01f;
      const std::vector<float> p0 = rng.vec(size_t(n)), v0 = rng.vec(size_t(n)), g = rng.vec(size_t(n));
      std::vector<double> p_ref(static_cast<size_t>(n)), v_ref(static_cast<size_t>(n));
      for (int64_t i = 0; i < n; ++i) {
        double gi = g[size_t(i)] + double(wd) * p0[size_t(i)];
        if (mom != 0) {
          const double v = double(mom) * v0[size_t(i)] + gi;
          v_ref[size_t(i)] = v;
          gi = variant == 2 ? gi + double(mom) * v : v;
        }
        p_ref[size_t(i)] = p0[size_t(i)] - double(lr) * gi;
      }
      for (int isa : tt::isas())
      for (int threads : {1, 3}) {
        tg_set_isa(isa);
        split_gemm(threads);
        std::vector<float> p = p0, v = v0;
        const int st = tg_sgd_step(p.data(), mom != 0 ? v.data() : nullptr, g.data(), n, lr, mom, wd, variant == 2);
        double w1 = 0, w2 = 0;
        bool ok = st == TG_OK && tt::close_rel(p.data(), p_ref.data(), size_t(n), 8 * tt::kEps, 1e-7, &w1);
        if (mom != 0) ok &= tt::close_rel(v.data(), v_ref.data(), size_t(n), 8 * tt::kEps, 1e-7, &w2);
        tt::check(ok, "sgd %-6s n=%lld variant=%d threads=%d (worst p %.3f v %.3f)", tt::isa_name(isa), (long long)n,
                  variant, threads, w1, w2);
      }
    }
  }
}

void test_adam(tt::Rng& rng) {
  for (int64_t n : {1, 17, 1003, 70001}) {
    for (int decoupled = 0; decoupled < 2; ++decoupled) {
      for (int64_t t : {1, 7}) {
        const float lr = 1e-2f, b1 = 0.9f, b2 = 0.999f, eps = 1e-7f, wd = 0.05f;
        const std::vector<float> p0 = rng.vec(size_t(n)), m0 = rng.vec(size_t(n), -0.1f, 0.1f),
                                 v0 = rng.vec(size_t(n), 0.0f, 0.01f), g = rng.vec(size_t(n));
        std::vector<double> p_ref(static_cast<size_t>(n)), m_ref(static_cast<size_t>(n)), v_ref(static_cast<size_t>(n));
        const double bc1 = 1 - std::pow(double(b1), double(t)), bc2 = 1 - std::pow(double(b2), double(t));
        for (int64_t i = 0; i < n; ++i) {
          double p = p0[size_t(i)], gi = g[size_t(i)];
          if (decoupled) p -= double(lr) * wd * p; else gi += double(wd) * p;
          const double m = double(b1) * m0[size_t(i)] + (1 - double(b1)) * gi;
          const double v = double(b2) * v0[size_t(i)] + (1 - double(b2)) * gi * gi;
          m_ref[size_t(i)] = m;
          v_ref[size_t(i)] = v;
          p_ref[size_t(i)] = p - double(lr) * (m / bc1) / (std::sqrt(v / bc2) + eps);
        }
        for (int isa : tt::isas())
        for (int threads : {1, 3}) {
          tg_set_isa(isa);
          split_gemm(threads);
          std::vector<float> p = p0, m = m0, v = v0;
          const int st = tg_adam_step(p.data(), m.data(), v.data(), g.data(), n, lr, b1, b2, eps, wd, t, decoupled);
          double w1 = 0, w2 = 0, w3 = 0;
          // a dozen float ops on O(1) values; the update itself is O(lr)
          bool ok = st == TG_OK && tt::close_rel(p.data(), p_ref.data(), size_t(n), 16 * tt::kEps, 1e-7, &w1);
          ok &= tt::close_rel(m.data(), m_ref.data(), size_t(n), 8 * tt::kEps, 1e-8, &w2);
          ok &= tt::close_rel(v.data(), v_ref.data(), size_t(n), 8 * tt::kEps, 1e-10, &w3);
          tt::check(ok, "adam %-6s n=%lld decoupled=%d t=%lld threads=%d (worst p %.3f m %.3f v %.3f)",
                    tt::isa_name(isa), (long long)n, decoupled, (long long)t, threads, w1, w2, w3);
        }
      }
    }
  }
}

}  // namespace

int main() {
  tt::Rng rng(5);
  test_losses(rng);
  test_weighted_losses(rng);
  test_sgd(rng);
  test_adam(rng);
  tg_set_num_threads(1);
  tg_set_isa(tg_cpu_isa());
  return tt::finish("test_loss_optim");
}
