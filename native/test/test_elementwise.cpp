// Activations, softmax, layernorm, dropout, sum_squares and scale against double references, every ISA.
#include "test_util.h"
#include <cmath>
#include <cstring>
#include <vector>

namespace {

// Elementwise kernels are a handful of float ops (or a double evaluation rounded once), so a few units
// of roundoff relative to the value plus a tiny absolute term (for results near 0) bound their error.
constexpr double kRel = 8 * tt::kEps;
constexpr double kAbs = 1e-6;

double act_ref(int kind, double x, double alpha) {
  switch (kind) {
    case TG_ACT_IDENTITY: return x;
    case TG_ACT_RELU: return x > 0 ? x : 0;
    case TG_ACT_LEAKY_RELU: return x > 0 ? x : alpha * x;
    case TG_ACT_GELU: return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0)));
    case TG_ACT_GELU_TANH: return 0.5 * x * (1 + std::tanh(std::sqrt(2 / M_PI) * (x + 0.044715 * x * x * x)));
    case TG_ACT_TANH: return std::tanh(x);
    default: return 1 / (1 + std::exp(-x));
  }
}

// derivative by central difference of the double reference (smooth kinds) or by cases
double act_grad_ref(int kind, double x, double alpha) {
  if (kind == TG_ACT_RELU) return x > 0 ? 1 : 0;
  if (kind == TG_ACT_LEAKY_RELU) return x > 0 ? 1 : alpha;
  const double h = 1e-5;
  return (act_ref(kind, x + h, alpha) - act_ref(kind, x - h, alpha)) / (2 * h);
}

void test_activations(tt::Rng& rng) {
  for (int64_t n : {1, 3, 17, 257, 1000}) {
    const std::vector<float> x = rng.vec(size_t(n), -4, 4), dy = rng.vec(size_t(n));
    for (int kind = TG_ACT_IDENTITY; kind <= TG_ACT_SIGMOID; ++kind) {
      const float alpha = 0.1f;
      std::vector<double> y_ref(static_cast<size_t>(n)), dx_ref(static_cast<size_t>(n));
      for (int64_t i = 0; i < n; ++i) {
        y_ref[size_t(i)] = act_ref(kind, x[size_t(i)], alpha);
        dx_ref[size_t(i)] = dy[size_t(i)] * act_grad_ref(kind, x[size_t(i)], alpha);
      }
      for (int isa : tt::isas()) {
        tg_set_isa(isa);
        double worst = 0;
        std::vector<float> y = tt::nans(size_t(n));
        int st = tg_activation_forward(y.data(), x.data(), n, kind, alpha);
        tt::check(st == TG_OK && tt::close_rel(y.data(), y_ref.data(), size_t(n), kRel, kAbs, &worst),
                  "activation_forward %-6s kind=%d n=%lld (worst %.3f)", tt::isa_name(isa), kind, (long long)n, worst);
        std::vector<float> yin = x;  // in place
        st = tg_activation_forward(yin.data(), yin.data(), n, kind, alpha);
        tt::check(st == TG_OK && std::memcmp(yin.data(), y.data(), size_t(n) * 4) == 0,
                  "activation_forward in-place %-6s kind=%d n=%lld", tt::isa_name(isa), kind, (long long)n);
        std::vector<float> dx = tt::nans(size_t(n));
        st = tg_activation_backward(dx.data(), dy.data(), x.data(), y.data(), n, kind, alpha);
        // the finite-difference reference is good to ~1e-9; y-based derivatives carry y's rounding
        tt::check(st == TG_OK && tt::close_rel(dx.data(), dx_ref.data(), size_t(n), 1e-5, 1e-6, &worst),
                  "activation_backward %-6s kind=%d n=%lld (worst %.3f)", tt::isa_name(isa), kind, (long long)n, worst);
      }
    }
  }
}

void test_softmax(tt::Rng& rng) {
  for (auto bc : {std::pair<int, int>{1, 1}, {3, 17}, {17, 3}, {5, 257}}) {
    const int B = bc.first, C = bc.second;
    const std::vector<float> x = rng.vec(size_t(B) * C, -10, 10), dy = rng.vec(size_t(B) * C);
    std::vector<double> y_ref(x.size()), dx_ref(x.size());
    for (int b = 0; b < B; ++b) {
      double mx = -1e300, s = 0;
      for (int c = 0; c < C; ++c) mx = std::fmax(mx, x[size_t(b) * C + c]);
      for (int c = 0; c < C; ++c) s += std::exp(x[size_t(b) * C + c] - mx);
      for (int c = 0; c < C; ++c) y_ref[size_t(b) * C + c] = std::exp(x[size_t(b) * C + c] - mx) / s;
    }
    for (int isa : tt::isas()) {
      tg_set_isa(isa);
      double worst = 0;
      std::vector<float> y = tt::nans(x.size());
      int st = tg_softmax_forward(y.data(), x.data(), B, C);
      tt::check(st == TG_OK && tt::close_rel(y.data(), y_ref.data(), y.size(), kRel, 1e-9, &worst),
                "softmax_forward %-6s B=%d C=%d (worst %.3f)", tt::isa_name(isa), B, C, worst);
      for (int b = 0; b < B; ++b) {  // backward reference uses the kernel's own y
        double dot = 0;
        for (int c = 0; c < C; ++c) dot += double(dy[size_t(b) * C + c]) * y[size_t(b) * C + c];
        for (int c = 0; c < C; ++c) dx_ref[size_t(b) * C + c] = y[size_t(b) * C + c] * (dy[size_t(b) * C + c] - dot);
      }
      std::vector<float> dx = tt::nans(x.size());
      st = tg_softmax_backward(dx.data(), dy.data(), y.data(), B, C);
      tt::check(st == TG_OK && tt::close_rel(dx.data(), dx_ref.data(), dx.size(), kRel, 1e-7, &worst),
                "softmax_backward %-6s B=%d C=%d (worst %.3f)", tt::isa_name(isa), B, C, worst);
    }
  }
}

void test_layernorm(tt::Rng& rng) {
  for (auto bd : {std::pair<int, int>{1, 1}, {3, 17}, {17, 3}, {4, 257}}) {
    const int B = bd.first, D = bd.second;
    const float eps = 1e-3f;
    const std::vector<float> x = rng.vec(size_t(B) * D, -2, 3), g = rng.vec(size_t(D)), be = rng.vec(size_t(D));
    const std::vector<float> dy = rng.vec(size_t(B) * D), dg0 = rng.vec(size_t(D)), db0 = rng.vec(size_t(D));
    std::vector<double> y_ref(x.size()), mu(B), rs(B), dx_ref(x.size()), dg_ref(dg0.begin(), dg0.end()),
        db_ref(db0.begin(), db0.end());
    for (int b = 0; b < B; ++b) {
      double s = 0, ss = 0;
      for (int d = 0; d < D; ++d) s += x[size_t(b) * D + d];
      mu[b] = s / D;
      for (int d = 0; d < D; ++d) ss += (x[size_t(b) * D + d] - mu[b]) * (x[size_t(b) * D + d] - mu[b]);
      rs[b] = 1 / std::sqrt(ss / D + eps);
      double mg = 0, mgx = 0;
      for (int d = 0; d < D; ++d) {
        const double xh = (x[size_t(b) * D + d] - mu[b]) * rs[b];
        y_ref[size_t(b) * D + d] = xh * g[d] + be[d];
        mg += double(dy[size_t(b) * D + d]) * g[d] / D;
        mgx += double(dy[size_t(b) * D + d]) * g[d] * xh / D;
        dg_ref[d] += dy[size_t(b) * D + d] * xh;
        db_ref[d] += dy[size_t(b) * D + d];
      }
      for (int d = 0; d < D; ++d) {
        const double xh = (x[size_t(b) * D + d] - mu[b]) * rs[b];
        dx_ref[size_t(b) * D + d] = rs[b] * (double(dy[size_t(b) * D + d]) * g[d] - mg - xh * mgx);
      }
    }
    for (int isa : tt::isas()) {
      tg_set_isa(isa);
      double worst = 0;
      std::vector<float> y = tt::nans(x.size()), m = tt::nans(size_t(B)), r = tt::nans(size_t(B));
      int st = tg_layernorm_forward(y.data(), m.data(), r.data(), x.data(), g.data(), be.data(), B, D, eps);
      // y is O(1) built from float mean/rstd: a few roundings of |xhat*gamma| + |beta|
      tt::check(st == TG_OK && tt::close_rel(y.data(), y_ref.data(), y.size(), 0, 1e-5, &worst),
                "layernorm_forward %-6s B=%d D=%d (worst %.3f)", tt::isa_name(isa), B, D, worst);
      std::vector<float> dx = tt::nans(x.size()), dg = dg0, db = db0;
      st = tg_layernorm_backward(dx.data(), dg.data(), db.data(), dy.data(), x.data(), m.data(), r.data(), g.data(), B,
                                 D);
      bool ok = st == TG_OK && tt::close_rel(dx.data(), dx_ref.data(), dx.size(), 0, 1e-4, &worst);
      double w2 = 0, w3 = 0;
      ok &= tt::close_rel(dg.data(), dg_ref.data(), dg.size(), 0, 1e-4 * B, &w2);
      ok &= tt::close_rel(db.data(), db_ref.data(), db.size(), 0, 1e-5 * B, &w3);
      tt::check(ok, "layernorm_backward %-6s B=%d D=%d (worst dx %.3f dg %.3f db %.3f)", tt::isa_name(isa), B, D, worst,
                w2, w3);
    }
  }
}

uint64_t splitmix64(uint64_t z) {
  z += 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

void test_dropout(tt::Rng& rng) {
  for (int64_t n : {1, 17, 10000}) {
    for (float rate : {0.0f, 0.25f, 0.5f}) {
      const int64_t seed = int64_t(0xDEADBEEF12345ull * uint64_t(n + 1));  // wraps like Java longs
      const std::vector<float> x = rng.vec(size_t(n)), dy = rng.vec(size_t(n));
      for (int isa : tt::isas()) {
        tg_set_isa(isa);
        std::vector<float> y = tt::nans(size_t(n)), mask = tt::nans(size_t(n)), dx = tt::nans(size_t(n));
        int st = tg_dropout_forward(y.data(), mask.data(), x.data(), n, rate, seed);
        bool ok = st == TG_OK;
        int64_t dropped = 0;
        const float keep = 1.0f / (1.0f - rate);
        for (int64_t i = 0; i < n; ++i) {
          const uint64_t h = splitmix64(uint64_t(seed) + uint64_t(i) * 0x9E3779B97F4A7C15ull);
          const double u = double(h >> 40) / 16777216.0;
          const float m = u < rate ? 0.0f : keep;
          dropped += m == 0.0f;
          ok &= std::memcmp(&m, &mask[size_t(i)], 4) == 0 && y[size_t(i)] == x[size_t(i)] * m;
        }
        if (n >= 10000) ok &= std::fabs(double(dropped) / double(n) - rate) < 0.02;
        st = tg_dropout_backward(dx.data(), dy.data(), mask.data(), n);
        for (int64_t i = 0; i < n; ++i) ok &= st == TG_OK && dx[size_t(i)] == dy[size_t(i)] * mask[size_t(i)];
        tt::check(ok, "dropout %-6s n=%lld rate=%g (bit-exact mask, dropped %lld)", tt::isa_name(isa), (long long)n,
                  rate, (long long)dropped);
      }
    }
  }
}

void test_reductions(tt::Rng& rng) {
  for (int64_t n : {1, 3, 17, 257, 100003}) {
    const std::vector<float> x = rng.vec(size_t(n), -3, 3);
    double ref = 0.5;
    for (float v : x) ref += double(v) * v;
    for (int isa : tt::isas()) {
      tg_set_isa(isa);
      double out = 0.5;  // accumulates
      int st = tg_sum_squares(&out, x.data(), n);
      // double accumulation of n exact float squares: relative error <= n * 2^-53
      tt::check(st == TG_OK && std::fabs(out - ref) <= 2.0 * double(n) * 0x1p-53 * ref,
                "sum_squares %-6s n=%lld", tt::isa_name(isa), (long long)n);
      std::vector<float> y = x;
      st = tg_scale(y.data(), n, -0.75f);
      bool ok = st == TG_OK;
      for (int64_t i = 0; i < n; ++i) ok &= y[size_t(i)] == x[size_t(i)] * -0.75f;
      tt::check(ok, "scale %-6s n=%lld", tt::isa_name(isa), (long long)n);
    }
  }
}

}  // namespace

int main() {
  tt::Rng rng(11);
  test_activations(rng);
  test_softmax(rng);
  test_layernorm(rng);
  test_dropout(rng);
  test_reductions(rng);
  tg_set_isa(tg_cpu_isa());
  return tt::finish("test_elementwise");
}
