// The MLP runner: a dense network with fixed shapes whose inference forward and whole training step
// (copy in, forward, loss, backward, optimizer, copy out) are captured once as CUDA Graphs and replayed.
// Parameters, gradients, optimizer state and activations each live in one device allocation; inputs,
// targets and outputs go through one pinned host allocation; inference and training have their own streams.
#include "act.cuh"
#include "common.cuh"
#include <cooperative_groups.h>
#include <cstring>
#include <new>
#include <vector>

namespace tgc {
namespace {

constexpr int kMaxFusedLayers = 16;
constexpr int kFusedThreads = 1024;
constexpr int kFusedMaxSplit = 64;

struct FusedDesc {
  int n_layers;
  int dims[kMaxFusedLayers + 1];
  int64_t w_off[kMaxFusedLayers];
  int64_t b_off[kMaxFusedLayers];
  int hidden_act;
  int out_softmax;
};

// Whole forward pass of one sample per block; activations stay in shared memory. For each layer the block's
// threads split the input range into `split` parts per output column (reads of W[i, j] across j are
// coalesced), and the partial sums are combined in shared memory.
__global__ void __launch_bounds__(kFusedThreads) fused_forward_kernel(float* out, const float* x, const float* params,
                                                                      FusedDesc d) {
  __shared__ float buf[2][TG_CUDA_MLP_FUSED_MAX_WIDTH];
  __shared__ float red[kFusedThreads];
  const int tid = threadIdx.x;
  const int sample = blockIdx.x;
  const int d0 = d.dims[0];
  for (int i = tid; i < d0; i += blockDim.x) buf[0][i] = x[int64_t(sample) * d0 + i];
  __syncthreads();
  int cur = 0;
  for (int l = 0; l < d.n_layers; ++l) {
    const int in = d.dims[l], outw = d.dims[l + 1];
    const float* w = params + d.w_off[l];
    const float* bias = params + d.b_off[l];
    const bool last = l == d.n_layers - 1;
    const float* a = buf[cur];
    float* nxt = buf[cur ^ 1];
    int split = int(blockDim.x) / outw;
    if (split > kFusedMaxSplit) split = kFusedMaxSplit;
    if (split < 1) split = 1;
    const int chunk = (in + split - 1) / split;
    for (int j0 = 0; j0 < outw; j0 += blockDim.x) {  // more columns than threads: several passes, split = 1
      const int j = j0 + tid % outw;
      const int s = split > 1 ? tid / outw : 0;
      const bool active = split > 1 ? (s < split) : (j0 + tid < outw);
      float acc0 = 0.0f, acc1 = 0.0f, acc2 = 0.0f, acc3 = 0.0f;
      if (active) {
        const int ib = s * chunk, ie = min(in, ib + chunk);
        int i = ib;
        for (; i + 4 <= ie; i += 4) {  // four independent loads in flight
          acc0 = fmaf(a[i], w[int64_t(i) * outw + j], acc0);
          acc1 = fmaf(a[i + 1], w[int64_t(i + 1) * outw + j], acc1);
          acc2 = fmaf(a[i + 2], w[int64_t(i + 2) * outw + j], acc2);
          acc3 = fmaf(a[i + 3], w[int64_t(i + 3) * outw + j], acc3);
        }
        for (; i < ie; ++i) acc0 = fmaf(a[i], w[int64_t(i) * outw + j], acc0);
      }
      const float part = (acc0 + acc1) + (acc2 + acc3);
      if (split > 1) {
        if (active) red[s * outw + (j - j0)] = part;
        __syncthreads();
        if (tid < outw) {
          float v = 0.0f;
          for (int k = 0; k < split; ++k) v += red[k * outw + tid];
          v += bias[tid];
          nxt[tid] = last ? v : act_fwd(v, d.hidden_act, 0.0f);
        }
      } else if (active) {
        const float v = part + bias[j];
        nxt[j] = last ? v : act_fwd(v, d.hidden_act, 0.0f);
      }
      __syncthreads();
    }
    cur ^= 1;
  }
  const int dn = d.dims[d.n_layers];
  float* o = out + int64_t(sample) * dn;
  const float* z = buf[cur];
  if (d.out_softmax) {
    if (tid == 0) {  // as the CPU softmax: max in float, exp in float, sum in double
      float mx = z[0];
      for (int c = 1; c < dn; ++c) mx = z[c] > mx ? z[c] : mx;
      double sum = 0.0;
      for (int c = 0; c < dn; ++c) sum += expf(z[c] - mx);
      const float inv = float(1.0 / sum);
      for (int c = 0; c < dn; ++c) o[c] = expf(z[c] - mx) * inv;
    }
  } else {
    for (int c = tid; c < dn; c += blockDim.x) o[c] = z[c];
  }
}

constexpr int kClusterBlocks = 8;  // the portable cluster size
constexpr int kClusterThreads = 512;

// The same forward spread over a thread-block cluster (sm_90+): every block keeps the whole activation vector
// in its shared memory, computes 1/8 of each layer's columns, and writes them into all eight blocks' shared
// memory (distributed shared memory); one cluster barrier per layer. Eight SMs read the weights instead of one.
__global__ void __launch_bounds__(kClusterThreads) fused_forward_cluster_kernel(float* out, const float* x,
                                                                                const float* params, FusedDesc d) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
  namespace cg = cooperative_groups;
  cg::cluster_group cluster = cg::this_cluster();
  __shared__ float buf[2][TG_CUDA_MLP_FUSED_MAX_WIDTH];
  __shared__ float red[kClusterThreads];
  const int tid = threadIdx.x;
  const int rank = int(cluster.block_rank());
  const int sample = blockIdx.x / kClusterBlocks;
  const int d0 = d.dims[0];
  for (int i = tid; i < d0; i += blockDim.x) buf[0][i] = x[int64_t(sample) * d0 + i];
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
      int split = int(blockDim.x) / cols;
      if (split > kFusedMaxSplit) split = kFusedMaxSplit;
      if (split < 1) split = 1;
      const int chunk = (in + split - 1) / split;
      for (int j0 = 0; j0 < cols; j0 += blockDim.x) {  // split = 1 when a block has more columns than threads
        const int jl = split > 1 ? tid % cols : j0 + tid;
        const int sidx = split > 1 ? tid / cols : 0;
        const bool active = split > 1 ? sidx < split : jl < cols;
        const int j = c0 + jl;
        float acc0 = 0.0f, acc1 = 0.0f, acc2 = 0.0f, acc3 = 0.0f;
        if (active) {
          const int ib = sidx * chunk, ie = min(in, ib + chunk);
          int i = ib;
          for (; i + 4 <= ie; i += 4) {
            acc0 = fmaf(a[i], w[int64_t(i) * outw + j], acc0);
            acc1 = fmaf(a[i + 1], w[int64_t(i + 1) * outw + j], acc1);
            acc2 = fmaf(a[i + 2], w[int64_t(i + 2) * outw + j], acc2);
            acc3 = fmaf(a[i + 3], w[int64_t(i + 3) * outw + j], acc3);
          }
          for (; i < ie; ++i) acc0 = fmaf(a[i], w[int64_t(i) * outw + j], acc0);
        }
        const float part = (acc0 + acc1) + (acc2 + acc3);
        float v = 0.0f;
        bool writer = false;
        int jw = 0;
        if (split > 1) {
          if (active) red[sidx * cols + jl] = part;
          __syncthreads();
          if (tid < cols) {
            for (int k = 0; k < split; ++k) v += red[k * cols + tid];
            writer = true;
            jw = c0 + tid;
          }
        } else if (active) {
          v = part;
          writer = true;
          jw = j;
        }
        if (writer) {
          v += bias[jw];
          v = last ? v : act_fwd(v, d.hidden_act, 0.0f);
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
  float* o = out + int64_t(sample) * dn;
  const float* z = buf[cur];
  if (d.out_softmax) {
    if (tid == 0) {
      float mx = z[0];
      for (int c = 1; c < dn; ++c) mx = z[c] > mx ? z[c] : mx;
      double sum = 0.0;
      for (int c = 0; c < dn; ++c) sum += expf(z[c] - mx);
      const float inv = float(1.0 / sum);
      for (int c = 0; c < dn; ++c) o[c] = expf(z[c] - mx) * inv;
    }
  } else {
    for (int c = tid; c < dn; c += blockDim.x) o[c] = z[c];
  }
#endif
}

int32_t launch_cluster_forward(float* out, const float* x, const float* params, const FusedDesc& d, int batch,
                               cudaStream_t s) {
  cudaLaunchConfig_t cfg = {};
  cfg.gridDim = dim3(unsigned(batch * kClusterBlocks));
  cfg.blockDim = dim3(kClusterThreads);
  cfg.dynamicSmemBytes = 0;
  cfg.stream = s;
  cudaLaunchAttribute attr[1];
  attr[0].id = cudaLaunchAttributeClusterDimension;
  attr[0].val.clusterDim.x = kClusterBlocks;
  attr[0].val.clusterDim.y = 1;
  attr[0].val.clusterDim.z = 1;
  cfg.attrs = attr;
  cfg.numAttrs = 1;
  return status_of(cudaLaunchKernelEx(&cfg, fused_forward_cluster_kernel, out, x, params, d));
}

bool device_has_clusters() {
  int dev = 0, major = 0;
  if (cudaGetDevice(&dev) != cudaSuccess) return false;
  if (cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, dev) != cudaSuccess) return false;
  return major >= 9;
}

struct Mlp {
  int n_layers = 0;
  std::vector<int> dims;
  int hidden_act = TG_ACT_RELU;
  int out_softmax = 0;
  int infer_batch = 1, train_batch = 1;
  int loss_kind = TG_LOSS_SOFTMAX_XENT;
  float loss_param = 0.0f;
  int optimizer = TG_CUDA_OPT_SGD;
  float opt[5] = {0, 0, 0, 0, 0};
  int max_width = 0;
  int64_t n_params = 0;
  std::vector<int64_t> w_off, b_off;

  // device allocations
  float* params = nullptr;        // training copy
  float* params_infer = nullptr;  // inference copy (published)
  float* grads = nullptr;
  float* opt_state = nullptr;     // [n_params] velocity, or [2 n_params] m, v; then the int64 step count
  long long* step = nullptr;
  float* act = nullptr;
  // views into act
  std::vector<float*> z, a;  // training: z[l] pre-activation (l = 1..n), a[l] activation (a[0] = input)
  float* target = nullptr;
  float* dbuf[2] = {nullptr, nullptr};
  float* loss_dev = nullptr;
  float* infer_x = nullptr;
  float* infer_buf[2] = {nullptr, nullptr};
  float* infer_out_dev = nullptr;
  // pinned host
  char* pinned = nullptr;
  float* h_infer_in = nullptr;
  float* h_infer_out = nullptr;
  float* h_train_in = nullptr;
  float* h_train_target = nullptr;
  float* h_loss = nullptr;

  cudaStream_t s_infer = nullptr, s_train = nullptr;
  cudaEvent_t ev_train = nullptr;
  cudaGraphExec_t g_infer = nullptr, g_train = nullptr;
  int fused = 0;  // TG_CUDA_MLP_LAYERED, _FUSED_BLOCK or _FUSED_CLUSTER
  bool use_graphs = true;
  bool train_copy = true;

  int64_t elems(int l, int batch) const { return int64_t(batch) * dims[l]; }

  ~Mlp() {
    if (g_infer) cudaGraphExecDestroy(g_infer);
    if (g_train) cudaGraphExecDestroy(g_train);
    if (ev_train) cudaEventDestroy(ev_train);
    if (s_infer) cudaStreamDestroy(s_infer);
    if (s_train) cudaStreamDestroy(s_train);
    cudaFree(params);
    cudaFree(params_infer);
    cudaFree(grads);
    cudaFree(opt_state);
    cudaFree(act);
    if (pinned) cudaFreeHost(pinned);
  }

  FusedDesc fused_desc() const {
    FusedDesc d{};
    d.n_layers = n_layers;
    for (int l = 0; l <= n_layers; ++l) d.dims[l] = dims[l];
    for (int l = 0; l < n_layers; ++l) {
      d.w_off[l] = w_off[l];
      d.b_off[l] = b_off[l];
    }
    d.hidden_act = hidden_act;
    d.out_softmax = out_softmax;
    return d;
  }

  bool fused_possible() const {
    if (n_layers > kMaxFusedLayers) return false;
    for (int v : dims)
      if (v > TG_CUDA_MLP_FUSED_MAX_WIDTH) return false;
    // the fused kernel applies hidden activations without a parameter (leaky ReLU needs alpha)
    return hidden_act != TG_ACT_LEAKY_RELU;
  }

  // Enqueues the inference forward (copies included) on s_infer.
  int32_t enqueue_predict() {
    cudaStream_t s = s_infer;
    const int dn = dims[n_layers];
    if (int32_t st = status_of(cudaMemcpyAsync(infer_x, h_infer_in, size_t(elems(0, infer_batch)) * sizeof(float),
                                               cudaMemcpyHostToDevice, s)))
      return st;
    if (fused == TG_CUDA_MLP_FUSED_CLUSTER) {
      if (int32_t st = launch_cluster_forward(infer_out_dev, infer_x, params_infer, fused_desc(), infer_batch, s))
        return st;
    } else if (fused == TG_CUDA_MLP_FUSED_BLOCK) {
      fused_forward_kernel<<<infer_batch, kFusedThreads, 0, s>>>(infer_out_dev, infer_x, params_infer, fused_desc());
      if (int32_t st = launch_status()) return st;
    } else {
      const float* x = infer_x;
      for (int l = 0; l < n_layers; ++l) {
        const int in = dims[l], out = dims[l + 1];
        const bool last = l == n_layers - 1;
        float* y = last ? infer_out_dev : infer_buf[l % 2];
        const bool relu = !last && hidden_act == TG_ACT_RELU;
        if (int32_t st = gemm(y, x, params_infer + w_off[l], infer_batch, out, in, 0, 0, 1.0f, 0.0f, in, out, out,
                              params_infer + b_off[l], relu ? 1 : 0, nullptr, s))
          return st;
        if (!last && !relu)
          if (int32_t st = activation_forward(y, y, int64_t(infer_batch) * out, hidden_act, 0.0f, s)) return st;
        x = y;
      }
      if (out_softmax)
        if (int32_t st = softmax_forward(infer_out_dev, infer_out_dev, infer_batch, dn, s)) return st;
    }
    return status_of(cudaMemcpyAsync(h_infer_out, infer_out_dev, size_t(int64_t(infer_batch) * dn) * sizeof(float),
                                     cudaMemcpyDeviceToHost, s));
  }

  // Enqueues one training step (copies included) on s_train.
  int32_t enqueue_train() {
    cudaStream_t s = s_train;
    const int B = train_batch, n = n_layers, dn = dims[n];
    if (train_copy) {
      if (int32_t st = status_of(cudaMemcpyAsync(a[0], h_train_in, size_t(elems(0, B)) * sizeof(float),
                                                 cudaMemcpyHostToDevice, s)))
        return st;
      if (int32_t st = status_of(cudaMemcpyAsync(target, h_train_target, size_t(elems(n, B)) * sizeof(float),
                                                 cudaMemcpyHostToDevice, s)))
        return st;
    }
    if (int32_t st = status_of(cudaMemsetAsync(grads, 0, size_t(n_params) * sizeof(float), s))) return st;
    const bool relu = hidden_act == TG_ACT_RELU;
    // forward: z[l+1] = a[l] W_l + b_l; a[l+1] = f(z[l+1]) for hidden layers (ReLU fused into the GEMM)
    for (int l = 0; l < n; ++l) {
      const int in = dims[l], out = dims[l + 1];
      const bool last = l == n - 1;
      float* y = (last || !relu) ? z[l + 1] : a[l + 1];
      if (int32_t st = gemm(y, a[l], params + w_off[l], B, out, in, 0, 0, 1.0f, 0.0f, in, out, out, params + b_off[l],
                            (!last && relu) ? 1 : 0, nullptr, s))
        return st;
      if (!last && !relu)
        if (int32_t st = activation_forward(a[l + 1], z[l + 1], elems(l + 1, B), hidden_act, 0.0f, s)) return st;
    }
    // loss and its gradient with respect to the linear outputs
    if (int32_t st = loss(dbuf[0], loss_dev, z[n], target, nullptr, B, dn, loss_kind, loss_param, s)) return st;
    // backward
    for (int l = n - 1; l >= 0; --l) {
      const int in = dims[l], out = dims[l + 1];
      float* d = dbuf[(n - 1 - l) % 2];
      float* dprev = dbuf[(n - l) % 2];
      if (int32_t st = gemm(grads + w_off[l], a[l], d, in, out, B, 1, 0, 1.0f, 1.0f, in, out, out, nullptr, 0, nullptr,
                            s))
        return st;
      if (int32_t st = column_sum_add(grads + b_off[l], d, B, out, s)) return st;
      if (l == 0) break;
      // dprev = (d W_l^T) * f'(z[l]); for ReLU the mask a[l] > 0 is fused into the GEMM epilogue
      if (int32_t st = gemm(dprev, d, params + w_off[l], B, in, out, 0, 1, 1.0f, 0.0f, out, out, in, nullptr, 0,
                            relu ? a[l] : nullptr, s))
        return st;
      if (!relu)
        if (int32_t st = activation_backward(dprev, dprev, z[l], a[l], elems(l, B), hidden_act, 0.0f, s)) return st;
    }
    // optimizer over the whole parameter vector
    int32_t st;
    if (optimizer == TG_CUDA_OPT_SGD)
      st = sgd_step(params, opt_state, grads, n_params, opt[0], opt[1], opt[2], opt[3] != 0.0f, s);
    else
      st = adam_step_device_t(params, opt_state, opt_state + n_params, grads, n_params, opt[0], opt[1], opt[2], opt[3],
                              opt[4], optimizer == TG_CUDA_OPT_ADAMW, step, s);
    if (st) return st;
    return status_of(cudaMemcpyAsync(h_loss, loss_dev, sizeof(float), cudaMemcpyDeviceToHost, s));
  }

  // Captures the enqueue function on its stream into a graph.
  template <typename F>
  int32_t capture(cudaStream_t s, cudaGraphExec_t* exec, F enqueue) {
    if (*exec) return TG_OK;
    if (int32_t st = status_of(cudaStreamBeginCapture(s, cudaStreamCaptureModeThreadLocal))) return st;
    const int32_t est = enqueue();
    cudaGraph_t graph = nullptr;
    const cudaError_t end = cudaStreamEndCapture(s, &graph);
    if (est != TG_OK) {
      if (graph) cudaGraphDestroy(graph);
      return est;
    }
    if (int32_t st = status_of(end)) return st;
    const cudaError_t inst = cudaGraphInstantiate(exec, graph, 0ull);
    cudaGraphDestroy(graph);
    if (inst != cudaSuccess) *exec = nullptr;
    return status_of(inst);
  }

  int32_t run_predict() {
    if (use_graphs) {
      if (int32_t st = capture(s_infer, &g_infer, [this] { return enqueue_predict(); })) return st;
      if (int32_t st = status_of(cudaGraphLaunch(g_infer, s_infer))) return st;
    } else if (int32_t st = enqueue_predict()) {
      return st;
    }
    return status_of(cudaStreamSynchronize(s_infer));
  }

  int32_t run_train_async() {
    if (use_graphs) {
      if (int32_t st = capture(s_train, &g_train, [this] { return enqueue_train(); })) return st;
      return status_of(cudaGraphLaunch(g_train, s_train));
    }
    return enqueue_train();
  }

  void drop_graphs() {
    if (g_infer) cudaGraphExecDestroy(g_infer);
    if (g_train) cudaGraphExecDestroy(g_train);
    g_infer = g_train = nullptr;
  }
};

Mlp* mlp_of(int64_t h) { return reinterpret_cast<Mlp*>(static_cast<uintptr_t>(h)); }

int32_t build(Mlp& m) {
  const int n = m.n_layers;
  m.w_off.resize(n);
  m.b_off.resize(n);
  int64_t off = 0;
  for (int l = 0; l < n; ++l) {
    m.w_off[l] = off;
    off += int64_t(m.dims[l]) * m.dims[l + 1];
    m.b_off[l] = off;
    off += m.dims[l + 1];
  }
  m.n_params = off;
  for (int v : m.dims) m.max_width = v > m.max_width ? v : m.max_width;

  const size_t pbytes = size_t(m.n_params) * sizeof(float);
  if (int32_t st = status_of(cudaMalloc(&m.params, pbytes))) return st;
  if (int32_t st = status_of(cudaMalloc(&m.params_infer, pbytes))) return st;
  if (int32_t st = status_of(cudaMalloc(&m.grads, pbytes))) return st;
  const int64_t state_floats = m.optimizer == TG_CUDA_OPT_SGD ? m.n_params : 2 * m.n_params;
  const size_t state_bytes = (size_t(state_floats) * sizeof(float) + 15) / 16 * 16 + 16;
  if (int32_t st = status_of(cudaMalloc(&m.opt_state, state_bytes))) return st;
  if (int32_t st = status_of(cudaMemset(m.opt_state, 0, state_bytes))) return st;
  m.step = reinterpret_cast<long long*>(reinterpret_cast<char*>(m.opt_state) + state_bytes - 16);

  // activations: training a[0..n-1], z[1..n], target, two gradient buffers, loss; inference x, two buffers, out.
  const int B = m.train_batch, IB = m.infer_batch;
  auto pad = [](int64_t v) { return (v + 63) / 64 * 64; };  // 256-byte alignment of every view
  int64_t total = 0;
  std::vector<int64_t> a_off(n + 1, -1), z_off(n + 1, -1);
  for (int l = 0; l < n; ++l) { a_off[l] = total; total += pad(m.elems(l, B)); }
  for (int l = 1; l <= n; ++l) { z_off[l] = total; total += pad(m.elems(l, B)); }
  const int64_t target_off = total; total += pad(m.elems(n, B));
  const int64_t d_off0 = total; total += pad(int64_t(B) * m.max_width);
  const int64_t d_off1 = total; total += pad(int64_t(B) * m.max_width);
  const int64_t loss_off = total; total += 64;
  const int64_t ix_off = total; total += pad(m.elems(0, IB));
  const int64_t ib_off0 = total; total += pad(int64_t(IB) * m.max_width);
  const int64_t ib_off1 = total; total += pad(int64_t(IB) * m.max_width);
  const int64_t io_off = total; total += pad(m.elems(n, IB));
  if (int32_t st = status_of(cudaMalloc(&m.act, size_t(total) * sizeof(float)))) return st;
  if (int32_t st = status_of(cudaMemset(m.act, 0, size_t(total) * sizeof(float)))) return st;
  m.a.assign(n + 1, nullptr);
  m.z.assign(n + 1, nullptr);
  for (int l = 0; l < n; ++l) m.a[l] = m.act + a_off[l];
  for (int l = 1; l <= n; ++l) m.z[l] = m.act + z_off[l];
  m.a[n] = m.z[n];  // the linear outputs
  if (m.hidden_act == TG_ACT_RELU)  // ReLU layers keep only their output: the backward mask is a > 0
    for (int l = 1; l < n; ++l) m.z[l] = m.a[l];
  m.target = m.act + target_off;
  m.dbuf[0] = m.act + d_off0;
  m.dbuf[1] = m.act + d_off1;
  m.loss_dev = m.act + loss_off;
  m.infer_x = m.act + ix_off;
  m.infer_buf[0] = m.act + ib_off0;
  m.infer_buf[1] = m.act + ib_off1;
  m.infer_out_dev = m.act + io_off;

  const int64_t h_in = pad(m.elems(0, IB)), h_out = pad(m.elems(n, IB));
  const int64_t h_tin = pad(m.elems(0, B)), h_tt = pad(m.elems(n, B));
  const size_t hbytes = size_t(h_in + h_out + h_tin + h_tt + 64) * sizeof(float);
  void* hp = nullptr;
  if (int32_t st = status_of(cudaHostAlloc(&hp, hbytes, cudaHostAllocPortable))) return st;
  std::memset(hp, 0, hbytes);
  m.pinned = static_cast<char*>(hp);
  float* f = reinterpret_cast<float*>(hp);
  m.h_infer_in = f;
  m.h_infer_out = f + h_in;
  m.h_train_in = f + h_in + h_out;
  m.h_train_target = f + h_in + h_out + h_tin;
  m.h_loss = f + h_in + h_out + h_tin + h_tt;

  if (int32_t st = status_of(cudaStreamCreateWithFlags(&m.s_infer, cudaStreamNonBlocking))) return st;
  if (int32_t st = status_of(cudaStreamCreateWithFlags(&m.s_train, cudaStreamNonBlocking))) return st;
  if (int32_t st = status_of(cudaEventCreateWithFlags(&m.ev_train, cudaEventDisableTiming))) return st;
  // the memsets above ran on the legacy stream, which the runner's non-blocking streams do not wait for
  if (int32_t st = status_of(cudaDeviceSynchronize())) return st;
  m.fused = !(m.fused_possible() && m.infer_batch <= 64) ? TG_CUDA_MLP_LAYERED
            : device_has_clusters()                          ? TG_CUDA_MLP_FUSED_CLUSTER
                                                             : TG_CUDA_MLP_FUSED_BLOCK;
  return TG_OK;
}

}  // namespace
}  // namespace tgc

using tgc::Mlp;
using tgc::mlp_of;

extern "C" {

TG_CUDA_API int32_t tg_cuda_mlp_create(int64_t* out_handle, const int32_t* dims, int32_t n_layers, int32_t hidden_act,
                                       int32_t out_softmax, int32_t infer_batch, int32_t train_batch,
                                       int32_t loss_kind, float loss_param, int32_t optimizer,
                                       const float* opt_params) {
  if (!out_handle || !dims || !opt_params) return TG_ERR_NULL;
  *out_handle = 0;
  if (n_layers < 1 || infer_batch < 1 || train_batch < 1) return TG_ERR_SIZE;
  for (int l = 0; l <= n_layers; ++l)
    if (dims[l] < 1) return TG_ERR_SIZE;
  if (hidden_act < TG_ACT_IDENTITY || hidden_act > TG_ACT_SIGMOID || hidden_act == TG_ACT_LEAKY_RELU) return TG_ERR_ARG;
  if (out_softmax != 0 && out_softmax != 1) return TG_ERR_ARG;
  if (loss_kind < TG_LOSS_BCE_LOGITS || loss_kind > TG_LOSS_HUBER) return TG_ERR_ARG;
  if (optimizer < TG_CUDA_OPT_SGD || optimizer > TG_CUDA_OPT_ADAMW) return TG_ERR_ARG;
  if (optimizer == TG_CUDA_OPT_SGD && !(opt_params[1] >= 0.0f)) return TG_ERR_ARG;
  if (optimizer != TG_CUDA_OPT_SGD && !(opt_params[1] >= 0.0f && opt_params[1] < 1.0f && opt_params[2] >= 0.0f &&
                                        opt_params[2] < 1.0f))
    return TG_ERR_ARG;
  if (tg_cuda_device_count() < 1) return TG_CUDA_ERR_NO_DEVICE;
  Mlp* m = new (std::nothrow) Mlp();
  if (!m) return TG_ERR_ALLOC;
  m->n_layers = n_layers;
  m->dims.assign(dims, dims + n_layers + 1);
  m->hidden_act = hidden_act;
  m->out_softmax = out_softmax;
  m->infer_batch = infer_batch;
  m->train_batch = train_batch;
  m->loss_kind = loss_kind;
  m->loss_param = loss_param;
  m->optimizer = optimizer;
  for (int i = 0; i < 5; ++i) m->opt[i] = opt_params[i];
  if (int32_t st = tgc::build(*m)) {
    delete m;
    return st;
  }
  *out_handle = int64_t(reinterpret_cast<uintptr_t>(m));
  return TG_OK;
}

TG_CUDA_API int32_t tg_cuda_mlp_destroy(int64_t handle) {
  if (!handle) return TG_OK;
  Mlp* m = mlp_of(handle);
  cudaStreamSynchronize(m->s_infer);
  cudaStreamSynchronize(m->s_train);
  delete m;
  return TG_OK;
}

TG_CUDA_API int64_t tg_cuda_mlp_param_count(int64_t handle) { return handle ? mlp_of(handle)->n_params : 0; }

TG_CUDA_API int32_t tg_cuda_mlp_set_params(int64_t handle, const float* host_params, int64_t count) {
  if (!handle || !host_params) return TG_ERR_NULL;
  Mlp* m = mlp_of(handle);
  if (count != m->n_params) return TG_ERR_SIZE;
  const size_t bytes = size_t(count) * sizeof(float);
  if (int32_t st = tgc::status_of(cudaStreamSynchronize(m->s_train))) return st;
  if (int32_t st = tgc::status_of(cudaStreamSynchronize(m->s_infer))) return st;
  if (int32_t st = tgc::status_of(cudaMemcpy(m->params, host_params, bytes, cudaMemcpyHostToDevice))) return st;
  if (int32_t st = tgc::status_of(cudaMemcpy(m->params_infer, host_params, bytes, cudaMemcpyHostToDevice))) return st;
  const int64_t state_floats = m->optimizer == TG_CUDA_OPT_SGD ? m->n_params : 2 * m->n_params;
  const size_t state_bytes = (size_t(state_floats) * sizeof(float) + 15) / 16 * 16 + 16;
  if (int32_t st = tgc::status_of(cudaMemset(m->opt_state, 0, state_bytes))) return st;
  // a pageable cudaMemcpy may return before the DMA lands and cudaMemset is asynchronous; the runner's streams are
  // non-blocking, so wait here before any step or predict can read the parameters
  return tgc::status_of(cudaDeviceSynchronize());
}

TG_CUDA_API int32_t tg_cuda_mlp_get_params(int64_t handle, float* host_params, int64_t count) {
  if (!handle || !host_params) return TG_ERR_NULL;
  Mlp* m = mlp_of(handle);
  if (count != m->n_params) return TG_ERR_SIZE;
  if (int32_t st = tgc::status_of(cudaStreamSynchronize(m->s_train))) return st;
  return tgc::status_of(cudaMemcpy(host_params, m->params, size_t(count) * sizeof(float), cudaMemcpyDeviceToHost));
}

TG_CUDA_API int64_t tg_cuda_mlp_infer_input(int64_t handle) {
  return handle ? int64_t(reinterpret_cast<uintptr_t>(mlp_of(handle)->h_infer_in)) : 0;
}
TG_CUDA_API int64_t tg_cuda_mlp_infer_output(int64_t handle) {
  return handle ? int64_t(reinterpret_cast<uintptr_t>(mlp_of(handle)->h_infer_out)) : 0;
}
TG_CUDA_API int64_t tg_cuda_mlp_train_input(int64_t handle) {
  return handle ? int64_t(reinterpret_cast<uintptr_t>(mlp_of(handle)->h_train_in)) : 0;
}
TG_CUDA_API int64_t tg_cuda_mlp_train_target(int64_t handle) {
  return handle ? int64_t(reinterpret_cast<uintptr_t>(mlp_of(handle)->h_train_target)) : 0;
}

TG_CUDA_API int32_t tg_cuda_mlp_set_fused(int64_t handle, int32_t fused) {
  if (!handle) return TG_ERR_NULL;
  Mlp* m = mlp_of(handle);
  if (fused < TG_CUDA_MLP_LAYERED || fused > TG_CUDA_MLP_FUSED_CLUSTER) return TG_ERR_ARG;
  if (fused != TG_CUDA_MLP_LAYERED && !m->fused_possible()) return TG_ERR_UNSUPPORTED;
  if (fused == TG_CUDA_MLP_FUSED_CLUSTER && !tgc::device_has_clusters()) return TG_ERR_UNSUPPORTED;
  if (int32_t st = tgc::status_of(cudaStreamSynchronize(m->s_infer))) return st;
  if (m->fused != fused && m->g_infer) {
    cudaGraphExecDestroy(m->g_infer);
    m->g_infer = nullptr;
  }
  m->fused = fused;
  return TG_OK;
}

TG_CUDA_API int32_t tg_cuda_mlp_set_graphs(int64_t handle, int32_t use_graphs) {
  if (!handle) return TG_ERR_NULL;
  if (use_graphs != 0 && use_graphs != 1) return TG_ERR_ARG;
  Mlp* m = mlp_of(handle);
  if (int32_t st = tgc::status_of(cudaStreamSynchronize(m->s_infer))) return st;
  if (int32_t st = tgc::status_of(cudaStreamSynchronize(m->s_train))) return st;
  m->drop_graphs();  // the matmul precision may have changed too: recapture on the next call
  m->use_graphs = use_graphs == 1;
  return TG_OK;
}

TG_CUDA_API int32_t tg_cuda_mlp_set_train_copy(int64_t handle, int32_t copy_inputs) {
  if (!handle) return TG_ERR_NULL;
  if (copy_inputs != 0 && copy_inputs != 1) return TG_ERR_ARG;
  Mlp* m = mlp_of(handle);
  if (int32_t st = tgc::status_of(cudaStreamSynchronize(m->s_train))) return st;
  if (m->g_train) cudaGraphExecDestroy(m->g_train);
  m->g_train = nullptr;
  m->train_copy = copy_inputs == 1;
  return TG_OK;
}

TG_CUDA_API int32_t tg_cuda_mlp_predict(int64_t handle) {
  if (!handle) return TG_ERR_NULL;
  return mlp_of(handle)->run_predict();
}

TG_CUDA_API int32_t tg_cuda_mlp_train_step_async(int64_t handle) {
  if (!handle) return TG_ERR_NULL;
  return mlp_of(handle)->run_train_async();
}

TG_CUDA_API int32_t tg_cuda_mlp_train_wait(int64_t handle, float* loss_out) {
  if (!handle) return TG_ERR_NULL;
  Mlp* m = mlp_of(handle);
  if (int32_t st = tgc::status_of(cudaStreamSynchronize(m->s_train))) return st;
  if (loss_out) *loss_out = *m->h_loss;
  return TG_OK;
}

TG_CUDA_API int32_t tg_cuda_mlp_train_step(int64_t handle, float* loss_out) {
  if (!handle) return TG_ERR_NULL;
  if (int32_t st = tg_cuda_mlp_train_step_async(handle)) return st;
  return tg_cuda_mlp_train_wait(handle, loss_out);
}

TG_CUDA_API int32_t tg_cuda_mlp_publish(int64_t handle) {
  if (!handle) return TG_ERR_NULL;
  Mlp* m = mlp_of(handle);
  if (int32_t st = tgc::status_of(cudaEventRecord(m->ev_train, m->s_train))) return st;
  if (int32_t st = tgc::status_of(cudaStreamWaitEvent(m->s_infer, m->ev_train, 0))) return st;
  return tgc::status_of(cudaMemcpyAsync(m->params_infer, m->params, size_t(m->n_params) * sizeof(float),
                                        cudaMemcpyDeviceToDevice, m->s_infer));
}

}  // extern "C"
