// BLIS-style SGEMM driver shared by every ISA: pack op(B) into NR-wide panels and op(A) into MR-tall
// panels (thread-local buffers), then sweep a register-tiled micro-kernel over the block.
// Included once per ISA translation unit after its simd_*.h (which defines TG_ISA_NS, kW, kMR, kNV).
#pragma once
#include "common.h"
#include "kernels.h"
#include <cstdint>
#include <atomic>
#include "gemm_narrow_impl.h"

namespace tg { namespace TG_ISA_NS {

constexpr int kNR = kNV * kW;
constexpr int64_t kKC = 512;                                // k-block: A block (MC x KC) stays in L2; the B micro-panel
                                                            // streams from L2 well enough that one 400-deep block beats
                                                            // two of 200 (first dense layer of the chart network)
constexpr int64_t kMC = ((168 + kMR - 1) / kMR) * kMR;      // A block (MC x KC) stays in L2
constexpr int64_t kDirectBMaxRowStride = 512;           // floats: widest B row stride read in place for M > kMR
constexpr int64_t kNC = 4096;                               // B block (KC x NC) lives in L2/L3

static inline int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }
static inline int64_t round_up(int64_t a, int64_t b) { return ceil_div(a, b) * b; }
static inline int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }
static inline int64_t max64(int64_t a, int64_t b) { return a > b ? a : b; }

// GemmArgs' epilogue for one micro-tile: bias at the tile's first column, gate and act at its first element
// (row stride c_rs, unit column stride). Null pointers are skipped.
struct TileEpi {
  const float* bias;
  const float* gate;
  float* act;
  int32_t gate_kind, act_kind;
  float gate_slope, act_slope;
};

// bias and gate on one vector of C (left = valid lanes, may exceed kW); off = the vector's offset in the tile
static inline vf epi_in(const TileEpi& e, vf x, int64_t off, int64_t col, int left) {
  if (e.bias) x = vadd(x, left >= kW ? vload(e.bias + col) : vload_n(e.bias + col, left));
  if (e.gate) {
    const vf gx = left >= kW ? vload(e.gate + off) : vload_n(e.gate + off, left);
    if (e.gate_kind == kActRelu) x = vsel_gt0(gx, x, vzero());
    else if (e.gate_kind == kActLeaky) x = vsel_gt0(gx, x, vmul(vbcast(e.gate_slope), x));
  }
  return x;
}

// the activation written next to C
static inline vf epi_act(const TileEpi& e, vf x) {
  if (e.act_kind == kActRelu) return vsel_lt0(x, vzero(), x);
  if (e.act_kind == kActLeaky) return vsel_lt0(x, vmul(vbcast(e.act_slope), x), x);
  return x;
}

// How the micro-kernel reads A: a packed panel, or A itself in place, row-major (rows lda apart, contiguous in k)
// or transposed (each k step a contiguous run of rows, k steps lda apart).
enum AMode { kAPacked = 0, kARows = 1, kACols = 2 };

// c[R, cols] (strides c_rs, c_cs) = alpha * A[R, kc] B[kc, cols] + beta * c, then the epilogue e (nullable; only
// with c_cs == 1). ap: packed A panel [kc][kMR] (first R rows used), or A read in place as Mode says (stride lda);
// bp: B panel [kc][kNR] with k-step stride ldbp (kNR when packed and zero-padded, or B's own row stride when read in
// place).
template <int R, int Mode>
static void micro(int64_t kc, const float* __restrict ap, int64_t lda, const float* __restrict bp, int64_t ldbp,
                  float* c, int64_t c_rs, int64_t c_cs, int cols, float alpha, float beta, const TileEpi* e) {
  vf acc[R][kNV];
#pragma GCC unroll 16
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 4
    for (int v = 0; v < kNV; ++v) acc[r][v] = vzero();
  for (int64_t p = 0; p < kc; ++p) {
    vf b[kNV];
#pragma GCC unroll 8
    for (int v = 0; v < kNV; ++v) b[v] = vload(bp + v * kW);
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r) {
      const vf a = vbcast(Mode == kARows ? ap[r * lda + p] : ap[r]);
#pragma GCC unroll 8
      for (int v = 0; v < kNV; ++v) acc[r][v] = vfma(a, b[v], acc[r][v]);
    }
    if (Mode == kAPacked) ap += kMR;
    else if (Mode == kACols) ap += lda;
    bp += ldbp;
  }
  const vf va = vbcast(alpha), vb = vbcast(beta);
  if (c_cs == 1 && e) {
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r) {
      float* cr = c + r * c_rs;
#pragma GCC unroll 8
      for (int v = 0; v < kNV; ++v) {
        const int left = cols - v * kW;
        const int64_t off = r * c_rs + v * kW;
        if (left >= kW) {
          vf x = vmul(acc[r][v], va);
          if (beta != 0.0f) x = vfma(vb, vload(cr + v * kW), x);
          x = epi_in(*e, x, off, v * kW, left);
          vstore(cr + v * kW, x);
          if (e->act) vstore(e->act + off, epi_act(*e, x));
        } else if (left > 0) {
          vf x = vmul(acc[r][v], va);
          if (beta != 0.0f) x = vfma(vb, vload_n(cr + v * kW, left), x);
          x = epi_in(*e, x, off, v * kW, left);
          vstore_n(cr + v * kW, x, left);
          if (e->act) vstore_n(e->act + off, epi_act(*e, x), left);
        }
      }
    }
  } else if (c_cs == 1) {
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r) {
      float* cr = c + r * c_rs;
#pragma GCC unroll 8
      for (int v = 0; v < kNV; ++v) {
        const int left = cols - v * kW;
        if (left >= kW) {
          vf x = vmul(acc[r][v], va);
          if (beta != 0.0f) x = vfma(vb, vload(cr + v * kW), x);
          vstore(cr + v * kW, x);
        } else if (left > 0) {
          vf x = vmul(acc[r][v], va);
          if (beta != 0.0f) x = vfma(vb, vload_n(cr + v * kW, left), x);
          vstore_n(cr + v * kW, x, left);
        }
      }
    }
  } else {
    // Strided C (the transposed narrow-N case): spill the tile and scatter.
    alignas(64) float t[R * kNR];
    for (int r = 0; r < R; ++r)
      for (int v = 0; v < kNV; ++v) vstore(t + r * kNR + v * kW, acc[r][v]);
    for (int r = 0; r < R; ++r)
      for (int j = 0; j < cols; ++j) {
        float* dst = c + r * c_rs + j * c_cs;
        const float x = alpha * t[r * kNR + j];
        *dst = beta != 0.0f ? x + beta * *dst : x;
      }
  }
}

using MicroFn = void (*)(int64_t, const float*, int64_t, const float*, int64_t, float*, int64_t, int64_t, int, float,
                         float, const TileEpi*);

template <int R, int Mode>
static void fill_micro(MicroFn* fns) {
  fns[R] = &micro<R, Mode>;
  if constexpr (R > 1) fill_micro<R - 1, Mode>(fns);
}

// Whether the micro-kernel can broadcast a row-major A straight from its rows (row stride lda floats) instead of a
// packed copy (a transposed A is always read in place: each k step is one short contiguous run): the kMR rows it reads at once must spread over the L1 sets (at most 4 lines per set of 8 ways, so the
// B panel keeps its place); a row stride near a multiple of 4 KiB would pile them into one set.
static bool direct_a_ok(int64_t lda) {
  int per_set[64] = {};
  for (int r = 0; r < kMR; ++r)
    if (++per_set[(uint64_t(r) * uint64_t(lda) * sizeof(float) / 64) % 64] > 4) return false;
  return true;
}

// dst[0, n) = src[0, n) in whole and masked vectors (n may be 0).
static inline void copy_n(float* __restrict dst, const float* __restrict src, int64_t n) {
  int64_t i = 0;
  for (; i + kW <= n; i += kW) vstore(dst + i, vload(src + i));
  if (i < n) vstore_n(dst + i, vload_n(src + i, int(n - i)), int(n - i));
}

// Transposing copy for packing: dst[p * ds + i] = src[i * ss + p] for i < r, p < kc, where each of the r <= lanes
// source rows is contiguous in p; lanes i in [r, lanes) are written as zeros. lanes is r or kTransposeW.
// Whole kTransposeW x kTransposeW blocks go through the in-register transpose; the k tail is scalar.
static void transpose_pack(float* __restrict dst, int64_t ds, const float* src, int64_t ss, int r, int lanes,
                           int64_t kc) {
  int64_t p0 = 0;
  if constexpr (kTransposeW > 1) {
    for (; p0 + kTransposeW <= kc; p0 += kTransposeW) {
      vf v[kTransposeW > 1 ? kTransposeW : 1];
      for (int i = 0; i < kTransposeW; ++i) v[i] = i < r ? vload(src + i * ss + p0) : vzero();
      transpose_w(v);
      for (int q = 0; q < kTransposeW; ++q) {
        if (lanes == kTransposeW) vstore(dst + (p0 + q) * ds, v[q]);
        else vstore_n(dst + (p0 + q) * ds, v[q], lanes);
      }
    }
  }
  for (int64_t p = p0; p < kc; ++p)
    for (int i = 0; i < lanes; ++i) dst[p * ds + i] = i < r ? src[i * ss + p] : 0.0f;
}

// dst: ceil(rows/MR) panels of [kc][kMR] from op(A)[rows, kc], element (i,p) at a[i*rs + p*cs].
// Rows past `rows` in the last panel are left unset: micro<R> never reads them.
static void pack_a(float* __restrict dst, const float* a, int64_t rs, int64_t cs, int64_t rows, int64_t kc) {
  for (int64_t i0 = 0; i0 < rows; i0 += kMR) {
    const int64_t r = min64(kMR, rows - i0);
    const float* src = a + i0 * rs;
    if (rs == 1) {  // A^T stored row-major: each k step is a contiguous run of r floats
      for (int64_t p = 0; p < kc; ++p) copy_n(dst + p * kMR, src + p * cs, r);
    } else if (cs == 1 && kTransposeW >= kMR) {  // row-major A: transpose blocks of rows in registers
      transpose_pack(dst, kMR, src, rs, int(r), int(r), kc);
    } else {        // read each row contiguously, write with stride kMR
      for (int64_t i = 0; i < r; ++i)
        for (int64_t p = 0; p < kc; ++p) dst[p * kMR + i] = src[i * rs + p * cs];
    }
    dst += kMR * kc;
  }
}

// dst: ceil(cols/NR) panels of [kc][kNR] from op(B)[kc, cols], element (p,j) at b[p*rs + j*cs];
// the last panel is zero-padded so the micro-kernel can run full width. col_sums (nullable, only with cs == 1):
// col_sums[j] += sum over the kc rows of op(B)(p,j), summed in order of p as the values pass through registers.
static void pack_b(float* __restrict dst, const float* b, int64_t rs, int64_t cs, int64_t kc, int64_t cols,
                   float* col_sums) {
  for (int64_t j0 = 0; j0 < cols; j0 += kNR) {
    const int64_t w = min64(kNR, cols - j0);
    const float* src = b + j0 * cs;
    if (cs == 1 && col_sums) {
      vf sum[kNV];
#pragma GCC unroll 8
      for (int v = 0; v < kNV; ++v) sum[v] = vzero();
      for (int64_t p = 0; p < kc; ++p) {
        float* d = dst + p * kNR;
        const float* s = src + p * rs;
#pragma GCC unroll 8
        for (int v = 0; v < kNV; ++v) {
          const int left = int(w) - v * kW;
          const vf x = left >= kW ? vload(s + v * kW) : vload_n(s + v * kW, left);
          vstore(d + v * kW, x);
          sum[v] = vadd(sum[v], x);
        }
      }
#pragma GCC unroll 8
      for (int v = 0; v < kNV; ++v) {
        const int left = int(w) - v * kW;
        float* cs_v = col_sums + j0 + v * kW;
        if (left >= kW) vstore(cs_v, vadd(vload(cs_v), sum[v]));
        else if (left > 0) vstore_n(cs_v, vadd(vload_n(cs_v, left), sum[v]), left);
      }
    } else if (cs == 1) {  // row-major B: contiguous rows of w floats
      for (int64_t p = 0; p < kc; ++p) {
        float* d = dst + p * kNR;
        const float* s = src + p * rs;
#pragma GCC unroll 8
        for (int v = 0; v < kNV; ++v) {
          const int left = int(w) - v * kW;
          vstore(d + v * kW, left >= kW ? vload(s + v * kW) : vload_n(s + v * kW, left));
        }
      }
    } else if (rs == 1 && kTransposeW > 1 && kNR % kTransposeW == 0) {  // B^T row-major: transpose in registers
      for (int64_t jj = 0; jj < kNR; jj += kTransposeW) {
        const int r = int(min64(kTransposeW, w - jj));
        if (r > 0) {
          transpose_pack(dst + jj, kNR, src + jj * cs, cs, r, kTransposeW, kc);
        } else {
          for (int64_t p = 0; p < kc; ++p)
            for (int j = 0; j < kTransposeW; ++j) dst[p * kNR + jj + j] = 0.0f;
        }
      }
    } else {        // B^T stored row-major: read each column of op(B) contiguously
      for (int64_t j = 0; j < w; ++j)
        for (int64_t p = 0; p < kc; ++p) dst[p * kNR + j] = src[j * cs + p * rs];
      if (w < kNR)
        for (int64_t p = 0; p < kc; ++p)
          for (int64_t j = w; j < kNR; ++j) dst[p * kNR + j] = 0.0f;
    }
    dst += kNR * kc;
  }
}

// One (jc, pc) block; tasks split its rows into MC slices.
struct GemmBlock {
  const GemmArgs* g;
  const float* bp;
  int64_t jc, nc, pc, kc, mc;
  int64_t direct_cols;  // leading columns read in place from B (full panels only); the rest are packed
  float beta;
  bool epilogue;        // this is the last k-block and the epilogue is fused into the micro-kernel
  int a_mode;           // kAPacked, or A read in place (kARows, kACols)
  MicroFn fns[kMR + 1];
  bool failed;
};

static void gemm_task(void* ctx, int task) {
  GemmBlock& s = *static_cast<GemmBlock*>(ctx);
  const GemmArgs& g = *s.g;
  const int64_t ic = int64_t(task) * s.mc;
  const int64_t mc = min64(s.mc, g.m - ic);
  float* ap = nullptr;
  if (s.a_mode == kAPacked) {
    ap = scratch(1, size_t(round_up(mc, kMR) * s.kc));
    if (!ap) { s.failed = true; return; }
    pack_a(ap, g.a + ic * g.a_rs + s.pc * g.a_cs, g.a_rs, g.a_cs, mc, s.kc);
  }
  TileEpi e{nullptr, nullptr, nullptr, g.gate_kind, g.act_kind, g.gate_slope, g.act_slope};
  for (int64_t jr = 0; jr < s.nc; jr += kNR) {
    const int cols = int(min64(kNR, s.nc - jr));
    const bool direct = jr < s.direct_cols;
    const float* bpp = direct ? g.b + s.pc * g.b_rs + (s.jc + jr) : s.bp + (jr - s.direct_cols) * s.kc;
    const int64_t ldbp = direct ? g.b_rs : kNR;
    for (int64_t ir = 0; ir < mc; ir += kMR) {
      const int rows = int(min64(kMR, mc - ir));
      const int64_t c_off = (ic + ir) * g.c_rs + (s.jc + jr) * g.c_cs;
      if (s.epilogue) {
        e.bias = g.bias ? g.bias + s.jc + jr : nullptr;
        e.gate = g.gate ? g.gate + c_off : nullptr;
        e.act = g.act ? g.act + c_off : nullptr;
      }
      const float* a = s.a_mode == kAPacked ? ap + ir * s.kc : g.a + (ic + ir) * g.a_rs + s.pc * g.a_cs;
      s.fns[rows](s.kc, a, s.a_mode == kACols ? g.a_cs : g.a_rs, bpp, ldbp, g.c + c_off, g.c_rs, g.c_cs, cols, g.alpha, s.beta,
                  s.epilogue ? &e : nullptr);
    }
  }
}

static double tile_fill(int64_t x) { return double(x) / double(round_up(x, kNR)); }

// The epilogue of g as a separate pass over the finished C (paths whose micro-kernel cannot apply it).
static void epilogue_pass(const GemmArgs& g) {
  for (int64_t i = 0; i < g.m; ++i)
    for (int64_t j = 0; j < g.n; ++j) {
      const int64_t o = i * g.c_rs + j * g.c_cs;
      float x = g.c[o];
      if (g.bias) x += g.bias[j];
      if (g.gate) {
        if (g.gate_kind == kActRelu) x = g.gate[o] > 0.0f ? x : 0.0f;
        else if (g.gate_kind == kActLeaky) x = g.gate[o] > 0.0f ? x : g.gate_slope * x;
      }
      g.c[o] = x;
      if (g.act) g.act[o] = g.act_kind == kActRelu ? (x < 0.0f ? 0.0f : x)
                          : g.act_kind == kActLeaky ? (x < 0.0f ? g.act_slope * x : x) : x;
    }
}

// b_col_sums[j] += sum_p op(B)(p,j), row by row (paths that do not pack op(B) row-major).
static void col_sums_pass(const GemmArgs& g) {
  for (int64_t p = 0; p < g.k; ++p)
    for (int64_t j = 0; j < g.n; ++j) g.b_col_sums[j] += g.b[p * g.b_rs + j * g.b_cs];
}

static bool worth_threading(const GemmArgs& g) {
  return g.may_thread && double(g.m) * double(g.n) * double(g.k) >= double(1 << 22);
}

// Returns TG_OK or TG_ERR_ALLOC. Single-threaded when called from sgemm's slices (may_thread false); otherwise
// threads share each packed block of op(B) by row panels: sgemm's fallback for few rows and columns over a long K.
static int sgemm_rows(const GemmArgs& in) {
  GemmArgs g = in;
  if (g.n <= kNarrowMaxN && g.n * 2 < kNR && g.a_cs == 1 && g.c_cs == 1 && g.k >= 2 * kW) {
    if (int st = sgemm_narrow(g)) return st;
    if (in.b_col_sums) col_sums_pass(in);
    if (in.has_epilogue()) epilogue_pass(in);
    return TG_OK;
  }
  // Narrow N (e.g. 6 outputs) would waste most of the NR-wide tile: compute C^T = op(B)^T op(A)^T instead.
  bool swapped = false;
  if (tile_fill(g.m) > 1.25 * tile_fill(g.n)) {
    swapped = true;
    g.m = in.n; g.n = in.m;
    g.a = in.b; g.a_rs = in.b_cs; g.a_cs = in.b_rs;
    g.b = in.a; g.b_rs = in.a_cs; g.b_cs = in.a_rs;
    g.c_rs = in.c_cs; g.c_cs = in.c_rs;
  }
  // The epilogue runs in the micro-kernel when C has unit column stride; column sums of op(B) are taken while it
  // is packed row-major (every column packed, none read in place).
  const bool fuse_epilogue = !swapped && g.c_cs == 1 && in.has_epilogue();
  const bool fuse_col_sums = !swapped && in.b_col_sums && g.b_cs == 1 && g.m > kMR;
  const int threads = worth_threading(g) ? pool_threads() : 1;
  const int64_t nkb = ceil_div(g.k, kKC);
  const int64_t kcb = ceil_div(g.k, nkb);
  const int64_t ncb = min64(g.n, kNC);
  float* bp = scratch(0, size_t(kcb * round_up(ncb, kNR)));
  if (!bp) return TG_ERR_ALLOC;
  GemmBlock s;
  s.g = &g;
  s.bp = bp;
  s.failed = false;
  s.fns[0] = nullptr;
  s.a_mode = g.a_rs == 1 ? kACols : (g.a_cs == 1 && direct_a_ok(g.a_rs)) ? kARows : kAPacked;
  if (s.a_mode == kACols) fill_micro<kMR, kACols>(s.fns);
  else if (s.a_mode == kARows) fill_micro<kMR, kARows>(s.fns);
  else fill_micro<kMR, kAPacked>(s.fns);
  s.mc = kMC;
  // Whole row tiles per thread, rounded down: the few rows left over form a small last task that the first
  // thread to finish takes (rounding up gave one thread 140 of 256 rows, 9% more than its share).
  if (threads > 1) s.mc = min64(kMC, max64(kMR, (g.m / threads) / kMR * kMR));
  const int tasks = int(ceil_div(g.m, s.mc));
  for (int64_t jc = 0; jc < g.n; jc += ncb) {
    s.jc = jc;
    s.nc = min64(ncb, g.n - jc);
    for (int64_t pc = 0; pc < g.k; pc += kcb) {
      s.pc = pc;
      s.kc = min64(kcb, g.k - pc);
      s.beta = pc == 0 ? g.beta : 1.0f;  // later k-blocks accumulate onto the first
      s.epilogue = fuse_epilogue && pc + s.kc == g.k;
      // A single row panel uses each B panel once: packing would only copy it, so read full panels in place. Where
      // the ISA streams B well (kDirectB) read it in place for any M too, unless its column sums are taken while
      // packing or its rows lie over 2 KiB apart (measured at 1 KiB; wider rows would touch a new page every k step).
      const bool direct_b = g.b_cs == 1 && (g.m <= kMR || (kDirectB && !fuse_col_sums && g.b_rs <= kDirectBMaxRowStride));
      s.direct_cols = direct_b ? (s.nc / kNR) * kNR : 0;
      if (s.direct_cols < s.nc)
        pack_b(bp, g.b + pc * g.b_rs + (jc + s.direct_cols) * g.b_cs, g.b_rs, g.b_cs, s.kc, s.nc - s.direct_cols,
               fuse_col_sums ? in.b_col_sums + jc + s.direct_cols : nullptr);
      if (threads > 1 && tasks > 1) {
        parallel_for(tasks, &gemm_task, &s);
      } else {
        for (int t = 0; t < tasks; ++t) gemm_task(&s, t);
      }
      if (s.failed) return TG_ERR_ALLOC;
    }
  }
  if (in.b_col_sums && !fuse_col_sums) col_sums_pass(in);
  if (in.has_epilogue() && !fuse_epilogue) epilogue_pass(in);
  return TG_OK;
}

// One column slice of C per pool thread, each a whole single-threaded GEMM that packs its own columns of op(B).
struct ColumnSplit {
  const GemmArgs* g;
  int64_t per;
  std::atomic<int> status{TG_OK};
};

static void column_task(void* ctx, int task) {
  ColumnSplit& s = *static_cast<ColumnSplit*>(ctx);
  const GemmArgs& in = *s.g;
  const int64_t j0 = int64_t(task) * s.per;
  if (j0 >= in.n) return;
  GemmArgs g = in;
  g.may_thread = false;
  g.n = min64(s.per, in.n - j0);
  g.b = in.b + j0 * in.b_cs;
  g.c = in.c + j0 * in.c_cs;
  if (in.bias) g.bias = in.bias + j0;
  if (in.gate) g.gate = in.gate + j0 * in.c_cs;
  if (in.act) g.act = in.act + j0 * in.c_cs;
  if (in.b_col_sums) g.b_col_sums = in.b_col_sums + j0;
  if (int st = sgemm_rows(g)) s.status.store(st, std::memory_order_relaxed);
}

// One row slice of C per pool thread, each a whole single-threaded GEMM that packs its own op(B): thread t gets the
// same rows in every layer of a batch (the caller takes task 0 first), so activations stay in the core that wrote
// them. Column sums of op(B) go to task 0 only.
struct RowSplit {
  const GemmArgs* g;
  int64_t per;  // rows of every slice but the last (whole tiles)
  int tasks;
  std::atomic<int> status{TG_OK};
};

static void row_task(void* ctx, int task) {
  RowSplit& s = *static_cast<RowSplit*>(ctx);
  const GemmArgs& in = *s.g;
  const int64_t i0 = int64_t(task) * s.per;
  GemmArgs g = in;
  g.may_thread = false;
  g.m = task == s.tasks - 1 ? in.m - i0 : s.per;
  g.a = in.a + i0 * in.a_rs;
  g.c = in.c + i0 * in.c_rs;
  if (in.gate) g.gate = in.gate + i0 * in.c_rs;
  if (in.act) g.act = in.act + i0 * in.c_rs;
  if (task != 0) g.b_col_sums = nullptr;
  if (int st = sgemm_rows(g)) s.status.store(st, std::memory_order_relaxed);
}

// Split K: thread t multiplies its own k-slice (rows of a batch it wrote in the forward pass, as in dW = x^T dy)
// into a private partial; then thread t writes its own slice of C's rows, C = beta C + the partials' sum, every
// partial carrying alpha. No thread writes rows of C that another one reduces: C's rows stay with the core that the
// optimizer's slice of the same rows runs on (a line of C rewritten by the other core costs several local ones).
struct KSplit {
  const GemmArgs* g;
  int64_t per;     // k of every slice but the last
  int tasks;
  float* partial;  // tasks x m x n, row-major
  float* sums;     // tasks x n column sums of op(B), or null
  int64_t rows_per;  // reduction: rows of C per task
  std::atomic<int> status{TG_OK};
};

static void k_task(void* ctx, int task) {
  KSplit& s = *static_cast<KSplit*>(ctx);
  const GemmArgs& in = *s.g;
  const int64_t p0 = int64_t(task) * s.per;
  GemmArgs g = in;
  g.may_thread = false;
  g.k = task == s.tasks - 1 ? in.k - p0 : s.per;
  g.a = in.a + p0 * in.a_cs;
  g.b = in.b + p0 * in.b_rs;
  g.bias = nullptr;
  g.gate = nullptr;
  g.act = nullptr;
  g.b_col_sums = s.sums ? s.sums + int64_t(task) * in.n : nullptr;
  if (s.sums)
    for (int64_t j = 0; j < in.n; ++j) g.b_col_sums[j] = 0.0f;
  g.c = s.partial + int64_t(task) * in.m * in.n;
  g.c_rs = in.n;
  g.c_cs = 1;
  g.beta = 0.0f;
  if (int st = sgemm_rows(g)) s.status.store(st, std::memory_order_relaxed);
}

static void k_reduce(void* ctx, int task) {
  KSplit& s = *static_cast<KSplit*>(ctx);
  const GemmArgs& in = *s.g;
  const int64_t r0 = int64_t(task) * s.rows_per;
  const int64_t r1 = min64(in.m, r0 + s.rows_per);
  for (int64_t i = r0; i < r1; ++i) {
    float* c = in.c + i * in.c_rs;
    const float* q = s.partial + i * in.n;
    // beta 0 overwrites (a NaN in C must not survive), as the GEMM itself does
    if (in.beta == 0.0f) {
      for (int64_t j = 0; j < in.n; ++j) c[j * in.c_cs] = q[j];
    } else if (in.beta == 1.0f) {
      for (int64_t j = 0; j < in.n; ++j) c[j * in.c_cs] += q[j];
    } else {
      for (int64_t j = 0; j < in.n; ++j) c[j * in.c_cs] = in.beta * c[j * in.c_cs] + q[j];
    }
    for (int t = 1; t < s.tasks; ++t) {
      const float* part = s.partial + int64_t(t) * in.m * in.n + i * in.n;
      for (int64_t j = 0; j < in.n; ++j) c[j * in.c_cs] += part[j];
    }
  }
  if (s.sums && task == 0)
    for (int t = 0; t < s.tasks; ++t)
      for (int64_t j = 0; j < in.n; ++j) in.b_col_sums[j] += s.sums[int64_t(t) * in.n + j];
}

// Threads split a big GEMM so that each core reads what it wrote itself: on the 2-core machine of bench/ a line
// written by one core and then read or rewritten by the other costs several times a local one, and a training step
// that ignored this ran slower on 2 threads than on 1. op(A) transposed (A's rows are the batch, as in
// dW = x^T dy): split K, each thread over the batch rows it computed in the forward pass. Otherwise split the rows
// of C (the batch in the forward pass and in dx = dy W^T), each thread packing its own op(B); narrow M with wide N:
// split the columns, each thread packing its own columns of op(B).
static int sgemm(const GemmArgs& in) {
  const int threads = worth_threading(in) ? pool_threads() : 1;
  set_last_gemm_split(threads > 1);
  if (threads < 2) return sgemm_rows(in);
  const bool a_transposed = in.a_rs == 1 && in.a_cs != 1;
  if (a_transposed && !in.has_epilogue() && in.k >= 2 * kMR * threads) {
    KSplit s;
    s.g = &in;
    s.tasks = threads;
    s.per = max64(kMR, (in.k / threads) / kMR * kMR);
    s.rows_per = ceil_div(in.m, threads);
    s.partial = scratch(4, size_t(threads) * size_t(in.m) * size_t(in.n));
    s.sums = in.b_col_sums ? scratch(5, size_t(threads) * size_t(in.n)) : nullptr;
    if (!s.partial || (in.b_col_sums && !s.sums)) return TG_ERR_ALLOC;
    parallel_for(threads, &k_task, &s);
    if (int st = s.status.load(std::memory_order_relaxed)) return st;
    parallel_for(threads, &k_reduce, &s);
    return TG_OK;
  }
  if (in.m >= 2 * kMR * threads) {
    RowSplit s;
    s.g = &in;
    s.tasks = threads;
    s.per = max64(kMR, (in.m / threads) / kMR * kMR);
    parallel_for(threads, &row_task, &s);
    return s.status.load(std::memory_order_relaxed);
  }
  if (in.n >= 2 * kNR * threads) {
    ColumnSplit s;
    s.g = &in;
    s.per = round_up(ceil_div(in.n, threads), 16);
    parallel_for(threads, &column_task, &s);
    return s.status.load(std::memory_order_relaxed);
  }
  return sgemm_rows(in);
}

}}  // namespace tg::TG_ISA_NS
