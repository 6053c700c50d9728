package org.rnn4j.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code MatMul.addColumnSums} with vectors across columns: four vectors of columns are summed down
 * all rows in registers, so each element of {@code d} costs a vector add, not a scalar load, add and
 * store of {@code out} (C2 did not vectorize the scalar loop: W1 training spent 13% of its samples
 * there, summing a [48 * 64, 256] gradient). Each column still adds its rows in order to its old
 * value, so the bits are the scalar loop's.
 */
final class ColumnSums {
    private static final VectorSpecies<Float> S = MicroKernel.S;
    private static final int L = MicroKernel.L;
    /** Columns summed together in registers; a split across threads cuts only between strips. */
    static final int STRIP = 4 * L;

    private ColumnSums() {
    }

    static void add(int rows, int cols, float[] d, int dOff, int ld, float[] out, int outOff) {
        int j = 0;
        for (; j + 4 * L <= cols; j += 4 * L) {
            int o = outOff + j;
            FloatVector s0 = FloatVector.fromArray(S, out, o);
            FloatVector s1 = FloatVector.fromArray(S, out, o + L);
            FloatVector s2 = FloatVector.fromArray(S, out, o + 2 * L);
            FloatVector s3 = FloatVector.fromArray(S, out, o + 3 * L);
            int row = dOff + j;
            for (int r = 0; r < rows; r++, row += ld) {
                s0 = s0.add(FloatVector.fromArray(S, d, row));
                s1 = s1.add(FloatVector.fromArray(S, d, row + L));
                s2 = s2.add(FloatVector.fromArray(S, d, row + 2 * L));
                s3 = s3.add(FloatVector.fromArray(S, d, row + 3 * L));
            }
            s0.intoArray(out, o);
            s1.intoArray(out, o + L);
            s2.intoArray(out, o + 2 * L);
            s3.intoArray(out, o + 3 * L);
        }
        for (; j + L <= cols; j += L) {
            FloatVector s = FloatVector.fromArray(S, out, outOff + j);
            int row = dOff + j;
            for (int r = 0; r < rows; r++, row += ld) {
                s = s.add(FloatVector.fromArray(S, d, row));
            }
            s.intoArray(out, outOff + j);
        }
        for (; j < cols; j++) {
            float s = out[outOff + j];
            for (int r = 0; r < rows; r++) {
                s += d[dOff + r * ld + j];
            }
            out[outOff + j] = s;
        }
    }
}
