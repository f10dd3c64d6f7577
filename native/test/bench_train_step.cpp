// Times one training step of the 400-256x5-6 chart network (softmax cross-entropy, Adam) through the C ABI,
// in the same call sequence as io.tickgrad.train.Trainer.step, and splits the time by op.
// Not a test: run it by hand to see where a step's time goes.  bench_train_step [batch] [steps] [whole|head] [bias|nobias] [fused|unfused] [threads]
#include "tickgrad/tickgrad.h"
#include <algorithm>
#include <utility>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace {

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

enum Part { kZero, kFwdGemm, kRelu, kSoftmax, kLoss, kBwdDense, kReluBwd, kNorm, kAdam, kParts };
const char* kNames[kParts] = {"zero grads", "dense fwd", "relu fwd", "softmax fwd", "loss",
                              "dense bwd", "relu bwd", "grad norm", "adam"};

struct Timer {
  double t[kParts] = {};
  template <class F>
  void run(Part p, F&& f) {
    const double t0 = now();
    f();
    t[p] += now() - t0;
  }
};

void check(int st, const char* what) {
  if (st != TG_OK) {
    std::fprintf(stderr, "%s failed: %d\n", what, st);
    std::exit(1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const int batch = argc > 1 ? std::atoi(argv[1]) : 256;
  const int steps = argc > 2 ? std::atoi(argv[2]) : 200;
  const bool head = argc > 3 && std::string(argv[3]) == "head";
  // "nobias" (4th argument): dense layers without bias, to see what the bias add and bias gradient cost
  const bool no_bias = argc > 4 && std::string(argv[4]) == "nobias";
  // "unfused" (5th argument): dense and ReLU as separate calls, as before tg_dense_forward_act/_backward_act
  const bool unfused = argc > 5 && std::string(argv[5]) == "unfused";
  tg_set_num_threads(argc > 6 ? std::atoi(argv[6]) : 1);
  const std::vector<int> dims = {400, 256, 256, 256, 256, 256, 6};
  const int L = int(dims.size()) - 1;
  // parameter layout: W0 b0 W1 b1 ...
  std::vector<int64_t> w_off(L), b_off(L);
  int64_t n_params = 0;
  for (int l = 0; l < L; ++l) {
    w_off[l] = n_params;
    n_params += int64_t(dims[l]) * dims[l + 1];
    b_off[l] = n_params;
    n_params += dims[l + 1];
  }
  auto alloc = [](int64_t floats) { return reinterpret_cast<float*>(tg_alloc(floats * 4)); };
  float* p = alloc(n_params);
  float* g = alloc(n_params);
  float* m = alloc(n_params);
  float* v = alloc(n_params);
  std::mt19937 rng(17);
  std::uniform_real_distribution<float> u(-0.08f, 0.08f);
  for (int64_t i = 0; i < n_params; ++i) p[i] = u(rng);
  // activations: x0, then per layer dense out, relu out
  std::vector<float*> dense_out(L), relu_out(L);
  float* x0 = alloc(int64_t(batch) * dims[0]);
  for (int64_t i = 0; i < int64_t(batch) * dims[0]; ++i) x0[i] = u(rng) * 12;
  for (int l = 0; l < L; ++l) {
    dense_out[l] = alloc(int64_t(batch) * dims[l + 1]);
    relu_out[l] = alloc(int64_t(batch) * dims[l + 1]);
  }
  float* target = alloc(int64_t(batch) * 6);
  for (int b = 0; b < batch; ++b) target[b * 6 + int(rng() % 6)] = 1.0f;
  float* loss = alloc(16);
  double* sq = reinterpret_cast<double*>(alloc(16));
  float* ga = alloc(int64_t(batch) * 400);
  float* gb = alloc(int64_t(batch) * 400);
  const int first = head ? L - 1 : 0;

  Timer total, best;
  for (double& b : best.t) b = 1e9;
  std::vector<double> step_times;
  for (int s = 0; s < steps + 5; ++s) {
    Timer t;
    const double t0 = now();
    t.run(kZero, [&] {
      for (int l = first; l < L; ++l) {
        std::memset(g + w_off[l], 0, size_t(dims[l]) * dims[l + 1] * 4);
        std::memset(g + b_off[l], 0, size_t(dims[l + 1]) * 4);
      }
    });
    const float* x = x0;
    for (int l = 0; l < L; ++l) {
      const float* bias = no_bias ? nullptr : p + b_off[l];
      if (l + 1 < L && !unfused) {
        t.run(kFwdGemm, [&] {
          check(tg_dense_forward_act(dense_out[l], relu_out[l], x, p + w_off[l], bias, batch, dims[l], dims[l + 1],
                                     TG_ACT_RELU, 0),
                "fwd act");
        });
        x = relu_out[l];
        continue;
      }
      t.run(kFwdGemm, [&] {
        check(tg_dense_forward(dense_out[l], x, p + w_off[l], bias, batch, dims[l], dims[l + 1]), "fwd");
      });
      if (l + 1 < L) {
        t.run(kRelu, [&] {
          check(tg_activation_forward(relu_out[l], dense_out[l], int64_t(batch) * dims[l + 1], TG_ACT_RELU, 0),
                "relu");
        });
        x = relu_out[l];
      } else {
        t.run(kSoftmax, [&] { check(tg_softmax_forward(relu_out[l], dense_out[l], batch, dims[l + 1]), "softmax"); });
      }
    }
    t.run(kLoss, [&] {
      check(tg_loss(ga, loss, dense_out[L - 1], target, nullptr, batch, 6, TG_LOSS_SOFTMAX_XENT, 0), "loss");
    });
    // as Network.backward: a dense layer writes its dx into the free buffer and the ReLU writes back into dy's
    // (unfused), or the dense layer's dx goes through the ReLU's backward in the same call (fused)
    float* dy = ga;
    float* free_buf = gb;
    for (int l = L - 1; l >= first; --l) {
      const float* xin = l == 0 ? x0 : relu_out[l - 1];
      float* db = no_bias ? nullptr : g + b_off[l];
      if (l > first && !unfused) {
        t.run(kBwdDense, [&] {
          check(tg_dense_backward_act(free_buf, g + w_off[l], db, dy, xin, p + w_off[l], dense_out[l - 1],
                                      relu_out[l - 1], batch, dims[l], dims[l + 1], TG_ACT_RELU, 0),
                "bwd act");
        });
        std::swap(dy, free_buf);
        continue;
      }
      float* dx = l > first ? free_buf : nullptr;
      t.run(kBwdDense, [&] {
        check(tg_dense_backward(dx, g + w_off[l], db, dy, xin, p + w_off[l], batch, dims[l], dims[l + 1]), "bwd");
      });
      if (l > first) {
        t.run(kReluBwd, [&] {
          check(tg_activation_backward(dy, dx, dense_out[l - 1], relu_out[l - 1], int64_t(batch) * dims[l],
                                       TG_ACT_RELU, 0),
                "relu bwd");
        });
      }
    }
    double norm = 0;
    t.run(kNorm, [&] {
      for (int l = first; l < L; ++l) {
        *sq = 0;
        check(tg_sum_squares(sq, g + w_off[l], int64_t(dims[l]) * dims[l + 1]), "sumsq");
        norm += *sq;
        *sq = 0;
        check(tg_sum_squares(sq, g + b_off[l], dims[l + 1]), "sumsq");
        norm += *sq;
      }
    });
    t.run(kAdam, [&] {
      for (int l = first; l < L; ++l) {
        check(tg_adam_step(p + w_off[l], m + w_off[l], v + w_off[l], g + w_off[l], int64_t(dims[l]) * dims[l + 1],
                           1e-4f, 0.9f, 0.999f, 1e-7f, 0, s + 1, 0), "adam");
        check(tg_adam_step(p + b_off[l], m + b_off[l], v + b_off[l], g + b_off[l], dims[l + 1], 1e-4f, 0.9f, 0.999f,
                           1e-7f, 0, s + 1, 0), "adam");
      }
    });
    const double dt = now() - t0;
    if (s >= 5) {
      step_times.push_back(dt);
      for (int i = 0; i < kParts; ++i) {
        total.t[i] += t.t[i];
        best.t[i] = std::min(best.t[i], t.t[i]);
      }
    }
    if (s == steps + 4) std::printf("loss %.6f  grad norm %.6f\n", double(*loss), std::sqrt(norm));
  }
  std::sort(step_times.begin(), step_times.end());
  double flops = 0;
  for (int l = 0; l < L; ++l) {
    const double f = 2.0 * batch * dims[l] * dims[l + 1];
    flops += head ? (l == L - 1 ? 2 * f : f) : (l == 0 ? 2 * f : 3 * f);
  }
  std::printf("batch %d, %s, %d steps: min %.1f us, median %.1f us (%.1f GFLOP/s at the median)\n", batch,
              head ? "head" : "whole", steps, step_times.front() * 1e6, step_times[step_times.size() / 2] * 1e6,
              flops / step_times[step_times.size() / 2] * 1e-9);
  // mean per step, and the fastest step's time for each part (robust against other load on the machine)
  double sum = 0, sum_best = 0;
  for (int i = 0; i < kParts; ++i) {
    sum += total.t[i];
    sum_best += best.t[i];
  }
  for (int i = 0; i < kParts; ++i)
    std::printf("  %-12s mean %8.1f us  %5.1f%%   min %8.1f us\n", kNames[i], total.t[i] / steps * 1e6,
                100 * total.t[i] / sum, best.t[i] * 1e6);
  std::printf("  %-12s mean %8.1f us          min %8.1f us\n", "sum", sum / steps * 1e6, sum_best * 1e6);
  return 0;
}
