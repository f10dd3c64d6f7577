// Dense forward/backward against a double reference on every ISA: batch 1..4 (GEMV paths) and larger
// batches (GEMM), NaN-poisoned outputs, accumulating parameter gradients, nullable outputs; the fused
// dense + activation entry points against the reference and, bit for bit, against the separate calls.
#include "test_util.h"
#include <cmath>
#include <cstring>
#include <vector>

namespace {

// Tolerance as for sgemm: an L-term float dot is within (L + 2) u sum|terms| of the exact value
// (c = 2 margin); accumulating onto a previous value adds one more rounding of its magnitude.
double bound(int len, double mag) { return 2.0 * (len + 2) * tt::kEps * mag + 1e-30; }

void run_case(int batch, int in, int out, tt::Rng& rng) {
  const std::vector<float> x = rng.vec(size_t(batch) * in), w = rng.vec(size_t(in) * out), bias = rng.vec(out);
  const std::vector<float> dy = rng.vec(size_t(batch) * out), dw0 = rng.vec(size_t(in) * out), db0 = rng.vec(out);
  std::vector<double> y_ref(size_t(batch) * out), y_b(y_ref.size());
  for (int b = 0; b < batch; ++b)
    for (int o = 0; o < out; ++o) {
      double s = bias[o], m = std::fabs(bias[o]);
      for (int i = 0; i < in; ++i) {
        s += double(x[size_t(b) * in + i]) * w[size_t(i) * out + o];
        m += std::fabs(double(x[size_t(b) * in + i]) * w[size_t(i) * out + o]);
      }
      y_ref[size_t(b) * out + o] = s;
      y_b[size_t(b) * out + o] = bound(in + 1, m);
    }
  std::vector<double> dx_ref(size_t(batch) * in), dx_b(dx_ref.size());
  for (int b = 0; b < batch; ++b)
    for (int i = 0; i < in; ++i) {
      double s = 0, m = 0;
      for (int o = 0; o < out; ++o) {
        const double t = double(dy[size_t(b) * out + o]) * w[size_t(i) * out + o];
        s += t;
        m += std::fabs(t);
      }
      dx_ref[size_t(b) * in + i] = s;
      dx_b[size_t(b) * in + i] = bound(out, m);
    }
  std::vector<double> dw_ref(size_t(in) * out), dw_b(dw_ref.size());
  for (int i = 0; i < in; ++i)
    for (int o = 0; o < out; ++o) {
      double s = dw0[size_t(i) * out + o], m = std::fabs(s);
      for (int b = 0; b < batch; ++b) {
        const double t = double(x[size_t(b) * in + i]) * dy[size_t(b) * out + o];
        s += t;
        m += std::fabs(t);
      }
      dw_ref[size_t(i) * out + o] = s;
      dw_b[size_t(i) * out + o] = bound(batch + 1, m);
    }
  std::vector<double> db_ref(out), db_b(out);
  for (int o = 0; o < out; ++o) {
    double s = db0[o], m = std::fabs(s);
    for (int b = 0; b < batch; ++b) {
      s += dy[size_t(b) * out + o];
      m += std::fabs(dy[size_t(b) * out + o]);
    }
    db_ref[o] = s;
    db_b[o] = bound(batch + 1, m);
  }
  for (int isa : tt::isas()) {
    tg_set_isa(isa);
    const char* nm = tt::isa_name(isa);
    double worst = 0;
    std::vector<float> y = tt::nans(y_ref.size());
    int st = tg_dense_forward(y.data(), x.data(), w.data(), bias.data(), batch, in, out);
    tt::check(st == TG_OK && tt::close_all(y.data(), y_ref.data(), y_b.data(), y.size(), &worst),
              "dense_forward %-6s B=%d I=%d O=%d (worst %.3f)", nm, batch, in, out, worst);
    // no bias: reference minus bias, same bound
    std::vector<double> y_nb(y_ref);
    for (int b = 0; b < batch; ++b)
      for (int o = 0; o < out; ++o) y_nb[size_t(b) * out + o] -= bias[o];
    y = tt::nans(y_ref.size());
    st = tg_dense_forward(y.data(), x.data(), w.data(), nullptr, batch, in, out);
    tt::check(st == TG_OK && tt::close_all(y.data(), y_nb.data(), y_b.data(), y.size(), &worst),
              "dense_forward no-bias %-6s B=%d I=%d O=%d (worst %.3f)", nm, batch, in, out, worst);
    std::vector<float> dx = tt::nans(dx_ref.size()), dw = dw0, db = db0;
    st = tg_dense_backward(dx.data(), dw.data(), db.data(), dy.data(), x.data(), w.data(), batch, in, out);
    bool ok = st == TG_OK;
    ok &= tt::close_all(dx.data(), dx_ref.data(), dx_b.data(), dx.size(), &worst);
    const double wdx = worst;
    ok &= tt::close_all(dw.data(), dw_ref.data(), dw_b.data(), dw.size(), &worst);
    const double wdw = worst;
    ok &= tt::close_all(db.data(), db_ref.data(), db_b.data(), db.size(), &worst);
    tt::check(ok, "dense_backward %-6s B=%d I=%d O=%d (worst dx %.3f dw %.3f db %.3f)", nm, batch, in, out, wdx, wdw,
              worst);
    // nullable outputs: only dw requested; dx/dbias untouched because they are not passed
    dw = dw0;
    st = tg_dense_backward(nullptr, dw.data(), nullptr, dy.data(), x.data(), w.data(), batch, in, out);
    tt::check(st == TG_OK && tt::close_all(dw.data(), dw_ref.data(), dw_b.data(), dw.size(), &worst),
              "dense_backward dw-only %-6s B=%d I=%d O=%d", nm, batch, in, out);
  }
}

double act_ref(int kind, float alpha, double v) {
  switch (kind) {
    case TG_ACT_RELU: return v < 0 ? 0.0 : v;
    case TG_ACT_LEAKY_RELU: return v < 0 ? double(alpha) * v : v;
    default: return v;  // identity
  }
}
double act_grad_ref(int kind, float alpha, double v) {
  switch (kind) {
    case TG_ACT_RELU: return v > 0 ? 1.0 : 0.0;
    case TG_ACT_LEAKY_RELU: return v > 0 ? 1.0 : double(alpha);
    default: return 1.0;
  }
}
bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// tg_dense_forward_act / tg_dense_backward_act: identity, ReLU and leaky ReLU are fused into the GEMM (checked
// against the double reference), every kind must equal the separate dense + activation calls bit for bit.
void run_fused_case(int batch, int in, int out, int kind, float alpha, tt::Rng& rng) {
  const bool fusable = kind == TG_ACT_IDENTITY || kind == TG_ACT_RELU || kind == TG_ACT_LEAKY_RELU;
  const double slope = std::fmax(1.0, std::fabs(double(alpha)));
  std::vector<float> act_x = rng.vec(size_t(batch) * in);
  for (size_t i = 0; i < act_x.size(); i += 7) act_x[i] = i % 2 ? -0.0f : 0.0f;  // the kink, both signs of zero
  std::vector<float> x(act_x.size());
  tg_set_isa(TG_ISA_SCALAR);
  tt::check(tg_activation_forward(x.data(), act_x.data(), int64_t(x.size()), kind, alpha) == TG_OK, "act setup");
  const std::vector<float> w = rng.vec(size_t(in) * out), bias = rng.vec(out);
  const std::vector<float> dy = rng.vec(size_t(batch) * out), dw0 = rng.vec(size_t(in) * out), db0 = rng.vec(out);
  // forward reference: y = x w + bias, a = f(y)
  std::vector<double> y_ref(size_t(batch) * out), y_b(y_ref.size()), a_ref(y_ref.size()), a_b(y_ref.size());
  for (int b = 0; b < batch; ++b)
    for (int o = 0; o < out; ++o) {
      double sum = bias[o], m = std::fabs(bias[o]);
      for (int i = 0; i < in; ++i) {
        const double t = double(x[size_t(b) * in + i]) * w[size_t(i) * out + o];
        sum += t;
        m += std::fabs(t);
      }
      const size_t r = size_t(b) * out + o;
      y_ref[r] = sum;
      y_b[r] = bound(in + 1, m);
      a_ref[r] = act_ref(kind, alpha, sum);
      a_b[r] = slope * y_b[r] + 2 * tt::kEps * std::fabs(a_ref[r]);
    }
  // backward reference: dx = (dy w^T) * f'(act_x)
  std::vector<double> dx_ref(size_t(batch) * in), dx_b(dx_ref.size());
  for (int b = 0; b < batch; ++b)
    for (int i = 0; i < in; ++i) {
      double sum = 0, m = 0;
      for (int o = 0; o < out; ++o) {
        const double t = double(dy[size_t(b) * out + o]) * w[size_t(i) * out + o];
        sum += t;
        m += std::fabs(t);
      }
      const double d = act_grad_ref(kind, alpha, act_x[size_t(b) * in + i]);
      dx_ref[size_t(b) * in + i] = sum * d;
      dx_b[size_t(b) * in + i] = std::fabs(d) * bound(out, m) + 2 * tt::kEps * std::fabs(sum * d);
    }
  // weight and bias gradient references: dw = dw0 + x^T dy, db = db0 + sum_b dy (x is the activation's output)
  std::vector<double> dw_ref(size_t(in) * out), dw_b(dw_ref.size()), db_ref(static_cast<size_t>(out)), db_b(static_cast<size_t>(out));
  for (int i = 0; i < in; ++i)
    for (int o = 0; o < out; ++o) {
      const size_t r = size_t(i) * out + o;
      double sum = dw0[r], m = std::fabs(dw0[r]);
      for (int b = 0; b < batch; ++b) {
        const double t = double(x[size_t(b) * in + i]) * dy[size_t(b) * out + o];
        sum += t;
        m += std::fabs(t);
      }
      dw_ref[r] = sum;
      dw_b[r] = bound(batch + 1, m);
    }
  for (int o = 0; o < out; ++o) {
    double sum = db0[size_t(o)], m = std::fabs(db0[size_t(o)]);
    for (int b = 0; b < batch; ++b) {
      sum += dy[size_t(b) * out + o];
      m += std::fabs(dy[size_t(b) * out + o]);
    }
    db_ref[size_t(o)] = sum;
    db_b[size_t(o)] = bound(batch + 1, m);
  }
  for (int isa : tt::isas()) {
    tg_set_isa(isa);
    const char* nm = tt::isa_name(isa);
    double worst = 0, worst_a = 0, worst_dw = 0, worst_db = 0;
    std::vector<float> y = tt::nans(y_ref.size()), a = tt::nans(y_ref.size());
    int st = tg_dense_forward_act(y.data(), a.data(), x.data(), w.data(), bias.data(), batch, in, out, kind, alpha);
    std::vector<float> y2 = tt::nans(y_ref.size()), a2 = tt::nans(y_ref.size());
    bool ok = st == TG_OK && tg_dense_forward(y2.data(), x.data(), w.data(), bias.data(), batch, in, out) == TG_OK &&
              tg_activation_forward(a2.data(), y2.data(), int64_t(a2.size()), kind, alpha) == TG_OK;
    ok &= tt::close_all(y.data(), y_ref.data(), y_b.data(), y.size(), &worst);
    if (fusable) ok &= tt::close_all(a.data(), a_ref.data(), a_b.data(), a.size(), &worst_a);
    ok &= same_bits(y, y2) && same_bits(a, a2);
    tt::check(ok, "dense_forward_act %-6s B=%d I=%d O=%d kind=%d (worst y %.3f a %.3f)", nm, batch, in, out, kind,
              worst, worst_a);

    std::vector<float> dx = tt::nans(dx_ref.size()), dw = dw0, db = db0;
    st = tg_dense_backward_act(dx.data(), dw.data(), db.data(), dy.data(), x.data(), w.data(), act_x.data(), x.data(),
                               batch, in, out, kind, alpha);
    std::vector<float> dx2 = tt::nans(dx_ref.size()), dw2 = dw0, db2 = db0;
    ok = st == TG_OK &&
         tg_dense_backward(dx2.data(), dw2.data(), db2.data(), dy.data(), x.data(), w.data(), batch, in, out) == TG_OK &&
         tg_activation_backward(dx2.data(), dx2.data(), act_x.data(), x.data(), int64_t(dx2.size()), kind, alpha) ==
             TG_OK;
    if (fusable) ok &= tt::close_all(dx.data(), dx_ref.data(), dx_b.data(), dx.size(), &worst);
    ok &= tt::close_all(dw.data(), dw_ref.data(), dw_b.data(), dw.size(), &worst_dw);
    ok &= tt::close_all(db.data(), db_ref.data(), db_b.data(), db.size(), &worst_db);
    ok &= same_bits(dx, dx2) && same_bits(dw, dw2) && same_bits(db, db2);
    tt::check(ok, "dense_backward_act %-6s B=%d I=%d O=%d kind=%d (worst dx %.3f dw %.3f db %.3f)", nm, batch, in, out,
              kind, worst, worst_dw, worst_db);
  }
}

void test_fused() {
  tt::Rng rng(11);
  // GEMV batches, the narrow output layer, k-blocked forward (I = 600), a swapped dx GEMM (I = 3), k-blocked
  // weight gradient with its bias column sums (B = 600)
  const int shapes[][3] = {{3, 17, 9}, {37, 50, 6}, {64, 600, 256}, {200, 3, 33}, {600, 70, 45}};
  const int kinds[] = {TG_ACT_IDENTITY, TG_ACT_RELU, TG_ACT_LEAKY_RELU, TG_ACT_TANH, TG_ACT_GELU};
  for (auto& s : shapes)
    for (int kind : kinds) run_fused_case(s[0], s[1], s[2], kind, kind == TG_ACT_LEAKY_RELU ? 0.3f : 0.0f, rng);
  tt::check(tg_set_num_threads(2) == TG_OK, "set_num_threads(2)");
  run_fused_case(300, 256, 130, TG_ACT_RELU, 0.0f, rng);
  // Column slices of the weight gradient with their bias sums, and of dx with its fused gate, on three threads.
  tt::check(tg_set_num_threads(3) == TG_OK, "set_num_threads(3)");
  run_fused_case(250, 190, 333, TG_ACT_LEAKY_RELU, 0.2f, rng);
  tt::check(tg_set_num_threads(1) == TG_OK, "set_num_threads(1)");
}

}  // namespace

int main() {
  tt::Rng rng(7);
  const int shapes[][3] = {{1, 1, 1},   {1, 17, 3},   {1, 32, 64},  {1, 64, 1},   {1, 400, 257}, {2, 33, 300},
                           {3, 17, 257}, {4, 256, 6}, {5, 31, 17}, {17, 257, 3}, {64, 400, 256}, {257, 3, 33}};
  for (auto& s : shapes) run_case(s[0], s[1], s[2], rng);
  test_fused();
  tg_set_isa(tg_cpu_isa());
  return tt::finish("test_dense");
}
