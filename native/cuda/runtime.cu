// Library, device, memory and stream entry points.
#include "common.cuh"
#include <cstring>

namespace tgc {
namespace {
thread_local int32_t t_last_error = 0;
}
void set_last_error(cudaError_t e) { t_last_error = int32_t(e); }
}  // namespace tgc

extern "C" {

TG_CUDA_API int32_t tg_cuda_abi_version(void) { return TG_CUDA_ABI_VERSION; }

TG_CUDA_API int32_t tg_cuda_built(void) { return 1; }

TG_CUDA_API int32_t tg_cuda_device_count(void) {
  int n = 0;
  const cudaError_t e = cudaGetDeviceCount(&n);
  if (e != cudaSuccess) {
    tgc::set_last_error(e);  // 35 (insufficient driver) or 100 (no device) on a CPU machine
    cudaGetLastError();      // clear the sticky per-thread error
    return 0;
  }
  return n;
}

TG_CUDA_API int32_t tg_cuda_last_error(void) { return tgc::t_last_error; }

TG_CUDA_API const char* tg_cuda_error_string(int32_t cuda_error) {
  const char* s = cudaGetErrorString(cudaError_t(cuda_error));
  return s ? s : "unknown CUDA error";
}

TG_CUDA_API int32_t tg_cuda_set_device(int32_t device) { return tgc::status_of(cudaSetDevice(device)); }

TG_CUDA_API int32_t tg_cuda_device_info(char* name, int32_t name_len, int64_t* info, int32_t device) {
  if (!name || !info) return TG_ERR_NULL;
  if (name_len < 1) return TG_ERR_SIZE;
  cudaDeviceProp prop;
  if (int32_t st = tgc::status_of(cudaGetDeviceProperties(&prop, device))) return st;
  std::strncpy(name, prop.name, size_t(name_len) - 1);
  name[name_len - 1] = '\0';
  int prev = 0;
  if (int32_t st = tgc::status_of(cudaGetDevice(&prev))) return st;
  size_t free_b = 0, total_b = 0;
  if (int32_t st = tgc::status_of(cudaSetDevice(device))) return st;
  const cudaError_t e = cudaMemGetInfo(&free_b, &total_b);
  cudaSetDevice(prev);
  if (int32_t st = tgc::status_of(e)) return st;
  int clock_khz = 0;
  cudaDeviceGetAttribute(&clock_khz, cudaDevAttrClockRate, device);
  info[0] = int64_t(prop.totalGlobalMem);
  info[1] = int64_t(free_b);
  info[2] = prop.multiProcessorCount;
  info[3] = prop.major;
  info[4] = prop.minor;
  info[5] = prop.l2CacheSize;
  info[6] = int64_t(prop.sharedMemPerBlockOptin);
  info[7] = clock_khz;
  return TG_OK;
}

TG_CUDA_API int32_t tg_cuda_synchronize(void) { return tgc::status_of(cudaDeviceSynchronize()); }

TG_CUDA_API int64_t tg_cuda_malloc(int64_t bytes) {
  if (bytes < 1) return 0;
  void* p = nullptr;
  if (tgc::status_of(cudaMalloc(&p, size_t(bytes)))) return 0;
  // cudaMemset is asynchronous on the legacy stream, which non-blocking streams do not wait for: finish it here
  if (tgc::status_of(cudaMemset(p, 0, size_t(bytes))) || tgc::status_of(cudaStreamSynchronize(0))) {
    cudaFree(p);
    return 0;
  }
  return int64_t(reinterpret_cast<uintptr_t>(p));
}

TG_CUDA_API int32_t tg_cuda_free(int64_t device_ptr) {
  if (device_ptr == 0) return TG_OK;
  return tgc::status_of(cudaFree(reinterpret_cast<void*>(uintptr_t(device_ptr))));
}

TG_CUDA_API int64_t tg_cuda_host_alloc(int64_t bytes) {
  if (bytes < 1) return 0;
  void* p = nullptr;
  if (tgc::status_of(cudaHostAlloc(&p, size_t(bytes), cudaHostAllocPortable))) return 0;
  std::memset(p, 0, size_t(bytes));
  return int64_t(reinterpret_cast<uintptr_t>(p));
}

TG_CUDA_API int32_t tg_cuda_host_free(int64_t host_ptr) {
  if (host_ptr == 0) return TG_OK;
  return tgc::status_of(cudaFreeHost(reinterpret_cast<void*>(uintptr_t(host_ptr))));
}

TG_CUDA_API int32_t tg_cuda_memcpy(int64_t dst, int64_t src, int64_t bytes, int64_t stream) {
  if (!dst || !src) return TG_ERR_NULL;
  if (bytes < 1) return TG_ERR_SIZE;
  return tgc::status_of(cudaMemcpyAsync(reinterpret_cast<void*>(uintptr_t(dst)),
                                        reinterpret_cast<const void*>(uintptr_t(src)), size_t(bytes),
                                        cudaMemcpyDefault, tgc::stream_of(stream)));
}

TG_CUDA_API int32_t tg_cuda_memset(int64_t device_ptr, int32_t value, int64_t bytes, int64_t stream) {
  if (!device_ptr) return TG_ERR_NULL;
  if (bytes < 1) return TG_ERR_SIZE;
  return tgc::status_of(
      cudaMemsetAsync(reinterpret_cast<void*>(uintptr_t(device_ptr)), value, size_t(bytes), tgc::stream_of(stream)));
}

TG_CUDA_API int64_t tg_cuda_stream_create(void) {
  cudaStream_t s = nullptr;
  if (tgc::status_of(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking))) return 0;
  return int64_t(reinterpret_cast<uintptr_t>(s));
}

TG_CUDA_API int32_t tg_cuda_stream_destroy(int64_t stream) {
  if (stream == 0) return TG_OK;
  return tgc::status_of(cudaStreamDestroy(tgc::stream_of(stream)));
}

TG_CUDA_API int32_t tg_cuda_stream_synchronize(int64_t stream) {
  return tgc::status_of(cudaStreamSynchronize(tgc::stream_of(stream)));
}

}  // extern "C"
