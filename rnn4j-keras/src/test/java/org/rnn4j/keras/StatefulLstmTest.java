package org.rnn4j.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.Mask;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/** The initial-state LSTM used by KerasGraph agrees with rnn4j's LSTM layer when started from zeros. */
class StatefulLstmTest {
    @ParameterizedTest
    @CsvSource({"false,false,false", "true,false,false", "false,true,false", "true,true,true", "false,true,true"})
    void zeroStateMatchesTheLstmLayer(boolean returnSequences, boolean goBackwards, boolean masked) {
        LSTM lstm = new LSTM(4).returnSequences(returnSequences).goBackwards(goBackwards)
                .recurrentActivation("hard_sigmoid").biasInitializer("ones");
        lstm.build(new int[] {5, 3}, new Rng(3));
        Tensor x = RoundTripTest.randn(9, 2, 5, 3);
        Mask mask = null;
        if (masked) {
            boolean[] m = new boolean[10];
            java.util.Arrays.fill(m, true);
            m[3] = false; // row 0, step 3
            m[4] = false;
            m[9] = false; // row 1, last step
            mask = new Mask(m, 2, 5);
        }
        Tensor zeros = Tensor.zeros(2, 4);
        Tensor expected = lstm.forward(x, mask, false);
        Tensor got = StatefulLstm.forward(lstm, x, mask, zeros, zeros);
        assertArrayEquals(expected.shape(), got.shape());
        assertTrue(got.maxAbsDiff(expected) < 1e-6f, "max diff " + got.maxAbsDiff(expected));
    }

    @ParameterizedTest
    @CsvSource({"0", "1"})
    void concatenatesAlongAnAxis(int axis) {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 1, 2, 2);
        Tensor b = Tensor.of(new float[] {5, 6}, 1, axis == 0 ? 1 : 2, axis == 0 ? 2 : 1);
        Tensor c = KerasGraph.concat(List.of(a, b), axis);
        if (axis == 0) {
            assertArrayEquals(new int[] {1, 3, 2}, c.shape());
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, c.data());
        } else {
            assertArrayEquals(new int[] {1, 2, 3}, c.shape());
            assertArrayEquals(new float[] {1, 2, 5, 3, 4, 6}, c.data());
        }
        assertEquals(3, c.dim(axis + 1));
    }
}
