// tg_sgemm against a double-precision reference: every ISA, all transposes, odd shapes, alpha/beta,
// padded leading dimensions, NaN-poisoned C for beta = 0, and the threaded path.
#include "test_util.h"
#include <cmath>
#include <vector>

namespace {

struct Shape { int m, n, k; };

// Tolerance: each output is a K-term dot product accumulated in float (plus the alpha scale and the
// beta add), so |err| <= (K + 2) * u * (|alpha| sum_p |a b| + |beta c|) bounds the rounding of any
// summation order; we allow c = 2 on top of that and a tiny absolute term.
void run_case(const Shape& s, int ta, int tb, tt::Rng& rng) {
  const int lda = (ta ? s.m : s.k) + 3, ldb = (tb ? s.k : s.n) + 1, ldc = s.n + 2;
  const std::vector<float> a = rng.vec(size_t(ta ? s.k : s.m) * lda);
  const std::vector<float> b = rng.vec(size_t(tb ? s.n : s.k) * ldb);
  const std::vector<float> c0 = rng.vec(size_t(s.m) * ldc);
  std::vector<double> prod(size_t(s.m) * s.n), mag(size_t(s.m) * s.n);
  for (int i = 0; i < s.m; ++i)
    for (int j = 0; j < s.n; ++j) {
      double acc = 0, am = 0;
      for (int p = 0; p < s.k; ++p) {
        const double x = ta ? a[size_t(p) * lda + i] : a[size_t(i) * lda + p];
        const double y = tb ? b[size_t(j) * ldb + p] : b[size_t(p) * ldb + j];
        acc += x * y;
        am += std::fabs(x * y);
      }
      prod[size_t(i) * s.n + j] = acc;
      mag[size_t(i) * s.n + j] = am;
    }
  const float alphas[] = {1.0f, 1.0f, -0.5f, 2.0f};
  const float betas[] = {0.0f, 1.0f, 2.5f, 0.0f};
  for (int isa : tt::isas()) {
    tg_set_isa(isa);
    for (int ab = 0; ab < 4; ++ab) {
      const float alpha = alphas[ab], beta = betas[ab];
      std::vector<float> c = beta == 0.0f ? tt::nans(c0.size()) : c0;
      const int st = tg_sgemm(c.data(), a.data(), b.data(), s.m, s.n, s.k, ta, tb, alpha, beta, lda, ldb, ldc);
      bool ok = st == TG_OK;
      double worst = 0;
      for (int i = 0; i < s.m && ok; ++i) {
        for (int j = 0; j < ldc; ++j) {
          const size_t o = size_t(i) * ldc + j;
          if (j >= s.n) {  // padding columns of C must be untouched
            const bool same = beta == 0.0f ? std::isnan(c[o]) : c[o] == c0[o];
            if (!same) ok = false;
            continue;
          }
          const size_t r = size_t(i) * s.n + j;
          const double cb = beta == 0.0f ? 0.0 : double(beta) * c0[o];
          const double want = double(alpha) * prod[r] + cb;
          const double bound = 2.0 * (s.k + 2) * tt::kEps * (std::fabs(alpha) * mag[r] + std::fabs(cb)) + 1e-30;
          const double e = std::fabs(double(c[o]) - want);
          if (!(e <= bound)) ok = false;
          if (bound > 0 && e / bound > worst) worst = e / bound;
        }
      }
      tt::check(ok, "sgemm %-6s m=%d n=%d k=%d ta=%d tb=%d alpha=%g beta=%g (worst err/bound %.3f)",
                tt::isa_name(isa), s.m, s.n, s.k, ta, tb, alpha, beta, worst);
    }
  }
}

}  // namespace

int main() {
  tt::Rng rng(42);
  const Shape shapes[] = {{1, 1, 1},   {3, 17, 1},   {17, 3, 257}, {257, 17, 3}, {255, 33, 401},
                          {256, 6, 64}, {6, 256, 33}, {33, 257, 17}, {14, 32, 5},  {29, 65, 384},
                          {1, 300, 20}, {200, 1, 20},  {37, 7, 45},  {5, 3, 100},  {9, 64, 50},
                          // packing by in-register transposes: k past whole 16-blocks, partial row panels, a last
                          // column panel with a partial second half (90 = 64 + 16 + 10)
                          {45, 90, 70}, {70, 45, 90}, {90, 90, 35},
                          // three k-blocks
                          {40, 70, 1100},
                          // lda = 1024: rows 4 KiB apart, so A is packed instead of read in place
                          {20, 40, 1021},
                          // B rows 601 floats apart: past the widest stride AVX-512 reads B in place at, so packed
                          // (the smaller shapes above read full B panels in place and pack the partial last one)
                          {60, 600, 40}};
  for (const Shape& s : shapes)
    for (int ta = 0; ta < 2; ++ta)
      for (int tb = 0; tb < 2; ++tb) run_case(s, ta, tb, rng);
  // Threaded path: big enough to split, with two pool threads.
  tt::check(tg_set_num_threads(2) == TG_OK && tg_num_threads() == 2, "set_num_threads(2)");
  run_case({300, 170, 129}, 0, 0, rng);
  run_case({255, 400, 256}, 0, 1, rng);
  run_case({400, 256, 255}, 1, 0, rng);
  // Three threads: row slices with a remainder, K slices (transposed A) and column slices that end mid-vector.
  tt::check(tg_set_num_threads(3) == TG_OK && tg_num_threads() == 3, "set_num_threads(3)");
  for (int ta = 0; ta < 2; ++ta)
    for (int tb = 0; tb < 2; ++tb) {
      run_case({131, 333, 177}, ta, tb, rng);
      run_case({20, 500, 450}, ta, tb, rng);  // few rows: column slices
    }
  tt::check(tg_set_num_threads(1) == TG_OK && tg_num_threads() == 1, "set_num_threads(1)");
  tg_set_isa(tg_cpu_isa());
  return tt::finish("test_gemm");
}
