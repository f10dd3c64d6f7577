// Invalid arguments return the documented status and write nothing; MXCSR comes back unchanged;
// ISA and thread controls reject what they cannot do.
#include "test_util.h"
#include <cstring>
#include <vector>
#include <xmmintrin.h>

namespace {

constexpr float kSentinel = 12345.0f;

bool untouched(const std::vector<float>& v) {
  for (float x : v)
    if (x != kSentinel) return false;
  return true;
}

}  // namespace

int main() {
  std::vector<float> o(64, kSentinel), o2(64, kSentinel), o3(64, kSentinel);
  const std::vector<float> in(64, 0.5f);
  const float* x = in.data();
  float* y = o.data();
  double d = 7.0;
  float loss = kSentinel;
  const float neg_w[] = {-1.0f, -2.0f};
  const int64_t bad_plan[] = {99, 4, 4, 0, -1, 0, 4, 0, 0};
  const int64_t size_plan[] = {TG_OP_DENSE, 0, 4, 0, -1, 0, 4, 0, 0};
  const int64_t kind_plan[] = {TG_OP_ACTIVATION, 4, 4, 0, -1, 0, 4, 42, 0};
  struct Case { const char* name; int got, want; };
  const Case cases[] = {
      {"sgemm null c", tg_sgemm(nullptr, x, x, 2, 2, 2, 0, 0, 1, 0, 2, 2, 2), TG_ERR_NULL},
      {"sgemm m=0", tg_sgemm(y, x, x, 0, 2, 2, 0, 0, 1, 0, 2, 2, 2), TG_ERR_SIZE},
      {"sgemm lda<k", tg_sgemm(y, x, x, 2, 2, 3, 0, 0, 1, 0, 2, 2, 2), TG_ERR_SIZE},
      {"sgemm ldc<n", tg_sgemm(y, x, x, 2, 3, 2, 0, 0, 1, 0, 2, 3, 2), TG_ERR_SIZE},
      {"sgemm trans=2", tg_sgemm(y, x, x, 2, 2, 2, 2, 0, 1, 0, 2, 2, 2), TG_ERR_ARG},
      {"dense_forward null w", tg_dense_forward(y, x, nullptr, nullptr, 1, 2, 2), TG_ERR_NULL},
      {"dense_forward batch=0", tg_dense_forward(y, x, x, nullptr, 0, 2, 2), TG_ERR_SIZE},
      {"dense_backward null dy", tg_dense_backward(y, o2.data(), o3.data(), nullptr, x, x, 1, 2, 2), TG_ERR_NULL},
      {"dense_backward out=0", tg_dense_backward(y, o2.data(), o3.data(), x, x, x, 1, 2, 0), TG_ERR_SIZE},
      {"activation null x", tg_activation_forward(y, nullptr, 4, TG_ACT_RELU, 0), TG_ERR_NULL},
      {"activation n=0", tg_activation_forward(y, x, 0, TG_ACT_RELU, 0), TG_ERR_SIZE},
      {"activation kind=7", tg_activation_forward(y, x, 4, 7, 0), TG_ERR_ARG},
      {"activation kind=-1", tg_activation_forward(y, x, 4, -1, 0), TG_ERR_ARG},
      {"activation_backward null y", tg_activation_backward(y, x, x, nullptr, 4, TG_ACT_TANH, 0), TG_ERR_NULL},
      {"activation_backward kind=9", tg_activation_backward(y, x, x, x, 4, 9, 0), TG_ERR_ARG},
      {"softmax classes=0", tg_softmax_forward(y, x, 2, 0), TG_ERR_SIZE},
      {"softmax_backward null", tg_softmax_backward(y, nullptr, x, 2, 2), TG_ERR_NULL},
      {"layernorm null gamma", tg_layernorm_forward(y, o2.data(), o3.data(), x, nullptr, nullptr, 2, 2, 1e-3f), TG_ERR_NULL},
      {"layernorm eps<0", tg_layernorm_forward(y, o2.data(), o3.data(), x, x, nullptr, 2, 2, -1.0f), TG_ERR_ARG},
      {"layernorm_backward null rstd", tg_layernorm_backward(y, o2.data(), o3.data(), x, x, x, nullptr, x, 2, 2), TG_ERR_NULL},
      {"dropout rate=1", tg_dropout_forward(y, o2.data(), x, 4, 1.0f, 1), TG_ERR_ARG},
      {"dropout rate<0", tg_dropout_forward(y, o2.data(), x, 4, -0.1f, 1), TG_ERR_ARG},
      {"dropout null mask", tg_dropout_forward(y, nullptr, x, 4, 0.5f, 1), TG_ERR_NULL},
      {"dropout_backward n=0", tg_dropout_backward(y, x, x, 0), TG_ERR_SIZE},
      {"loss kind=0", tg_loss(y, &loss, x, x, nullptr, 2, 2, 0, 0), TG_ERR_ARG},
      {"loss kind=7", tg_loss(y, &loss, x, x, nullptr, 2, 2, 7, 0), TG_ERR_ARG},
      {"loss huber delta=0", tg_loss(y, &loss, x, x, nullptr, 2, 2, TG_LOSS_HUBER, 0), TG_ERR_ARG},
      {"loss null loss", tg_loss(y, nullptr, x, x, nullptr, 2, 2, TG_LOSS_MSE, 0), TG_ERR_NULL},
      {"loss batch=0", tg_loss(y, &loss, x, x, nullptr, 0, 2, TG_LOSS_MSE, 0), TG_ERR_SIZE},
      {"loss_weighted column weights on mse", tg_loss_weighted(y, &loss, x, x, nullptr, x, 2, 2, TG_LOSS_MSE, 0), TG_ERR_ARG},
      {"loss_weighted negative sample weights", tg_loss_weighted(y, &loss, x, x, neg_w, nullptr, 2, 2, TG_LOSS_MSE, 0), TG_ERR_ARG},
      {"loss_weighted null target", tg_loss_weighted(y, &loss, x, nullptr, nullptr, nullptr, 2, 2, TG_LOSS_MSE, 0), TG_ERR_NULL},
      {"loss_weighted batch=0", tg_loss_weighted(y, &loss, x, x, nullptr, nullptr, 0, 2, TG_LOSS_MSE, 0), TG_ERR_SIZE},
      {"sgd momentum without velocity", tg_sgd_step(y, nullptr, x, 4, 0.1f, 0.9f, 0, 0), TG_ERR_NULL},
      {"sgd n=0", tg_sgd_step(y, nullptr, x, 0, 0.1f, 0, 0, 0), TG_ERR_SIZE},
      {"adam t=0", tg_adam_step(y, o2.data(), o3.data(), x, 4, 0.1f, 0.9f, 0.999f, 1e-7f, 0, 0, 0), TG_ERR_ARG},
      {"adam null v", tg_adam_step(y, o2.data(), nullptr, x, 4, 0.1f, 0.9f, 0.999f, 1e-7f, 0, 1, 0), TG_ERR_NULL},
      {"sum_squares n=0", tg_sum_squares(&d, x, 0), TG_ERR_SIZE},
      {"sum_squares null out", tg_sum_squares(nullptr, x, 4), TG_ERR_NULL},
      {"scale null", tg_scale(nullptr, 4, 2.0f), TG_ERR_NULL},
      {"plan bad op", tg_plan_forward(y, x, bad_plan, 1, 1), TG_ERR_ARG},
      {"plan in=0", tg_plan_forward(y, x, size_plan, 1, 1), TG_ERR_SIZE},
      {"plan bad activation", tg_plan_forward(y, x, kind_plan, 1, 1), TG_ERR_ARG},
      {"plan batch=0", tg_plan_forward(y, x, bad_plan, 1, 0), TG_ERR_SIZE},
      {"plan null plan", tg_plan_forward(y, x, nullptr, 1, 1), TG_ERR_NULL},
      {"set_isa 3", tg_set_isa(3), TG_ERR_ARG},
      {"set_num_threads 0", tg_set_num_threads(0), TG_ERR_ARG},
      {"set_num_threads 257", tg_set_num_threads(257), TG_ERR_ARG},
  };
  for (const Case& c : cases) tt::check(c.got == c.want, "%s -> %d (want %d)", c.name, c.got, c.want);
  tt::check(untouched(o) && untouched(o2) && untouched(o3) && d == 7.0 && loss == kSentinel,
            "rejected calls wrote nothing");
  tt::check(tg_num_threads() == 1, "thread count unchanged by rejected calls");
  if (tg_cpu_isa() < TG_ISA_AVX512) tt::check(tg_set_isa(TG_ISA_AVX512) == TG_ERR_UNSUPPORTED, "set_isa above cpu");
  tt::check(tg_active_isa() == tg_cpu_isa(), "active isa defaults to the cpu's best (%d)", tg_cpu_isa());

  // MXCSR: kernels run with FTZ/DAZ but hand the caller's control word back, and do not flush for it.
  const unsigned before = _mm_getcsr() & ~0x3Fu;  // ignore sticky exception flags
  _mm_setcsr(before);
  std::vector<float> a(300 * 300, 1e-20f), c(300 * 300);
  tg_sgemm(c.data(), a.data(), a.data(), 300, 300, 300, 0, 0, 1.0f, 0.0f, 300, 300, 300);
  tt::check((_mm_getcsr() & ~0x3Fu) == before && (before & 0x8040u) == 0, "MXCSR restored after a kernel");
  volatile float tiny = 1e-38f;
  volatile float half = tiny * 0.5f;  // a denormal: the caller still has IEEE semantics
  tt::check(half != 0.0f, "caller keeps denormals after a kernel call");
  return tt::finish("test_args");
}
