// cuda_harness: every CUDA kernel of tickgrad_cuda.h against the CPU kernel of tickgrad.h on fresh random
// inputs (outputs poisoned first), then whole training steps and predictions of the 400-256x5-6 network.
//
//   cuda_harness                 checks; exit 0 = all passed, 1 = a check failed, 77 = skipped (no GPU / stub)
//   cuda_harness --seed N        reproduce a run (the seed is printed)
//   cuda_harness --bench [--iters N]   also times the training step (batch 4096) and single-sample predict,
//                                printing "RESULT <key> <value>" lines (used by bench/gpu/run.sh)
#include "tickgrad/tickgrad.h"
#include "tickgrad/tickgrad_cuda.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

namespace {

int g_failures = 0;
int g_checks = 0;

struct Rng {
  uint64_t s;
  uint64_t next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  float uniform(float lo, float hi) { return lo + (hi - lo) * float(next() >> 40) * 0x1p-24f; }
};
Rng g_rng{0};

std::vector<float> rand_vec(size_t n, float lo = -1.0f, float hi = 1.0f) {
  std::vector<float> v(n);
  for (auto& x : v) x = g_rng.uniform(lo, hi);
  return v;
}

void die(const char* what, int st) {
  std::fprintf(stderr, "FATAL: %s returned %d (cuda error %d: %s)\n", what, st, tg_cuda_last_error(),
               tg_cuda_error_string(tg_cuda_last_error()));
  std::exit(1);
}
#define OK(call)                   \
  do {                             \
    int st_ = (call);              \
    if (st_ != 0) die(#call, st_); \
  } while (0)

// A device buffer mirroring a host vector.
struct Dev {
  int64_t p = 0;
  size_t n = 0;
  explicit Dev(size_t count) : n(count) {
    p = tg_cuda_malloc(int64_t(std::max<size_t>(count, 1) * sizeof(float)));
    if (!p) die("tg_cuda_malloc", TG_ERR_ALLOC);
  }
  Dev(const std::vector<float>& h) : Dev(h.size()) { put(h); }
  ~Dev() { tg_cuda_free(p); }
  Dev(const Dev&) = delete;
  Dev& operator=(const Dev&) = delete;
  float* f() const { return reinterpret_cast<float*>(p); }
  void put(const std::vector<float>& h) {
    OK(tg_cuda_memcpy(p, int64_t(reinterpret_cast<uintptr_t>(h.data())), int64_t(n * sizeof(float)), 0));
    OK(tg_cuda_stream_synchronize(0));
  }
  std::vector<float> get() const {
    std::vector<float> h(n);
    OK(tg_cuda_stream_synchronize(0));
    OK(tg_cuda_memcpy(int64_t(reinterpret_cast<uintptr_t>(h.data())), p, int64_t(n * sizeof(float)), 0));
    OK(tg_cuda_stream_synchronize(0));
    return h;
  }
  void poison() {  // 0xFF bytes: NaN everywhere, so an unwritten output fails the comparison
    OK(tg_cuda_memset(p, 0xFF, int64_t(n * sizeof(float)), 0));
  }
};

// |gpu - cpu| <= atol + rtol |cpu|, NaN only where the CPU has NaN
// max_bad_fraction > 0 tolerates that share of elements outside the bound (reported): Adam turns a gradient that
// is tiny on both sides but of opposite sign (summation order) into a full +-lr step.
bool compare(const std::string& name, const std::vector<float>& gpu, const std::vector<float>& cpu, double atol,
             double rtol, double max_bad_fraction = 0.0) {
  ++g_checks;
  double worst = 0.0;
  size_t bad = 0, first = 0;
  for (size_t i = 0; i < cpu.size(); ++i) {
    const double g = gpu[i], c = cpu[i];
    if (std::isnan(c) && std::isnan(g)) continue;
    const double err = std::fabs(g - c);
    const bool ok = !std::isnan(g) && err <= atol + rtol * std::fabs(c);
    if (!ok) {
      if (bad == 0) first = i;
      ++bad;
    }
    if (!std::isnan(err)) worst = std::max(worst, err);
  }
  if (bad && double(bad) <= max_bad_fraction * double(cpu.size())) {
    std::printf("ok   %-48s n=%-8zu %zu tolerated outliers (first [%zu] gpu %.9g cpu %.9g)\n", name.c_str(), cpu.size(),
                bad, first, double(gpu[first]), double(cpu[first]));
    return true;
  }
  if (bad) {
    ++g_failures;
    std::printf("FAIL %-48s %zu/%zu off, first [%zu] gpu %.9g cpu %.9g, max abs err %.3g\n", name.c_str(), bad,
                cpu.size(), first, double(gpu[first]), double(cpu[first]), worst);
    return false;
  }
  std::printf("ok   %-48s n=%-8zu max abs err %.3g\n", name.c_str(), cpu.size(), worst);
  return true;
}

const char* act_name(int k) {
  static const char* names[] = {"identity", "relu", "leaky_relu", "gelu", "gelu_tanh", "tanh", "sigmoid"};
  return names[k];
}

void test_sgemm() {
  struct Shape { int m, n, k; };
  const Shape shapes[] = {{37, 53, 29}, {128, 256, 400}, {300, 6, 4096}, {256, 256, 2048}, {1, 256, 400}};
  for (int prec = 0; prec <= 1; ++prec) {
    if (prec == TG_CUDA_MATMUL_TF32 && tg_cuda_set_matmul_precision(prec) == TG_ERR_UNSUPPORTED) {
      std::printf("skip sgemm tf32: needs compute capability 8.0 or newer\n");
      continue;
    }
    OK(tg_cuda_set_matmul_precision(prec));
    for (const Shape& s : shapes)
      for (int ta = 0; ta <= 1; ++ta)
        for (int tb = 0; tb <= 1; ++tb)
          for (int ab = 0; ab <= 1; ++ab) {
            const float alpha = ab ? 0.5f : 1.0f, beta = ab ? 1.5f : 0.0f;
            const int lda = ta ? s.m : s.k, ldb = tb ? s.k : s.n, ldc = s.n;
            auto a = rand_vec(size_t(s.m) * s.k), b = rand_vec(size_t(s.k) * s.n), c0 = rand_vec(size_t(s.m) * s.n);
            std::vector<float> cc = c0;
            if (beta == 0.0f) std::fill(cc.begin(), cc.end(), std::numeric_limits<float>::quiet_NaN());
            Dev da(a), db(b), dc(cc);
            OK(tg_sgemm(cc.data(), a.data(), b.data(), s.m, s.n, s.k, ta, tb, alpha, beta, lda, ldb, ldc));
            OK(tg_cuda_sgemm(dc.f(), da.f(), db.f(), s.m, s.n, s.k, ta, tb, alpha, beta, lda, ldb, ldc, 0));
            char name[96];
            std::snprintf(name, sizeof name, "sgemm %s %dx%dx%d %c%c a%.1f b%.1f", prec ? "tf32" : "fp32", s.m, s.n,
                          s.k, ta ? 'T' : 'N', tb ? 'T' : 'N', alpha, beta);
            // fp32: a different summation order; tf32: inputs rounded to 10 mantissa bits
            const double atol = prec ? 2e-3 * std::sqrt(double(s.k)) : 1e-6 * s.k + 1e-5;
            compare(name, dc.get(), cc, atol, prec ? 1e-2 : 1e-4);
          }
  }
  OK(tg_cuda_set_matmul_precision(TG_CUDA_MATMUL_FP32));
}

void test_dense() {
  const int B = 97, I = 400, O = 256;
  auto x = rand_vec(size_t(B) * I), w = rand_vec(size_t(I) * O, -0.1f, 0.1f), bias = rand_vec(O);
  auto dy = rand_vec(size_t(B) * O), dw0 = rand_vec(size_t(I) * O), db0 = rand_vec(O);
  Dev dx_(x), dw_(w), dbias(bias), ddy(dy);
  for (int with_bias = 0; with_bias <= 1; ++with_bias) {
    std::vector<float> y(size_t(B) * O);
    Dev dyo(y.size());
    dyo.poison();
    OK(tg_dense_forward(y.data(), x.data(), w.data(), with_bias ? bias.data() : nullptr, B, I, O));
    OK(tg_cuda_dense_forward(dyo.f(), dx_.f(), dw_.f(), with_bias ? dbias.f() : nullptr, B, I, O, 0));
    compare(with_bias ? "dense_forward bias" : "dense_forward no bias", dyo.get(), y, 1e-4, 1e-4);
  }
  std::vector<float> gx(size_t(B) * I), gw = dw0, gb = db0;
  Dev dgx(gx.size()), dgw(dw0), dgb(db0);
  dgx.poison();
  OK(tg_dense_backward(gx.data(), gw.data(), gb.data(), dy.data(), x.data(), w.data(), B, I, O));
  OK(tg_cuda_dense_backward(dgx.f(), dgw.f(), dgb.f(), ddy.f(), dx_.f(), dw_.f(), B, I, O, 0));
  compare("dense_backward dx", dgx.get(), gx, 1e-4, 1e-4);
  compare("dense_backward dw (+=)", dgw.get(), gw, 1e-4, 1e-4);
  compare("dense_backward dbias (+=)", dgb.get(), gb, 1e-4, 1e-4);
}

void test_activations() {
  const int64_t n = 10007;
  auto x = rand_vec(size_t(n), -4.0f, 4.0f), dy = rand_vec(static_cast<size_t>(n));
  x[0] = 0.0f;
  Dev dx_(x), ddy(dy);
  for (int k = TG_ACT_IDENTITY; k <= TG_ACT_SIGMOID; ++k) {
    std::vector<float> y(static_cast<size_t>(n)), gx(static_cast<size_t>(n));
    Dev dyo(static_cast<size_t>(n)), dgx(static_cast<size_t>(n));
    dyo.poison();
    dgx.poison();
    OK(tg_activation_forward(y.data(), x.data(), n, k, 0.1f));
    OK(tg_cuda_activation_forward(dyo.f(), dx_.f(), n, k, 0.1f, 0));
    compare(std::string("activation_forward ") + act_name(k), dyo.get(), y, 1e-6, 1e-6);
    Dev dycpu(y);  // backward from the CPU forward output, so only the backward is compared
    OK(tg_activation_backward(gx.data(), dy.data(), x.data(), y.data(), n, k, 0.1f));
    OK(tg_cuda_activation_backward(dgx.f(), ddy.f(), dx_.f(), dycpu.f(), n, k, 0.1f, 0));
    compare(std::string("activation_backward ") + act_name(k), dgx.get(), gx, 1e-6, 1e-6);
  }
}

void test_softmax_layernorm() {
  for (int classes : {6, 1000}) {
    const int B = 129;
    auto x = rand_vec(size_t(B) * classes, -5.0f, 5.0f), dy = rand_vec(x.size());
    std::vector<float> y(x.size()), gx(x.size());
    Dev dx_(x), ddy(dy), dyo(x.size()), dgx(x.size());
    dyo.poison();
    dgx.poison();
    OK(tg_softmax_forward(y.data(), x.data(), B, classes));
    OK(tg_cuda_softmax_forward(dyo.f(), dx_.f(), B, classes, 0));
    compare("softmax_forward C=" + std::to_string(classes), dyo.get(), y, 1e-7, 1e-5);
    Dev dycpu(y);
    OK(tg_softmax_backward(gx.data(), dy.data(), y.data(), B, classes));
    OK(tg_cuda_softmax_backward(dgx.f(), ddy.f(), dycpu.f(), B, classes, 0));
    compare("softmax_backward C=" + std::to_string(classes), dgx.get(), gx, 1e-7, 1e-5);
  }
  for (int dim : {37, 256}) {
    const int B = 67;
    auto x = rand_vec(size_t(B) * dim, -3.0f, 5.0f), gamma = rand_vec(static_cast<size_t>(dim)), beta = rand_vec(static_cast<size_t>(dim));
    auto dy = rand_vec(x.size()), dg0 = rand_vec(static_cast<size_t>(dim)), dbt0 = rand_vec(static_cast<size_t>(dim));
    for (int with_beta = 0; with_beta <= 1; ++with_beta) {
      std::vector<float> y(x.size()), mean(B), rstd(B);
      Dev dx_(x), dgam(gamma), dbet(beta), dyo(x.size()), dmean(static_cast<size_t>(B)), drstd(static_cast<size_t>(B));
      dyo.poison();
      dmean.poison();
      drstd.poison();
      OK(tg_layernorm_forward(y.data(), mean.data(), rstd.data(), x.data(), gamma.data(),
                              with_beta ? beta.data() : nullptr, B, dim, 1e-5f));
      OK(tg_cuda_layernorm_forward(dyo.f(), dmean.f(), drstd.f(), dx_.f(), dgam.f(), with_beta ? dbet.f() : nullptr, B,
                                   dim, 1e-5f, 0));
      const std::string tag = " D=" + std::to_string(dim) + (with_beta ? " beta" : "");
      compare("layernorm_forward y" + tag, dyo.get(), y, 1e-5, 1e-5);
      compare("layernorm_forward mean" + tag, dmean.get(), mean, 1e-6, 1e-6);
      compare("layernorm_forward rstd" + tag, drstd.get(), rstd, 1e-6, 1e-6);
    }
    std::vector<float> mean(B), rstd(B), y(x.size()), gx(x.size()), dg = dg0, dbt = dbt0;
    OK(tg_layernorm_forward(y.data(), mean.data(), rstd.data(), x.data(), gamma.data(), beta.data(), B, dim, 1e-5f));
    Dev dx_(x), ddy(dy), dmean(mean), drstd(rstd), dgam(gamma), dgx(x.size()), ddg(dg0), ddb(dbt0);
    dgx.poison();
    OK(tg_layernorm_backward(gx.data(), dg.data(), dbt.data(), dy.data(), x.data(), mean.data(), rstd.data(),
                             gamma.data(), B, dim));
    OK(tg_cuda_layernorm_backward(dgx.f(), ddg.f(), ddb.f(), ddy.f(), dx_.f(), dmean.f(), drstd.f(), dgam.f(), B, dim,
                                  0));
    const std::string tag = " D=" + std::to_string(dim);
    compare("layernorm_backward dx" + tag, dgx.get(), gx, 1e-5, 1e-4);
    compare("layernorm_backward dgamma (+=)" + tag, ddg.get(), dg, 1e-4, 1e-4);
    compare("layernorm_backward dbeta (+=)" + tag, ddb.get(), dbt, 1e-4, 1e-4);
  }
}

void test_dropout() {
  const int64_t n = 100003;
  auto x = rand_vec(static_cast<size_t>(n)), dy = rand_vec(static_cast<size_t>(n));
  for (float rate : {0.0f, 0.25f, 0.5f}) {
    const int64_t seed = int64_t(g_rng.next());
    std::vector<float> y(static_cast<size_t>(n)), mask(static_cast<size_t>(n)), gx(static_cast<size_t>(n));
    Dev dx_(x), ddy(dy), dyo(static_cast<size_t>(n)), dmask(static_cast<size_t>(n)), dgx(static_cast<size_t>(n));
    dyo.poison();
    dmask.poison();
    dgx.poison();
    OK(tg_dropout_forward(y.data(), mask.data(), x.data(), n, rate, seed));
    OK(tg_cuda_dropout_forward(dyo.f(), dmask.f(), dx_.f(), n, rate, seed, 0));
    const std::string tag = " rate " + std::to_string(rate).substr(0, 4);
    compare("dropout_forward mask (exact)" + tag, dmask.get(), mask, 0.0, 0.0);
    compare("dropout_forward y (exact)" + tag, dyo.get(), y, 0.0, 0.0);
    OK(tg_dropout_backward(gx.data(), dy.data(), mask.data(), n));
    OK(tg_cuda_dropout_backward(dgx.f(), ddy.f(), dmask.f(), n, 0));
    compare("dropout_backward (exact)" + tag, dgx.get(), gx, 0.0, 0.0);
  }
}

void test_losses() {
  const int B = 257;
  for (int cols : {1, 6}) {
    for (int kind = TG_LOSS_BCE_LOGITS; kind <= TG_LOSS_QLIKE; ++kind) {
      for (int weighted = 0; weighted <= 1; ++weighted) {
        std::vector<float> pred, target = rand_vec(size_t(B) * cols, 0.0f, 1.0f);
        float param = 0.0f;
        if (kind == TG_LOSS_BCE_PROBS) {
          pred = rand_vec(size_t(B) * cols, 0.0f, 1.0f);
          pred[0] = 0.0f;  // clipped at both ends
          pred[1] = 1.0f;
          param = 1e-7f;
        } else {
          pred = rand_vec(size_t(B) * cols, -4.0f, 4.0f);
          if (kind == TG_LOSS_HUBER) param = 1.0f;
        }
        auto weights = rand_vec(size_t(B), 0.0f, 2.0f);
        std::vector<float> grad(pred.size());
        float loss = 0.0f;
        Dev dp(pred), dt(target), dw(weights), dg(pred.size()), dl(1);
        dg.poison();
        dl.poison();
        OK(tg_loss(grad.data(), &loss, pred.data(), target.data(), weighted ? weights.data() : nullptr, B, cols, kind,
                   param));
        OK(tg_cuda_loss(dg.f(), dl.f(), dp.f(), dt.f(), weighted ? dw.f() : nullptr, B, cols, kind, param, 0));
        const std::string tag =
            "loss kind " + std::to_string(kind) + " C=" + std::to_string(cols) + (weighted ? " weighted" : "");
        compare(tag + " value", dl.get(), {loss}, 1e-6, 1e-5);
        compare(tag + " grad", dg.get(), grad, 1e-7, 1e-5);
      }
    }
  }
}

void test_optimizers() {
  const int64_t n = 367366;
  auto p0 = rand_vec(static_cast<size_t>(n)), g = rand_vec(static_cast<size_t>(n)), v0 = rand_vec(size_t(n), 0.0f, 0.1f),
       m0 = rand_vec(size_t(n), -0.1f, 0.1f), s0 = rand_vec(size_t(n), 0.0f, 0.01f);
  Dev dg(g);
  struct Sgd { float momentum, wd; int nesterov; };
  for (const Sgd& s : {Sgd{0.0f, 0.0f, 0}, Sgd{0.9f, 1e-4f, 0}, Sgd{0.9f, 1e-4f, 1}}) {
    std::vector<float> p = p0, v = v0;
    Dev dp(p0), dv(v0);
    OK(tg_sgd_step(p.data(), v.data(), g.data(), n, 0.01f, s.momentum, s.wd, s.nesterov));
    OK(tg_cuda_sgd_step(dp.f(), dv.f(), dg.f(), n, 0.01f, s.momentum, s.wd, s.nesterov, 0));
    const std::string tag = "sgd momentum " + std::to_string(s.momentum).substr(0, 3) + (s.nesterov ? " nesterov" : "");
    compare(tag + " p", dp.get(), p, 1e-6, 1e-6);
    if (s.momentum != 0.0f) compare(tag + " velocity", dv.get(), v, 1e-6, 1e-6);
  }
  for (int decoupled = 0; decoupled <= 1; ++decoupled) {
    std::vector<float> p = p0, m = m0, v = s0;
    Dev dp(p0), dm(m0), dv(s0);
    OK(tg_adam_step(p.data(), m.data(), v.data(), g.data(), n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, 3, decoupled));
    OK(tg_cuda_adam_step(dp.f(), dm.f(), dv.f(), dg.f(), n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, 3, decoupled, 0));
    const std::string tag = decoupled ? "adamw" : "adam";
    compare(tag + " p", dp.get(), p, 1e-6, 1e-5);
    compare(tag + " m", dm.get(), m, 1e-7, 1e-6);
    compare(tag + " v", dv.get(), v, 1e-7, 1e-6);
  }
  double ss = 1.5;
  OK(tg_sum_squares(&ss, g.data(), n));
  int64_t dsum = tg_cuda_malloc(sizeof(double));
  const double start = 1.5;
  OK(tg_cuda_memcpy(dsum, int64_t(reinterpret_cast<uintptr_t>(&start)), sizeof(double), 0));
  OK(tg_cuda_sum_squares(reinterpret_cast<double*>(dsum), dg.f(), n, 0));
  double gss = 0.0;
  OK(tg_cuda_stream_synchronize(0));
  OK(tg_cuda_memcpy(int64_t(reinterpret_cast<uintptr_t>(&gss)), dsum, sizeof(double), 0));
  OK(tg_cuda_stream_synchronize(0));
  tg_cuda_free(dsum);
  compare("sum_squares (+=)", {float(gss)}, {float(ss)}, 0.0, 1e-6);
  std::vector<float> sc = p0;
  Dev dsc(p0);
  OK(tg_scale(sc.data(), n, -0.37f));
  OK(tg_cuda_scale(dsc.f(), n, -0.37f, 0));
  compare("scale", dsc.get(), sc, 0.0, 0.0);
}

int64_t float_word(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof bits);
  return int64_t(bits);
}

void test_plan() {
  // dense 400->256, gelu, layernorm (gamma, beta), dense 256->6, softmax, copy
  const int B = 5;
  std::vector<float> params = rand_vec(400 * 256 + 256 + 256 + 256 + 256 * 6 + 6, -0.1f, 0.1f);
  const int64_t w1 = 0, b1 = 400 * 256, g = b1 + 256, be = g + 256, w2 = be + 256, b2 = w2 + 256 * 6;
  const int64_t x0 = 0, a1 = x0 + B * 400, a2 = a1 + B * 256, a3 = a2 + B * 256, a4 = a3 + B * 256, a5 = a4 + B * 6,
                a6 = a5 + B * 6, total = a6 + B * 6;
  const int64_t plan[] = {
      TG_OP_DENSE, 400, 256, w1, b1, x0, a1, 0, 0,
      TG_OP_ACTIVATION, 256, 256, 0, -1, a1, a2, TG_ACT_GELU, 0,
      TG_OP_LAYERNORM, 256, 256, g, be, a2, a3, 0, float_word(1e-5f),
      TG_OP_DENSE, 256, 6, w2, b2, a3, a4, 0, 0,
      TG_OP_SOFTMAX, 6, 6, 0, -1, a4, a5, 0, 0,
      TG_OP_COPY, 6, 6, 0, -1, a5, a6, 0, 0};
  std::vector<float> act(size_t(total), 0.0f);
  auto x = rand_vec(size_t(B) * 400);
  std::copy(x.begin(), x.end(), act.begin());
  Dev dact(act), dparams(params);
  OK(tg_plan_forward(act.data(), params.data(), plan, 6, B));
  OK(tg_cuda_plan_forward(dact.f(), dparams.f(), plan, 6, B, 0));
  compare("plan_forward (dense gelu layernorm dense softmax copy)", dact.get(), act, 1e-5, 1e-4);
}

// ---- the 400-256x5-6 network: CPU reference of one training step ----
const std::vector<int> kDims = {400, 256, 256, 256, 256, 256, 6};

// The parameter layout is Java's ParamTable rule (every tensor 16-float aligned), passed to the runner as it is.
struct CpuNet {
  std::vector<int> dims;
  std::vector<int64_t> w_off, b_off, offsets;  // offsets: W_0, b_0, W_1, ... as tg_cuda_mlp_create takes them
  int64_t n_params = 0;                        // floats of the slab, padding included
  explicit CpuNet(const std::vector<int>& d) : dims(d) {
    auto align = [](int64_t v) { return (v + 15) / 16 * 16; };
    for (size_t l = 0; l + 1 < dims.size(); ++l) {
      w_off.push_back(n_params);
      n_params = align(n_params + int64_t(dims[l]) * dims[l + 1]);
      b_off.push_back(n_params);
      n_params = align(n_params + dims[l + 1]);
      offsets.push_back(w_off.back());
      offsets.push_back(b_off.back());
    }
  }
  int layers() const { return int(dims.size()) - 1; }
  // logits or softmax rows of x[B, dims0]
  std::vector<std::vector<float>> forward(const std::vector<float>& p, const std::vector<float>& x, int B) const {
    std::vector<std::vector<float>> h{x};
    for (int l = 0; l < layers(); ++l) {
      std::vector<float> y(size_t(B) * dims[l + 1]);
      OK(tg_dense_forward(y.data(), h.back().data(), p.data() + w_off[l], p.data() + b_off[l], B, dims[l],
                          dims[l + 1]));
      if (l + 1 < layers()) OK(tg_activation_forward(y.data(), y.data(), int64_t(y.size()), TG_ACT_RELU, 0.0f));
      h.push_back(std::move(y));
    }
    return h;
  }
  // SGD (momentum 0.9, Nesterov) or Adam step t on softmax cross-entropy; returns the loss
  float step(std::vector<float>& p, std::vector<float>& s1, std::vector<float>& s2, const std::vector<float>& x,
             const std::vector<float>& t, int B, int optimizer, int64_t step_t) const {
    auto h = forward(p, x, B);
    const int n = layers();
    std::vector<float> grads(size_t(n_params), 0.0f), d(size_t(B) * dims[n]);
    float loss = 0.0f;
    OK(tg_loss(d.data(), &loss, h[n].data(), t.data(), nullptr, B, dims[n], TG_LOSS_SOFTMAX_XENT, 0.0f));
    for (int l = n - 1; l >= 0; --l) {
      std::vector<float> dx(size_t(B) * dims[l]);
      OK(tg_dense_backward(l > 0 ? dx.data() : nullptr, grads.data() + w_off[l], grads.data() + b_off[l], d.data(),
                           h[l].data(), p.data() + w_off[l], B, dims[l], dims[l + 1]));
      if (l > 0) {
        OK(tg_activation_backward(dx.data(), dx.data(), h[l].data(), h[l].data(), int64_t(dx.size()), TG_ACT_RELU,
                                  0.0f));
        d.swap(dx);
      }
    }
    if (optimizer == TG_CUDA_OPT_SGD)
      OK(tg_sgd_step(p.data(), s1.data(), grads.data(), n_params, 0.01f, 0.9f, 0.0f, 1));
    else
      OK(tg_adam_step(p.data(), s1.data(), s2.data(), grads.data(), n_params, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.0f, step_t,
                      0));
    return loss;
  }
};

std::vector<float> init_params(const CpuNet& net) {
  std::vector<float> p(size_t(net.n_params));
  for (int l = 0; l < net.layers(); ++l) {
    const float a = std::sqrt(6.0f / float(net.dims[l]));  // He uniform
    for (int64_t i = 0; i < int64_t(net.dims[l]) * net.dims[l + 1]; ++i) p[size_t(net.w_off[l] + i)] = g_rng.uniform(-a, a);
    for (int j = 0; j < net.dims[l + 1]; ++j) p[size_t(net.b_off[l] + j)] = g_rng.uniform(-0.05f, 0.05f);
  }
  return p;
}

std::vector<float> one_hot_targets(int B, int C) {
  std::vector<float> t(size_t(B) * C, 0.0f);
  for (int b = 0; b < B; ++b) t[size_t(b) * C + size_t(g_rng.next() % uint64_t(C))] = 1.0f;
  return t;
}

float* host_ptr(int64_t a) { return reinterpret_cast<float*>(static_cast<uintptr_t>(a)); }

int64_t make_mlp(const CpuNet& net, int optimizer, int infer_batch, int train_batch) {
  const float sgd[5] = {0.01f, 0.9f, 0.0f, 1.0f, 0.0f};
  const float adam[5] = {1e-3f, 0.9f, 0.999f, 1e-8f, 0.0f};
  int64_t h = 0;
  OK(tg_cuda_mlp_create(&h, net.dims.data(), net.layers(), net.offsets.data(), net.n_params, TG_ACT_RELU, 1,
                        infer_batch, train_batch, TG_LOSS_SOFTMAX_XENT, 0.0f, optimizer,
                        optimizer == TG_CUDA_OPT_SGD ? sgd : adam));
  return h;
}

const char* const kModeName[] = {" layered", " fused-block", " fused-cluster"};
const char* const kModeKey[] = {"layered", "fused", "cluster"};

void test_network() {
  const CpuNet net(kDims);
  const int B = 256, IB = 3, C = kDims.back(), D = kDims.front();
  for (int optimizer : {TG_CUDA_OPT_SGD, TG_CUDA_OPT_ADAM}) {
    const std::string opt = optimizer == TG_CUDA_OPT_SGD ? "sgd-nesterov" : "adam";
    std::vector<float> p = init_params(net), s1(p.size(), 0.0f), s2(p.size(), 0.0f);
    const std::vector<float> p_init = p;
    int64_t h = make_mlp(net, optimizer, IB, B);
    if (tg_cuda_mlp_param_count(h) != net.n_params) die("tg_cuda_mlp_param_count", -1);
    OK(tg_cuda_mlp_set_params(h, p.data(), net.n_params));
    for (int graphs = 1; graphs >= 0; --graphs) {
      OK(tg_cuda_mlp_set_graphs(h, graphs));
      for (int step = 1; step <= 3; ++step) {
        auto x = rand_vec(size_t(B) * D), t = one_hot_targets(B, C);
        std::memcpy(host_ptr(tg_cuda_mlp_train_input(h)), x.data(), x.size() * sizeof(float));
        std::memcpy(host_ptr(tg_cuda_mlp_train_target(h)), t.data(), t.size() * sizeof(float));
        float gpu_loss = 0.0f;
        OK(tg_cuda_mlp_train_step(h, &gpu_loss));
        const int64_t global_step = (1 - graphs) * 3 + step;
        const float cpu_loss = net.step(p, s1, s2, x, t, B, optimizer, global_step);
        const std::string tag = "train step " + std::to_string(global_step) + " " + opt + (graphs ? " graph" : " stream");
        compare(tag + " loss", {gpu_loss}, {cpu_loss}, 1e-5, 1e-4);
      }
      std::vector<float> gp(p.size());
      OK(tg_cuda_mlp_get_params(h, gp.data(), net.n_params));
      compare("params after " + std::to_string(graphs ? 3 : 6) + " steps " + opt, gp, p, 1e-5, 1e-3,
              optimizer == TG_CUDA_OPT_SGD ? 2e-4 : 1e-3);  // a ReLU input at 0 may flip sign between the two
    }
    // predict: the inference copy holds the initial parameters until published
    for (int published = 0; published <= 1; ++published) {
      if (published) OK(tg_cuda_mlp_publish(h));
      const std::vector<float>& ref_p = published ? p : p_init;
      for (int fused = TG_CUDA_MLP_FUSED_BLOCK; fused >= TG_CUDA_MLP_LAYERED; --fused)
        for (int graphs = 1; graphs >= 0; --graphs) {
          if (tg_cuda_mlp_set_fused(h, fused) == TG_ERR_UNSUPPORTED) continue;
          OK(tg_cuda_mlp_set_graphs(h, graphs));
          auto x = rand_vec(size_t(IB) * D);
          std::memcpy(host_ptr(tg_cuda_mlp_infer_input(h)), x.data(), x.size() * sizeof(float));
          float* out = host_ptr(tg_cuda_mlp_infer_output(h));
          std::fill(out, out + IB * C, std::numeric_limits<float>::quiet_NaN());
          OK(tg_cuda_mlp_predict(h));
          auto hcpu = net.forward(ref_p, x, IB);
          std::vector<float> probs(size_t(IB) * C);
          OK(tg_softmax_forward(probs.data(), hcpu.back().data(), IB, C));
          compare("predict " + opt + (published ? " published" : " initial") + kModeName[fused] +
                      (graphs ? " graph" : " stream"),
                  std::vector<float>(out, out + IB * C), probs, 1e-6, 1e-4);
        }
    }
    OK(tg_cuda_mlp_destroy(h));
  }
}

// Awkward widths, whose tensors do not fill 16-float blocks: the runner must read Java's aligned offsets (padding
// poisoned with NaN for predict, so a packed read shows), and a step with the first layer frozen must leave it.
void test_layouts() {
  const std::vector<std::vector<int>> shapes = {{10, 5, 3}, {33, 17, 1}, {7, 9, 5, 2}};
  for (const auto& dims : shapes) {
    const CpuNet net(dims);
    std::string tag = "layout";
    for (int d : dims) tag += " " + std::to_string(d);
    const int B = 8, IB = 2, C = dims.back(), D = dims.front();
    std::vector<float> p(size_t(net.n_params), std::numeric_limits<float>::quiet_NaN());
    for (int l = 0; l < net.layers(); ++l) {
      for (int64_t i = 0; i < int64_t(dims[size_t(l)]) * dims[size_t(l) + 1]; ++i)
        p[size_t(net.w_off[size_t(l)] + i)] = g_rng.uniform(-0.5f, 0.5f);
      for (int j = 0; j < dims[size_t(l) + 1]; ++j) p[size_t(net.b_off[size_t(l)] + j)] = g_rng.uniform(-0.1f, 0.1f);
    }
    int64_t h = make_mlp(net, TG_CUDA_OPT_SGD, IB, B);
    OK(tg_cuda_mlp_set_params(h, p.data(), net.n_params));
    for (int fused = TG_CUDA_MLP_FUSED_BLOCK; fused >= TG_CUDA_MLP_LAYERED; --fused) {
      if (tg_cuda_mlp_set_fused(h, fused) == TG_ERR_UNSUPPORTED) continue;
      auto x = rand_vec(size_t(IB) * D);
      std::memcpy(host_ptr(tg_cuda_mlp_infer_input(h)), x.data(), x.size() * sizeof(float));
      OK(tg_cuda_mlp_predict(h));
      auto hcpu = net.forward(p, x, IB);
      std::vector<float> probs(size_t(IB) * C);
      OK(tg_softmax_forward(probs.data(), hcpu.back().data(), IB, C));
      float* out = host_ptr(tg_cuda_mlp_infer_output(h));
      compare(tag + " predict" + kModeName[fused], std::vector<float>(out, out + IB * C), probs, 1e-6, 1e-4);
    }
    for (float& v : p) v = std::isnan(v) ? 0.0f : v;  // training: padding as Java keeps it, zero
    OK(tg_cuda_mlp_set_params(h, p.data(), net.n_params));
    std::vector<int32_t> trainable(size_t(2 * net.layers()), 1);
    trainable[0] = trainable[1] = 0;  // freeze layer 0
    OK(tg_cuda_mlp_set_trainable(h, trainable.data()));
    auto x = rand_vec(size_t(B) * D), t = one_hot_targets(B, C);
    std::memcpy(host_ptr(tg_cuda_mlp_train_input(h)), x.data(), x.size() * sizeof(float));
    std::memcpy(host_ptr(tg_cuda_mlp_train_target(h)), t.data(), t.size() * sizeof(float));
    float gpu_loss = 0.0f;
    OK(tg_cuda_mlp_train_step(h, &gpu_loss));
    std::vector<float> want = p, s1(p.size(), 0.0f), s2(p.size(), 0.0f);
    const float cpu_loss = net.step(want, s1, s2, x, t, B, TG_CUDA_OPT_SGD, 1);
    std::copy(p.begin(), p.begin() + net.w_off[1], want.begin());  // layer 0 frozen: as before the step
    std::vector<float> got(p.size());
    OK(tg_cuda_mlp_get_params(h, got.data(), net.n_params));
    compare(tag + " train step loss, layer 0 frozen", {gpu_loss}, {cpu_loss}, 1e-5, 1e-4);
    compare(tag + " params after the step, layer 0 frozen", got, want, 1e-6, 1e-4);
    OK(tg_cuda_mlp_destroy(h));
  }
}

double now_us() {
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// GFLOP/s of the training step's GEMM shapes, per precision and fp32 tile choice
void bench_gemm(int iters) {
  struct Shape { const char* key; int m, n, k, ta, tb; float beta; };
  const Shape shapes[] = {{"fwd_4096x256x400_NN", 4096, 256, 400, 0, 0, 0.0f},
                          {"fwd_4096x256x256_NN", 4096, 256, 256, 0, 0, 0.0f},
                          {"dx_4096x256x256_NT", 4096, 256, 256, 0, 1, 0.0f},
                          {"dw_256x256x4096_TN", 256, 256, 4096, 1, 0, 1.0f},
                          {"dw_400x256x4096_TN", 400, 256, 4096, 1, 0, 1.0f}};
  struct Cfg { const char* key; int prec, tile; };
  const Cfg cfgs[] = {{"fp32_auto", 0, 0}, {"fp32_t64", 0, 64}, {"fp32_t128", 0, 128}, {"tf32", 1, 0}};
  const int64_t stream = tg_cuda_stream_create();
  for (const Shape& s : shapes) {
    Dev a(rand_vec(size_t(s.m) * s.k)), b(rand_vec(size_t(s.k) * s.n)), c(rand_vec(size_t(s.m) * s.n));
    const int lda = s.ta ? s.m : s.k, ldb = s.tb ? s.k : s.n;
    for (const Cfg& cfg : cfgs) {
      if (tg_cuda_set_matmul_precision(cfg.prec) != TG_OK) continue;
      OK(tg_cuda_set_gemm_tile(cfg.tile));
      for (int i = 0; i < 5; ++i)
        OK(tg_cuda_sgemm(c.f(), a.f(), b.f(), s.m, s.n, s.k, s.ta, s.tb, 1.0f, s.beta, lda, ldb, s.n, stream));
      OK(tg_cuda_stream_synchronize(stream));
      const int reps = std::max(20, iters);
      const double t0 = now_us();
      for (int i = 0; i < reps; ++i)
        OK(tg_cuda_sgemm(c.f(), a.f(), b.f(), s.m, s.n, s.k, s.ta, s.tb, 1.0f, s.beta, lda, ldb, s.n, stream));
      OK(tg_cuda_stream_synchronize(stream));
      const double us = (now_us() - t0) / reps;
      std::printf("RESULT gemm_%s_%s_gflops %.1f\n", s.key, cfg.key, 2.0 * s.m * s.n * s.k / us * 1e-3);
    }
  }
  OK(tg_cuda_set_gemm_tile(0));
  OK(tg_cuda_set_matmul_precision(TG_CUDA_MATMUL_FP32));
  OK(tg_cuda_stream_destroy(stream));
}

void bench(int iters, int B) {
  bench_gemm(iters);
  const CpuNet net(kDims);
  const int C = kDims.back(), D = kDims.front();
  std::vector<float> p = init_params(net);
  auto x = rand_vec(size_t(B) * D), t = one_hot_targets(B, C);
  std::printf("RESULT train_batch %d\n", B);
  int64_t h = make_mlp(net, TG_CUDA_OPT_SGD, 1, B);
  OK(tg_cuda_mlp_set_params(h, p.data(), net.n_params));
  std::memcpy(host_ptr(tg_cuda_mlp_train_input(h)), x.data(), x.size() * sizeof(float));
  std::memcpy(host_ptr(tg_cuda_mlp_train_target(h)), t.data(), t.size() * sizeof(float));
  struct Mode { const char* key; int prec, graphs, copy; };
  const Mode modes[] = {{"train_fp32_graph_resident", 0, 1, 0}, {"train_fp32_graph_copy", 0, 1, 1},
                        {"train_fp32_stream_resident", 0, 0, 0}, {"train_tf32_graph_resident", 1, 1, 0}};
  for (const Mode& m : modes) {
    if (tg_cuda_set_matmul_precision(m.prec) != TG_OK) continue;
    OK(tg_cuda_mlp_set_train_copy(h, m.copy));
    OK(tg_cuda_mlp_set_graphs(h, m.graphs));  // recaptures with the current precision
    for (int i = 0; i < 20; ++i) OK(tg_cuda_mlp_train_step_async(h));
    OK(tg_cuda_mlp_train_wait(h, nullptr));
    const double t0 = now_us();
    for (int i = 0; i < iters; ++i) OK(tg_cuda_mlp_train_step_async(h));
    float loss = 0.0f;
    OK(tg_cuda_mlp_train_wait(h, &loss));
    const double per = (now_us() - t0) / iters;
    std::printf("RESULT %s_us %.2f\n", m.key, per);
    std::printf("RESULT %s_loss %.6f\n", m.key, double(loss));
  }
  OK(tg_cuda_set_matmul_precision(TG_CUDA_MATMUL_FP32));
  OK(tg_cuda_mlp_set_graphs(h, 1));
  OK(tg_cuda_mlp_set_params(h, p.data(), net.n_params));
  auto xi = rand_vec(static_cast<size_t>(D));
  std::memcpy(host_ptr(tg_cuda_mlp_infer_input(h)), xi.data(), xi.size() * sizeof(float));
  const int n_pred = std::max(2000, iters * 20);
  for (int fused = TG_CUDA_MLP_FUSED_BLOCK; fused >= TG_CUDA_MLP_LAYERED; --fused)
    for (int graphs = 1; graphs >= 0; --graphs) {
      if (tg_cuda_mlp_set_fused(h, fused) == TG_ERR_UNSUPPORTED) continue;
      OK(tg_cuda_mlp_set_graphs(h, graphs));
      for (int i = 0; i < 500; ++i) OK(tg_cuda_mlp_predict(h));
      std::vector<double> lat(static_cast<size_t>(n_pred));
      for (int i = 0; i < n_pred; ++i) {
        const double t0 = now_us();
        OK(tg_cuda_mlp_predict(h));
        lat[size_t(i)] = now_us() - t0;
      }
      std::sort(lat.begin(), lat.end());
      const std::string key = std::string("predict1_") + kModeKey[fused] + (graphs ? "_graph" : "_stream");
      std::printf("RESULT %s_median_us %.2f\n", key.c_str(), lat[lat.size() / 2]);
      std::printf("RESULT %s_p99_us %.2f\n", key.c_str(), lat[lat.size() * 99 / 100]);
    }
  OK(tg_cuda_mlp_destroy(h));
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t seed = uint64_t(std::chrono::steady_clock::now().time_since_epoch().count());
  bool do_bench = false;
  int iters = 200;
  int batch = 256;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--seed") && i + 1 < argc) seed = std::strtoull(argv[++i], nullptr, 10);
    else if (!std::strcmp(argv[i], "--bench")) do_bench = true;
    else if (!std::strcmp(argv[i], "--iters") && i + 1 < argc) iters = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--batch") && i + 1 < argc) batch = std::atoi(argv[++i]);
    else {
      std::fprintf(stderr, "usage: cuda_harness [--seed N] [--bench [--iters N] [--batch B]]\n");
      return 2;
    }
  }
  if (!tg_cuda_built()) {
    std::printf("SKIPPED: libtickgrad_cuda is the stub built without nvcc; nothing to check\n");
    return 77;
  }
  const int devices = tg_cuda_device_count();
  if (devices < 1) {
    const int e = tg_cuda_last_error();
    std::printf("SKIPPED: no CUDA device (cudaGetDeviceCount: error %d, %s); the CUDA checks need a GPU\n", e,
                tg_cuda_error_string(e));
    return 77;
  }
  char name[256];
  int64_t info[8];
  OK(tg_cuda_device_info(name, int(sizeof name), info, 0));
  std::printf("device 0: %s, sm_%lld%lld, %lld SMs, %.1f GiB; seed %llu\n", name, (long long)info[3],
              (long long)info[4], (long long)info[2], double(info[0]) / (1024.0 * 1024.0 * 1024.0),
              (unsigned long long)seed);
  std::printf("RESULT gpu_name %s\n", name);
  g_rng.s = seed;
  test_sgemm();
  test_dense();
  test_activations();
  test_softmax_layernorm();
  test_dropout();
  test_losses();
  test_optimizers();
  test_plan();
  test_network();
  test_layouts();
  std::printf("%d of %d checks passed (seed %llu)\n", g_checks - g_failures, g_checks, (unsigned long long)seed);
  std::printf("RESULT harness_checks %d\nRESULT harness_failures %d\n", g_checks, g_failures);
  if (do_bench) bench(iters, batch > 0 ? batch : 256);
  return g_failures ? 1 : 0;
}
