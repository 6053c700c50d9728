package org.rnn4j.regularizers;

/** Keras's L1L2: {@code l1 * sum|w| + l2 * sum w^2}. */
public final class L1L2 implements Regularizer {
    private final float l1;
    private final float l2;

    public L1L2(float l1, float l2) {
        this.l1 = l1;
        this.l2 = l2;
    }

    public static L1L2 l1(float l1) {
        return new L1L2(l1, 0f);
    }

    public static L1L2 l2(float l2) {
        return new L1L2(0f, l2);
    }

    public float l1() {
        return l1;
    }

    public float l2() {
        return l2;
    }

    @Override
    public double penalty(float[] w) {
        double a = 0;
        double s = 0;
        for (float v : w) {
            a += Math.abs(v);
            s += (double) v * v;
        }
        return l1 * a + l2 * s;
    }

    @Override
    public void addGradient(float[] w, float[] grad) {
        for (int i = 0; i < w.length; i++) {
            grad[i] += l1 * Math.signum(w[i]) + 2f * l2 * w[i];
        }
    }

    @Override
    public String name() {
        return l1 != 0f && l2 != 0f ? "l1_l2" : l1 != 0f ? "l1" : "l2";
    }
}
