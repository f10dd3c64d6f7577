// Every op of tickgrad.h on the GPU: dense, activations, softmax, layernorm, dropout, losses, optimizers,
// reductions and the forward plan. Formulas, and where the CPU works in double the precision too, follow
// native/cpu so the two backends compute the same function (up to summation order).
#include "common.cuh"
#include "act.cuh"
#include <cstring>

namespace tgc {
namespace {

constexpr uint64_t kGolden = 0x9E3779B97F4A7C15ull;

__global__ void act_fwd_kernel(float* y, const float* x, int64_t n, int kind, float alpha) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x)
    y[i] = act_fwd(x[i], kind, alpha);
}

__global__ void act_bwd_kernel(float* dx, const float* dy, const float* x, const float* y, int64_t n, int kind,
                               float alpha) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x)
    dx[i] = act_bwd(dy[i], x[i], y[i], kind, alpha);
}

template <typename T>
__device__ __forceinline__ T warp_sum(T v) {
#pragma unroll
  for (int o = 16; o > 0; o >>= 1) v += __shfl_down_sync(0xffffffffu, v, o);
  return __shfl_sync(0xffffffffu, v, 0);
}

__device__ __forceinline__ float warp_max(float v) {
#pragma unroll
  for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_down_sync(0xffffffffu, v, o));
  return __shfl_sync(0xffffffffu, v, 0);
}

// one warp per row; row statistics as on the CPU (max in float, exp in float, sum in double)
__global__ void softmax_fwd_kernel(float* y, const float* x, int batch, int classes) {
  const int row = blockIdx.x * (blockDim.x / 32) + threadIdx.x / 32, lane = threadIdx.x % 32;
  if (row >= batch) return;
  const float* xr = x + int64_t(row) * classes;
  float* yr = y + int64_t(row) * classes;
  float mx = -INFINITY;
  for (int c = lane; c < classes; c += 32) mx = fmaxf(mx, xr[c]);
  mx = warp_max(mx);
  if (isnan(xr[0])) mx = xr[0];
  double sum = 0.0;
  for (int c = lane; c < classes; c += 32) {
    const float e = expf(xr[c] - mx);
    yr[c] = e;
    sum += e;
  }
  sum = warp_sum(sum);
  const float inv = float(1.0 / sum);
  for (int c = lane; c < classes; c += 32) yr[c] *= inv;
}

__global__ void softmax_bwd_kernel(float* dx, const float* dy, const float* y, int batch, int classes) {
  const int row = blockIdx.x * (blockDim.x / 32) + threadIdx.x / 32, lane = threadIdx.x % 32;
  if (row >= batch) return;
  const int64_t o = int64_t(row) * classes;
  double dot = 0.0;
  for (int c = lane; c < classes; c += 32) dot += double(dy[o + c]) * y[o + c];
  const float s = float(warp_sum(dot));
  for (int c = lane; c < classes; c += 32) dx[o + c] = y[o + c] * (dy[o + c] - s);
}

__global__ void layernorm_fwd_kernel(float* y, float* mean, float* rstd, const float* x, const float* gamma,
                                     const float* beta, int batch, int dim, float eps) {
  const int row = blockIdx.x * (blockDim.x / 32) + threadIdx.x / 32, lane = threadIdx.x % 32;
  if (row >= batch) return;
  const float* xr = x + int64_t(row) * dim;
  float* yr = y + int64_t(row) * dim;
  double s = 0.0;
  for (int d = lane; d < dim; d += 32) s += xr[d];
  const double mu = warp_sum(s) / double(dim);
  double ss = 0.0;
  for (int d = lane; d < dim; d += 32) {
    const double c = xr[d] - mu;
    ss += c * c;
  }
  const double rs = 1.0 / sqrt(warp_sum(ss) / double(dim) + double(eps));
  const float muf = float(mu), rsf = float(rs);
  if (lane == 0) {
    if (mean) mean[row] = muf;
    if (rstd) rstd[row] = rsf;
  }
  for (int d = lane; d < dim; d += 32) {
    const float xh = (xr[d] - muf) * rsf;
    yr[d] = beta ? xh * gamma[d] + beta[d] : xh * gamma[d];
  }
}

__global__ void layernorm_bwd_dx_kernel(float* dx, const float* dy, const float* x, const float* mean,
                                        const float* rstd, const float* gamma, int batch, int dim) {
  const int row = blockIdx.x * (blockDim.x / 32) + threadIdx.x / 32, lane = threadIdx.x % 32;
  if (row >= batch) return;
  const int64_t o = int64_t(row) * dim;
  const float mu = mean[row], rs = rstd[row];
  double sg = 0.0, sgx = 0.0;
  for (int d = lane; d < dim; d += 32) {
    const double xh = double(x[o + d] - mu) * rs;
    const double g = double(dy[o + d]) * gamma[d];
    sg += g;
    sgx += g * xh;
  }
  const double mg = warp_sum(sg) / double(dim), mgx = warp_sum(sgx) / double(dim);
  for (int d = lane; d < dim; d += 32) {
    const float xh = (x[o + d] - mu) * rs;
    dx[o + d] = float(rs * (double(dy[o + d]) * gamma[d] - mg - double(xh) * mgx));
  }
}

// out[cols] += sum over rows of x[rows, cols] (and, for layernorm, of dy * xhat): block (32, 8),
// grid (column tiles, row splits), partial sums combined atomically.
__global__ void column_sum_kernel(float* out, float* out2, const float* x, const float* xin, const float* mean,
                                  const float* rstd, int rows, int cols) {
  __shared__ float part[8][33];
  __shared__ float part2[8][33];
  const int col = blockIdx.x * 32 + threadIdx.x;
  float s = 0.0f, s2 = 0.0f;
  if (col < cols) {
    for (int r = blockIdx.y * 8 + threadIdx.y; r < rows; r += gridDim.y * 8) {
      const float v = x[int64_t(r) * cols + col];
      s += v;
      if (out2) s2 += v * ((xin[int64_t(r) * cols + col] - mean[r]) * rstd[r]);
    }
  }
  part[threadIdx.y][threadIdx.x] = s;
  part2[threadIdx.y][threadIdx.x] = s2;
  __syncthreads();
  if (threadIdx.y == 0 && col < cols) {
    float t = 0.0f, t2 = 0.0f;
#pragma unroll
    for (int i = 0; i < 8; ++i) {
      t += part[i][threadIdx.x];
      t2 += part2[i][threadIdx.x];
    }
    if (out) atomicAdd(out + col, t);
    if (out2) atomicAdd(out2 + col, t2);
  }
}

int32_t column_sums(float* out, float* out2, const float* x, const float* xin, const float* mean, const float* rstd,
                    int rows, int cols, cudaStream_t s) {
  int ysplit = (rows + 255) / 256;
  if (ysplit > 64) ysplit = 64;
  const dim3 grid(unsigned((cols + 31) / 32), unsigned(ysplit));
  column_sum_kernel<<<grid, dim3(32, 8), 0, s>>>(out, out2, x, xin, mean, rstd, rows, cols);
  return launch_status();
}

__device__ __forceinline__ uint64_t splitmix64(uint64_t z) {
  z += kGolden;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

__global__ void dropout_fwd_kernel(float* y, float* mask, const float* x, int64_t n, float rate, uint64_t seed) {
  const float keep = 1.0f / (1.0f - rate);
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x) {
    const uint64_t h = splitmix64(seed + uint64_t(i) * kGolden);
    const float u = float(h >> 40) * 0x1p-24f;
    const float m = u < rate ? 0.0f : keep;
    mask[i] = m;
    y[i] = x[i] * m;
  }
}

__global__ void mul_kernel(float* y, const float* a, const float* b, int64_t n) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x)
    y[i] = a[i] * b[i];
}

// Per-sample loss of one row, as native/cpu/loss.cpp; writes grad scaled by gs when non-null.
__device__ double row_loss(float* grad, const float* p, const float* t, int cols, int kind, double param, double gs) {
  double loss = 0.0;
  switch (kind) {
    case TG_LOSS_BCE_LOGITS:
      for (int c = 0; c < cols; ++c) {
        const double z = p[c], tc = t[c];
        loss += (z > 0 ? z : 0.0) - z * tc + log1p(exp(-fabs(z)));
        if (grad) {
          const double s = z >= 0 ? 1.0 / (1.0 + exp(-z)) : exp(z) / (1.0 + exp(z));
          grad[c] = float((s - tc) * gs);
        }
      }
      break;
    case TG_LOSS_BCE_PROBS:
      for (int c = 0; c < cols; ++c) {
        const double raw = p[c], tc = t[c];
        const double lo = param, hi = double(1.0f - float(param));
        const bool clipped = raw < lo || raw > hi;
        const double q = raw < lo ? lo : (raw > hi ? hi : raw);
        loss += -(tc * log(q) + (1.0 - tc) * log(1.0 - q));
        if (grad) grad[c] = clipped ? 0.0f : float((-tc / q + (1.0 - tc) / (1.0 - q)) * gs);
      }
      break;
    case TG_LOSS_SOFTMAX_XENT: {
      double mx = p[0];
      for (int c = 1; c < cols; ++c) mx = p[c] > mx ? p[c] : mx;
      double se = 0.0, st = 0.0;
      for (int c = 0; c < cols; ++c) {
        se += exp(p[c] - mx);
        st += t[c];
      }
      const double lse = mx + log(se);
      for (int c = 0; c < cols; ++c) loss += t[c] * (lse - p[c]);
      if (grad)
        for (int c = 0; c < cols; ++c) grad[c] = float((exp(p[c] - lse) * st - t[c]) * gs);
      break;
    }
    case TG_LOSS_MSE:
      for (int c = 0; c < cols; ++c) {
        const double r = double(p[c]) - t[c];
        loss += r * r;
        if (grad) grad[c] = float(2.0 * r * gs);
      }
      break;
    case TG_LOSS_HUBER:
      for (int c = 0; c < cols; ++c) {
        const double r = double(p[c]) - t[c], a = fabs(r);
        loss += a <= param ? 0.5 * r * r : param * (a - 0.5 * param);
        if (grad) grad[c] = float((a <= param ? r : (r > 0 ? param : -param)) * gs);
      }
      break;
    case TG_LOSS_QLIKE:  // as native/cpu/loss.cpp
      for (int c = 0; c < cols; ++c) {
        const double s = p[c], y = t[c];
        if (y > 0.0) {
          const double d = fmin(log(y) - s, 80.0), r = exp(d);
          loss += r - d - 1.0;
          if (grad) grad[c] = float((1.0 - r) * gs);
        } else {
          loss += s;
          if (grad) grad[c] = float(gs);
        }
      }
      break;
    default: break;
  }
  return loss;
}

constexpr int kLossThreads = 1024;

// One block, one thread per row (rows strided), a fixed-order tree sum: deterministic.
__global__ void __launch_bounds__(kLossThreads) loss_kernel(float* grad, float* loss_out, const float* pred,
                                                            const float* target, const float* weights, int batch,
                                                            int cols, int kind, float param) {
  __shared__ double warp_part[kLossThreads / 32];
  const double inv_b = 1.0 / double(batch);
  double sum = 0.0;
  for (int b = threadIdx.x; b < batch; b += blockDim.x) {
    const double w = weights ? double(weights[b]) : 1.0;
    const int64_t o = int64_t(b) * cols;
    sum += w * row_loss(grad ? grad + o : nullptr, pred + o, target + o, cols, kind, param, w * inv_b);
  }
  sum = warp_sum(sum);
  if (threadIdx.x % 32 == 0) warp_part[threadIdx.x / 32] = sum;
  __syncthreads();
  if (threadIdx.x < 32) {
    double v = threadIdx.x < blockDim.x / 32 ? warp_part[threadIdx.x] : 0.0;
    v = warp_sum(v);
    if (threadIdx.x == 0) *loss_out = float(v * inv_b);
  }
}

__global__ void sgd_kernel(float* p, float* vel, const float* g, int64_t n, float lr, float momentum, float wd,
                           int nesterov) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x) {
    if (momentum == 0.0f) {
      p[i] -= lr * (g[i] + wd * p[i]);
    } else if (nesterov) {
      const float gi = g[i] + wd * p[i];
      const float v = momentum * vel[i] + gi;
      vel[i] = v;
      p[i] -= lr * (gi + momentum * v);
    } else {
      const float v = momentum * vel[i] + (g[i] + wd * p[i]);
      vel[i] = v;
      p[i] -= lr * v;
    }
  }
}

__device__ __forceinline__ void adam_one(float* p, float* m, float* v, const float* g, int64_t i, float lr, float b1,
                                         float b2, float eps, float wd, int decoupled, float bc1, float bc2) {
  const float c1 = 1.0f - b1, c2 = 1.0f - b2;
  if (decoupled) {
    const float pi = p[i] - (lr * wd) * p[i];
    const float gi = g[i];
    const float mi = b1 * m[i] + c1 * gi;
    const float vi = b2 * v[i] + c2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] = pi - lr * (mi / bc1) / (sqrtf(vi / bc2) + eps);
  } else {
    const float gi = g[i] + wd * p[i];
    const float mi = b1 * m[i] + c1 * gi;
    const float vi = b2 * v[i] + c2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] -= lr * (mi / bc1) / (sqrtf(vi / bc2) + eps);
  }
}

__global__ void adam_kernel(float* p, float* m, float* v, const float* g, int64_t n, float lr, float b1, float b2,
                            float eps, float wd, int decoupled, float bc1, float bc2) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x)
    adam_one(p, m, v, g, i, lr, b1, b2, eps, wd, decoupled, bc1, bc2);
}

__global__ void increment_kernel(long long* t) { *t += 1; }

// The step count is read from device memory so a captured graph replays correct bias corrections.
__global__ void adam_device_t_kernel(float* p, float* m, float* v, const float* g, int64_t n, float lr, float b1,
                                     float b2, float eps, float wd, int decoupled, const long long* t) {
  const double tt = double(*t);
  const float bc1 = float(1.0 - pow(double(b1), tt));
  const float bc2 = float(1.0 - pow(double(b2), tt));
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x)
    adam_one(p, m, v, g, i, lr, b1, b2, eps, wd, decoupled, bc1, bc2);
}

__global__ void sum_squares_kernel(double* out, const float* x, int64_t n) {
  __shared__ double warp_part[32];
  double s = 0.0;
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x) {
    const double d = x[i];
    s += d * d;
  }
  s = warp_sum(s);
  if (threadIdx.x % 32 == 0) warp_part[threadIdx.x / 32] = s;
  __syncthreads();
  if (threadIdx.x < 32) {
    double v = threadIdx.x < blockDim.x / 32 ? warp_part[threadIdx.x] : 0.0;
    v = warp_sum(v);
    if (threadIdx.x == 0) atomicAdd(out, v);
  }
}

__global__ void scale_kernel(float* x, int64_t n, float s) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x)
    x[i] *= s;
}

constexpr int kThreads = 256;
constexpr int kRowsPerBlock = kThreads / 32;

bool activation_kind_ok(int32_t kind) { return kind >= TG_ACT_IDENTITY && kind <= TG_ACT_SIGMOID; }

float low_float(int64_t word) {
  const uint32_t bits = uint32_t(uint64_t(word) & 0xFFFFFFFFu);
  float f;
  memcpy(&f, &bits, sizeof f);
  return f;
}

}  // namespace

int32_t activation_forward(float* y, const float* x, int64_t n, int32_t kind, float alpha, cudaStream_t s) {
  if (kind == TG_ACT_IDENTITY) {
    if (y == x) return TG_OK;
    return status_of(cudaMemcpyAsync(y, x, size_t(n) * sizeof(float), cudaMemcpyDeviceToDevice, s));
  }
  act_fwd_kernel<<<blocks_for(n, kThreads, 8192), kThreads, 0, s>>>(y, x, n, kind, alpha);
  return launch_status();
}

int32_t activation_backward(float* dx, const float* dy, const float* x, const float* y, int64_t n, int32_t kind,
                            float alpha, cudaStream_t s) {
  if (kind == TG_ACT_IDENTITY) {
    if (dx == dy) return TG_OK;
    return status_of(cudaMemcpyAsync(dx, dy, size_t(n) * sizeof(float), cudaMemcpyDeviceToDevice, s));
  }
  act_bwd_kernel<<<blocks_for(n, kThreads, 8192), kThreads, 0, s>>>(dx, dy, x, y, n, kind, alpha);
  return launch_status();
}

int32_t softmax_forward(float* y, const float* x, int batch, int classes, cudaStream_t s) {
  softmax_fwd_kernel<<<blocks_for(batch, kRowsPerBlock, 1u << 30), kThreads, 0, s>>>(y, x, batch, classes);
  return launch_status();
}

int32_t column_sum_add(float* out, const float* x, int rows, int cols, cudaStream_t s) {
  return column_sums(out, nullptr, x, nullptr, nullptr, nullptr, rows, cols, s);
}

int32_t loss(float* grad, float* loss_out, const float* pred, const float* target, const float* weights, int batch,
             int cols, int32_t kind, float param, cudaStream_t s) {
  loss_kernel<<<1, kLossThreads, 0, s>>>(grad, loss_out, pred, target, weights, batch, cols, kind, param);
  return launch_status();
}

int32_t layernorm_forward(float* y, float* mean, float* rstd, const float* x, const float* gamma, const float* beta,
                          int batch, int dim, float eps, cudaStream_t s) {
  layernorm_fwd_kernel<<<blocks_for(batch, kRowsPerBlock, 1u << 30), kThreads, 0, s>>>(y, mean, rstd, x, gamma, beta,
                                                                                        batch, dim, eps);
  return launch_status();
}

int32_t sgd_step(float* p, float* vel, const float* g, int64_t n, float lr, float momentum, float wd, int nesterov,
                 cudaStream_t s) {
  sgd_kernel<<<blocks_for(n, kThreads, 8192), kThreads, 0, s>>>(p, vel, g, n, lr, momentum, wd, nesterov);
  return launch_status();
}

int32_t increment_step(long long* t, cudaStream_t s) {
  increment_kernel<<<1, 1, 0, s>>>(t);
  return launch_status();
}

int32_t adam_step_device_t(float* p, float* m, float* v, const float* g, int64_t n, float lr, float b1, float b2,
                           float eps, float wd, int decoupled, const long long* t, cudaStream_t s) {
  adam_device_t_kernel<<<blocks_for(n, kThreads, 8192), kThreads, 0, s>>>(p, m, v, g, n, lr, b1, b2, eps, wd,
                                                                          decoupled, t);
  return launch_status();
}

}  // namespace tgc

using tgc::stream_of;

extern "C" {

TG_CUDA_API int32_t tg_cuda_dense_forward(float* y, const float* x, const float* w, const float* bias, int32_t batch,
                                          int32_t in, int32_t out, int64_t stream) {
  if (!y || !x || !w) return TG_ERR_NULL;
  if (batch < 1 || in < 1 || out < 1) return TG_ERR_SIZE;
  return tgc::gemm(y, x, w, batch, out, in, 0, 0, 1.0f, 0.0f, in, out, out, bias, 0, nullptr, stream_of(stream));
}

TG_CUDA_API int32_t tg_cuda_dense_backward(float* dx, float* dw, float* dbias, const float* dy, const float* x,
                                           const float* w, int32_t batch, int32_t in, int32_t out, int64_t stream) {
  if (!dy || !x || !w) return TG_ERR_NULL;
  if (batch < 1 || in < 1 || out < 1) return TG_ERR_SIZE;
  const cudaStream_t s = stream_of(stream);
  if (dx)  // dx[B,I] = dy[B,O] w[I,O]^T
    if (int32_t st = tgc::gemm(dx, dy, w, batch, in, out, 0, 1, 1.0f, 0.0f, out, out, in, nullptr, 0, nullptr, s))
      return st;
  if (dw)  // dw[I,O] += x[B,I]^T dy[B,O]
    if (int32_t st = tgc::gemm(dw, x, dy, in, out, batch, 1, 0, 1.0f, 1.0f, in, out, out, nullptr, 0, nullptr, s))
      return st;
  if (dbias) return tgc::column_sum_add(dbias, dy, batch, out, s);
  return TG_OK;
}

TG_CUDA_API int32_t tg_cuda_activation_forward(float* y, const float* x, int64_t n, int32_t kind, float alpha,
                                               int64_t stream) {
  if (!y || !x) return TG_ERR_NULL;
  if (n < 1) return TG_ERR_SIZE;
  if (!tgc::activation_kind_ok(kind)) return TG_ERR_ARG;
  return tgc::activation_forward(y, x, n, kind, alpha, stream_of(stream));
}

TG_CUDA_API int32_t tg_cuda_activation_backward(float* dx, const float* dy, const float* x, const float* y, int64_t n,
                                                int32_t kind, float alpha, int64_t stream) {
  if (!dx || !dy || !x || !y) return TG_ERR_NULL;
  if (n < 1) return TG_ERR_SIZE;
  if (!tgc::activation_kind_ok(kind)) return TG_ERR_ARG;
  return tgc::activation_backward(dx, dy, x, y, n, kind, alpha, stream_of(stream));
}

TG_CUDA_API int32_t tg_cuda_softmax_forward(float* y, const float* x, int32_t batch, int32_t classes, int64_t stream) {
  if (!y || !x) return TG_ERR_NULL;
  if (batch < 1 || classes < 1) return TG_ERR_SIZE;
  return tgc::softmax_forward(y, x, batch, classes, stream_of(stream));
}

TG_CUDA_API int32_t tg_cuda_softmax_backward(float* dx, const float* dy, const float* y, int32_t batch,
                                             int32_t classes, int64_t stream) {
  if (!dx || !dy || !y) return TG_ERR_NULL;
  if (batch < 1 || classes < 1) return TG_ERR_SIZE;
  tgc::softmax_bwd_kernel<<<tgc::blocks_for(batch, tgc::kRowsPerBlock, 1u << 30), tgc::kThreads, 0,
                            stream_of(stream)>>>(dx, dy, y, batch, classes);
  return tgc::launch_status();
}

TG_CUDA_API int32_t tg_cuda_layernorm_forward(float* y, float* mean, float* rstd, const float* x, const float* gamma,
                                              const float* beta, int32_t batch, int32_t dim, float eps,
                                              int64_t stream) {
  if (!y || !x || !gamma) return TG_ERR_NULL;
  if (batch < 1 || dim < 1) return TG_ERR_SIZE;
  if (!(eps >= 0.0f) || isinf(eps)) return TG_ERR_ARG;
  return tgc::layernorm_forward(y, mean, rstd, x, gamma, beta, batch, dim, eps, stream_of(stream));
}

TG_CUDA_API int32_t tg_cuda_layernorm_backward(float* dx, float* dgamma, float* dbeta, const float* dy,
                                               const float* x, const float* mean, const float* rstd,
                                               const float* gamma, int32_t batch, int32_t dim, int64_t stream) {
  if (!dx || !dy || !x || !mean || !rstd || !gamma) return TG_ERR_NULL;
  if (batch < 1 || dim < 1) return TG_ERR_SIZE;
  const cudaStream_t s = stream_of(stream);
  // the parameter sums read dy and x before dx is written (dx may not alias them, as on the CPU)
  if (dgamma || dbeta)
    if (int32_t st = tgc::column_sums(dbeta, dgamma, dy, x, mean, rstd, batch, dim, s)) return st;
  tgc::layernorm_bwd_dx_kernel<<<tgc::blocks_for(batch, tgc::kRowsPerBlock, 1u << 30), tgc::kThreads, 0, s>>>(
      dx, dy, x, mean, rstd, gamma, batch, dim);
  return tgc::launch_status();
}

TG_CUDA_API int32_t tg_cuda_dropout_forward(float* y, float* mask, const float* x, int64_t n, float rate, int64_t seed,
                                            int64_t stream) {
  if (!y || !mask || !x) return TG_ERR_NULL;
  if (n < 1) return TG_ERR_SIZE;
  if (!(rate >= 0.0f && rate < 1.0f)) return TG_ERR_ARG;
  tgc::dropout_fwd_kernel<<<tgc::blocks_for(n, tgc::kThreads, 8192), tgc::kThreads, 0, stream_of(stream)>>>(
      y, mask, x, n, rate, uint64_t(seed));
  return tgc::launch_status();
}

TG_CUDA_API int32_t tg_cuda_dropout_backward(float* dx, const float* dy, const float* mask, int64_t n,
                                             int64_t stream) {
  if (!dx || !dy || !mask) return TG_ERR_NULL;
  if (n < 1) return TG_ERR_SIZE;
  tgc::mul_kernel<<<tgc::blocks_for(n, tgc::kThreads, 8192), tgc::kThreads, 0, stream_of(stream)>>>(dx, dy, mask, n);
  return tgc::launch_status();
}

TG_CUDA_API int32_t tg_cuda_loss(float* grad, float* loss, const float* pred, const float* target,
                                 const float* weights, int32_t batch, int32_t cols, int32_t kind, float param,
                                 int64_t stream) {
  if (!loss || !pred || !target) return TG_ERR_NULL;
  if (batch < 1 || cols < 1) return TG_ERR_SIZE;
  if (kind < TG_LOSS_BCE_LOGITS || kind > TG_LOSS_QLIKE) return TG_ERR_ARG;
  if (kind == TG_LOSS_BCE_PROBS && !(param >= 0.0f && param < 0.5f)) return TG_ERR_ARG;
  if (kind == TG_LOSS_HUBER && !(param > 0.0f && isfinite(param))) return TG_ERR_ARG;
  return tgc::loss(grad, loss, pred, target, weights, batch, cols, kind, param, stream_of(stream));
}

TG_CUDA_API int32_t tg_cuda_sgd_step(float* p, float* velocity, const float* g, int64_t n, float lr, float momentum,
                                     float weight_decay, int32_t nesterov, int64_t stream) {
  if (!p || !g || (momentum != 0.0f && !velocity)) return TG_ERR_NULL;
  if (n < 1) return TG_ERR_SIZE;
  return tgc::sgd_step(p, velocity, g, n, lr, momentum, weight_decay, nesterov != 0, stream_of(stream));
}

TG_CUDA_API int32_t tg_cuda_adam_step(float* p, float* m, float* v, const float* g, int64_t n, float lr, float beta1,
                                      float beta2, float eps, float weight_decay, int64_t t, int32_t decoupled,
                                      int64_t stream) {
  if (!p || !m || !v || !g) return TG_ERR_NULL;
  if (n < 1) return TG_ERR_SIZE;
  if (t < 1 || !(beta1 >= 0.0f && beta1 < 1.0f) || !(beta2 >= 0.0f && beta2 < 1.0f)) return TG_ERR_ARG;
  const double bc1 = 1.0 - pow(double(beta1), double(t));
  const double bc2 = 1.0 - pow(double(beta2), double(t));
  tgc::adam_kernel<<<tgc::blocks_for(n, tgc::kThreads, 8192), tgc::kThreads, 0, stream_of(stream)>>>(
      p, m, v, g, n, lr, beta1, beta2, eps, weight_decay, decoupled != 0, float(bc1), float(bc2));
  return tgc::launch_status();
}

TG_CUDA_API int32_t tg_cuda_sum_squares(double* out, const float* x, int64_t n, int64_t stream) {
  if (!out || !x) return TG_ERR_NULL;
  if (n < 1) return TG_ERR_SIZE;
  tgc::sum_squares_kernel<<<tgc::blocks_for(n, tgc::kThreads, 1024), tgc::kThreads, 0, stream_of(stream)>>>(out, x, n);
  return tgc::launch_status();
}

TG_CUDA_API int32_t tg_cuda_scale(float* x, int64_t n, float s, int64_t stream) {
  if (!x) return TG_ERR_NULL;
  if (n < 1) return TG_ERR_SIZE;
  tgc::scale_kernel<<<tgc::blocks_for(n, tgc::kThreads, 8192), tgc::kThreads, 0, stream_of(stream)>>>(x, n, s);
  return tgc::launch_status();
}

TG_CUDA_API int32_t tg_cuda_plan_forward(float* act, const float* params, const int64_t* plan, int32_t n_ops,
                                         int32_t batch, int64_t stream) {
  if (!act || !params || !plan) return TG_ERR_NULL;
  if (n_ops < 1 || batch < 1) return TG_ERR_SIZE;
  for (int32_t i = 0; i < n_ops; ++i) {  // the same checks as the CPU plan, before any launch
    const int64_t* e = plan + int64_t(i) * TG_PLAN_WORDS;
    const int64_t op = e[0], in = e[1], out = e[2];
    if (op < TG_OP_DENSE || op > TG_OP_COPY) return TG_ERR_ARG;
    if (in < 1 || out < 1 || in > INT32_MAX || out > INT32_MAX) return TG_ERR_SIZE;
    if (e[5] < 0 || e[6] < 0) return TG_ERR_SIZE;
    if (op != TG_OP_DENSE && in != out) return TG_ERR_SIZE;
    if ((op == TG_OP_DENSE || op == TG_OP_LAYERNORM) && (e[3] < 0 || e[4] < -1)) return TG_ERR_SIZE;
    if (op == TG_OP_ACTIVATION && (e[7] < INT32_MIN || e[7] > INT32_MAX || !tgc::activation_kind_ok(int32_t(e[7]))))
      return TG_ERR_ARG;
    if (op == TG_OP_LAYERNORM && !(tgc::low_float(e[8]) >= 0.0f)) return TG_ERR_ARG;
  }
  const cudaStream_t s = stream_of(stream);
  for (int32_t i = 0; i < n_ops; ++i) {
    const int64_t* e = plan + int64_t(i) * TG_PLAN_WORDS;
    const int in = int(e[1]), out = int(e[2]);
    const float* x = act + e[5];
    float* y = act + e[6];
    int32_t st = TG_OK;
    switch (e[0]) {
      case TG_OP_DENSE:
        st = tgc::gemm(y, x, params + e[3], batch, out, in, 0, 0, 1.0f, 0.0f, in, out, out,
                       e[4] < 0 ? nullptr : params + e[4], 0, nullptr, s);
        break;
      case TG_OP_ACTIVATION:
        st = tgc::activation_forward(y, x, int64_t(batch) * in, int32_t(e[7]), tgc::low_float(e[8]), s);
        break;
      case TG_OP_SOFTMAX: st = tgc::softmax_forward(y, x, batch, in, s); break;
      case TG_OP_LAYERNORM:
        st = tgc::layernorm_forward(y, nullptr, nullptr, x, params + e[3], e[4] < 0 ? nullptr : params + e[4], batch,
                                    in, tgc::low_float(e[8]), s);
        break;
      case TG_OP_COPY:
        if (y != x) st = tgc::status_of(cudaMemcpyAsync(y, x, size_t(batch) * in * sizeof(float),
                                                        cudaMemcpyDeviceToDevice, s));
        break;
      default: break;
    }
    if (st) return st;
  }
  return TG_OK;
}

}  // extern "C"
