package org.rnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.util.Rng;

class TimeDistributedTest {
    @Test
    void seedModelShapesAndParams() {
        Sequential model = new Sequential();
        TimeDistributed conv = new TimeDistributed(new Conv2D(64, 2).activation("relu")).inputShape(8, 12, 9, 1);
        TimeDistributed pool = new TimeDistributed(new MaxPooling2D());
        TimeDistributed flat = new TimeDistributed(new Flatten());
        model.add(conv);
        model.add(pool);
        model.add(flat);
        assertArrayEquals(new int[] {8, 11, 8, 64}, conv.outputShape());
        assertArrayEquals(new int[] {8, 5, 4, 64}, pool.outputShape());
        assertArrayEquals(new int[] {8, 1280}, flat.outputShape());
        assertEquals(320, conv.countParams());
        assertEquals(0, pool.countParams());
        assertEquals("TimeDistributed", conv.className());
        assertTrue(conv.name().startsWith("time_distributed"), conv.name());
        assertEquals(2, conv.weights().size());
        assertArrayEquals(new int[] {2, 2, 1, 64}, conv.weights().get(0).shape());
        String summary = model.summaryString();
        assertTrue(summary.contains("(None, 8, 11, 8, 64)") && summary.contains("(None, 8, 1280)")
                && summary.contains("Total params: 320"), summary);
        Tensor y = model.predict(GradientCheck.randn(1, 1f, 2, 8, 12, 9, 1));
        assertArrayEquals(new int[] {2, 8, 1280}, y.shape());
    }

    @Test
    void equalsTheInnerLayerAppliedStepByStep() {
        Conv2D inner = new Conv2D(2, 2).activation("tanh");
        TimeDistributed td = new TimeDistributed(inner);
        td.build(new int[] {3, 4, 4, 1}, new Rng(2));
        Tensor x = GradientCheck.randn(3, 1f, 2, 3, 4, 4, 1);
        Tensor y = td.forward(x);
        int step = 4 * 4;
        int outStep = 3 * 3 * 2;
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < 3; t++) {
                float[] slice = java.util.Arrays.copyOfRange(x.data(), (b * 3 + t) * step, (b * 3 + t + 1) * step);
                float[] expected = inner.forward(Tensor.of(slice, 1, 4, 4, 1)).data();
                float[] actual = java.util.Arrays.copyOfRange(y.data(), (b * 3 + t) * outStep, (b * 3 + t + 1) * outStep);
                assertArrayEquals(expected, actual, 1e-6f);
            }
        }
    }

    @Test
    void gradientsThroughInnerLayers() {
        TimeDistributed conv = new TimeDistributed(new Conv2D(2, 2).activation("tanh"));
        conv.build(new int[] {3, 4, 4, 1}, new Rng(4));
        GradientCheck.check(conv, GradientCheck.randn(5, 1f, 2, 3, 4, 4, 1), null, true);
        TimeDistributed dense = new TimeDistributed(new Dense(3).activation("sigmoid"));
        dense.build(new int[] {1, 4}, new Rng(6));
        GradientCheck.check(dense, GradientCheck.randn(7, 1f, 1, 1, 4), null, true); // batch 1, T 1
        TimeDistributed pool = new TimeDistributed(new MaxPooling1D());
        pool.build(new int[] {2, 6, 2}, new Rng(8));
        GradientCheck.check(pool, PoolingTest.distinct(9, 2, 2, 6, 2), null, true);
        TimeDistributed flat = new TimeDistributed(new Flatten());
        flat.build(new int[] {2, 3, 2}, new Rng(8));
        GradientCheck.check(flat, GradientCheck.randn(9, 1f, 2, 2, 3, 2), null, true);
    }

    @Test
    void variableLengthSequences() {
        TimeDistributed td = new TimeDistributed(new Conv1D(2, 2).padding("same"));
        td.build(new int[] {-1, 5, 3}, new Rng(1));
        assertArrayEquals(new int[] {-1, 5, 2}, td.outputShape());
        assertArrayEquals(new int[] {2, 3, 5, 2}, td.forward(GradientCheck.randn(1, 1f, 2, 3, 5, 3)).shape());
        assertArrayEquals(new int[] {1, 7, 5, 2}, td.forward(GradientCheck.randn(2, 1f, 1, 7, 5, 3)).shape());
    }

    @Test
    void maskPassesThrough() {
        TimeDistributed td = new TimeDistributed(new Dense(2));
        td.build(new int[] {3, 4}, new Rng(1));
        Mask m = new Mask(new boolean[] {true, false, true, true, true, false}, 2, 3);
        assertSame(m, td.computeMask(Tensor.zeros(2, 3, 4), m));
    }

    @Test
    void innerShapeErrorNamesBothLayers() {
        TimeDistributed td = new TimeDistributed(new Conv2D(2, 3).name("inner_conv")).name("td");
        var e = assertThrows(LayerShapeException.class, () -> td.build(new int[] {5, 2, 2, 1}, new Rng(1)));
        assertTrue(e.getMessage().contains("'td'") && e.getMessage().contains("inner_conv")
                && e.getMessage().contains("(None, 5, 2, 2, 1)"), e.getMessage());
        var rank = assertThrows(LayerShapeException.class, () -> new TimeDistributed(new Dense(2)).build(new int[] {4}, new Rng(1)));
        assertTrue(rank.getMessage().contains("timesteps"), rank.getMessage());
    }

    @Test
    void configNestsTheInnerLayer() {
        Dense inner = new Dense(3).name("d");
        TimeDistributed td = new TimeDistributed(inner);
        Map<String, Object> cfg = td.config();
        assertSame(inner, cfg.get("layer"));
        assertEquals("time_distributed", cfg.get("name").toString().replaceAll("_\\d+$", ""));
        assertSame(inner, td.layer());
    }
}
