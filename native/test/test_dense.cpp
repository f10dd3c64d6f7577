// Dense forward/backward against a double reference on every ISA: batch 1..4 (GEMV paths) and larger
// batches (GEMM), NaN-poisoned outputs, accumulating parameter gradients, nullable outputs.
#include "test_util.h"
#include <cmath>
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

}  // namespace

int main() {
  tt::Rng rng(7);
  const int shapes[][3] = {{1, 1, 1},   {1, 17, 3},   {1, 32, 64},  {1, 64, 1},   {1, 400, 257}, {2, 33, 300},
                           {3, 17, 257}, {4, 256, 6}, {5, 31, 17}, {17, 257, 3}, {64, 400, 256}, {257, 3, 33}};
  for (auto& s : shapes) run_case(s[0], s[1], s[2], rng);
  tg_set_isa(tg_cpu_isa());
  return tt::finish("test_dense");
}
