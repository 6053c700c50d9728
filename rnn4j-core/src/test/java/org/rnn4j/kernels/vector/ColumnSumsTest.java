package org.rnn4j.kernels.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rnn4j.kernels.ScalarMatMul;

/**
 * The vector column sums give the scalar loop's bits (rows added in order), for every column tail,
 * on one thread and split across a pool's threads.
 */
class ColumnSumsTest {
    @Test
    void vectorColumnSumsEqualTheScalarLoopBitForBit() {
        Random r = new Random(5);
        VectorMatMul vector = new VectorMatMul(1);
        VectorMatMul split = new VectorMatMul(new Pool(3), 3);
        ScalarMatMul scalar = new ScalarMatMul();
        int l = MicroKernel.L;
        int[] colsList = {1, l - 1, l, l + 3, 4 * l, 4 * l + l + 2, 256, 257, 9 * 4 * l + 5};
        for (int rows : new int[] {1, 3, 64, 3072, 6400}) {
            for (int cols : colsList) {
                int ld = cols + 7;
                int dOff = 5;
                float[] d = new float[dOff + rows * ld];
                for (int i = 0; i < d.length; i++) {
                    d[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(7) - 3));
                }
                float[] start = new float[cols + 4];
                for (int i = 0; i < start.length; i++) {
                    start[i] = (float) r.nextGaussian();
                }
                float[] expected = start.clone();
                scalar.addColumnSums(rows, cols, d, dOff, ld, expected, 2);
                for (VectorMatMul m : new VectorMatMul[] {vector, split}) {
                    float[] got = start.clone();
                    m.addColumnSums(rows, cols, d, dOff, ld, got, 2);
                    for (int j = 0; j < got.length; j++) {
                        assertEquals(Float.floatToRawIntBits(expected[j]), Float.floatToRawIntBits(got[j]),
                                "rows=" + rows + " cols=" + cols + " at " + j + (m == split ? " (split)" : ""));
                    }
                    assertEquals(start[0], got[0]);
                    assertEquals(start[start.length - 1], got[start.length - 1]);
                }
            }
        }
    }

    @Test
    void anOperandTooSmallIsAnErrorNotAnOutOfBoundsRead() {
        VectorMatMul vector = new VectorMatMul(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> vector.addColumnSums(4, 32, new float[100], 0, 32, new float[32], 0));
        assertEquals(true, e.getMessage().contains("d is 4x32"), e.getMessage());
    }
}
