// The MLP runner's parameter layout, checked without a GPU: tg_cuda_mlp_layout is a host function in both builds
// of libtickgrad_cuda, and tg_cuda_mlp_create passes its offsets through it before it looks for a device. The
// expected offsets are those of Java's ParamTable (every tensor starts on a 16-float boundary), written out by
// hand for the awkward widths, so a runner that packed its tensors (the old `off += in * out`) fails here.
#include "tickgrad/tickgrad_cuda.h"
#include <cstdio>
#include <vector>

namespace {

int g_failures = 0;

void expect(bool ok, const char* what) {
  if (!ok) {
    std::printf("FAIL %s\n", what);
    ++g_failures;
  }
}

struct Case {
  const char* name;
  std::vector<int32_t> dims;
  std::vector<int64_t> offsets;  // W_0, b_0, W_1, b_1, ... as Java's ParamTable lays them out
  int64_t floats;                // ParamTable.totalFloats()
};

}  // namespace

int main() {
  const std::vector<Case> cases = {
      // 10x5 = 50 floats, so bias_0 starts at 64 (packed: 50); 5 -> 16 floats; W_1 5x3 = 15 -> 16; bias_1 3 -> 16
      {"10-5-3", {10, 5, 3}, {0, 64, 80, 96}, 112},
      // 33x17 = 561 -> 576; bias 17 -> 32: W_1 at 608; 17x1 -> 32: bias_1 at 640; 1 -> 16
      {"33-17-1", {33, 17, 1}, {0, 576, 608, 640}, 656},
      {"7-9-5-2", {7, 9, 5, 2}, {0, 64, 80, 128, 144, 160}, 176},
      {"400-256x5-6 (every tensor a multiple of 16: packed and aligned agree)",
       {400, 256, 256, 256, 256, 256, 6},
       {0, 102400, 102656, 168192, 168448, 233984, 234240, 299776, 300032, 365568, 365824, 367360}, 367376},
  };
  for (const Case& c : cases) {
    const int n = int(c.dims.size()) - 1;
    std::vector<int64_t> got(c.offsets.size(), -7);
    const int32_t st = tg_cuda_mlp_layout(got.data(), c.dims.data(), n, c.offsets.data(), c.floats);
    std::printf("%-70s status %d\n", c.name, st);
    expect(st == TG_OK, "a ParamTable layout is accepted");
    expect(got == c.offsets, "the runner uses exactly the offsets it was given");
    // the old packed layout of the same widths puts bias_0 at in*out: a different table, unless every
    // tensor fills whole 16-float blocks
    const int64_t packed_bias0 = int64_t(c.dims[0]) * c.dims[1];
    if (packed_bias0 % 16 != 0) expect(got[1] != packed_bias0, "bias_0 is not where a packed layout puts it");
    // the slab must hold every tensor: one float fewer than ParamTable allocates is refused when the last tensor
    // ends at the slab's end minus its padding
    const int64_t last_end = c.offsets.back() + c.dims.back();
    expect(tg_cuda_mlp_layout(nullptr, c.dims.data(), n, c.offsets.data(), last_end) == TG_OK, "tight slab");
    expect(tg_cuda_mlp_layout(nullptr, c.dims.data(), n, c.offsets.data(), last_end - 1) == TG_ERR_SIZE,
           "a tensor past the slab's end");
    // two tensors sharing floats
    std::vector<int64_t> overlap = c.offsets;
    overlap[1] = overlap[0] + 1;
    expect(tg_cuda_mlp_layout(nullptr, c.dims.data(), n, overlap.data(), c.floats) == TG_ERR_ARG, "overlap");
    std::vector<int64_t> negative = c.offsets;
    negative[2] = -16;
    expect(tg_cuda_mlp_layout(nullptr, c.dims.data(), n, negative.data(), c.floats) == TG_ERR_SIZE, "negative");
    // create checks the layout before it looks for a GPU (the stub refuses everything as not built)
    const float sgd[5] = {0.01f, 0.9f, 0.0f, 1.0f, 0.0f};
    int64_t h = 0;
    const int32_t bad = tg_cuda_mlp_create(&h, c.dims.data(), n, overlap.data(), c.floats, TG_ACT_RELU, 1, 1, 4,
                                           TG_LOSS_SOFTMAX_XENT, 0.0f, TG_CUDA_OPT_SGD, sgd);
    expect(tg_cuda_built() ? bad == TG_ERR_ARG : bad == TG_CUDA_ERR_NOT_BUILT, "create refuses a bad layout");
    if (tg_cuda_built() && tg_cuda_device_count() < 1) {
      const int32_t good = tg_cuda_mlp_create(&h, c.dims.data(), n, c.offsets.data(), c.floats, TG_ACT_RELU, 1, 1,
                                              4, TG_LOSS_SOFTMAX_XENT, 0.0f, TG_CUDA_OPT_SGD, sgd);
      expect(good == TG_CUDA_ERR_NO_DEVICE && h == 0, "a good layout gets as far as the device check");
    }
  }
  const int32_t dims0[] = {4, 0, 2};
  const int64_t offs[] = {0, 16, 32, 48};
  expect(tg_cuda_mlp_layout(nullptr, dims0, 2, offs, 64) == TG_ERR_SIZE, "a zero width");
  expect(tg_cuda_mlp_layout(nullptr, nullptr, 2, offs, 64) == TG_ERR_NULL, "null dims");
  expect(tg_cuda_mlp_layout(nullptr, dims0, 0, offs, 64) == TG_ERR_SIZE, "no layers");
  std::printf("%s (%d failures)\n", g_failures ? "FAILED" : "passed", g_failures);
  return g_failures ? 1 : 0;
}
