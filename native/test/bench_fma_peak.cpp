// Prints the single-core fp32 FMA peak in GFLOP/s: 24 independent AVX-512 FMA chains, nothing loaded or stored.
// The ceiling the GEMM micro-kernel and bench/RESULTS.md's training-step ceilings are judged against.
// Not a test: run it by hand. Exits without measuring on a CPU without AVX-512F.
// gcc 12's AVX-512 headers build "undefined" vectors from themselves, which -Wuninitialized flags.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop
#include <chrono>
#include <cstdio>

namespace {

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

__attribute__((target("avx512f"))) double peak_gflops() {
  constexpr int kChains = 24;            // more than FMA latency x issue rate on any AVX-512 core
  constexpr long kRounds = 4'000'000;
  __m512 acc[kChains];
  for (int i = 0; i < kChains; ++i) acc[i] = _mm512_set1_ps(float(i));
  const __m512 b = _mm512_set1_ps(1.0000001f), c = _mm512_set1_ps(1e-7f);
  double best = 1e9;
  for (int rep = 0; rep < 5; ++rep) {
    const double t0 = now();
    for (long k = 0; k < kRounds; ++k) {
#pragma GCC unroll 24
      for (int i = 0; i < kChains; ++i) acc[i] = _mm512_fmadd_ps(acc[i], b, c);
    }
    const double t = now() - t0;
    if (t < best) best = t;
  }
  float sink = 0;
  for (int i = 0; i < kChains; ++i) sink += _mm512_reduce_add_ps(acc[i]);
  std::printf("(checksum %g)\n", double(sink));   // keeps the chains alive
  return double(kRounds) * kChains * 32.0 / best * 1e-9;   // 16 lanes x 2 flops per FMA
}

}  // namespace

int main() {
  __builtin_cpu_init();
  if (!__builtin_cpu_supports("avx512f")) {
    std::printf("no AVX-512F on this CPU: nothing measured\n");
    return 0;
  }
  std::printf("fp32 FMA peak, one core, AVX-512: %.1f GFLOP/s\n", peak_gflops());
  return 0;
}
