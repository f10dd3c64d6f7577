// Stub of libtickgrad_cuda for builds without nvcc: the same symbols as tickgrad_cuda.h, so the Java
// binding links and loads everywhere; tg_cuda_built() returns 0 and every operation TG_CUDA_ERR_NOT_BUILT.
// Keep in step with native/include/tickgrad/tickgrad_cuda.h (one function per declaration there), except
// tg_cuda_mlp_layout, a host function that both builds compile from cuda/host/mlp_layout.cpp.
#include "tickgrad/tickgrad_cuda.h"

extern "C" {

TG_CUDA_API int32_t tg_cuda_abi_version(void) { return TG_CUDA_ABI_VERSION; }
TG_CUDA_API int32_t tg_cuda_built(void) { return 0; }
TG_CUDA_API int32_t tg_cuda_device_count(void) { return 0; }
TG_CUDA_API int32_t tg_cuda_last_error(void) { return 0; }
TG_CUDA_API const char* tg_cuda_error_string(int32_t /*cuda_error*/) { return "tickgrad_cuda was built without nvcc"; }
TG_CUDA_API int32_t tg_cuda_set_device(int32_t /*device*/) { return TG_CUDA_ERR_NOT_BUILT; }
TG_CUDA_API int32_t tg_cuda_device_info(char* /*name*/, int32_t /*name_len*/, int64_t* /*info*/, int32_t /*device*/) {
  return TG_CUDA_ERR_NOT_BUILT;
}
TG_CUDA_API int32_t tg_cuda_set_matmul_precision(int32_t /*precision*/) { return TG_CUDA_ERR_NOT_BUILT; }
TG_CUDA_API int32_t tg_cuda_matmul_precision(void) { return TG_CUDA_MATMUL_FP32; }
TG_CUDA_API int32_t tg_cuda_set_gemm_tile(int32_t /*tile*/) { return TG_CUDA_ERR_NOT_BUILT; }
TG_CUDA_API int32_t tg_cuda_synchronize(void) { return TG_CUDA_ERR_NOT_BUILT; }
TG_CUDA_API int64_t tg_cuda_malloc(int64_t /*bytes*/) { return 0; }
TG_CUDA_API int32_t tg_cuda_free(int64_t /*device_ptr*/) { return TG_CUDA_ERR_NOT_BUILT; }
TG_CUDA_API int64_t tg_cuda_host_alloc(int64_t /*bytes*/) { return 0; }
TG_CUDA_API int32_t tg_cuda_host_free(int64_t /*host_ptr*/) { return TG_CUDA_ERR_NOT_BUILT; }
TG_CUDA_API int32_t tg_cuda_memcpy(int64_t /*dst*/, int64_t /*src*/, int64_t /*bytes*/, int64_t /*stream*/) {
  return TG_CUDA_ERR_NOT_BUILT;
}
TG_CUDA_API int32_t tg_cuda_memset(int64_t /*device_ptr*/, int32_t /*value*/, int64_t /*bytes*/, int64_t /*stream*/) {
  return TG_CUDA_ERR_NOT_BUILT;
}
TG_CUDA_API int64_t tg_cuda_stream_create(void) { return 0; }
TG_CUDA_API int32_t tg_cuda_stream_destroy(int64_t /*stream*/) { return TG_CUDA_ERR_NOT_BUILT; }
TG_CUDA_API int32_t tg_cuda_stream_synchronize(int64_t /*stream*/) { return TG_CUDA_ERR_NOT_BUILT; }
TG_CUDA_API int32_t tg_cuda_sgemm(float* /*c*/, const float* /*a*/, const float* /*b*/, int32_t /*m*/, int32_t /*n*/, int32_t /*k*/, int32_t /*trans_a*/, int32_t /*trans_b*/, float /*alpha*/, float /*beta*/, int32_t /*lda*/, int32_t /*ldb*/, int32_t /*ldc*/, int64_t /*stream*/) {
  return TG_CUDA_ERR_NOT_BUILT;
}
TG_CUDA_API int32_t tg_cuda_dense_forward(float* /*y*/, const float* /*x*/, const float* /*w*/, const float* /*bias*/, int32_t /*batch*/, int32_t /*in*/, int32_t /*out*/, int64_t /*stream*/) {
  return TG_CUDA_ERR_NOT_BUILT;
}
TG_CUDA_API int32_t tg_cuda_dense_backward(float* /*dx*/, float* /*dw*/, float* /*dbias*/, const float* /*dy*/, const float* /*x*/, const float* /*w*/, int32_t /*batch*/, int32_t /*in*/, int32_t /*out*/, int64_t /*stream*/) {
  return TG_CUDA_ERR_NOT_BUILT;
}
TG_CUDA_API int32_t tg_cuda_activation_forward(float* /*y*/, const float* /*x*/, int64_t /*n*/, int32_t /*kind*/, float /*alpha*/, int64_t /*stream*/) {
  return TG_CUDA_ERR_NOT_BUILT;
}
TG_CUDA_API int32_t tg_cuda_activation_backward(float* /*dx*/, const float* /*dy*/, const float* /*x*/, const float* /*y*/, int64_t /*n*/, int32_t /*kind*/, float /*alpha*/, int64_t /*stream*/) {
  return TG_CUDA_ERR_NOT_BUILT;
}
TG_CUDA_API int32_t tg_cuda_softmax_forward(float* /*y*/, const float* /*x*/, int32_t /*batch*/, int32_t /*classes*/, int64_t /*stream*/) {
  return TG_CUDA_ERR_NOT_BUILT;
}
TG_CUDA_API int32_t tg_cuda_softmax_backward(float* /*dx*/, const float* /*dy*/, const float* /*y*/, int32_t /*batch*/, int32_t /*classes*/, int64_t /*stream*/) {
  return TG_CUDA_ERR_NOT_BUILT;
}
TG_CUDA_API int32_t tg_cuda_layernorm_forward(float* /*y*/, float* /*mean*/, float* /*rstd*/, const float* /*x*/, const float* /*gamma*/, const float* /*beta*/, int32_t /*batch*/, int32_t /*dim*/, float /*eps*/, int64_t /*stream*/) {
  return TG_CUDA_ERR_NOT_BUILT;
}
TG_CUDA_API int32_t tg_cuda_layernorm_backward(float* /*dx*/, float* /*dgamma*/, float* /*dbeta*/, const float* /*dy*/, const float* /*x*/, const float* /*mean*/, const float* /*rstd*/, const float* /*gamma*/, int32_t /*batch*/, int32_t /*dim*/, int64_t /*stream*/) {
  return TG_CUDA_ERR_NOT_BUILT;
}
TG_CUDA_API int32_t tg_cuda_dropout_forward(float* /*y*/, float* /*mask*/, const float* /*x*/, int64_t /*n*/, float /*rate*/, int64_t /*seed*/, int64_t /*stream*/) {
  return TG_CUDA_ERR_NOT_BUILT;
}
TG_CUDA_API int32_t tg_cuda_dropout_backward(float* /*dx*/, const float* /*dy*/, const float* /*mask*/, int64_t /*n*/, int64_t /*stream*/) {
  return TG_CUDA_ERR_NOT_BUILT;
}
TG_CUDA_API int32_t tg_cuda_loss(float* /*grad*/, float* /*loss*/, const float* /*pred*/, const float* /*target*/, const float* /*weights*/, int32_t /*batch*/, int32_t /*cols*/, int32_t /*kind*/, float /*param*/, int64_t /*stream*/) {
  return TG_CUDA_ERR_NOT_BUILT;
}
TG_CUDA_API int32_t tg_cuda_sgd_step(float* /*p*/, float* /*velocity*/, const float* /*g*/, int64_t /*n*/, float /*lr*/, float /*momentum*/, float /*weight_decay*/, int32_t /*nesterov*/, int64_t /*stream*/) {
  return TG_CUDA_ERR_NOT_BUILT;
}
TG_CUDA_API int32_t tg_cuda_adam_step(float* /*p*/, float* /*m*/, float* /*v*/, const float* /*g*/, int64_t /*n*/, float /*lr*/, float /*beta1*/, float /*beta2*/, float /*eps*/, float /*weight_decay*/, int64_t /*t*/, int32_t /*decoupled*/, int64_t /*stream*/) {
  return TG_CUDA_ERR_NOT_BUILT;
}
TG_CUDA_API int32_t tg_cuda_sum_squares(double* /*out*/, const float* /*x*/, int64_t /*n*/, int64_t /*stream*/) {
  return TG_CUDA_ERR_NOT_BUILT;
}
TG_CUDA_API int32_t tg_cuda_scale(float* /*x*/, int64_t /*n*/, float /*s*/, int64_t /*stream*/) {
  return TG_CUDA_ERR_NOT_BUILT;
}
TG_CUDA_API int32_t tg_cuda_plan_forward(float* /*act*/, const float* /*params*/, const int64_t* /*plan*/, int32_t /*n_ops*/, int32_t /*batch*/, int64_t /*stream*/) {
  return TG_CUDA_ERR_NOT_BUILT;
}
TG_CUDA_API int32_t tg_cuda_mlp_create(int64_t* /*out_handle*/, const int32_t* /*dims*/, int32_t /*n_layers*/, const int64_t* /*offsets*/, int64_t /*param_floats*/, int32_t /*hidden_act*/, int32_t /*out_softmax*/, int32_t /*infer_batch*/, int32_t /*train_batch*/, int32_t /*loss_kind*/, float /*loss_param*/, int32_t /*optimizer*/, const float* /*opt_params*/) {
  return TG_CUDA_ERR_NOT_BUILT;
}
TG_CUDA_API int32_t tg_cuda_mlp_destroy(int64_t /*handle*/) { return TG_CUDA_ERR_NOT_BUILT; }
TG_CUDA_API int64_t tg_cuda_mlp_param_count(int64_t /*handle*/) { return 0; }
TG_CUDA_API int32_t tg_cuda_mlp_set_params(int64_t /*handle*/, const float* /*host_params*/, int64_t /*count*/) {
  return TG_CUDA_ERR_NOT_BUILT;
}
TG_CUDA_API int32_t tg_cuda_mlp_get_params(int64_t /*handle*/, float* /*host_params*/, int64_t /*count*/) {
  return TG_CUDA_ERR_NOT_BUILT;
}
TG_CUDA_API int64_t tg_cuda_mlp_infer_input(int64_t /*handle*/) { return 0; }
TG_CUDA_API int64_t tg_cuda_mlp_infer_output(int64_t /*handle*/) { return 0; }
TG_CUDA_API int64_t tg_cuda_mlp_train_input(int64_t /*handle*/) { return 0; }
TG_CUDA_API int64_t tg_cuda_mlp_train_target(int64_t /*handle*/) { return 0; }
TG_CUDA_API int32_t tg_cuda_mlp_set_fused(int64_t /*handle*/, int32_t /*fused*/) { return TG_CUDA_ERR_NOT_BUILT; }
TG_CUDA_API int32_t tg_cuda_mlp_set_graphs(int64_t /*handle*/, int32_t /*use_graphs*/) { return TG_CUDA_ERR_NOT_BUILT; }
TG_CUDA_API int32_t tg_cuda_mlp_set_train_copy(int64_t /*handle*/, int32_t /*copy_inputs*/) {
  return TG_CUDA_ERR_NOT_BUILT;
}
TG_CUDA_API int32_t tg_cuda_mlp_set_trainable(int64_t /*handle*/, const int32_t* /*trainable*/) {
  return TG_CUDA_ERR_NOT_BUILT;
}
TG_CUDA_API int32_t tg_cuda_mlp_predict(int64_t /*handle*/) { return TG_CUDA_ERR_NOT_BUILT; }
TG_CUDA_API int32_t tg_cuda_mlp_train_step(int64_t /*handle*/, float* /*loss_out*/) { return TG_CUDA_ERR_NOT_BUILT; }
TG_CUDA_API int32_t tg_cuda_mlp_train_step_async(int64_t /*handle*/) { return TG_CUDA_ERR_NOT_BUILT; }
TG_CUDA_API int32_t tg_cuda_mlp_train_wait(int64_t /*handle*/, float* /*loss_out*/) { return TG_CUDA_ERR_NOT_BUILT; }
TG_CUDA_API int32_t tg_cuda_mlp_publish(int64_t /*handle*/) { return TG_CUDA_ERR_NOT_BUILT; }

}  // extern "C"
