// Shared helpers for the kernel tests: RNG, NaN poisoning, ISA loop, per-check reporting.
#pragma once
#include "tickgrad/tickgrad.h"
#include <cmath>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <vector>

namespace tt {

inline int& failures() {
  static int f = 0;
  return f;
}

// One line per check; failures are counted for the exit status.
inline bool check(bool ok, const char* fmt, ...) {
  std::printf("%s ", ok ? "ok  " : "FAIL");
  va_list ap;
  va_start(ap, fmt);
  std::vprintf(fmt, ap);
  va_end(ap);
  std::printf("\n");
  if (!ok) ++failures();
  return ok;
}

inline int finish(const char* name) {
  std::printf("%s: %s (%d failures)\n", name, failures() ? "FAILED" : "passed", failures());
  return failures() ? 1 : 0;
}

struct Rng {
  uint64_t s;
  explicit Rng(uint64_t seed) : s(seed * 0x9E3779B97F4A7C15ull + 1) {}
  uint64_t next() {
    s ^= s << 13; s ^= s >> 7; s ^= s << 17;
    return s;
  }
  float uni(float lo = -1.0f, float hi = 1.0f) { return lo + (hi - lo) * float(next() >> 40) * 0x1p-24f; }
  std::vector<float> vec(size_t n, float lo = -1.0f, float hi = 1.0f) {
    std::vector<float> v(n);
    for (auto& x : v) x = uni(lo, hi);
    return v;
  }
};

inline std::vector<float> nans(size_t n) { return std::vector<float>(n, std::numeric_limits<float>::quiet_NaN()); }

// Every ISA this CPU can run, lowest first.
inline std::vector<int> isas() {
  std::vector<int> v;
  for (int i = TG_ISA_SCALAR; i <= tg_cpu_isa(); ++i) v.push_back(i);
  return v;
}
inline const char* isa_name(int i) { return i == TG_ISA_AVX512 ? "avx512" : i == TG_ISA_AVX2 ? "avx2" : "scalar"; }

// |got - want| <= bound for all elements; reports the worst ratio. NaN in got always fails.
inline bool close_all(const float* got, const double* want, const double* bound, size_t n, double* worst) {
  bool ok = true;
  *worst = 0;
  for (size_t i = 0; i < n; ++i) {
    const double e = std::fabs(double(got[i]) - want[i]);
    if (!(e <= bound[i])) ok = false;
    const double r = bound[i] > 0 ? e / bound[i] : (e > 0 ? 1e9 : 0);
    if (!(r <= *worst)) *worst = std::isnan(r) ? 1e9 : r;
  }
  return ok;
}

// Relative-plus-absolute closeness for elementwise kernels computed in double or a few float ops.
inline bool close_rel(const float* got, const double* want, size_t n, double rel, double abs_tol, double* worst) {
  std::vector<double> b(n);
  for (size_t i = 0; i < n; ++i) b[i] = rel * std::fabs(want[i]) + abs_tol;
  return close_all(got, want, b.data(), n, worst);
}

constexpr double kEps = 0x1p-24;  // unit roundoff of float

}  // namespace tt
