// Prints single-sample forward times of a dense ReLU MLP through tg_plan_forward (fp32) and tg_plan_forward_q (bf16,
// int8) for every ISA and AVX-512 extension of this CPU. Not a test: run it by hand to tune.
#include "tickgrad/tickgrad.h"
#include <chrono>
#include <cstdio>
#include <cstring>
#include <vector>

namespace {

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

template <class F>
double best_seconds(F&& f, int reps) {
  for (int i = 0; i < 100; ++i) f();
  double best = 1e9;
  for (int r = 0; r < 9; ++r) {
    const double t0 = now();
    for (int i = 0; i < reps; ++i) f();
    const double t = (now() - t0) / reps;
    if (t < best) best = t;
  }
  return best;
}

// op: TG_OP_DENSE, TG_OP_DENSE_BF16 or TG_OP_DENSE_INT8
double bench(const std::vector<int>& dims, int op) {
  std::vector<int64_t> plan;
  int64_t poff = 0, aoff = 0, qoff = 0;
  std::vector<float> params;
  std::vector<std::pair<int64_t, int64_t>> packs;  // (param offset of W, qoffset)
  for (size_t l = 0; l + 1 < dims.size(); ++l) {
    const int in = dims[l], out = dims[l + 1];
    const int64_t w = poff, b = poff + int64_t(in) * out;
    poff = b + out;
    const int64_t x = aoff, y = aoff + in;
    aoff = y;
    int64_t p0 = w;
    if (op != TG_OP_DENSE) {
      p0 = qoff;
      packs.push_back({w, qoff});
      qoff += (op == TG_OP_DENSE_BF16 ? tg_bf16_packed_bytes(in, out) : tg_int8_packed_bytes(in, out)) + 64;
      qoff = (qoff + 63) / 64 * 64;
    }
    plan.insert(plan.end(), {op, in, out, p0, b, x, y, 0, 0});
    if (l + 2 < dims.size()) plan.insert(plan.end(), {TG_OP_ACTIVATION, out, out, -1, -1, y, y, TG_ACT_RELU, 0});
  }
  params.resize(size_t(poff));
  for (size_t i = 0; i < params.size(); ++i) params[i] = float((i * 7919) % 1000) / 1000.0f - 0.5f;
  std::vector<float> act(size_t(aoff + dims.back()) + 64, 0.1f);
  std::vector<uint8_t> q(size_t(qoff) + 64);
  uint8_t* qb = q.data() + (64 - reinterpret_cast<uintptr_t>(q.data()) % 64) % 64;
  for (size_t l = 0; l < packs.size(); ++l) {
    const int in = dims[l], out = dims[l + 1];
    if (op == TG_OP_DENSE_BF16) tg_quantize_bf16(qb + packs[l].second, params.data() + packs[l].first, in, out);
    else tg_quantize_int8(qb + packs[l].second, params.data() + packs[l].first, in, out);
  }
  const int n = int(plan.size() / TG_PLAN_WORDS);
  return best_seconds([&] { tg_plan_forward_q(act.data(), params.data(), qb, plan.data(), n, 1); }, 2000);
}

}  // namespace

int main() {
  const std::vector<std::vector<int>> nets = {{32, 64, 64, 1}, {400, 256, 256, 256, 256, 256, 6}};
  for (int isa = TG_ISA_SCALAR; isa <= tg_cpu_isa(); ++isa) {
    for (int f : {0, tg_cpu_features()}) {
      if (f && isa != TG_ISA_AVX512) continue;
      if (tg_set_isa(isa) || tg_set_features(f)) continue;
      for (const auto& d : nets)
        std::printf("isa %d features %d  %-4zu layers  fp32 %8.3f us  bf16 %8.3f us  int8 %8.3f us\n", isa, f,
                    d.size() - 1, bench(d, TG_OP_DENSE) * 1e6, bench(d, TG_OP_DENSE_BF16) * 1e6,
                    bench(d, TG_OP_DENSE_INT8) * 1e6);
      if (!tg_cpu_features()) break;
    }
  }
  return 0;
}
