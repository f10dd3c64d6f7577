package io.tickgrad.bench;

/**
 * One GEMM problem C[m,n] = op(A)[m,k] op(B)[k,n], row-major, parsed from a JMH parameter such as
 * {@code 256x256x400_NN} (m x n x k, then N or T for A and for B).
 *
 * <p>The leading dimensions follow from the layout: a transposed operand is stored as its transpose,
 * so A is [k,m] when transposed and [m,k] otherwise; the same for B.
 */
public final class GemmShape {
    public final int m;
    public final int n;
    public final int k;
    public final boolean transA;
    public final boolean transB;

    private GemmShape(int m, int n, int k, boolean transA, boolean transB) {
        this.m = m;
        this.n = n;
        this.k = k;
        this.transA = transA;
        this.transB = transB;
    }

    /** Parses {@code MxNxK_XY} where X and Y are N or T; throws with the offending text otherwise. */
    public static GemmShape parse(String text) {
        String[] parts = text.split("_");
        String[] dims = parts[0].split("x");
        if (parts.length != 2 || dims.length != 3 || !parts[1].matches("[NT]{2}")) {
            throw new IllegalArgumentException("GEMM shape '" + text + "': expected MxNxK_XY with X, Y in {N, T}, e.g. 256x256x400_NN");
        }
        GemmShape shape = new GemmShape(Integer.parseInt(dims[0]), Integer.parseInt(dims[1]), Integer.parseInt(dims[2]),
                parts[1].charAt(0) == 'T', parts[1].charAt(1) == 'T');
        if (shape.m <= 0 || shape.n <= 0 || shape.k <= 0) {
            throw new IllegalArgumentException("GEMM shape '" + text + "': sizes must be positive");
        }
        return shape;
    }

    public int lda() {
        return transA ? m : k;
    }

    public int ldb() {
        return transB ? k : n;
    }

    public int ldc() {
        return n;
    }

    public long aFloats() {
        return (long) m * k;
    }

    public long bFloats() {
        return (long) k * n;
    }

    public long cFloats() {
        return (long) m * n;
    }

    /** Multiply-adds counted as two flops each. */
    public double flops() {
        return 2.0 * m * n * k;
    }
}
