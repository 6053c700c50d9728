package org.rnn4j.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp and tanh on vectors from IEEE operations only (fma, multiply, add, divide, integer shifts).
 * The Vector API's own {@code lanewise(EXP/TANH)} uses SVML in compiled code and a different
 * Java fallback in the interpreter, so its last bits depend on JIT state: a model's first
 * training run gave other numbers than its second in one JVM, and concurrent predict could differ
 * from a single-threaded run. These give the same bits in every mode (about 1 ulp from exact).
 *
 * <p>The row loops take every constant as a vector made before the loop, never a scalar operand
 * ({@code v.fma(LOG2E, MAGIC)} broadcasts inside the loop): C2 turns vector operations into
 * instructions only within a node budget per compile, and a tanhRows compile that went over it
 * left its store a call on boxed vectors for the life of the JVM (issue #10, found with
 * {@code ./rnn4j bench --jit-check}). The same floats, so the same bits.
 */
final class VectorMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> IS = S.withLanes(int.class);
    private static final float LOG2E = 1.44269504088896341f;
    private static final float MAGIC = 12582912f;      // 1.5 * 2^23: adding it rounds to an integer
    private static final float LN2_HI = 0.693359375f;  // ln 2 split so n * LN2_HI is exact
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float LO = -87.33654f;          // exp(LO) is the smallest normal float
    private static final float HI = 88.37626f;
    // Cephes expf minimax polynomial for exp(r) on |r| <= ln(2)/2.
    private static final float P0 = 1.9875691500e-4f;
    private static final float P1 = 1.3981999507e-3f;
    private static final float P2 = 8.3334519073e-3f;
    private static final float P3 = 4.1665795894e-2f;
    private static final float P4 = 1.6666665459e-1f;
    private static final float P5 = 5.0000001201e-1f;

    private VectorMath() {
    }

    static FloatVector exp(FloatVector x) {
        FloatVector v = x.max(LO).min(HI);
        FloatVector nm = v.fma(LOG2E, MAGIC); // MAGIC + n: the integer n sits in the low mantissa bits
        FloatVector n = nm.sub(MAGIC);
        FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), v);
        r = n.fma(FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector p = r.fma(P0, P1);
        p = p.fma(r, FloatVector.broadcast(S, P2));
        p = p.fma(r, FloatVector.broadcast(S, P3));
        p = p.fma(r, FloatVector.broadcast(S, P4));
        p = p.fma(r, FloatVector.broadcast(S, P5));
        FloatVector y = p.fma(r.mul(r), r.add(1f));
        // 2^n without a float-to-int conversion: JDK 17 does not intrinsify the F2I vector cast on
        // x86, so it ran the Java fallback (boxed lanes, most of the gate time in the models). The
        // bits of nm are 0x4B400000 + n; shifting left by 23 drops the 0x4B4 part, so
        // (bits + 127) << 23 is exactly the (n + 127) << 23 of the cast.
        IntVector bits = nm.reinterpretAsInts();
        FloatVector scale = bits.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return y.mul(scale);
    }

    /**
     * tanh: Cephes's odd polynomial for |x| < 0.625 (where the exp form would lose small values),
     * else sign(x) (1 - e) / (1 + e) with e = exp(-2|x|), which never overflows.
     */
    static FloatVector tanh(FloatVector x) {
        FloatVector ax = x.abs();
        FloatVector e = exp(ax.mul(-2f));
        FloatVector big = e.neg().add(1f).div(e.add(1f));
        big = big.blend(big.neg(), x.compare(VectorOperators.LT, 0f));
        FloatVector z = x.mul(x);
        FloatVector p = z.fma(T0, T1);
        p = p.fma(z, FloatVector.broadcast(S, T2));
        p = p.fma(z, FloatVector.broadcast(S, T3));
        p = p.fma(z, FloatVector.broadcast(S, T4));
        FloatVector small = x.mul(z).fma(p, x);
        return big.blend(small, ax.compare(VectorOperators.LT, 0.625f));
    }

    /**
     * {@code dst = sigmoid(src)} over columns {@code [col, col + width)} of {@code rows} rows of
     * stride {@code stride} from {@code off}, as {@code 1/(1+e)} ({@code x >= 0}) or {@code e/(1+e)}
     * with {@code e = exp(-|x|)}, which never overflows. With {@code overlapTail} and
     * {@code width >= L} (and {@code src != dst}) a width not a multiple of L ends with one more
     * full vector ending at the span's end; otherwise the tail is scalar
     * ({@link org.rnn4j.activations.Activations#sigmoid}).
     *
     * <p>{@link #exp}'s operations are written out in the loop on purpose: C2 inlines the Vector
     * API's own methods by annotation, but a helper of ours taking or returning a vector only
     * when its call site looks hot and the method's node budget allows; when it does not, the
     * vectors are boxed and parts run in the API's Java fallback (measured: 2-5x slower gate
     * math in the LSTM kernels). Same operations in the same order, so the same bits as
     * {@code exp}.
     */
    static void sigmoidRows(int rows, int stride, float[] src, float[] dst, int off, int col, int width,
                            boolean overlapTail) {
        int l = S.length();
        int body = overlapTail && width >= l ? width : width - width % l;
        // exp's constants as vectors, made once outside the loops (see the class comment on the node budget).
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector lo = FloatVector.broadcast(S, LO);
        FloatVector hi = FloatVector.broadcast(S, HI);
        FloatVector log2e = FloatVector.broadcast(S, LOG2E);
        FloatVector magic = FloatVector.broadcast(S, MAGIC);
        FloatVector lnHi = FloatVector.broadcast(S, -LN2_HI);
        FloatVector lnLo = FloatVector.broadcast(S, -LN2_LO);
        FloatVector p0 = FloatVector.broadcast(S, P0);
        FloatVector p1 = FloatVector.broadcast(S, P1);
        FloatVector p2 = FloatVector.broadcast(S, P2);
        FloatVector p3 = FloatVector.broadcast(S, P3);
        FloatVector p4 = FloatVector.broadcast(S, P4);
        FloatVector p5 = FloatVector.broadcast(S, P5);
        IntVector bias = IntVector.broadcast(IS, 127);
        FloatVector zero = FloatVector.zero(S);
        for (int r = 0; r < rows; r++) {
            int o = off + r * stride + col;
            for (int j0 = 0; j0 < body; j0 += l) {
                int j = Math.min(j0, body - l);
                FloatVector x = FloatVector.fromArray(S, src, o + j);
                // e = exp(-|x|), as exp()
                FloatVector v = x.abs().neg().max(lo).min(hi);
                FloatVector nm = v.fma(log2e, magic);
                FloatVector n = nm.sub(magic);
                FloatVector q = n.fma(lnHi, v);
                q = n.fma(lnLo, q);
                FloatVector p = q.fma(p0, p1);
                p = p.fma(q, p2);
                p = p.fma(q, p3);
                p = p.fma(q, p4);
                p = p.fma(q, p5);
                FloatVector e = p.fma(q.mul(q), q.add(one))
                        .mul(nm.reinterpretAsInts().add(bias).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
                one.blend(e, x.compare(VectorOperators.LT, zero)).div(one.add(e)).intoArray(dst, o + j);
            }
            for (int j = body; j < width; j++) {
                dst[o + j] = org.rnn4j.activations.Activations.sigmoid(src[o + j]);
            }
        }
    }

    /**
     * {@code dst = tanh(src)} over the same spans, tails and rules as {@link #sigmoidRows} (scalar
     * tail: {@link Math#tanh}); {@link #tanh}'s operations written out, same bits. {@code src}
     * may be {@code dst} when no vector overlaps another (no overlapping tail).
     *
     * <p>In two passes, each its own method: one compile of both halves together sat at C2's
     * node budget, and in about 1 JVM in 3 (W4) went over it, leaving its last compare, blend and
     * store as calls on boxed vectors for the life of the JVM (found with {@code --jit-check}).
     * Pass 1 writes the small-|x| results and leaves the other lanes as x; pass 2 reads
     * {@code src} to tell them apart (|x| >= 0.625, or |result| < 0.625 when in place, since
     * |tanh| < 0.56 there) and writes the exp form for the large ones.
     */
    static void tanhRows(int rows, int stride, float[] src, float[] dst, int off, int col, int width,
                         boolean overlapTail) {
        int l = S.length();
        int body = overlapTail && width >= l ? width : width - width % l;
        tanhSmallRows(rows, stride, src, dst, off, col, width, body);
        tanhLargeRows(rows, stride, src, dst, off, col, body);
    }

    /** Pass 1 of {@link #tanhRows}: {@code |x| < 0.625 ? x + x^3 P(x^2) : x} on the body, Math.tanh on the tail. */
    private static void tanhSmallRows(int rows, int stride, float[] src, float[] dst, int off, int col, int width,
                                      int body) {
        int l = S.length();
        FloatVector smallBound = FloatVector.broadcast(S, SMALL);
        FloatVector t0 = FloatVector.broadcast(S, T0);
        FloatVector t1 = FloatVector.broadcast(S, T1);
        FloatVector t2 = FloatVector.broadcast(S, T2);
        FloatVector t3 = FloatVector.broadcast(S, T3);
        FloatVector t4 = FloatVector.broadcast(S, T4);
        for (int r = 0; r < rows; r++) {
            int o = off + r * stride + col;
            for (int j0 = 0; j0 < body; j0 += l) {
                int j = Math.min(j0, body - l);
                FloatVector x = FloatVector.fromArray(S, src, o + j);
                FloatVector z = x.mul(x);
                FloatVector t = z.fma(t0, t1);
                t = t.fma(z, t2);
                t = t.fma(z, t3);
                t = t.fma(z, t4);
                FloatVector small = x.mul(z).fma(t, x);
                x.blend(small, x.abs().compare(VectorOperators.LT, smallBound)).intoArray(dst, o + j);
            }
            for (int j = body; j < width; j++) {
                dst[o + j] = (float) Math.tanh(src[o + j]);
            }
        }
    }

    /**
     * Pass 2 of {@link #tanhRows} on the body: where {@code |src| >= 0.625}, sign(x) (1 - e) / (1 + e)
     * with e = exp(-2|x|); elsewhere pass 1's value stays. Reading x from {@code src} keeps an
     * overlapping last vector idempotent.
     */
    private static void tanhLargeRows(int rows, int stride, float[] src, float[] dst, int off, int col, int body) {
        int l = S.length();
        // exp's constants as vectors, made once outside the loops (see the class comment on the node budget).
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector lo = FloatVector.broadcast(S, LO);
        FloatVector hi = FloatVector.broadcast(S, HI);
        FloatVector log2e = FloatVector.broadcast(S, LOG2E);
        FloatVector magic = FloatVector.broadcast(S, MAGIC);
        FloatVector lnHi = FloatVector.broadcast(S, -LN2_HI);
        FloatVector lnLo = FloatVector.broadcast(S, -LN2_LO);
        FloatVector p0 = FloatVector.broadcast(S, P0);
        FloatVector p1 = FloatVector.broadcast(S, P1);
        FloatVector p2 = FloatVector.broadcast(S, P2);
        FloatVector p3 = FloatVector.broadcast(S, P3);
        FloatVector p4 = FloatVector.broadcast(S, P4);
        FloatVector p5 = FloatVector.broadcast(S, P5);
        IntVector bias = IntVector.broadcast(IS, 127);
        FloatVector zero = FloatVector.zero(S);
        FloatVector minusTwo = FloatVector.broadcast(S, -2f);
        FloatVector smallBound = FloatVector.broadcast(S, SMALL);
        for (int r = 0; r < rows; r++) {
            int o = off + r * stride + col;
            for (int j0 = 0; j0 < body; j0 += l) {
                int j = Math.min(j0, body - l);
                FloatVector x = FloatVector.fromArray(S, src, o + j);
                FloatVector ax = x.abs();
                // e = exp(-2|x|), as exp()
                FloatVector v = ax.mul(minusTwo).max(lo).min(hi);
                FloatVector nm = v.fma(log2e, magic);
                FloatVector n = nm.sub(magic);
                FloatVector q = n.fma(lnHi, v);
                q = n.fma(lnLo, q);
                FloatVector p = q.fma(p0, p1);
                p = p.fma(q, p2);
                p = p.fma(q, p3);
                p = p.fma(q, p4);
                p = p.fma(q, p5);
                FloatVector e = p.fma(q.mul(q), q.add(one))
                        .mul(nm.reinterpretAsInts().add(bias).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
                // as tanh()
                FloatVector big = e.neg().add(one).div(e.add(one));
                big = big.blend(big.neg(), x.compare(VectorOperators.LT, zero));
                big.blend(FloatVector.fromArray(S, dst, o + j), ax.compare(VectorOperators.LT, smallBound))
                        .intoArray(dst, o + j);
            }
        }
    }

    /** Below this |x| tanh uses the odd polynomial (the exp form would lose small values). */
    private static final float SMALL = 0.625f;
    // Cephes tanhf polynomial: tanh(x) = x + x^3 P(x^2) on |x| < 0.625.
    private static final float T0 = -5.70498872745e-3f;
    private static final float T1 = 2.06390887954e-2f;
    private static final float T2 = -5.37397155531e-2f;
    private static final float T3 = 1.33314422036e-1f;
    private static final float T4 = -3.33332819422e-1f;
}
