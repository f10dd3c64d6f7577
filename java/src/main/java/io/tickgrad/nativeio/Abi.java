package io.tickgrad.nativeio;

/** Constants of native/include/tickgrad/tickgrad.h, mirrored one for one. */
public final class Abi {
    private Abi() {
    }

    /** The ABI version this Java code was written against; checked when the library loads. */
    public static final int VERSION = 2;

    /** Portable C++ kernels, no vector extensions (TG_ISA_SCALAR). */
    public static final int ISA_SCALAR = 0;
    /** AVX2 with FMA (TG_ISA_AVX2). */
    public static final int ISA_AVX2 = 1;
    /** AVX-512F with DQ, BW and VL (TG_ISA_AVX512). */
    public static final int ISA_AVX512 = 2;

    /** Identity, f(x) = x (TG_ACT_IDENTITY). */
    public static final int ACT_IDENTITY = 0;
    /** ReLU, max(x, 0) (TG_ACT_RELU). */
    public static final int ACT_RELU = 1;
    /** Leaky ReLU; alpha is the negative slope (TG_ACT_LEAKY_RELU). */
    public static final int ACT_LEAKY_RELU = 2;
    /** Exact GELU, 0.5 x (1 + erf(x / sqrt 2)) (TG_ACT_GELU). */
    public static final int ACT_GELU = 3;
    /** GELU by the tanh approximation (TG_ACT_GELU_TANH). */
    public static final int ACT_GELU_TANH = 4;
    /** Hyperbolic tangent (TG_ACT_TANH). */
    public static final int ACT_TANH = 5;
    /** Logistic sigmoid (TG_ACT_SIGMOID). */
    public static final int ACT_SIGMOID = 6;

    /** Binary cross-entropy on logits, numerically stable (TG_LOSS_BCE_LOGITS). */
    public static final int LOSS_BCE_LOGITS = 1;
    /** Binary cross-entropy on probabilities clipped to [param, 1 - param], as Keras (TG_LOSS_BCE_PROBS). */
    public static final int LOSS_BCE_PROBS = 2;
    /** Softmax cross-entropy on logits against a target distribution (TG_LOSS_SOFTMAX_XENT). */
    public static final int LOSS_SOFTMAX_XENT = 3;
    /** Squared error, (y - t)^2 summed over the columns (TG_LOSS_MSE). */
    public static final int LOSS_MSE = 4;
    /** Huber loss; param is delta (TG_LOSS_HUBER). */
    public static final int LOSS_HUBER = 5;
    /** QLIKE on a log-variance forecast; see tickgrad.h. */
    public static final int LOSS_QLIKE = 6;

    /** Plan op: dense layer; p0 = weight offset, p1 = bias offset or -1 (TG_OP_DENSE). */
    public static final int OP_DENSE = 1;
    /** Plan op: activation; aux = activation code, fparam = alpha (TG_OP_ACTIVATION). */
    public static final int OP_ACTIVATION = 2;
    /** Plan op: softmax over each row (TG_OP_SOFTMAX). */
    public static final int OP_SOFTMAX = 3;
    /** Plan op: layer norm; p0 = gamma offset, p1 = beta offset or -1, fparam = eps (TG_OP_LAYERNORM). */
    public static final int OP_LAYERNORM = 4;
    /** Plan op: copy, y = x (dropout at predict time) (TG_OP_COPY). */
    public static final int OP_COPY = 5;
    /** Plan op: dense layer with bf16 weights; p0 = byte offset of the packed weights (TG_OP_DENSE_BF16). */
    public static final int OP_DENSE_BF16 = 6;
    /**
     * Plan op: dense layer with int8 weights; p0 = 4-byte-aligned byte offset of the packed weights (TG_OP_DENSE_INT8).
     */
    public static final int OP_DENSE_INT8 = 7;

    /** CPU feature bit: VDPBF16PS, bf16 dot products (TG_FEAT_AVX512_BF16). */
    public static final int FEAT_AVX512_BF16 = 1;
    /** CPU feature bit: VPDPBUSD, int8 dot products (TG_FEAT_AVX512_VNNI). */
    public static final int FEAT_AVX512_VNNI = 2;
    /** int64 words per plan entry. */
    public static final int PLAN_WORDS = 9;

    /**
     * The name of an instruction-set code, for reports and backend names.
     *
     * @param isa an {@code ISA_*} code
     * @return "scalar", "avx2", "avx512" or "unknown(n)"
     */
    public static String isaName(int isa) {
        switch (isa) {
            case ISA_SCALAR: return "scalar";
            case ISA_AVX2: return "avx2";
            case ISA_AVX512: return "avx512";
            default: return "unknown(" + isa + ")";
        }
    }
}
