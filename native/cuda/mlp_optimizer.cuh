// The MLP runner's optimizer: its hyper-parameters and its device state (velocity, or Adam's moments and step
// count) in one struct, laid out like the parameters, stepping only the tensors marked trainable.
#pragma once
#include "common.cuh"
#include <vector>

namespace tgc {

// A tensor of the parameter layout: [offset, offset + floats).
struct TensorRange {
  int64_t offset;
  int64_t floats;
};

struct OptimizerState {
  int kind = TG_CUDA_OPT_SGD;  // TG_CUDA_OPT_*
  float lr = 0.0f;
  float momentum = 0.0f, weight_decay = 0.0f;  // SGD: momentum; all: weight decay
  bool nesterov = false;
  float beta1 = 0.0f, beta2 = 0.0f, eps = 0.0f;  // Adam, AdamW
  int64_t n = 0;                 // floats of the parameter layout (padding included)
  float* first = nullptr;        // [n]: SGD velocity or Adam's m
  float* second = nullptr;       // [n]: Adam's v (null for SGD)
  long long* step = nullptr;     // Adam's step count, on the device so graph replays advance it
  void* storage = nullptr;       // the one device allocation behind first, second and step
  size_t bytes = 0;

  // opt_params[5] as tickgrad_cuda.h: SGD lr, momentum, weight decay, nesterov; Adam lr, b1, b2, eps, weight decay.
  void configure(int optimizer, const float* p) {
    kind = optimizer;
    lr = p[0];
    if (kind == TG_CUDA_OPT_SGD) {
      momentum = p[1];
      weight_decay = p[2];
      nesterov = p[3] != 0.0f;
    } else {
      beta1 = p[1];
      beta2 = p[2];
      eps = p[3];
      weight_decay = p[4];
    }
  }

  int32_t allocate(int64_t floats) {
    n = floats;
    const int64_t state_floats = kind == TG_CUDA_OPT_SGD ? n : 2 * n;
    const size_t state_bytes = (size_t(state_floats) * sizeof(float) + 255) / 256 * 256;
    bytes = state_bytes + 256;
    if (int32_t st = status_of(cudaMalloc(&storage, bytes))) return st;
    char* base = static_cast<char*>(storage);
    first = reinterpret_cast<float*>(base);
    second = kind == TG_CUDA_OPT_SGD ? nullptr : first + n;
    step = reinterpret_cast<long long*>(base + state_bytes);
    return reset(nullptr);
  }

  // Zeroes velocity, moments and step count (on the legacy stream when s is null: the caller synchronises).
  int32_t reset(cudaStream_t s) { return status_of(cudaMemsetAsync(storage, 0, bytes, s)); }

  void release() {
    cudaFree(storage);
    storage = nullptr;
  }

  // One optimizer step over the trainable tensors (all of them: one launch over the whole layout).
  int32_t apply(float* params, const float* grads, const std::vector<TensorRange>& trainable, bool all,
                cudaStream_t s) const {
    if (kind != TG_CUDA_OPT_SGD)
      if (int32_t st = increment_step(step, s)) return st;
    if (all) return apply_range(params, grads, 0, n, s);
    for (const TensorRange& r : trainable)
      if (int32_t st = apply_range(params, grads, r.offset, r.floats, s)) return st;
    return TG_OK;
  }

 private:
  int32_t apply_range(float* params, const float* grads, int64_t off, int64_t len, cudaStream_t s) const {
    if (kind == TG_CUDA_OPT_SGD)
      return sgd_step(params + off, first + off, grads + off, len, lr, momentum, weight_decay, nesterov ? 1 : 0, s);
    return adam_step_device_t(params + off, first + off, second + off, grads + off, len, lr, beta1, beta2, eps,
                              weight_decay, kind == TG_CUDA_OPT_ADAMW ? 1 : 0, step, s);
  }
};

}  // namespace tgc
