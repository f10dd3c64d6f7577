// placeholder: filled by the kernel work
#include "tickgrad/tickgrad.h"
extern "C" {
TG_API int32_t tg_cpu_isa(void) { return TG_ISA_SCALAR; }
TG_API int32_t tg_active_isa(void) { return TG_ISA_SCALAR; }
TG_API int32_t tg_set_isa(int32_t isa) { return isa == TG_ISA_SCALAR ? TG_OK : TG_ERR_UNSUPPORTED; }
TG_API int32_t tg_set_num_threads(int32_t n) { return n == 1 ? TG_OK : TG_ERR_ARG; }
TG_API int32_t tg_num_threads(void) { return 1; }
TG_API int32_t tg_sgemm(float*, const float*, const float*, int32_t, int32_t, int32_t, int32_t, int32_t, float, float, int32_t, int32_t, int32_t) { return TG_ERR_UNSUPPORTED; }
TG_API int32_t tg_dense_forward(float*, const float*, const float*, const float*, int32_t, int32_t, int32_t) { return TG_ERR_UNSUPPORTED; }
TG_API int32_t tg_dense_backward(float*, float*, float*, const float*, const float*, const float*, int32_t, int32_t, int32_t) { return TG_ERR_UNSUPPORTED; }
TG_API int32_t tg_activation_forward(float*, const float*, int64_t, int32_t, float) { return TG_ERR_UNSUPPORTED; }
TG_API int32_t tg_activation_backward(float*, const float*, const float*, const float*, int64_t, int32_t, float) { return TG_ERR_UNSUPPORTED; }
TG_API int32_t tg_softmax_forward(float*, const float*, int32_t, int32_t) { return TG_ERR_UNSUPPORTED; }
TG_API int32_t tg_softmax_backward(float*, const float*, const float*, int32_t, int32_t) { return TG_ERR_UNSUPPORTED; }
TG_API int32_t tg_layernorm_forward(float*, float*, float*, const float*, const float*, const float*, int32_t, int32_t, float) { return TG_ERR_UNSUPPORTED; }
TG_API int32_t tg_layernorm_backward(float*, float*, float*, const float*, const float*, const float*, const float*, const float*, int32_t, int32_t) { return TG_ERR_UNSUPPORTED; }
TG_API int32_t tg_dropout_forward(float*, float*, const float*, int64_t, float, int64_t) { return TG_ERR_UNSUPPORTED; }
TG_API int32_t tg_dropout_backward(float*, const float*, const float*, int64_t) { return TG_ERR_UNSUPPORTED; }
TG_API int32_t tg_loss(float*, float*, const float*, const float*, const float*, int32_t, int32_t, int32_t, float) { return TG_ERR_UNSUPPORTED; }
TG_API int32_t tg_sgd_step(float*, float*, const float*, int64_t, float, float, float, int32_t) { return TG_ERR_UNSUPPORTED; }
TG_API int32_t tg_adam_step(float*, float*, float*, const float*, int64_t, float, float, float, float, float, int64_t, int32_t) { return TG_ERR_UNSUPPORTED; }
TG_API int32_t tg_sum_squares(double*, const float*, int64_t) { return TG_ERR_UNSUPPORTED; }
TG_API int32_t tg_scale(float*, int64_t, float) { return TG_ERR_UNSUPPORTED; }
TG_API int32_t tg_plan_forward(float*, const float*, const int64_t*, int32_t, int32_t) { return TG_ERR_UNSUPPORTED; }
}
