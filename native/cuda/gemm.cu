// GEMM: a register-blocked shared-memory SGEMM (fp32 FMA) and a TF32 tensor-core path (wmma, sm_80+),
// both row-major with transposes, an epilogue (beta, bias, ReLU, ReLU-derivative mask) and split-K for the
// skinny-output, long-K products of the backward pass (dW = x^T dy over a large batch).
#include "common.cuh"
#include <mma.h>

namespace tgc {
namespace {

struct GemmParams {
  float* c;
  const float* a;
  const float* b;
  const float* bias;
  const float* mask;
  int m, n, k, lda, ldb, ldc;
  float alpha, beta;
  int relu;
  int k_chunk;  // K range per blockIdx.z (a multiple of the tile depth)
  int split;    // 1 = gridDim.z > 1: accumulate alpha * partial atomically, no other epilogue
};

// A(m, kk) of op(A) and B(kk, n) of op(B)
template <bool TA>
__device__ __forceinline__ float load_a(const GemmParams& p, int m, int kk) {
  return TA ? p.a[int64_t(kk) * p.lda + m] : p.a[int64_t(m) * p.lda + kk];
}
template <bool TB>
__device__ __forceinline__ float load_b(const GemmParams& p, int kk, int n) {
  return TB ? p.b[int64_t(n) * p.ldb + kk] : p.b[int64_t(kk) * p.ldb + n];
}

__device__ __forceinline__ void store_c(const GemmParams& p, int m, int n, float acc) {
  float* cp = p.c + int64_t(m) * p.ldc + n;
  if (p.split) {
    atomicAdd(cp, p.alpha * acc);
    return;
  }
  float v = p.alpha * acc;
  if (p.beta != 0.0f) v += p.beta * *cp;  // beta = 0 never reads C (it may hold NaN)
  if (p.bias) v += p.bias[n];
  if (p.relu) v = v < 0.0f ? 0.0f : v;  // as the CPU ReLU: NaN propagates
  if (p.mask) v = p.mask[int64_t(m) * p.ldc + n] > 0.0f ? v : 0.0f;
  *cp = v;
}

// fp32 SGEMM: each thread owns TM x TN outputs strided by the thread grid (conflict-free shared reads,
// coalesced stores). The next K slice is fetched into registers while the current one is multiplied.
template <int BM, int BN, int BK, int TM, int TN, bool TA, bool TB>
__global__ void __launch_bounds__((BM / TM) * (BN / TN)) sgemm_kernel(GemmParams p) {
  constexpr int TX = BN / TN, TY = BM / TM, NT = TX * TY, PAD = 4;
  constexpr int LA = BM * BK / NT, LB = BK * BN / NT;  // elements each thread stages per slice
  static_assert(BM * BK % NT == 0 && BK * BN % NT == 0, "tile not divisible by the thread count");
  __shared__ float As[BK][BM + PAD];
  __shared__ float Bs[BK][BN + PAD];
  const int tid = threadIdx.x, tx = tid % TX, ty = tid / TX;
  const int m0 = blockIdx.y * BM, n0 = blockIdx.x * BN;
  const int k_begin = blockIdx.z * p.k_chunk;
  const int k_end = min(p.k, k_begin + p.k_chunk);
  float ra[LA], rb[LB];
  // op(A) element r of this thread: TA reads along m (contiguous), otherwise along k
  auto fetch = [&](int k0) {
#pragma unroll
    for (int r = 0; r < LA; ++r) {
      const int idx = tid + r * NT;
      const int ml = TA ? idx % BM : idx / BK;
      const int kl = TA ? idx / BM : idx % BK;
      const int gm = m0 + ml, gk = k0 + kl;
      ra[r] = (gm < p.m && gk < k_end) ? load_a<TA>(p, gm, gk) : 0.0f;
    }
#pragma unroll
    for (int r = 0; r < LB; ++r) {
      const int idx = tid + r * NT;
      const int nl = TB ? idx / BK : idx % BN;
      const int kl = TB ? idx % BK : idx / BN;
      const int gn = n0 + nl, gk = k0 + kl;
      rb[r] = (gn < p.n && gk < k_end) ? load_b<TB>(p, gk, gn) : 0.0f;
    }
  };
  auto stage = [&]() {
#pragma unroll
    for (int r = 0; r < LA; ++r) {
      const int idx = tid + r * NT;
      As[TA ? idx / BM : idx % BK][TA ? idx % BM : idx / BK] = ra[r];
    }
#pragma unroll
    for (int r = 0; r < LB; ++r) {
      const int idx = tid + r * NT;
      Bs[TB ? idx % BK : idx / BN][TB ? idx / BK : idx % BN] = rb[r];
    }
  };
  float acc[TM][TN];
#pragma unroll
  for (int i = 0; i < TM; ++i)
#pragma unroll
    for (int j = 0; j < TN; ++j) acc[i][j] = 0.0f;

  if (k_begin < k_end) {
    fetch(k_begin);
    stage();
    __syncthreads();
  }
  for (int k0 = k_begin; k0 < k_end; k0 += BK) {
    const bool more = k0 + BK < k_end;
    if (more) fetch(k0 + BK);  // global loads in flight during the FMAs below
#pragma unroll
    for (int kk = 0; kk < BK; ++kk) {
      float ar[TM], br[TN];
#pragma unroll
      for (int i = 0; i < TM; ++i) ar[i] = As[kk][ty + i * TY];
#pragma unroll
      for (int j = 0; j < TN; ++j) br[j] = Bs[kk][tx + j * TX];
#pragma unroll
      for (int i = 0; i < TM; ++i)
#pragma unroll
        for (int j = 0; j < TN; ++j) acc[i][j] = fmaf(ar[i], br[j], acc[i][j]);
    }
    __syncthreads();
    if (more) {
      stage();
      __syncthreads();
    }
  }
#pragma unroll
  for (int i = 0; i < TM; ++i) {
    const int gm = m0 + ty + i * TY;
    if (gm >= p.m) continue;
#pragma unroll
    for (int j = 0; j < TN; ++j) {
      const int gn = n0 + tx + j * TX;
      if (gn < p.n) store_c(p, gm, gn, acc[i][j]);
    }
  }
}

// TF32 tensor cores: 64x64 block tile, 4 warps of 32x32 (2x2 wmma 16x16x8 fragments), fp32 accumulate.
constexpr int kTfBM = 64, kTfBN = 64, kTfBK = 16, kTfThreads = 128;

template <bool TA, bool TB>
__global__ void __launch_bounds__(kTfThreads) tf32_gemm_kernel(GemmParams p) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800
  using namespace nvcuda;
  constexpr int PA = 4, PB = 4, LDC = kTfBN + 4;
  __shared__ __align__(32) float As[kTfBM][kTfBK + PA];  // row-major (m, k)
  __shared__ __align__(32) float Bs[kTfBK][kTfBN + PB];  // row-major (k, n)
  __shared__ __align__(32) float Cs[kTfBM][LDC];
  const int tid = threadIdx.x, warp = tid / 32;
  const int wm = warp / 2, wn = warp % 2;
  const int m0 = blockIdx.y * kTfBM, n0 = blockIdx.x * kTfBN;
  const int k_begin = blockIdx.z * p.k_chunk;
  const int k_end = min(p.k, k_begin + p.k_chunk);
  wmma::fragment<wmma::accumulator, 16, 16, 8, float> acc[2][2];
#pragma unroll
  for (int i = 0; i < 2; ++i)
#pragma unroll
    for (int j = 0; j < 2; ++j) wmma::fill_fragment(acc[i][j], 0.0f);

  for (int k0 = k_begin; k0 < k_end; k0 += kTfBK) {
    for (int idx = tid; idx < kTfBM * kTfBK; idx += kTfThreads) {
      const int ml = TA ? idx % kTfBM : idx / kTfBK;
      const int kl = TA ? idx / kTfBM : idx % kTfBK;
      const int gm = m0 + ml, gk = k0 + kl;
      As[ml][kl] = (gm < p.m && gk < k_end) ? load_a<TA>(p, gm, gk) : 0.0f;
    }
    for (int idx = tid; idx < kTfBK * kTfBN; idx += kTfThreads) {
      const int nl = TB ? idx / kTfBK : idx % kTfBN;
      const int kl = TB ? idx % kTfBK : idx / kTfBN;
      const int gn = n0 + nl, gk = k0 + kl;
      Bs[kl][nl] = (gn < p.n && gk < k_end) ? load_b<TB>(p, gk, gn) : 0.0f;
    }
    __syncthreads();
#pragma unroll
    for (int kk = 0; kk < kTfBK; kk += 8) {
      wmma::fragment<wmma::matrix_a, 16, 16, 8, wmma::precision::tf32, wmma::row_major> fa[2];
      wmma::fragment<wmma::matrix_b, 16, 16, 8, wmma::precision::tf32, wmma::row_major> fb[2];
#pragma unroll
      for (int i = 0; i < 2; ++i) {
        wmma::load_matrix_sync(fa[i], &As[wm * 32 + i * 16][kk], kTfBK + PA);
#pragma unroll
        for (int t = 0; t < fa[i].num_elements; ++t) fa[i].x[t] = wmma::__float_to_tf32(fa[i].x[t]);
      }
#pragma unroll
      for (int j = 0; j < 2; ++j) {
        wmma::load_matrix_sync(fb[j], &Bs[kk][wn * 32 + j * 16], kTfBN + PB);
#pragma unroll
        for (int t = 0; t < fb[j].num_elements; ++t) fb[j].x[t] = wmma::__float_to_tf32(fb[j].x[t]);
      }
#pragma unroll
      for (int i = 0; i < 2; ++i)
#pragma unroll
        for (int j = 0; j < 2; ++j) wmma::mma_sync(acc[i][j], fa[i], fb[j], acc[i][j]);
    }
    __syncthreads();
  }
#pragma unroll
  for (int i = 0; i < 2; ++i)
#pragma unroll
    for (int j = 0; j < 2; ++j)
      wmma::store_matrix_sync(&Cs[wm * 32 + i * 16][wn * 32 + j * 16], acc[i][j], LDC, wmma::mem_row_major);
  __syncthreads();
  for (int idx = tid; idx < kTfBM * kTfBN; idx += kTfThreads) {
    const int ml = idx / kTfBN, nl = idx % kTfBN;
    const int gm = m0 + ml, gn = n0 + nl;
    if (gm < p.m && gn < p.n) store_c(p, gm, gn, Cs[ml][nl]);
  }
#endif
}

__global__ void scale_matrix_kernel(float* c, int m, int n, int ldc, float beta) {
  const int64_t total = int64_t(m) * n;
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < total; i += int64_t(gridDim.x) * blockDim.x) {
    float* cp = c + (i / n) * ldc + (i % n);
    *cp = beta == 0.0f ? 0.0f : beta * *cp;
  }
}

int sm_count() {
  static int cached[64] = {0};
  int dev = 0;
  if (cudaGetDevice(&dev) != cudaSuccess || dev < 0 || dev >= 64) return 132;
  if (cached[dev] == 0) {
    int v = 0;
    cudaDeviceGetAttribute(&v, cudaDevAttrMultiProcessorCount, dev);
    cached[dev] = v > 0 ? v : 132;
  }
  return cached[dev];
}

template <int BM, int BN, int BK, int TM, int TN>
void launch_fp32(const GemmParams& p, dim3 grid, int ta, int tb, cudaStream_t s) {
  constexpr int NT = (BM / TM) * (BN / TN);
  if (!ta && !tb) sgemm_kernel<BM, BN, BK, TM, TN, false, false><<<grid, NT, 0, s>>>(p);
  else if (!ta && tb) sgemm_kernel<BM, BN, BK, TM, TN, false, true><<<grid, NT, 0, s>>>(p);
  else if (ta && !tb) sgemm_kernel<BM, BN, BK, TM, TN, true, false><<<grid, NT, 0, s>>>(p);
  else sgemm_kernel<BM, BN, BK, TM, TN, true, true><<<grid, NT, 0, s>>>(p);
}

void launch_tf32(const GemmParams& p, dim3 grid, int ta, int tb, cudaStream_t s) {
  if (!ta && !tb) tf32_gemm_kernel<false, false><<<grid, kTfThreads, 0, s>>>(p);
  else if (!ta && tb) tf32_gemm_kernel<false, true><<<grid, kTfThreads, 0, s>>>(p);
  else if (ta && !tb) tf32_gemm_kernel<true, false><<<grid, kTfThreads, 0, s>>>(p);
  else tf32_gemm_kernel<true, true><<<grid, kTfThreads, 0, s>>>(p);
}

int g_precision = TG_CUDA_MATMUL_FP32;
int g_tile = 0;

}  // namespace

int32_t matmul_precision() { return g_precision; }

int32_t gemm(float* c, const float* a, const float* b, int m, int n, int k, int trans_a, int trans_b, float alpha,
             float beta, int lda, int ldb, int ldc, const float* bias, int relu, const float* mask,
             cudaStream_t stream) {
  GemmParams p{c, a, b, bias, mask, m, n, k, lda, ldb, ldc, alpha, beta, relu, k, 0};
  const bool epilogue = bias || relu || mask;
  const int sms = sm_count();
  const bool tf32 = g_precision == TG_CUDA_MATMUL_TF32;
  int bm, bn, depth;
  if (tf32) {
    bm = kTfBM; bn = kTfBN; depth = kTfBK;
  } else {
    const int64_t big_tiles = int64_t((m + 127) / 128) * ((n + 127) / 128);
    const bool big = g_tile == 128 || (g_tile == 0 && big_tiles >= sms);
    if (big) { bm = 128; bn = 128; } else { bm = 64; bn = 64; }
    depth = 16;
  }
  const int64_t tiles = int64_t((m + bm - 1) / bm) * ((n + bn - 1) / bn);
  int splits = 1;
  // Split K when the tile grid leaves most of the GPU idle and each split keeps at least 128 of K.
  if (!epilogue && tiles < sms && k >= 256) {
    const int64_t want = (2 * int64_t(sms) + tiles - 1) / tiles;
    const int64_t most = k / 128;
    splits = int(want < most ? want : most);
    if (splits > 64) splits = 64;
    if (splits < 1) splits = 1;
  }
  if (splits > 1) {
    int chunk = (k + splits - 1) / splits;
    chunk = (chunk + depth - 1) / depth * depth;
    splits = (k + chunk - 1) / chunk;
    p.k_chunk = chunk;
  }
  if (splits > 1) {
    p.split = 1;
    if (beta != 1.0f) {
      scale_matrix_kernel<<<blocks_for(int64_t(m) * n, 256, 4096), 256, 0, stream>>>(c, m, n, ldc, beta);
      if (int32_t st = launch_status()) return st;
    }
  }
  const dim3 grid(unsigned((n + bn - 1) / bn), unsigned((m + bm - 1) / bm), unsigned(splits));
  if (grid.y > 65535) return TG_ERR_SIZE;
  if (tf32) launch_tf32(p, grid, trans_a, trans_b, stream);
  else if (bm == 128) launch_fp32<128, 128, 16, 8, 8>(p, grid, trans_a, trans_b, stream);
  else launch_fp32<64, 64, 16, 4, 4>(p, grid, trans_a, trans_b, stream);
  return launch_status();
}

}  // namespace tgc

extern "C" {

TG_CUDA_API int32_t tg_cuda_set_matmul_precision(int32_t precision) {
  if (precision != TG_CUDA_MATMUL_FP32 && precision != TG_CUDA_MATMUL_TF32) return TG_ERR_ARG;
  if (precision == TG_CUDA_MATMUL_TF32) {
    int dev = 0, major = 0;
    if (cudaGetDevice(&dev) != cudaSuccess) return TG_CUDA_ERR_NO_DEVICE;
    cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, dev);
    if (major < 8) return TG_ERR_UNSUPPORTED;
  }
  tgc::g_precision = precision;
  return TG_OK;
}

TG_CUDA_API int32_t tg_cuda_matmul_precision(void) { return tgc::g_precision; }

TG_CUDA_API int32_t tg_cuda_set_gemm_tile(int32_t tile) {
  if (tile != 0 && tile != 64 && tile != 128) return TG_ERR_ARG;
  tgc::g_tile = tile;
  return TG_OK;
}

TG_CUDA_API int32_t tg_cuda_sgemm(float* c, const float* a, const float* b, int32_t m, int32_t n, int32_t k,
                                  int32_t trans_a, int32_t trans_b, float alpha, float beta, int32_t lda, int32_t ldb,
                                  int32_t ldc, int64_t stream) {
  if (!c || !a || !b) return TG_ERR_NULL;
  if (m < 1 || n < 1 || k < 1) return TG_ERR_SIZE;
  if ((trans_a != 0 && trans_a != 1) || (trans_b != 0 && trans_b != 1)) return TG_ERR_ARG;
  if (lda < (trans_a ? m : k) || ldb < (trans_b ? k : n) || ldc < n) return TG_ERR_SIZE;
  return tgc::gemm(c, a, b, m, n, k, trans_a, trans_b, alpha, beta, lda, ldb, ldc, nullptr, 0, nullptr,
                   tgc::stream_of(stream));
}

}  // extern "C"
