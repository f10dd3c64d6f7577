// The MLP runner's parameter layout: a pure host function, compiled into libtickgrad_cuda in both of its builds
// (with nvcc, and the stub without), so a machine without a GPU checks the very code the runner uses.
// The runner never computes offsets: tg_cuda_mlp_create passes Java's ParamTable offsets through here and keeps
// what comes out, so setParams(network.parameterSlab()) is right for any widths.
#include "tickgrad/tickgrad_cuda.h"

namespace {

// Floats of tensor t (2l: W_l [dims[l], dims[l+1]], 2l+1: bias_l [dims[l+1]]).
int64_t tensor_floats(const int32_t* dims, int t) {
  const int l = t / 2;
  return t % 2 == 0 ? int64_t(dims[l]) * dims[l + 1] : int64_t(dims[l + 1]);
}

}  // namespace

extern "C" TG_CUDA_API int32_t tg_cuda_mlp_layout(int64_t* out_offsets, const int32_t* dims, int32_t n_layers,
                                                  const int64_t* offsets, int64_t param_floats) {
  if (!dims || !offsets) return TG_ERR_NULL;
  if (n_layers < 1 || n_layers > TG_CUDA_MLP_MAX_LAYERS || param_floats < 1) return TG_ERR_SIZE;
  for (int l = 0; l <= n_layers; ++l)
    if (dims[l] < 1) return TG_ERR_SIZE;
  const int n_tensors = 2 * n_layers;
  for (int t = 0; t < n_tensors; ++t) {  // inside the slab (written so that no sum can overflow)
    const int64_t off = offsets[t], len = tensor_floats(dims, t);
    if (off < 0 || len > param_floats || off > param_floats - len) return TG_ERR_SIZE;
  }
  for (int t = 0; t < n_tensors; ++t)  // no two tensors share a float (at most 2 * 64 tensors: pairwise is fine)
    for (int u = t + 1; u < n_tensors; ++u) {
      const int64_t a0 = offsets[t], a1 = a0 + tensor_floats(dims, t);
      const int64_t b0 = offsets[u], b1 = b0 + tensor_floats(dims, u);
      if (a0 < b1 && b0 < a1) return TG_ERR_ARG;
    }
  if (out_offsets)
    for (int t = 0; t < n_tensors; ++t) out_offsets[t] = offsets[t];
  return TG_OK;
}
