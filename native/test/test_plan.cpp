// tg_plan_forward: a plan must give exactly what the same kernels give when called one by one,
// at batch 1 (GEMV path) and larger batches (GEMM path), on every ISA.
#include "test_util.h"
#include <chrono>
#include <cstring>
#include <vector>

namespace {

int64_t fbits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return int64_t(u);
}

void run_case(int batch, tt::Rng& rng) {
  const int I = 17, H = 33, O = 5;
  // params: W1[I,H] b1[H] gamma[H] beta[H] W2[H,O]
  const int64_t pW1 = 0, pb1 = pW1 + I * H, pg = pb1 + H, pbe = pg + H, pW2 = pbe + H, np = pW2 + H * O;
  const std::vector<float> params = rng.vec(size_t(np));
  // act: x[B,I] h[B,H] a[B,H] n[B,H] z[B,O] c[B,O] s[B,O]
  const int64_t B = batch, ax = 0, ah = ax + B * I, aa = ah + B * H, an = aa + B * H, az = an + B * H,
                ac = az + B * O, as = ac + B * O, na = as + B * O;
  const float alpha = 0.2f, eps = 1e-3f;
  const int64_t plan[] = {
      TG_OP_DENSE, I, H, pW1, pb1, ax, ah, 0, 0,
      TG_OP_ACTIVATION, H, H, 0, -1, ah, aa, TG_ACT_LEAKY_RELU, fbits(alpha),
      TG_OP_LAYERNORM, H, H, pg, pbe, aa, an, 0, fbits(eps),
      TG_OP_DENSE, H, O, pW2, -1, an, az, 0, 0,
      TG_OP_COPY, O, O, 0, -1, az, ac, 0, 0,
      TG_OP_SOFTMAX, O, O, 0, -1, ac, as, 0, 0,
      TG_OP_ACTIVATION, O, O, 0, -1, as, as, TG_ACT_GELU, 0};
  const std::vector<float> x = rng.vec(size_t(B) * I);
  for (int isa : tt::isas()) {
    tg_set_isa(isa);
    std::vector<float> act = tt::nans(size_t(na));
    std::memcpy(act.data(), x.data(), x.size() * 4);
    int st = tg_plan_forward(act.data(), params.data(), plan, 7, batch);
    // the same steps one call at a time
    std::vector<float> h(size_t(B * H)), a(h.size()), n(h.size()), z(size_t(B * O)), s(z.size());
    const float* p = params.data();
    bool ok = st == TG_OK;
    ok &= tg_dense_forward(h.data(), x.data(), p + pW1, p + pb1, batch, I, H) == TG_OK;
    ok &= tg_activation_forward(a.data(), h.data(), B * H, TG_ACT_LEAKY_RELU, alpha) == TG_OK;
    ok &= tg_layernorm_forward(n.data(), nullptr, nullptr, a.data(), p + pg, p + pbe, batch, H, eps) == TG_OK;
    ok &= tg_dense_forward(z.data(), n.data(), p + pW2, nullptr, batch, H, O) == TG_OK;
    ok &= tg_softmax_forward(s.data(), z.data(), batch, O) == TG_OK;
    ok &= tg_activation_forward(s.data(), s.data(), B * O, TG_ACT_GELU, 0) == TG_OK;
    ok &= std::memcmp(act.data() + ah, h.data(), h.size() * 4) == 0;
    ok &= std::memcmp(act.data() + an, n.data(), n.size() * 4) == 0;
    ok &= std::memcmp(act.data() + ac, z.data(), z.size() * 4) == 0;
    ok &= std::memcmp(act.data() + as, s.data(), s.size() * 4) == 0;
    tt::check(ok, "plan_forward %-6s batch=%d matches the kernels called one by one", tt::isa_name(isa), batch);
  }
}

// Prints (does not assert: shared machines are noisy) the single-sample 32-64-64-1 forward time.
void time_small_mlp() {
  const int64_t plan[] = {TG_OP_DENSE, 32, 64, 0, 2048, 0, 32, 0, 0,
                          TG_OP_ACTIVATION, 64, 64, 0, -1, 32, 32, TG_ACT_RELU, 0,
                          TG_OP_DENSE, 64, 64, 2112, 6208, 32, 96, 0, 0,
                          TG_OP_ACTIVATION, 64, 64, 0, -1, 96, 96, TG_ACT_RELU, 0,
                          TG_OP_DENSE, 64, 1, 6272, 6336, 96, 160, 0, 0};
  std::vector<float> params(6337, 0.01f), act(161, 0.5f);
  const int reps = 20000;
  for (int i = 0; i < 1000; ++i) tg_plan_forward(act.data(), params.data(), plan, 5, 1);
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < reps; ++i) tg_plan_forward(act.data(), params.data(), plan, 5, 1);
  const double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() / reps;
  std::printf("info plan_forward 32-64-64-1 batch 1: %.3f us per call\n", us);
}

}  // namespace

int main() {
  tt::Rng rng(3);
  for (int b : {1, 3, 17, 64}) run_case(b, rng);
  tg_set_isa(tg_cpu_isa());
  time_small_mlp();
  return tt::finish("test_plan");
}
