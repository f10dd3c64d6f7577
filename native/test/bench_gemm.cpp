// Prints GFLOP/s of the training-step GEMMs (forward NN, dx NT, dW TN at batch 256) for every ISA,
// and single-sample forward timings through tg_plan_forward. Not a test: run it by hand to tune.
#include "tickgrad/tickgrad.h"
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

template <class F>
double best_seconds(F&& f, int reps) {
  for (int i = 0; i < 3; ++i) f();
  double best = 1e9;
  for (int r = 0; r < 7; ++r) {
    const double t0 = now();
    for (int i = 0; i < reps; ++i) f();
    const double t = (now() - t0) / reps;
    if (t < best) best = t;
  }
  return best;
}

void bench_gemm(int m, int n, int k, int ta, int tb, float beta, const char* what) {
  std::vector<float> a(size_t(m) * k, 0.5f), b(size_t(k) * n, 0.25f), c(size_t(m) * n, 0.0f);
  const double t = best_seconds([&] {
    tg_sgemm(c.data(), a.data(), b.data(), m, n, k, ta, tb, 1.0f, beta, ta ? m : k, tb ? k : n, n);
  }, 20);
  std::printf("  %-10s m=%-4d n=%-4d k=%-4d ta=%d tb=%d  %8.1f us  %6.1f GFLOP/s\n", what, m, n, k, ta, tb, t * 1e6,
              2.0 * m * n * k / t * 1e-9);
}

// Dense MLP single-sample forward through the plan: layers dims[0] -> ... -> dims[L], relu between.
void bench_plan(const std::vector<int>& dims) {
  std::vector<int64_t> plan;
  int64_t poff = 0, aoff = 0;
  for (size_t l = 0; l + 1 < dims.size(); ++l) {
    const int64_t in = dims[l], out = dims[l + 1];
    const int64_t xo = aoff, yo = aoff + in;
    plan.insert(plan.end(), {TG_OP_DENSE, in, out, poff, poff + in * out, xo, yo, 0, 0});
    poff += in * out + out;
    aoff = yo;
    if (l + 2 < dims.size()) plan.insert(plan.end(), {TG_OP_ACTIVATION, out, out, 0, -1, yo, yo, TG_ACT_RELU, 0});
  }
  std::vector<float> params(size_t(poff), 0.01f), act(size_t(aoff + dims.back()), 0.5f);
  const int n_ops = int(plan.size() / TG_PLAN_WORDS);
  const double t = best_seconds([&] { tg_plan_forward(act.data(), params.data(), plan.data(), n_ops, 1); }, 2000);
  std::printf("  plan forward batch 1, dims");
  for (int d : dims) std::printf(" %d", d);
  std::printf(": %.3f us (%.2f MB weights)\n", t * 1e6, double(poff) * 4e-6);
}

}  // namespace

int main(int argc, char** argv) {
  const int threads = argc > 1 ? std::atoi(argv[1]) : 1;
  tg_set_num_threads(threads);
  std::printf("threads %d\n", threads);
  for (int isa = tg_cpu_isa(); isa >= TG_ISA_AVX2; --isa) {
    tg_set_isa(isa);
    std::printf("isa %s\n", isa == TG_ISA_AVX512 ? "avx512" : "avx2");
    const int layers[][2] = {{400, 256}, {256, 256}, {256, 6}};
    for (auto& l : layers) {
      const int in = l[0], out = l[1], batch = 256;
      bench_gemm(batch, out, in, 0, 0, 0.0f, "fwd NN");
      bench_gemm(batch, in, out, 0, 1, 0.0f, "dx NT");
      bench_gemm(in, out, batch, 1, 0, 1.0f, "dW TN");
    }
    bench_plan({32, 64, 64, 1});
    bench_plan({400, 256, 256, 256, 256, 256, 6});
  }
  return 0;
}
