package org.rnn4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Dropout;
import org.rnn4j.layers.GRU;
import org.rnn4j.layers.LSTM;
import org.rnn4j.tensor.Tensor;

/** The single-sample path against {@code model.predict}, the plain batched layer math. */
class StreamingPredictorTest {
    private static Tensor randn(long seed, int... shape) {
        Tensor t = Tensor.zeros(shape);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < t.data().length; i++) {
            t.data()[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return t;
    }

    private static void assertSameAsPredict(Sequential m, int steps, int features, long seed) {
        StreamingPredictor sp = new StreamingPredictor(m);
        for (int s = 0; s < 3; s++) {
            Tensor x = randn(seed + s, 1, steps, features);
            float[] want = m.predict(x).data();
            float[] got = sp.predict(x.data(), new float[sp.outputs()]);
            assertEquals(want.length, sp.outputs());
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], got[i], 1e-5 * Math.max(1, Math.abs(want[i])), "output " + i);
            }
        }
    }

    @Test
    void matchesPredictForForecasterShapes() {
        Sequential m = new Sequential().seed(3);
        m.add(new LSTM(7).inputShape(5, 3));
        m.add(new Dense(2));
        assertSameAsPredict(m, 5, 3, 10);
    }

    @Test
    void matchesPredictWithReluLstmDenseChainAndDropout() {
        // The seed model's head (W0), with widths that are not multiples of the vector length.
        Sequential m = new Sequential().seed(4);
        m.add(new LSTM(33).activation("relu").inputShape(1, 6));
        m.add(new Dropout(0.5));
        m.add(new Dense(17).activation("relu"));
        m.add(new Dense(3).activation("softmax"));
        assertSameAsPredict(m, 1, 6, 20);
    }

    @Test
    void stepByStepEqualsWholeSequence() {
        Sequential m = new Sequential().seed(5);
        m.add(new LSTM(16).inputShape(6, 4));
        m.add(new Dense(1));
        StreamingPredictor sp = new StreamingPredictor(m);
        Tensor x = randn(30, 1, 6, 4);
        float[] whole = sp.predict(x.data(), new float[1]).clone();
        sp.reset();
        float[] out = new float[1];
        for (int t = 0; t < 6; t++) {
            sp.step(x.data(), t * 4, out);
        }
        assertEquals(whole[0], out[0], 1e-6f);
    }

    @Test
    void rejectsOtherModelsNamingTheLayer() {
        Sequential m = new Sequential();
        m.add(new GRU(4).inputShape(3, 2));
        m.add(new Dense(1));
        String why = StreamingPredictor.unsupported(m);
        assertNotNull(why);
        assertTrue(why.contains("GRU"), why);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new StreamingPredictor(m));
        assertTrue(e.getMessage().contains("model.predict"), e.getMessage());

        Sequential seq = new Sequential();
        seq.add(new LSTM(4).returnSequences(true).inputShape(3, 2));
        assertTrue(StreamingPredictor.unsupported(seq).contains("return_sequences"));

        Sequential ok = new Sequential();
        ok.add(new LSTM(4).inputShape(3, 2));
        assertNull(StreamingPredictor.unsupported(ok));
    }
}
