package io.tickgrad.nativeio;

/** Constants of native/include/tickgrad/tickgrad.h, mirrored one for one. */
public final class Abi {
    private Abi() {
    }

    /** The ABI version this Java code was written against; checked when the library loads. */
    public static final int VERSION = 2;

    public static final int ISA_SCALAR = 0;
    public static final int ISA_AVX2 = 1;
    public static final int ISA_AVX512 = 2;

    public static final int ACT_IDENTITY = 0;
    public static final int ACT_RELU = 1;
    public static final int ACT_LEAKY_RELU = 2;
    public static final int ACT_GELU = 3;
    public static final int ACT_GELU_TANH = 4;
    public static final int ACT_TANH = 5;
    public static final int ACT_SIGMOID = 6;

    public static final int LOSS_BCE_LOGITS = 1;
    public static final int LOSS_BCE_PROBS = 2;
    public static final int LOSS_SOFTMAX_XENT = 3;
    public static final int LOSS_MSE = 4;
    public static final int LOSS_HUBER = 5;
    /** QLIKE on a log-variance forecast; see tickgrad.h. */
    public static final int LOSS_QLIKE = 6;

    public static final int OP_DENSE = 1;
    public static final int OP_ACTIVATION = 2;
    public static final int OP_SOFTMAX = 3;
    public static final int OP_LAYERNORM = 4;
    public static final int OP_COPY = 5;
    public static final int OP_DENSE_BF16 = 6;
    public static final int OP_DENSE_INT8 = 7;

    public static final int FEAT_AVX512_BF16 = 1;
    public static final int FEAT_AVX512_VNNI = 2;
    /** int64 words per plan entry. */
    public static final int PLAN_WORDS = 9;

    public static String isaName(int isa) {
        switch (isa) {
            case ISA_SCALAR: return "scalar";
            case ISA_AVX2: return "avx2";
            case ISA_AVX512: return "avx512";
            default: return "unknown(" + isa + ")";
        }
    }
}
