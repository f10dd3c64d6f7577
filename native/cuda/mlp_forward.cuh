// The MLP runner's forward kernels: one sample's whole forward pass in one kernel, activations in shared memory.
// The dot loop and the output tail (softmax or copy) are written once here and used by the production block
// kernel and by the kernel-lab variants (native/cuda/lab/).
#pragma once
#include "act.cuh"
#include "common.cuh"

namespace tgc {

constexpr int kMaxFusedLayers = 16;
constexpr int kFusedThreads = 1024;
constexpr int kFusedMaxSplit = 64;

// What a fused forward needs to know; offsets are the caller's layout (tg_cuda_mlp_layout), in floats.
struct FusedDesc {
  int n_layers;
  int dims[kMaxFusedLayers + 1];
  int64_t w_off[kMaxFusedLayers];
  int64_t b_off[kMaxFusedLayers];
  int hidden_act;
  int out_softmax;
};

// How many threads share one output column: the block's threads over `cols` columns, at most kFusedMaxSplit.
__device__ __forceinline__ int column_split(int threads, int cols) {
  int split = threads / cols;
  if (split > kFusedMaxSplit) split = kFusedMaxSplit;
  return split < 1 ? 1 : split;
}

// sum over i in [ib, ie) of a[i] * W[i, j] for W [*, outw] row-major: reads of W[i, j] across the threads of
// neighbouring j are coalesced; four independent accumulators keep four loads in flight.
__device__ __forceinline__ float column_dot(const float* a, const float* w, int outw, int j, int ib, int ie) {
  float acc0 = 0.0f, acc1 = 0.0f, acc2 = 0.0f, acc3 = 0.0f;
  int i = ib;
  for (; i + 4 <= ie; i += 4) {
    acc0 = fmaf(a[i], w[int64_t(i) * outw + j], acc0);
    acc1 = fmaf(a[i + 1], w[int64_t(i + 1) * outw + j], acc1);
    acc2 = fmaf(a[i + 2], w[int64_t(i + 2) * outw + j], acc2);
    acc3 = fmaf(a[i + 3], w[int64_t(i + 3) * outw + j], acc3);
  }
  for (; i < ie; ++i) acc0 = fmaf(a[i], w[int64_t(i) * outw + j], acc0);
  return (acc0 + acc1) + (acc2 + acc3);
}

// A layer's output value from its dot product: bias, then the hidden activation except on the last layer.
__device__ __forceinline__ float layer_output(float dot, float bias, bool last, int hidden_act) {
  const float v = dot + bias;
  return last ? v : act_fwd(v, hidden_act, 0.0f);
}

// Writes the network output o[dn] from the last layer's z[dn] (shared memory): softmax as the CPU computes it
// (max in float, exp in float, sum in double; one thread, dn is small) or a copy.
__device__ __forceinline__ void output_tail(float* o, const float* z, int dn, int softmax, int tid, int threads) {
  if (softmax) {
    if (tid == 0) {
      float mx = z[0];
      for (int c = 1; c < dn; ++c) mx = z[c] > mx ? z[c] : mx;
      double sum = 0.0;
      for (int c = 0; c < dn; ++c) sum += expf(z[c] - mx);
      const float inv = float(1.0 / sum);
      for (int c = 0; c < dn; ++c) o[c] = expf(z[c] - mx) * inv;
    }
  } else {
    for (int c = tid; c < dn; c += threads) o[c] = z[c];
  }
}

// Whole forward pass of one sample per block (grid = batch). For each layer the block's threads split the input
// range into `split` parts per output column and combine the partial sums in shared memory.
__global__ void __launch_bounds__(kFusedThreads) fused_forward_kernel(float* out, const float* x, const float* params,
                                                                      FusedDesc d) {
  __shared__ float buf[2][TG_CUDA_MLP_FUSED_MAX_WIDTH];
  __shared__ float red[kFusedThreads];
  const int tid = threadIdx.x, threads = blockDim.x;
  const int sample = blockIdx.x;
  const int d0 = d.dims[0];
  for (int i = tid; i < d0; i += threads) buf[0][i] = x[int64_t(sample) * d0 + i];
  __syncthreads();
  int cur = 0;
  for (int l = 0; l < d.n_layers; ++l) {
    const int in = d.dims[l], outw = d.dims[l + 1];
    const float* w = params + d.w_off[l];
    const float* bias = params + d.b_off[l];
    const bool last = l == d.n_layers - 1;
    const float* a = buf[cur];
    float* nxt = buf[cur ^ 1];
    const int split = column_split(threads, outw);
    const int chunk = (in + split - 1) / split;
    for (int j0 = 0; j0 < outw; j0 += threads) {  // more columns than threads: several passes, split = 1
      const int j = j0 + tid % outw;
      const int s = split > 1 ? tid / outw : 0;
      const bool active = split > 1 ? (s < split) : (j0 + tid < outw);
      const float part = active ? column_dot(a, w, outw, j, s * chunk, min(in, s * chunk + chunk)) : 0.0f;
      if (split > 1) {
        if (active) red[s * outw + (j - j0)] = part;
        __syncthreads();
        if (tid < outw) {
          float v = 0.0f;
          for (int k = 0; k < split; ++k) v += red[k * outw + tid];
          nxt[tid] = layer_output(v, bias[tid], last, d.hidden_act);
        }
      } else if (active) {
        nxt[j] = layer_output(part, bias[j], last, d.hidden_act);
      }
      __syncthreads();
    }
    cur ^= 1;
  }
  const int dn = d.dims[d.n_layers];
  output_tail(out + int64_t(sample) * dn, buf[cur], dn, d.out_softmax, tid, threads);
}

}  // namespace tgc
