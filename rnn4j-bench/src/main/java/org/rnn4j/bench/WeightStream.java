package org.rnn4j.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * How fast one core reads a recurrent kernel U once, back to back: the floor of a batch-1 step,
 * whose product {@code h U} must read every float of U (1 x H times H x 4H: one multiply-add per
 * float loaded). L1's U (64 x 256 floats, 64 KB) is larger than this machine's 32 KB L1 data cache,
 * so each step streams it from L2; no kernel on one core can run a step faster than this pass.
 * The pass is a plain vector sum in address order with eight accumulators (one flat loop, so C2
 * keeps the vectors in registers).
 */
final class WeightStream {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private WeightStream() {
    }

    /** Best microseconds of one pass over {@code floats} floats (a multiple of 8 vectors), over {@code seconds}. */
    static double microsPerPass(int floats, double seconds) {
        int l = S.length();
        if (floats % (8 * l) != 0) {
            throw new IllegalArgumentException(floats + " floats: not a multiple of " + 8 * l);
        }
        float[] u = new float[floats];
        for (int i = 0; i < u.length; i++) {
            u[i] = (i % 13) * 0x1p-10f;
        }
        int passes = 256;
        double best = Double.MAX_VALUE;
        float sink = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        do {
            long t = System.nanoTime();
            sink += sum(u, passes);
            best = Math.min(best, (System.nanoTime() - t) / 1e3 / passes);
        } while (System.nanoTime() < end);
        if (!Float.isFinite(sink)) {
            throw new IllegalStateException("the sums overflowed"); // also keeps the passes live
        }
        return best;
    }

    private static float sum(float[] a, int passes) {
        int l = S.length();
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        FloatVector s4 = s0;
        FloatVector s5 = s0;
        FloatVector s6 = s0;
        FloatVector s7 = s0;
        int chunks = passes * (a.length / (8 * l));
        int i = 0;
        for (int c = 0; c < chunks; c++) {
            s0 = s0.add(FloatVector.fromArray(S, a, i));
            s1 = s1.add(FloatVector.fromArray(S, a, i + l));
            s2 = s2.add(FloatVector.fromArray(S, a, i + 2 * l));
            s3 = s3.add(FloatVector.fromArray(S, a, i + 3 * l));
            s4 = s4.add(FloatVector.fromArray(S, a, i + 4 * l));
            s5 = s5.add(FloatVector.fromArray(S, a, i + 5 * l));
            s6 = s6.add(FloatVector.fromArray(S, a, i + 6 * l));
            s7 = s7.add(FloatVector.fromArray(S, a, i + 7 * l));
            i += 8 * l;
            if (i == a.length) {
                i = 0;
            }
        }
        return s0.add(s1).add(s2).add(s3).add(s4).add(s5).add(s6).add(s7).reduceLanes(VectorOperators.ADD);
    }
}
