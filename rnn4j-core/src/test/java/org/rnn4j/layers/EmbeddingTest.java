package org.rnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.util.Rng;

class EmbeddingTest {
    private static Embedding built(Embedding e, int... in) {
        e.build(in, new Rng(3));
        return e;
    }

    @Test
    void looksUpRowsAndScatterAddsGradients() {
        Embedding e = built(new Embedding(5, 2), 3);
        e.weights().get(0).assign(Tensor.of(new float[] {0, 0, 1, 2, 3, 4, 5, 6, 7, 8}, 5, 2));
        Tensor x = Tensor.of(new float[] {1, 4, 1, 0, 2, 2}, 2, 3);
        Tensor y = e.forward(x, null, true);
        assertArrayEquals(new float[] {1, 2, 7, 8, 1, 2, 0, 0, 3, 4, 3, 4}, y.data());
        float[] dy = new float[12];
        for (int i = 0; i < dy.length; i++) {
            dy[i] = i + 1;
        }
        Tensor dx = e.backward(Tensor.of(dy, 2, 3, 2));
        // id 1 at positions 0 and 2, id 2 at 4 and 5: gradients add up.
        assertArrayEquals(new float[] {7, 8, 1 + 5, 2 + 6, 9 + 11, 10 + 12, 0, 0, 3, 4}, e.weights().get(0).grad().data());
        assertArrayEquals(new int[] {2, 3}, dx.shape());
        assertArrayEquals(new float[6], dx.data());
    }

    @Test
    void gradientCheckIncludingBatchOneAndOneStep() {
        Embedding e = built(new Embedding(6, 3), 4);
        GradientCheck.check(e, Tensor.of(new float[] {1, 5, 0, 1, 2, 2, 3, 4}, 2, 4), null, false);
        Embedding one = built(new Embedding(4, 2), 1);
        GradientCheck.check(one, Tensor.of(new float[] {3}, 1, 1), null, false);
    }

    @Test
    void maskZeroMasksPadding() {
        Embedding e = built(new Embedding(5, 2).maskZero(true), 3);
        Mask m = e.computeMask(Tensor.of(new float[] {1, 0, 3, 0, 0, 2}, 2, 3), null);
        assertArrayEquals(new boolean[] {true, false, true, false, false, true}, m.values());
        assertNull(built(new Embedding(5, 2), 3).computeMask(Tensor.zeros(1, 3), null));
    }

    @Test
    void outOfRangeIdsAreClearErrors() {
        Embedding e = built(new Embedding(10, 2).name("tokens"), 2);
        var high = assertThrows(IllegalArgumentException.class, () -> e.forward(Tensor.of(new float[] {3, 12}, 1, 2)));
        assertTrue(high.getMessage().contains("'tokens'") && high.getMessage().contains("token id 12")
                && high.getMessage().contains("inputDim=10"), high.getMessage());
        var neg = assertThrows(IllegalArgumentException.class, () -> e.forward(Tensor.of(new float[] {-1, 2}, 1, 2)));
        assertTrue(neg.getMessage().contains("token id -1"), neg.getMessage());
        var frac = assertThrows(IllegalArgumentException.class, () -> e.forward(Tensor.of(new float[] {1.5f, 2}, 1, 2)));
        assertTrue(frac.getMessage().contains("whole number"), frac.getMessage());
    }

    @Test
    void kerasDefaultsAndConfig() {
        Embedding e = built(new Embedding(100, 8), 5);
        assertEquals("embeddings", e.weights().get(0).name());
        assertArrayEquals(new int[] {100, 8}, e.weights().get(0).shape());
        assertArrayEquals(new int[] {5, 8}, e.outputShape());
        for (float v : e.weights().get(0).value().data()) {
            assertTrue(v >= -0.05f && v <= 0.05f, "RandomUniform(-0.05, 0.05): " + v);
        }
        var cfg = new Embedding(100, 8).maskZero(true).config();
        assertEquals(100, cfg.get("input_dim"));
        assertEquals(8, cfg.get("output_dim"));
        assertEquals(true, cfg.get("mask_zero"));
        assertEquals("random_uniform", cfg.get("embeddings_initializer"));
        var err = assertThrows(LayerShapeException.class, () -> new Embedding(5, 2).maskZero(true).build(new int[] {2, 3}, new Rng(1)));
        assertTrue(err.getMessage().contains("timesteps"), err.getMessage());
    }
}
