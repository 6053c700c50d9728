package org.rnn4j.kernels;

/**
 * A right-hand operand {@code op(B)[k, n]} prepared once for many {@link MatMul} calls (e.g. a
 * recurrent kernel used at every time step). The handle refers to B's storage and may hold a
 * packed copy of it: it is valid until B changes; after changing B, call {@link #repack} (which
 * reuses the handle's buffer when it is large enough, so a steady state allocates nothing).
 *
 * <p>This base class keeps only the reference; implementations such as the Vector API matmul add
 * their panel copy. Any {@link MatMul} accepts any handle (a foreign one is used through the
 * reference), with the same results as the unpacked call.
 */
public class PackedMatrix {
    private boolean transB;
    private int k;
    private int n;
    private float[] b;
    private int bOff;
    private int ldb;

    protected PackedMatrix() {
    }

    /** A handle that only refers to B (what {@link MatMul#pack} returns by default). */
    static PackedMatrix reference(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        PackedMatrix p = new PackedMatrix();
        p.repack(transB, k, n, b, bOff, ldb);
        return p;
    }

    /** Points the handle at {@code op(B)[k, n]} and refreshes any packed copy. */
    public void repack(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        if (k < 0 || n < 0) {
            throw new IllegalArgumentException("pack: sizes must be >= 0, got k=" + k + " n=" + n);
        }
        if (b == null) {
            throw new IllegalArgumentException("pack: B is null");
        }
        this.transB = transB;
        this.k = k;
        this.n = n;
        this.b = b;
        this.bOff = bOff;
        this.ldb = ldb;
    }

    public final boolean transB() {
        return transB;
    }

    /** Rows of op(B) (the gemm's k). */
    public final int k() {
        return k;
    }

    /** Columns of op(B) (the gemm's n). */
    public final int n() {
        return n;
    }

    public final float[] source() {
        return b;
    }

    public final int sourceOffset() {
        return bOff;
    }

    public final int ldb() {
        return ldb;
    }

    /** Throws unless this handle is {@code [k, n]}, naming both shapes. */
    public final void checkShape(int k, int n) {
        if (k != this.k || n != this.n) {
            throw new IllegalArgumentException("gemm: packed B is " + this.k + "x" + this.n + " but the call needs "
                    + k + "x" + n + "; repack the handle for this operand");
        }
    }
}
