// Reduced-precision dense forward (bf16 and int8 weights) against a double reference of the fp32 layer, on every ISA
// and every AVX-512 extension this CPU has, with bounds derived from the quantisation and the float roundings;
// outputs poisoned with NaN first. int8 results must also be the same bits on every kernel (exact integer sums).
#include "test_util.h"
#include <cmath>
#include <cstring>
#include <map>
#include <vector>

namespace {

constexpr double kU = tt::kEps;  // 2^-24, the unit roundoff of float

struct Case {
  int batch, in, out;
};

// One kernel configuration: ISA plus allowed extensions.
struct Config {
  int isa, features;
};

std::vector<Config> configs() {
  std::vector<Config> v;
  for (int isa : tt::isas()) {
    v.push_back({isa, 0});
    if (isa == TG_ISA_AVX512 && tg_cpu_features() != 0) v.push_back({isa, tg_cpu_features()});
  }
  return v;
}

void set_config(const Config& c) {
  tg_set_isa(c.isa);
  tg_set_features(c.features);
}

// Reference y = x W + b in double, and sum_i |w||x| + |b| (the magnitude the float roundings scale with).
void reference(const Case& c, const std::vector<float>& x, const std::vector<float>& w, const std::vector<float>& b,
               std::vector<double>& y, std::vector<double>& mag) {
  y.assign(size_t(c.batch) * c.out, 0.0);
  mag.assign(y.size(), 0.0);
  for (int r = 0; r < c.batch; ++r)
    for (int o = 0; o < c.out; ++o) {
      double s = b[o], m = 0.0;
      for (int i = 0; i < c.in; ++i) {
        const double t = double(x[size_t(r) * c.in + i]) * w[size_t(i) * c.out + o];
        s += t;
        m += std::fabs(t);
      }
      y[size_t(r) * c.out + o] = s;
      mag[size_t(r) * c.out + o] = m;
    }
}

// bf16 rounds each weight to 8 significant bits (7 stored + the implicit one): |w^ - w| <= 2^-8 |w|. With VDPBF16PS the
// input is rounded the same way, so each product is off by at most (2^-8 + 2^-8 + 2^-16) |w x|. The fp32 sum of in
// products and the bias is within (in + 2) u of its exact value per unit of magnitude; c = 2 margin as in the fp32
// dense tests. bound = S (rel_q + 2 (in + 2) u) + 2 u |b|, S = sum |w x|.
double bf16_bound(double mag, double bias, int in, bool x_rounded) {
  const double rel_q = x_rounded ? 2 * 0x1p-8 + 0x1p-16 : 0x1p-8;
  return mag * (rel_q * (1 + 0x1p-8) + 2.0 * (in + 2) * kU) + 2 * kU * std::fabs(bias) + 1e-30;
}

void check_bf16(const Case& c, tt::Rng& rng) {
  const std::vector<float> x = rng.vec(size_t(c.batch) * c.in), w = rng.vec(size_t(c.in) * c.out, -0.5f, 0.5f),
                           b = rng.vec(c.out);
  std::vector<double> want, mag;
  reference(c, x, w, b, want, mag);
  std::vector<uint8_t> packed(size_t(tg_bf16_packed_bytes(c.in, c.out)) + 64);
  void* p = packed.data() + (64 - reinterpret_cast<uintptr_t>(packed.data()) % 64) % 64;
  tt::check(tg_quantize_bf16(p, w.data(), c.in, c.out) == TG_OK, "tg_quantize_bf16 %dx%d", c.in, c.out);
  for (const Config& cfg : configs()) {
    set_config(cfg);
    const bool x_rounded = (tg_active_features() & TG_FEAT_AVX512_BF16) != 0;
    std::vector<float> y = tt::nans(want.size());
    const int st = tg_dense_forward_bf16(y.data(), x.data(), p, b.data(), c.batch, c.in, c.out);
    std::vector<double> bound(want.size());
    for (size_t k = 0; k < want.size(); ++k) bound[k] = bf16_bound(mag[k], b[k % size_t(c.out)], c.in, x_rounded);
    double worst = 0;
    const bool ok = st == TG_OK && tt::close_all(y.data(), want.data(), bound.data(), y.size(), &worst);
    tt::check(ok, "bf16 %s%s B=%d I=%d O=%d worst %.3f of bound", tt::isa_name(cfg.isa),
              x_rounded ? "+bf16" : "", c.batch, c.in, c.out, worst);
  }
}

// int8, per output channel o: sw = max_i |w[i,o]| / 127, |w^ - w| <= sw / 2; per row: sx = max_i |x[i]| / 127,
// x^ = qx sx with |x^ - x| <= sx / 2 + 2^-21 |x| (127 / max|x|, x * inv and sx each rounded once, then the rounding
// to an integer). |x w - x^ w^| <= |x| |w - w^| + |w^| |x - x^|, |w^| <= |w| + sw / 2. The integer sum is exact (and
// exactly representable below 2^24); sx * sw, the product and the bias add three roundings: 2^-21 of the magnitude,
// which is at most S + the quantisation term. So bound = Q (1 + 2^-21) + 2^-21 S + 2 u |b| with
// Q = sum_i |x_i| sw / 2 + (|w_io| + sw / 2)(sx / 2 + 2^-21 |x_i|).
void check_int8(const Case& c, tt::Rng& rng, bool spread) {
  std::vector<float> x = rng.vec(size_t(c.batch) * c.in), w = rng.vec(size_t(c.in) * c.out, -0.5f, 0.5f),
                     b = rng.vec(c.out);
  if (spread)  // a wide range within one channel and one row: small values lose most to quantisation
  {
    for (size_t k = 0; k < w.size(); k += 7) w[k] *= 16.0f;
    for (size_t k = 0; k < x.size(); k += 5) x[k] *= 16.0f;
  }
  std::vector<double> want, mag;
  reference(c, x, w, b, want, mag);
  std::vector<double> sw(c.out, 0.0), sx(c.batch, 0.0);
  for (int o = 0; o < c.out; ++o) {
    double m = 0;
    for (int i = 0; i < c.in; ++i) m = std::fmax(m, std::fabs(double(w[size_t(i) * c.out + o])));
    sw[o] = m / 127.0;
  }
  for (int r = 0; r < c.batch; ++r) {
    double m = 0;
    for (int i = 0; i < c.in; ++i) m = std::fmax(m, std::fabs(double(x[size_t(r) * c.in + i])));
    sx[r] = m / 127.0;
  }
  std::vector<double> bound(want.size());
  for (int r = 0; r < c.batch; ++r)
    for (int o = 0; o < c.out; ++o) {
      double q = 0;
      for (int i = 0; i < c.in; ++i) {
        const double xa = std::fabs(double(x[size_t(r) * c.in + i])), wa = std::fabs(double(w[size_t(i) * c.out + o]));
        q += xa * sw[o] / 2 + (wa + sw[o] / 2) * (sx[r] / 2 + 0x1p-21 * xa);
      }
      const size_t k = size_t(r) * c.out + o;
      bound[k] = q * (1 + 0x1p-21) + 0x1p-21 * mag[k] + 2 * kU * std::fabs(b[o]) + 1e-30;
    }
  std::vector<uint8_t> packed(size_t(tg_int8_packed_bytes(c.in, c.out)) + 64);
  void* p = packed.data() + (64 - reinterpret_cast<uintptr_t>(packed.data()) % 64) % 64;
  tt::check(tg_quantize_int8(p, w.data(), c.in, c.out) == TG_OK, "tg_quantize_int8 %dx%d", c.in, c.out);
  std::vector<float> first;
  for (const Config& cfg : configs()) {
    set_config(cfg);
    const bool vnni = (tg_active_features() & TG_FEAT_AVX512_VNNI) != 0;
    std::vector<float> y = tt::nans(want.size());
    const int st = tg_dense_forward_int8(y.data(), x.data(), p, b.data(), c.batch, c.in, c.out);
    double worst = 0;
    const bool ok = st == TG_OK && tt::close_all(y.data(), want.data(), bound.data(), y.size(), &worst);
    tt::check(ok, "int8 %s%s%s B=%d I=%d O=%d worst %.3f of bound", tt::isa_name(cfg.isa), vnni ? "+vnni" : "",
              spread ? " spread" : "", c.batch, c.in, c.out, worst);
    if (first.empty()) {
      first = y;
    } else {
      tt::check(std::memcmp(first.data(), y.data(), y.size() * sizeof(float)) == 0,
                "int8 %s%s: the same bits as the portable kernel", tt::isa_name(cfg.isa), vnni ? "+vnni" : "");
    }
  }
}

// A row holding a NaN gives NaN outputs (as the fp32 layer would), never a silently finite answer; a zero row gives
// the bias.
void check_int8_special() {
  const int in = 37, out = 20;
  tt::Rng rng(5);
  const std::vector<float> w = rng.vec(size_t(in) * out), b = rng.vec(out);
  std::vector<uint8_t> packed(size_t(tg_int8_packed_bytes(in, out)) + 64);
  void* p = packed.data() + (64 - reinterpret_cast<uintptr_t>(packed.data()) % 64) % 64;
  tg_quantize_int8(p, w.data(), in, out);
  for (const Config& cfg : configs()) {
    set_config(cfg);
    std::vector<float> x(size_t(2) * in, 0.0f);
    x[in + 11] = std::numeric_limits<float>::quiet_NaN();
    std::vector<float> y = tt::nans(size_t(2) * out);
    const int st = tg_dense_forward_int8(y.data(), x.data(), p, b.data(), 2, in, out);
    bool zero_ok = true, nan_ok = true;
    for (int o = 0; o < out; ++o) {
      zero_ok = zero_ok && y[o] == b[o];
      nan_ok = nan_ok && std::isnan(y[out + o]);
    }
    tt::check(st == TG_OK && zero_ok && nan_ok, "int8 %s features %d: zero row gives the bias, NaN row gives NaN",
              tt::isa_name(cfg.isa), cfg.features);
  }
}

void check_args() {
  float y[4], x[4], b[4];
  uint8_t buf[256];
  void* p = buf + (64 - reinterpret_cast<uintptr_t>(buf) % 64) % 64;
  tt::check(tg_dense_forward_bf16(nullptr, x, p, b, 1, 2, 2) == TG_ERR_NULL, "bf16 null y");
  tt::check(tg_dense_forward_int8(y, x, nullptr, b, 1, 2, 2) == TG_ERR_NULL, "int8 null weights");
  tt::check(tg_dense_forward_int8(y, x, p, b, 0, 2, 2) == TG_ERR_SIZE, "int8 batch 0");
  tt::check(tg_dense_forward_int8(y, x, static_cast<uint8_t*>(p) + 1, b, 1, 2, 2) == TG_ERR_ARG, "int8 unaligned");
  tt::check(tg_quantize_int8(p, x, 65537, 1) == TG_ERR_SIZE, "int8 in > 65536");
  tt::check(tg_int8_packed_bytes(0, 3) == -1 && tg_bf16_packed_bytes(3, 0) == -1, "packed bytes of bad sizes");
  tt::check(tg_set_features(1 << 5) == TG_ERR_ARG, "unknown feature bit");
}

}  // namespace

int main() {
  std::printf("cpu isa %s, features 0x%x\n", tt::isa_name(tg_cpu_isa()), tg_cpu_features());
  tt::Rng rng(42);
  const Case cases[] = {{1, 1, 1},   {1, 32, 64},  {1, 64, 1},    {1, 400, 256}, {1, 256, 6},
                        {3, 37, 17}, {2, 5, 300},  {4, 256, 256}, {7, 63, 33},   {1, 1023, 40}};
  for (const Case& c : cases) {
    check_bf16(c, rng);
    check_int8(c, rng, false);
    check_int8(c, rng, true);
  }
  check_int8_special();
  check_args();
  tg_set_isa(tg_cpu_isa());
  tg_set_features(tg_cpu_features());
  return tt::finish("test_quant");
}
