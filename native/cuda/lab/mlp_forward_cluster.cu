// Kernel lab: the single-sample MLP forward on a thread-block cluster (sm_90+), against the production
// one-block kernel (mlp_forward.cuh) and a CPU forward in double. Not part of libtickgrad_cuda.
//
//   lab_mlp_forward_cluster [--iters N]
// Prints "CHECK <kernel> max_abs_err <e>" (fails above 1e-5 on the softmax outputs) and
// "RESULT lab_forward_<kernel>_us <t>" (mean of N back-to-back launches, kernel only, no copies).
// Exit 77 without a GPU, 1 on a failed check.
//
// The variant: every block of an 8-block cluster keeps the whole activation vector in its shared memory,
// computes 1/8 of each layer's columns and writes them into all eight blocks' shared memory (distributed shared
// memory), one cluster barrier per layer: eight SMs read the weights instead of one.
#include "../mlp_forward.cuh"
#include <cooperative_groups.h>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

namespace tgc {
namespace {

constexpr int kClusterBlocks = 8;  // the portable cluster size
constexpr int kClusterThreads = 512;

__global__ void __launch_bounds__(kClusterThreads) fused_forward_cluster_kernel(float* out, const float* x,
                                                                                const float* params, FusedDesc d) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
  namespace cg = cooperative_groups;
  cg::cluster_group cluster = cg::this_cluster();
  __shared__ float buf[2][TG_CUDA_MLP_FUSED_MAX_WIDTH];
  __shared__ float red[kClusterThreads];
  const int tid = threadIdx.x, threads = blockDim.x;
  const int rank = int(cluster.block_rank());
  const int sample = blockIdx.x / kClusterBlocks;
  const int d0 = d.dims[0];
  for (int i = tid; i < d0; i += threads) buf[0][i] = x[int64_t(sample) * d0 + i];
  cluster.sync();  // every block of the cluster runs before anyone writes into its shared memory
  int cur = 0;
  for (int l = 0; l < d.n_layers; ++l) {
    const int in = d.dims[l], outw = d.dims[l + 1];
    const float* w = params + d.w_off[l];
    const float* bias = params + d.b_off[l];
    const bool last = l == d.n_layers - 1;
    const float* a = buf[cur];
    const int per = (outw + kClusterBlocks - 1) / kClusterBlocks;  // columns of this block: [c0, c1)
    const int c0 = min(outw, rank * per), c1 = min(outw, c0 + per);
    const int cols = c1 - c0;
    if (cols > 0) {
      const int split = column_split(threads, cols);
      const int chunk = (in + split - 1) / split;
      for (int j0 = 0; j0 < cols; j0 += threads) {  // split = 1 when a block has more columns than threads
        const int jl = split > 1 ? tid % cols : j0 + tid;
        const int sidx = split > 1 ? tid / cols : 0;
        const bool active = split > 1 ? sidx < split : jl < cols;
        const int ib = sidx * chunk;
        const float part = active ? column_dot(a, w, outw, c0 + jl, ib, min(in, ib + chunk)) : 0.0f;
        float v = 0.0f;
        int jw = -1;
        if (split > 1) {
          if (active) red[sidx * cols + jl] = part;
          __syncthreads();
          if (tid < cols) {
            for (int k = 0; k < split; ++k) v += red[k * cols + tid];
            jw = c0 + tid;
          }
        } else if (active) {
          v = part;
          jw = c0 + jl;
        }
        if (jw >= 0) {
          v = layer_output(v, bias[jw], last, d.hidden_act);
          for (int q = 0; q < kClusterBlocks; ++q) cluster.map_shared_rank(&buf[cur ^ 1][0], q)[jw] = v;
        }
        __syncthreads();
      }
    }
    cluster.sync();  // the layer's outputs are in every block; nobody reads buf[cur] any more
    cur ^= 1;
  }
  if (rank != 0) return;
  const int dn = d.dims[d.n_layers];
  output_tail(out + int64_t(sample) * dn, buf[cur], dn, d.out_softmax, tid, threads);
#endif
}

cudaError_t launch_cluster(float* out, const float* x, const float* params, const FusedDesc& d, int batch) {
  cudaLaunchConfig_t cfg = {};
  cfg.gridDim = dim3(unsigned(batch * kClusterBlocks));
  cfg.blockDim = dim3(kClusterThreads);
  cudaLaunchAttribute attr[1];
  attr[0].id = cudaLaunchAttributeClusterDimension;
  attr[0].val.clusterDim.x = kClusterBlocks;
  attr[0].val.clusterDim.y = 1;
  attr[0].val.clusterDim.z = 1;
  cfg.attrs = attr;
  cfg.numAttrs = 1;
  return cudaLaunchKernelEx(&cfg, fused_forward_cluster_kernel, out, x, params, d);
}

}  // namespace
}  // namespace tgc

namespace {

void check(cudaError_t e, const char* what) {
  if (e != cudaSuccess) {
    std::fprintf(stderr, "lab: %s: %s\n", what, cudaGetErrorString(e));
    std::exit(1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  int iters = 2000;
  for (int i = 1; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], "--iters") == 0) iters = std::atoi(argv[i + 1]);
  int devices = 0;
  if (cudaGetDeviceCount(&devices) != cudaSuccess || devices < 1) {
    std::printf("lab: no GPU, skipped\n");
    return 77;
  }
  const std::vector<int> dims = {400, 256, 256, 256, 256, 256, 6};
  const int n = int(dims.size()) - 1;
  tgc::FusedDesc d{};
  d.n_layers = n;
  d.hidden_act = TG_ACT_RELU;
  d.out_softmax = 1;
  int64_t off = 0;
  for (int l = 0; l <= n; ++l) d.dims[l] = dims[size_t(l)];
  for (int l = 0; l < n; ++l) {  // 16-float aligned, as Java's ParamTable
    d.w_off[l] = off;
    off = (off + int64_t(dims[size_t(l)]) * dims[size_t(l) + 1] + 15) / 16 * 16;
    d.b_off[l] = off;
    off = (off + dims[size_t(l) + 1] + 15) / 16 * 16;
  }
  std::mt19937 rng(42);
  std::uniform_real_distribution<float> u(-0.1f, 0.1f), ux(-1.0f, 1.0f);
  std::vector<float> p(size_t(off), 0.0f);
  std::vector<float> x(static_cast<size_t>(dims[0]));
  for (int l = 0; l < n; ++l) {
    for (int64_t i = 0; i < int64_t(dims[size_t(l)]) * dims[size_t(l) + 1]; ++i) p[size_t(d.w_off[l] + i)] = u(rng);
    for (int j = 0; j < dims[size_t(l) + 1]; ++j) p[size_t(d.b_off[l] + j)] = u(rng);
  }
  for (float& v : x) v = ux(rng);
  // CPU forward in double
  std::vector<double> h(x.begin(), x.end());
  for (int l = 0; l < n; ++l) {
    const int in = dims[size_t(l)], out = dims[size_t(l) + 1];
    std::vector<double> y(static_cast<size_t>(out));
    for (int j = 0; j < out; ++j) {
      double s = p[size_t(d.b_off[l] + j)];
      for (int i = 0; i < in; ++i) s += h[size_t(i)] * p[size_t(d.w_off[l] + int64_t(i) * out + j)];
      y[size_t(j)] = l + 1 < n && s < 0 ? 0.0 : s;
    }
    h.swap(y);
  }
  double mx = h[0], sum = 0.0;
  for (double v : h) mx = v > mx ? v : mx;
  for (double& v : h) sum += (v = std::exp(v - mx));
  for (double& v : h) v /= sum;

  float *dp = nullptr, *dx = nullptr, *dout = nullptr;
  check(cudaMalloc(&dp, p.size() * sizeof(float)), "cudaMalloc");
  check(cudaMalloc(&dx, x.size() * sizeof(float)), "cudaMalloc");
  check(cudaMalloc(&dout, h.size() * sizeof(float)), "cudaMalloc");
  check(cudaMemcpy(dp, p.data(), p.size() * sizeof(float), cudaMemcpyHostToDevice), "cudaMemcpy");
  check(cudaMemcpy(dx, x.data(), x.size() * sizeof(float), cudaMemcpyHostToDevice), "cudaMemcpy");
  cudaDeviceProp prop;
  check(cudaGetDeviceProperties(&prop, 0), "cudaGetDeviceProperties");
  std::printf("lab: %s (sm_%d%d)\n", prop.name, prop.major, prop.minor);
  int failed = 0;
  for (int variant = 0; variant < 2; ++variant) {
    const char* name = variant == 0 ? "block" : "cluster";
    if (variant == 1 && prop.major < 9) {
      std::printf("lab: cluster needs sm_90, skipped\n");
      continue;
    }
    auto launch = [&] {
      if (variant == 0) {
        tgc::fused_forward_kernel<<<1, tgc::kFusedThreads>>>(dout, dx, dp, d);
        return cudaGetLastError();
      }
      return tgc::launch_cluster(dout, dx, dp, d, 1);
    };
    check(cudaMemset(dout, 0xFF, h.size() * sizeof(float)), "cudaMemset");  // poisoned: NaN
    check(launch(), name);
    std::vector<float> got(h.size());
    check(cudaMemcpy(got.data(), dout, got.size() * sizeof(float), cudaMemcpyDeviceToHost), "cudaMemcpy");
    double err = 0.0;
    for (size_t i = 0; i < h.size(); ++i) {
      const double e = std::fabs(double(got[i]) - h[i]);
      if (!(e <= err)) err = std::isnan(e) ? INFINITY : e;  // a NaN (the poison left in place) fails
    }
    std::printf("CHECK %s max_abs_err %.3g\n", name, err);
    if (!(err <= 1e-5)) failed = 1;
    for (int i = 0; i < 100; ++i) check(launch(), name);
    cudaEvent_t t0, t1;
    check(cudaEventCreate(&t0), "cudaEventCreate");
    check(cudaEventCreate(&t1), "cudaEventCreate");
    check(cudaEventRecord(t0), "cudaEventRecord");
    for (int i = 0; i < iters; ++i) check(launch(), name);
    check(cudaEventRecord(t1), "cudaEventRecord");
    check(cudaEventSynchronize(t1), "cudaEventSynchronize");
    float ms = 0.0f;
    check(cudaEventElapsedTime(&ms, t0, t1), "cudaEventElapsedTime");
    std::printf("RESULT lab_forward_%s_us %.2f\n", name, 1000.0 * ms / iters);
  }
  cudaFree(dp);
  cudaFree(dx);
  cudaFree(dout);
  return failed;
}
