/*
 * tickgrad.h: the flat C ABI of tickgrad's native kernels, and the only thing JavaCPP binds.
 *
 * Conventions (see DESIGN.md):
 *  - Only ints, floats, raw addresses and lengths cross this boundary; no C++ types, no exceptions.
 *  - Every function returns a status code (TG_OK or a TG_ERR_*), except the few pure queries.
 *  - Arguments: outputs first, then inputs, then weights, then sizes.
 *  - Matrices are row-major and dense. Shapes are given in the comment on each signature,
 *    with B = batch rows, I = input features, O = output features, D = feature dim, C = classes.
 *  - Parameter gradients ACCUMULATE (+=); input gradients (dx) are OVERWRITTEN.
 *  - A nullable pointer says so; every other pointer must be non-null and sizes must be >= 1,
 *    otherwise the call returns TG_ERR_NULL / TG_ERR_SIZE and writes nothing.
 *  - Every entry point sets flush-to-zero / denormals-are-zero for its own duration and restores
 *    the caller's MXCSR before returning (the JVM's own float code must keep IEEE denormals).
 *  - Kernels pick AVX-512, AVX2+FMA or portable code at run time (tg_cpu_isa); never an illegal
 *    instruction on an older CPU.
 */
#ifndef TICKGRAD_H
#define TICKGRAD_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#  define TG_API __declspec(dllexport)
#else
#  define TG_API __attribute__((visibility("default")))
#endif

/* ---- status codes ---- */
#define TG_OK               0
#define TG_ERR_NULL         1   /* a required pointer was null */
#define TG_ERR_SIZE         2   /* a size was < 1, or sizes are inconsistent */
#define TG_ERR_ARG          3   /* an enum or scalar argument is out of its range */
#define TG_ERR_ALLOC        4   /* allocation failed */
#define TG_ERR_UNSUPPORTED  5   /* requested ISA or feature is not available on this CPU */

/* ---- instruction sets ---- */
#define TG_ISA_SCALAR  0   /* portable C++ (compiler may still use SSE2) */
#define TG_ISA_AVX2    1   /* AVX2 + FMA */
#define TG_ISA_AVX512  2   /* AVX-512F (+DQ, BW, VL) */

/* ---- activation kinds ---- */
#define TG_ACT_IDENTITY   0
#define TG_ACT_RELU       1
#define TG_ACT_LEAKY_RELU 2   /* alpha = negative slope */
#define TG_ACT_GELU       3   /* exact: 0.5 x (1 + erf(x / sqrt 2)), as Keras/PyTorch default */
#define TG_ACT_GELU_TANH  4   /* tanh approximation */
#define TG_ACT_TANH       5
#define TG_ACT_SIGMOID    6

/* ---- loss kinds ---- */
#define TG_LOSS_BCE_LOGITS  1  /* pred = logits z; loss = max(z,0) - z t + log(1 + exp(-|z|)) */
#define TG_LOSS_BCE_PROBS   2  /* pred = probabilities p, clipped to [param, 1-param] (Keras eps 1e-7; both bounds
                                  are fp32 values, 1-param computed in float as Keras does);
                                  loss = -(t log p + (1-t) log(1-p)); grad 0 where p was clipped */
#define TG_LOSS_SOFTMAX_XENT 3 /* pred = logits [B,C], target = distribution [B,C];
                                  loss_b = -sum_c t log softmax(z)_c */
#define TG_LOSS_MSE         4  /* loss = (y - t)^2 */
#define TG_LOSS_HUBER       5  /* param = delta; 0.5 r^2 if |r| <= delta else delta (|r| - 0.5 delta) */
#define TG_LOSS_QLIKE       6  /* pred = s, the log of a variance forecast h = e^s; target = realised variance y;
                                  loss = y/h - ln(y/h) - 1 = e^d - d - 1 with d = ln y - s (>= 0, 0 at h = y);
                                  d clamped to <= 80 (no overflow); y <= 0 counts as 0: loss = s (the constant
                                  -ln y - 1, which has no gradient, dropped); grad = 1 - e^d (e^d = 0 for y <= 0) */

/* ---- forward plan ops (tg_plan_forward) ---- */
#define TG_OP_DENSE      1  /* p0 = W offset, p1 = bias offset or -1 */
#define TG_OP_ACTIVATION 2  /* aux = activation kind, fparam = alpha */
#define TG_OP_SOFTMAX    3
#define TG_OP_LAYERNORM  4  /* p0 = gamma offset, p1 = beta offset or -1, fparam = eps */
#define TG_OP_COPY       5  /* identity (dropout at predict time): y = x */
#define TG_PLAN_WORDS    9  /* int64 words per plan entry, see tg_plan_forward */

/* ---- library ---- */
TG_API int32_t tg_abi_version(void);            /* bumped whenever a signature changes */
TG_API int32_t tg_cpu_isa(void);                /* the best ISA this CPU supports */
TG_API int32_t tg_active_isa(void);             /* the ISA kernels use now */
TG_API int32_t tg_set_isa(int32_t isa);         /* force an ISA (<= tg_cpu_isa) for tests; TG_ERR_UNSUPPORTED otherwise */
TG_API int32_t tg_set_num_threads(int32_t n);   /* threads for batch kernels (GEMM); 1 = caller only; max 256 */
TG_API int32_t tg_num_threads(void);

/* 64-byte-aligned native memory owned by the Java slabs; freed only by tg_free */
TG_API int64_t tg_alloc(int64_t bytes);         /* returns address, 0 on failure; memory is zeroed */
TG_API int32_t tg_free(int64_t address);        /* 0 is ignored */
TG_API int64_t tg_allocated_bytes(void);        /* live bytes from tg_alloc, for leak tests */
TG_API int64_t tg_cached_bytes(void);           /* freed blocks of 256 KB or more kept for reuse (64 MB at most) */

/* Reserves disk blocks for bytes [offset, offset + length) of the existing file at path, without changing its size
 * or contents (Linux fallocate with FALLOC_FL_KEEP_SIZE), so that writes through a memory mapping of that range
 * cannot fault on a full disk. Returns 0, or the errno (ENOSPC: the disk is full; EOPNOTSUPP: the file system
 * cannot reserve, so nothing is promised). */
TG_API int32_t tg_file_reserve(const char* path, int64_t offset, int64_t length);

/* ---- GEMM: C[M,N] = alpha * op(A)[M,K] * op(B)[K,N] + beta * C
 * op(A) = A (transA = 0, A is [M,K] with row stride lda) or A^T (transA = 1, A is [K,M] with row stride lda).
 * Same for B. beta = 0 overwrites C without reading it (C may hold NaN). */
TG_API int32_t tg_sgemm(float* c, const float* a, const float* b,
                        int32_t m, int32_t n, int32_t k, int32_t trans_a, int32_t trans_b,
                        float alpha, float beta, int32_t lda, int32_t ldb, int32_t ldc);

/* ---- Dense: y = x W + bias ---- */
/* y[B,O], x[B,I], w[I,O], bias[O] nullable */
TG_API int32_t tg_dense_forward(float* y, const float* x, const float* w, const float* bias,
                                int32_t batch, int32_t in, int32_t out);
/* dx[B,I] nullable (overwritten) = dy W^T; dw[I,O] nullable += x^T dy; dbias[O] nullable += sum_b dy;
 * dy[B,O], x[B,I], w[I,O] */
TG_API int32_t tg_dense_backward(float* dx, float* dw, float* dbias,
                                 const float* dy, const float* x, const float* w,
                                 int32_t batch, int32_t in, int32_t out);

/* Dense followed by an activation (TG_ACT_*), in one call: y[B,O] = x W + bias (kept: the activation's input),
 * a[B,O] = f(y) (a may equal y). Same results as tg_dense_forward then tg_activation_forward; identity, ReLU and
 * leaky ReLU are applied as the GEMM writes y, the other kinds in a second pass. bias nullable. */
TG_API int32_t tg_dense_forward_act(float* y, float* a, const float* x, const float* w, const float* bias,
                                    int32_t batch, int32_t in, int32_t out, int32_t kind, float alpha);
/* Dense backward whose input gradient continues through the activation that produced x: the same as
 * tg_dense_backward then tg_activation_backward(dx, dx, act_x, act_y, B*I, kind, alpha), with identity, ReLU and
 * leaky ReLU applied as the GEMM writes dx. dx[B,I] (overwritten) = (dy W^T) * f'(act_x); dw nullable +=;
 * dbias nullable +=; act_x[B,I], act_y[B,I] the activation's forward input and output (act_y is normally x). */
TG_API int32_t tg_dense_backward_act(float* dx, float* dw, float* dbias,
                                     const float* dy, const float* x, const float* w,
                                     const float* act_x, const float* act_y,
                                     int32_t batch, int32_t in, int32_t out, int32_t kind, float alpha);

/* ---- elementwise activations: y = f(x), n elements; y may equal x (in place) ---- */
TG_API int32_t tg_activation_forward(float* y, const float* x, int64_t n, int32_t kind, float alpha);
/* dx = dy * f'(x); x is the forward input, y the forward output (kernels use whichever is cheaper);
 * dx may equal dy */
TG_API int32_t tg_activation_backward(float* dx, const float* dy, const float* x, const float* y,
                                      int64_t n, int32_t kind, float alpha);

/* ---- softmax over the last axis ---- */
/* y[B,C], x[B,C] (numerically stable: subtract the row max) */
TG_API int32_t tg_softmax_forward(float* y, const float* x, int32_t batch, int32_t classes);
/* dx[B,C] = y * (dy - sum_c dy y); dy[B,C], y[B,C] */
TG_API int32_t tg_softmax_backward(float* dx, const float* dy, const float* y, int32_t batch, int32_t classes);

/* ---- layer normalisation over the last axis (biased variance, as Keras and PyTorch) ---- */
/* y[B,D], mean[B] nullable, rstd[B] nullable (saved for backward), x[B,D], gamma[D], beta[D] nullable */
TG_API int32_t tg_layernorm_forward(float* y, float* mean, float* rstd,
                                    const float* x, const float* gamma, const float* beta,
                                    int32_t batch, int32_t dim, float eps);
/* dx[B,D] overwritten, dgamma[D] nullable +=, dbeta[D] nullable +=; dy[B,D], x[B,D], mean[B], rstd[B], gamma[D] */
TG_API int32_t tg_layernorm_backward(float* dx, float* dgamma, float* dbeta,
                                     const float* dy, const float* x, const float* mean, const float* rstd,
                                     const float* gamma, int32_t batch, int32_t dim);

/* ---- dropout (inverted): mask[i] = 0 if u(seed, i) < rate else 1 / (1 - rate); y = x * mask.
 * u(seed, i) = (splitmix64(seed + i * 0x9E3779B97F4A7C15) >> 40) * 2^-24, i counted from 0,
 * so Java and C produce the same mask bit for bit. rate in [0, 1). */
TG_API int32_t tg_dropout_forward(float* y, float* mask, const float* x, int64_t n, float rate, int64_t seed);
/* dx = dy * mask */
TG_API int32_t tg_dropout_backward(float* dx, const float* dy, const float* mask, int64_t n);

/* ---- losses: mean over the batch of the per-sample loss (per-sample loss = sum over C columns),
 * optionally weighted per sample; grad (nullable) is OVERWRITTEN with d(loss)/d(pred).
 * loss[1] out; pred[B,C], target[B,C], weights[B] nullable (loss = (1/B) sum_b w_b loss_b) */
TG_API int32_t tg_loss(float* grad, float* loss, const float* pred, const float* target, const float* weights,
                       int32_t batch, int32_t cols, int32_t kind, float param);

/* ---- weighted losses, as PyTorch weighs them: a weighted MEAN over the batch.
 * column_weights[C] nullable: for SOFTMAX_XENT the class weights cw (loss_b = -sum_c cw_c t_c log softmax(z)_c,
 * CrossEntropyLoss(weight=)); for BCE_LOGITS the positive-class weights pw (loss_b = sum_c pw_c t_c softplus(-z_c)
 * + (1 - t_c) softplus(z_c), BCEWithLogitsLoss(pos_weight=)); any other kind with column_weights: TG_ERR_ARG.
 * sample_weights[B] nullable (all 1). loss = sum_b s_b loss_b / sum_b s_b r_b, where r_b = sum_c cw_c t_c for
 * class-weighted SOFTMAX_XENT (the weight of the target class, for one-hot targets) and 1 otherwise; pw changes
 * loss_b only, as in PyTorch. A normaliser of 0 (no weight in the batch) gives loss 0 and grad 0; a negative or
 * non-finite one TG_ERR_ARG. grad (nullable) is OVERWRITTEN with d(loss)/d(pred). */
TG_API int32_t tg_loss_weighted(float* grad, float* loss, const float* pred, const float* target,
                                const float* sample_weights, const float* column_weights, int32_t batch, int32_t cols,
                                int32_t kind, float param);

/* ---- optimizers: flat loops over n parameters; p updated in place ----
 * SGD (PyTorch semantics): g' = g + wd p; if momentum != 0: v = momentum v + g';
 *   g' = nesterov ? g' + momentum v : v; p -= lr g'.  velocity nullable when momentum == 0. */
TG_API int32_t tg_sgd_step(float* p, float* velocity, const float* g, int64_t n,
                           float lr, float momentum, float weight_decay, int32_t nesterov);
/* Adam / AdamW: step t >= 1 (1 on the first call).
 * decoupled = 0 (Adam, L2): g' = g + wd p.  decoupled = 1 (AdamW): p -= lr wd p first, g' = g.
 * m = b1 m + (1-b1) g'; v = b2 v + (1-b2) g'^2; mhat = m / (1 - b1^t); vhat = v / (1 - b2^t);
 * p -= lr mhat / (sqrt(vhat) + eps) */
TG_API int32_t tg_adam_step(float* p, float* m, float* v, const float* g, int64_t n,
                            float lr, float beta1, float beta2, float eps, float weight_decay,
                            int64_t t, int32_t decoupled);

/* ---- reductions and scaling (global gradient-norm clipping) ---- */
/* out[1] += sum x^2, accumulated in double */
TG_API int32_t tg_sum_squares(double* out, const float* x, int64_t n);
/* x *= s */
TG_API int32_t tg_scale(float* x, int64_t n, float s);

/* ---- whole forward pass in one call (the predict path) ----
 * plan: n_ops entries of TG_PLAN_WORDS int64 words each:
 *   [0] op (TG_OP_*)   [1] in features   [2] out features
 *   [3] p0: float offset into params      [4] p1: float offset into params, or -1
 *   [5] x: float offset into act          [6] y: float offset into act
 *   [7] aux (activation kind)             [8] fparam: a float's bits in the low 32 bits
 * Each op reads x[batch, in] and writes y[batch, out] (row-major at those offsets).
 * The caller (Java) validated every offset against the slab sizes when it built the plan;
 * this function still rejects a non-positive size or an unknown op before touching memory. */
TG_API int32_t tg_plan_forward(float* act, const float* params, const int64_t* plan, int32_t n_ops, int32_t batch);


/* ---- reduced-precision inference (weights quantised once at load time; fp32 in, fp32 out) ----
 * bf16: w[I,O] rounded to bfloat16 (round to nearest even), packed as [ceil(I/2)][O][2] uint16 (inputs 2i and 2i+1
 *   of output o side by side; a missing last input is 0). Products accumulate in fp32. With AVX512_BF16 the input
 *   row is rounded to bf16 too (VDPBF16PS); without it the weights are widened to fp32 as they are loaded.
 * int8: w[I,O] quantised per output channel: scale[o] = max_i |w[i,o]| / 127, q = round(w / scale) in [-127, 127],
 *   packed as [ceil(I/4)][O][4] int8 (a missing input is 0), then scale[O] float and colsum[O] int32 (sum_i q[i,o]).
 *   Each input row is quantised dynamically: sx = max_i |x[i]| / 127, qx = round(x * (127 / max|x|)) in [-127, 127];
 *   y[o] = float(sum_i qx[i] q[i,o]) * (sx * scale[o]) + bias[o]. The integer sum is exact, so every ISA gives the
 *   same bits (AVX512_VNNI's VPDPBUSD where present, integer code elsewhere). I <= 65536 (no int32 overflow).
 * Sizes in bytes: tg_bf16_packed_bytes / tg_int8_packed_bytes (weights plus, for int8, scales and column sums). */
#define TG_FEAT_AVX512_BF16  1   /* VDPBF16PS (with AVX-512) */
#define TG_FEAT_AVX512_VNNI  2   /* VPDPBUSD (with AVX-512) */
TG_API int32_t tg_cpu_features(void);            /* TG_FEAT_* bits this CPU (and OS) supports */
TG_API int32_t tg_active_features(void);         /* the bits reduced-precision kernels use now: cpu & allowed, and only
                                                    while the active ISA is AVX-512 */
TG_API int32_t tg_set_features(int32_t mask);    /* allow only these TG_FEAT_* bits (tests); TG_ERR_UNSUPPORTED when a
                                                    bit is not in tg_cpu_features() */
TG_API int64_t tg_bf16_packed_bytes(int32_t in, int32_t out);
TG_API int64_t tg_int8_packed_bytes(int32_t in, int32_t out);
/* packed[tg_bf16_packed_bytes] from w[I,O] */
TG_API int32_t tg_quantize_bf16(void* packed, const float* w, int32_t in, int32_t out);
/* packed[tg_int8_packed_bytes] from w[I,O]; packed must be 4-byte aligned */
TG_API int32_t tg_quantize_int8(void* packed, const float* w, int32_t in, int32_t out);
/* y[B,O] = x[B,I] W + bias (bias[O] nullable), W packed as above */
TG_API int32_t tg_dense_forward_bf16(float* y, const float* x, const void* packed, const float* bias,
                                     int32_t batch, int32_t in, int32_t out);
TG_API int32_t tg_dense_forward_int8(float* y, const float* x, const void* packed, const float* bias,
                                     int32_t batch, int32_t in, int32_t out);
/* tg_plan_forward with reduced-precision dense ops: entries as there, plus
 *   TG_OP_DENSE_BF16 / TG_OP_DENSE_INT8: [3] p0 = byte offset of the packed weights in qparams (int8: 4-byte
 *   aligned), [4] p1 = bias float offset into params or -1. */
#define TG_OP_DENSE_BF16 6
#define TG_OP_DENSE_INT8 7
TG_API int32_t tg_plan_forward_q(float* act, const float* params, const void* qparams, const int64_t* plan,
                                 int32_t n_ops, int32_t batch);

#ifdef __cplusplus
}
#endif
#endif /* TICKGRAD_H */
