package org.rnn4j.kernels;

/**
 * Row-major single-precision matrix multiply: {@code C[m,n] = op(A)[m,k] * op(B)[k,n]}, or
 * {@code C += ...} when {@code accumulate}. {@code op(X)} is X or its transpose; leading
 * dimensions are the row strides of the stored (untransposed) arrays.
 */
public interface MatMul {
    void gemm(boolean transA, boolean transB, int m, int n, int k,
              float[] a, int aOff, int lda,
              float[] b, int bOff, int ldb,
              float[] c, int cOff, int ldc,
              boolean accumulate);

    /** {@code C[m,n] (+)= A[m,k] * B[k,n]} with dense strides. */
    default void gemm(int m, int n, int k, float[] a, float[] b, float[] c, boolean accumulate) {
        gemm(false, false, m, n, k, a, 0, k, b, 0, n, c, 0, n, accumulate);
    }

    /** A short name for benchmarks and logs, e.g. "scalar" or "vector-512". */
    String name();
}
