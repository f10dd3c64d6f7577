// The MLP runner: a dense network with fixed shapes whose inference forward and whole training step (copy in,
// forward, loss, backward, optimizer, copy out) are captured once as CUDA Graphs and replayed. Parameters take
// the caller's layout (tg_cuda_mlp_layout); parameters, gradients, optimizer state and activations each live in
// one device allocation; inputs, targets and outputs go through one pinned host allocation; inference and
// training have their own streams and their own parameter copies.
#include "mlp_forward.cuh"
#include "mlp_optimizer.cuh"
#include <cstring>
#include <new>
#include <vector>

namespace tgc {
namespace {

// What the network is: widths, activation, loss, batches and the caller's parameter layout.
struct MlpShape {
  int n_layers = 0;
  std::vector<int> dims;
  int hidden_act = TG_ACT_RELU;
  int out_softmax = 0;
  int infer_batch = 1, train_batch = 1;
  int loss_kind = TG_LOSS_SOFTMAX_XENT;
  float loss_param = 0.0f;
  std::vector<int64_t> w_off, b_off;  // floats, from tg_cuda_mlp_layout
  int64_t param_floats = 0;           // the slab, padding included
  int max_width = 0;

  int64_t elems(int l, int batch) const { return int64_t(batch) * dims[l]; }

  bool fused_possible() const {
    if (n_layers > kMaxFusedLayers) return false;
    for (int v : dims)
      if (v > TG_CUDA_MLP_FUSED_MAX_WIDTH) return false;
    return true;  // leaky ReLU, which would need alpha, is refused at create
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
};

// Views into the one device allocation of activations and batch data.
struct DeviceActivations {
  float* base = nullptr;
  std::vector<float*> a, z;  // training: a[l] activation (a[0] = input), z[l] pre-activation (l = 1..n)
  float* target = nullptr;
  float* dbuf[2] = {nullptr, nullptr};  // gradient ping-pong [train_batch, max_width]
  float* loss = nullptr;
  float* infer_x = nullptr;
  float* infer_buf[2] = {nullptr, nullptr};
  float* infer_out = nullptr;

  int32_t allocate(const MlpShape& m) {
    const int n = m.n_layers, B = m.train_batch, IB = m.infer_batch;
    auto pad = [](int64_t v) { return (v + 63) / 64 * 64; };  // 256-byte alignment of every view
    int64_t total = 0;
    auto take = [&](int64_t floats) {
      const int64_t at = total;
      total += pad(floats);
      return at;
    };
    std::vector<int64_t> a_off(n + 1, 0), z_off(n + 1, 0);
    for (int l = 0; l < n; ++l) a_off[l] = take(m.elems(l, B));
    for (int l = 1; l <= n; ++l) z_off[l] = take(m.elems(l, B));
    const int64_t target_off = take(m.elems(n, B));
    const int64_t d0 = take(int64_t(B) * m.max_width), d1 = take(int64_t(B) * m.max_width);
    const int64_t loss_off = take(1);
    const int64_t ix_off = take(m.elems(0, IB));
    const int64_t ib0 = take(int64_t(IB) * m.max_width), ib1 = take(int64_t(IB) * m.max_width);
    const int64_t io_off = take(m.elems(n, IB));
    if (int32_t st = status_of(cudaMalloc(&base, size_t(total) * sizeof(float)))) return st;
    if (int32_t st = status_of(cudaMemset(base, 0, size_t(total) * sizeof(float)))) return st;
    a.assign(n + 1, nullptr);
    z.assign(n + 1, nullptr);
    for (int l = 0; l < n; ++l) a[l] = base + a_off[l];
    for (int l = 1; l <= n; ++l) z[l] = base + z_off[l];
    a[n] = z[n];  // the linear outputs
    if (m.hidden_act == TG_ACT_RELU)  // ReLU layers keep only their output: the backward mask is a > 0
      for (int l = 1; l < n; ++l) z[l] = a[l];
    target = base + target_off;
    dbuf[0] = base + d0;
    dbuf[1] = base + d1;
    loss = base + loss_off;
    infer_x = base + ix_off;
    infer_buf[0] = base + ib0;
    infer_buf[1] = base + ib1;
    infer_out = base + io_off;
    return TG_OK;
  }
};

// The pinned host buffers callers fill and read in place.
struct PinnedIo {
  char* base = nullptr;
  float* infer_in = nullptr;
  float* infer_out = nullptr;
  float* train_in = nullptr;
  float* train_target = nullptr;
  float* loss = nullptr;

  int32_t allocate(const MlpShape& m) {
    auto pad = [](int64_t v) { return (v + 63) / 64 * 64; };
    const int n = m.n_layers;
    const int64_t in = pad(m.elems(0, m.infer_batch)), out = pad(m.elems(n, m.infer_batch));
    const int64_t tin = pad(m.elems(0, m.train_batch)), tt = pad(m.elems(n, m.train_batch));
    const size_t bytes = size_t(in + out + tin + tt + 64) * sizeof(float);
    void* hp = nullptr;
    if (int32_t st = status_of(cudaHostAlloc(&hp, bytes, cudaHostAllocPortable))) return st;
    std::memset(hp, 0, bytes);
    base = static_cast<char*>(hp);
    float* f = static_cast<float*>(hp);
    infer_in = f;
    infer_out = f + in;
    train_in = f + in + out;
    train_target = f + in + out + tin;
    loss = f + in + out + tin + tt;
    return TG_OK;
  }
};

struct Mlp {
  MlpShape shape;
  OptimizerState opt;
  float* params = nullptr;        // training copy
  float* params_infer = nullptr;  // inference copy (published)
  float* grads = nullptr;
  DeviceActivations act;
  PinnedIo io;
  // frozen layers: per tensor (2l: W_l, 2l+1: bias_l) whether the optimizer updates it
  std::vector<char> trainable;
  std::vector<TensorRange> trainable_ranges;
  bool all_trainable = true;
  int lowest_trainable_layer = 0;  // the backward stops there (n_layers when nothing is trainable)

  cudaStream_t s_infer = nullptr, s_train = nullptr;
  cudaEvent_t ev_train = nullptr;
  cudaGraphExec_t g_infer = nullptr, g_train = nullptr;
  int fused = TG_CUDA_MLP_LAYERED;
  bool use_graphs = true;
  bool train_copy = true;

  ~Mlp() {
    drop_graphs();
    if (ev_train) cudaEventDestroy(ev_train);
    if (s_infer) cudaStreamDestroy(s_infer);
    if (s_train) cudaStreamDestroy(s_train);
    cudaFree(params);
    cudaFree(params_infer);
    cudaFree(grads);
    opt.release();
    cudaFree(act.base);
    if (io.base) cudaFreeHost(io.base);
  }

  void set_trainable(const int32_t* flags) {
    const int n = shape.n_layers;
    trainable.assign(size_t(2 * n), 1);
    trainable_ranges.clear();
    all_trainable = true;
    lowest_trainable_layer = n;
    for (int t = 0; t < 2 * n; ++t) {
      trainable[size_t(t)] = flags ? char(flags[t] != 0) : 1;
      const int l = t / 2;
      const int64_t off = t % 2 == 0 ? shape.w_off[l] : shape.b_off[l];
      const int64_t len = t % 2 == 0 ? int64_t(shape.dims[l]) * shape.dims[l + 1] : int64_t(shape.dims[l + 1]);
      if (trainable[size_t(t)]) {
        trainable_ranges.push_back({off, len});
        if (l < lowest_trainable_layer) lowest_trainable_layer = l;
      } else {
        all_trainable = false;
      }
    }
  }

  // The forward of predict on s_infer: one GEMM (bias and ReLU in its epilogue) per layer, or the fused kernel.
  int32_t enqueue_infer_forward(cudaStream_t s) {
    const MlpShape& m = shape;
    const int IB = m.infer_batch, dn = m.dims[m.n_layers];
    if (fused == TG_CUDA_MLP_FUSED_BLOCK) {
      fused_forward_kernel<<<IB, kFusedThreads, 0, s>>>(act.infer_out, act.infer_x, params_infer, m.fused_desc());
      return launch_status();
    }
    const float* x = act.infer_x;
    for (int l = 0; l < m.n_layers; ++l) {
      const int in = m.dims[l], out = m.dims[l + 1];
      const bool last = l == m.n_layers - 1;
      float* y = last ? act.infer_out : act.infer_buf[l % 2];
      const bool relu = !last && m.hidden_act == TG_ACT_RELU;
      if (int32_t st = gemm(y, x, params_infer + m.w_off[l], IB, out, in, 0, 0, 1.0f, 0.0f, in, out, out,
                            params_infer + m.b_off[l], relu ? 1 : 0, nullptr, s))
        return st;
      if (!last && !relu)
        if (int32_t st = activation_forward(y, y, int64_t(IB) * out, m.hidden_act, 0.0f, s)) return st;
      x = y;
    }
    if (m.out_softmax) return softmax_forward(act.infer_out, act.infer_out, IB, dn, s);
    return TG_OK;
  }

  // Enqueues the inference forward with its copies on s_infer.
  int32_t enqueue_predict() {
    const MlpShape& m = shape;
    cudaStream_t s = s_infer;
    const size_t in_bytes = size_t(m.elems(0, m.infer_batch)) * sizeof(float);
    const size_t out_bytes = size_t(m.elems(m.n_layers, m.infer_batch)) * sizeof(float);
    if (int32_t st = status_of(cudaMemcpyAsync(act.infer_x, io.infer_in, in_bytes, cudaMemcpyHostToDevice, s)))
      return st;
    if (int32_t st = enqueue_infer_forward(s)) return st;
    return status_of(cudaMemcpyAsync(io.infer_out, act.infer_out, out_bytes, cudaMemcpyDeviceToHost, s));
  }

  // Training forward: z[l+1] = a[l] W_l + b_l; a[l+1] = f(z[l+1]) for hidden layers (ReLU fused into the GEMM).
  int32_t enqueue_train_forward(cudaStream_t s) {
    const MlpShape& m = shape;
    const int B = m.train_batch, n = m.n_layers;
    const bool relu = m.hidden_act == TG_ACT_RELU;
    for (int l = 0; l < n; ++l) {
      const int in = m.dims[l], out = m.dims[l + 1];
      const bool last = l == n - 1;
      float* y = (last || !relu) ? act.z[l + 1] : act.a[l + 1];
      if (int32_t st = gemm(y, act.a[l], params + m.w_off[l], B, out, in, 0, 0, 1.0f, 0.0f, in, out, out,
                            params + m.b_off[l], (!last && relu) ? 1 : 0, nullptr, s))
        return st;
      if (!last && !relu)
        if (int32_t st = activation_forward(act.a[l + 1], act.z[l + 1], m.elems(l + 1, B), m.hidden_act, 0.0f, s))
          return st;
    }
    return TG_OK;
  }

  // Backward from dbuf[0] (d loss / d linear outputs) down to the lowest trainable layer; gradients accumulate
  // into the zeroed gradient slab at the layout's offsets, frozen tensors get none.
  int32_t enqueue_backward(cudaStream_t s) {
    const MlpShape& m = shape;
    const int B = m.train_batch, n = m.n_layers;
    const bool relu = m.hidden_act == TG_ACT_RELU;
    for (int l = n - 1; l >= lowest_trainable_layer; --l) {
      const int in = m.dims[l], out = m.dims[l + 1];
      float* d = act.dbuf[(n - 1 - l) % 2];
      float* dprev = act.dbuf[(n - l) % 2];
      if (trainable[size_t(2 * l)])
        if (int32_t st = gemm(grads + m.w_off[l], act.a[l], d, in, out, B, 1, 0, 1.0f, 1.0f, in, out, out, nullptr,
                              0, nullptr, s))
          return st;
      if (trainable[size_t(2 * l + 1)])
        if (int32_t st = column_sum_add(grads + m.b_off[l], d, B, out, s)) return st;
      if (l == lowest_trainable_layer) break;
      // dprev = (d W_l^T) * f'(z[l]); for ReLU the mask a[l] > 0 is fused into the GEMM epilogue
      if (int32_t st = gemm(dprev, d, params + m.w_off[l], B, in, out, 0, 1, 1.0f, 0.0f, out, out, in, nullptr, 0,
                            relu ? act.a[l] : nullptr, s))
        return st;
      if (!relu)
        if (int32_t st = activation_backward(dprev, dprev, act.z[l], act.a[l], m.elems(l, B), m.hidden_act, 0.0f, s))
          return st;
    }
    return TG_OK;
  }

  // Enqueues one training step (copies included) on s_train.
  int32_t enqueue_train() {
    const MlpShape& m = shape;
    cudaStream_t s = s_train;
    const int B = m.train_batch, n = m.n_layers;
    if (train_copy) {
      if (int32_t st = status_of(cudaMemcpyAsync(act.a[0], io.train_in, size_t(m.elems(0, B)) * sizeof(float),
                                                 cudaMemcpyHostToDevice, s)))
        return st;
      if (int32_t st = status_of(cudaMemcpyAsync(act.target, io.train_target, size_t(m.elems(n, B)) * sizeof(float),
                                                 cudaMemcpyHostToDevice, s)))
        return st;
    }
    if (int32_t st = status_of(cudaMemsetAsync(grads, 0, size_t(m.param_floats) * sizeof(float), s))) return st;
    if (int32_t st = enqueue_train_forward(s)) return st;
    if (int32_t st = loss(act.dbuf[0], act.loss, act.z[n], act.target, nullptr, B, m.dims[n], m.loss_kind,
                          m.loss_param, s))
      return st;
    if (int32_t st = enqueue_backward(s)) return st;
    if (int32_t st = opt.apply(params, grads, trainable_ranges, all_trainable, s)) return st;
    return status_of(cudaMemcpyAsync(io.loss, act.loss, sizeof(float), cudaMemcpyDeviceToHost, s));
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

  void drop_train_graph() {
    if (g_train) cudaGraphExecDestroy(g_train);
    g_train = nullptr;
  }

  void drop_graphs() {
    if (g_infer) cudaGraphExecDestroy(g_infer);
    g_infer = nullptr;
    drop_train_graph();
  }

  int32_t build() {
    MlpShape& m = shape;
    for (int v : m.dims) m.max_width = v > m.max_width ? v : m.max_width;
    const size_t pbytes = size_t(m.param_floats) * sizeof(float);
    if (int32_t st = status_of(cudaMalloc(&params, pbytes))) return st;
    if (int32_t st = status_of(cudaMalloc(&params_infer, pbytes))) return st;
    if (int32_t st = status_of(cudaMalloc(&grads, pbytes))) return st;
    if (int32_t st = status_of(cudaMemset(params, 0, pbytes))) return st;
    if (int32_t st = status_of(cudaMemset(params_infer, 0, pbytes))) return st;
    if (int32_t st = opt.allocate(m.param_floats)) return st;
    if (int32_t st = act.allocate(m)) return st;
    if (int32_t st = io.allocate(m)) return st;
    set_trainable(nullptr);
    if (int32_t st = status_of(cudaStreamCreateWithFlags(&s_infer, cudaStreamNonBlocking))) return st;
    if (int32_t st = status_of(cudaStreamCreateWithFlags(&s_train, cudaStreamNonBlocking))) return st;
    if (int32_t st = status_of(cudaEventCreateWithFlags(&ev_train, cudaEventDisableTiming))) return st;
    // the memsets above ran on the legacy stream, which the runner's non-blocking streams do not wait for
    if (int32_t st = status_of(cudaDeviceSynchronize())) return st;
    fused = m.fused_possible() && m.infer_batch <= 64 ? TG_CUDA_MLP_FUSED_BLOCK : TG_CUDA_MLP_LAYERED;
    return TG_OK;
  }
};

Mlp* mlp_of(int64_t h) { return reinterpret_cast<Mlp*>(static_cast<uintptr_t>(h)); }

}  // namespace
}  // namespace tgc

using tgc::Mlp;
using tgc::mlp_of;

extern "C" {

TG_CUDA_API int32_t tg_cuda_mlp_create(int64_t* out_handle, const int32_t* dims, int32_t n_layers,
                                       const int64_t* offsets, int64_t param_floats, int32_t hidden_act,
                                       int32_t out_softmax, int32_t infer_batch, int32_t train_batch,
                                       int32_t loss_kind, float loss_param, int32_t optimizer,
                                       const float* opt_params) {
  if (!out_handle || !dims || !offsets || !opt_params) return TG_ERR_NULL;
  *out_handle = 0;
  if (n_layers < 1 || n_layers > TG_CUDA_MLP_MAX_LAYERS || infer_batch < 1 || train_batch < 1) return TG_ERR_SIZE;
  std::vector<int64_t> layout(size_t(2 * n_layers));
  if (int32_t st = tg_cuda_mlp_layout(layout.data(), dims, n_layers, offsets, param_floats)) return st;
  if (hidden_act < TG_ACT_IDENTITY || hidden_act > TG_ACT_SIGMOID || hidden_act == TG_ACT_LEAKY_RELU) return TG_ERR_ARG;
  if (out_softmax != 0 && out_softmax != 1) return TG_ERR_ARG;
  if (loss_kind < TG_LOSS_BCE_LOGITS || loss_kind > TG_LOSS_QLIKE) return TG_ERR_ARG;
  if (optimizer < TG_CUDA_OPT_SGD || optimizer > TG_CUDA_OPT_ADAMW) return TG_ERR_ARG;
  if (optimizer == TG_CUDA_OPT_SGD && !(opt_params[1] >= 0.0f)) return TG_ERR_ARG;
  if (optimizer != TG_CUDA_OPT_SGD && !(opt_params[1] >= 0.0f && opt_params[1] < 1.0f && opt_params[2] >= 0.0f &&
                                        opt_params[2] < 1.0f))
    return TG_ERR_ARG;
  if (tg_cuda_device_count() < 1) return TG_CUDA_ERR_NO_DEVICE;
  Mlp* m = new (std::nothrow) Mlp();
  if (!m) return TG_ERR_ALLOC;
  tgc::MlpShape& s = m->shape;
  s.n_layers = n_layers;
  s.dims.assign(dims, dims + n_layers + 1);
  s.hidden_act = hidden_act;
  s.out_softmax = out_softmax;
  s.infer_batch = infer_batch;
  s.train_batch = train_batch;
  s.loss_kind = loss_kind;
  s.loss_param = loss_param;
  s.param_floats = param_floats;
  for (int l = 0; l < n_layers; ++l) {
    s.w_off.push_back(layout[size_t(2 * l)]);
    s.b_off.push_back(layout[size_t(2 * l + 1)]);
  }
  m->opt.configure(optimizer, opt_params);
  if (int32_t st = m->build()) {
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

TG_CUDA_API int64_t tg_cuda_mlp_param_count(int64_t handle) { return handle ? mlp_of(handle)->shape.param_floats : 0; }

TG_CUDA_API int32_t tg_cuda_mlp_set_params(int64_t handle, const float* host_params, int64_t count) {
  if (!handle || !host_params) return TG_ERR_NULL;
  Mlp* m = mlp_of(handle);
  if (count != m->shape.param_floats) return TG_ERR_SIZE;
  const size_t bytes = size_t(count) * sizeof(float);
  if (int32_t st = tgc::status_of(cudaStreamSynchronize(m->s_train))) return st;
  if (int32_t st = tgc::status_of(cudaStreamSynchronize(m->s_infer))) return st;
  if (int32_t st = tgc::status_of(cudaMemcpy(m->params, host_params, bytes, cudaMemcpyHostToDevice))) return st;
  if (int32_t st = tgc::status_of(cudaMemcpy(m->params_infer, host_params, bytes, cudaMemcpyHostToDevice))) return st;
  if (int32_t st = m->opt.reset(nullptr)) return st;
  // a pageable cudaMemcpy may return before the DMA lands and the reset is asynchronous; the runner's streams are
  // non-blocking, so wait here before any step or predict can read the parameters
  return tgc::status_of(cudaDeviceSynchronize());
}

TG_CUDA_API int32_t tg_cuda_mlp_get_params(int64_t handle, float* host_params, int64_t count) {
  if (!handle || !host_params) return TG_ERR_NULL;
  Mlp* m = mlp_of(handle);
  if (count != m->shape.param_floats) return TG_ERR_SIZE;
  if (int32_t st = tgc::status_of(cudaStreamSynchronize(m->s_train))) return st;
  return tgc::status_of(cudaMemcpy(host_params, m->params, size_t(count) * sizeof(float), cudaMemcpyDeviceToHost));
}

TG_CUDA_API int64_t tg_cuda_mlp_infer_input(int64_t handle) {
  return handle ? int64_t(reinterpret_cast<uintptr_t>(mlp_of(handle)->io.infer_in)) : 0;
}
TG_CUDA_API int64_t tg_cuda_mlp_infer_output(int64_t handle) {
  return handle ? int64_t(reinterpret_cast<uintptr_t>(mlp_of(handle)->io.infer_out)) : 0;
}
TG_CUDA_API int64_t tg_cuda_mlp_train_input(int64_t handle) {
  return handle ? int64_t(reinterpret_cast<uintptr_t>(mlp_of(handle)->io.train_in)) : 0;
}
TG_CUDA_API int64_t tg_cuda_mlp_train_target(int64_t handle) {
  return handle ? int64_t(reinterpret_cast<uintptr_t>(mlp_of(handle)->io.train_target)) : 0;
}

TG_CUDA_API int32_t tg_cuda_mlp_set_fused(int64_t handle, int32_t fused) {
  if (!handle) return TG_ERR_NULL;
  Mlp* m = mlp_of(handle);
  if (fused < TG_CUDA_MLP_LAYERED || fused > TG_CUDA_MLP_FUSED_CLUSTER) return TG_ERR_ARG;
  if (fused == TG_CUDA_MLP_FUSED_CLUSTER) return TG_ERR_UNSUPPORTED;  // native/cuda/lab/, not the production path
  if (fused == TG_CUDA_MLP_FUSED_BLOCK && !m->shape.fused_possible()) return TG_ERR_UNSUPPORTED;
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
  m->drop_train_graph();
  m->train_copy = copy_inputs == 1;
  return TG_OK;
}

TG_CUDA_API int32_t tg_cuda_mlp_set_trainable(int64_t handle, const int32_t* trainable) {
  if (!handle || !trainable) return TG_ERR_NULL;
  Mlp* m = mlp_of(handle);
  for (int t = 0; t < 2 * m->shape.n_layers; ++t)
    if (trainable[t] != 0 && trainable[t] != 1) return TG_ERR_ARG;
  if (int32_t st = tgc::status_of(cudaStreamSynchronize(m->s_train))) return st;
  m->drop_train_graph();  // the captured step launches per trainable tensor
  m->set_trainable(trainable);
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
  if (loss_out) *loss_out = *m->io.loss;
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
  return tgc::status_of(cudaMemcpyAsync(m->params_infer, m->params, size_t(m->shape.param_floats) * sizeof(float),
                                        cudaMemcpyDeviceToDevice, m->s_infer));
}

}  // extern "C"
