package org.rnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.util.Rng;

class BatchNormalizationTest {
    private static final Map<String, KerasGolden.Case> CASES = KerasGolden.load("keras_bn_golden.txt");

    /** Runs the case's model in inference or training mode; returns the model for further checks. */
    private static Sequential run(String name, boolean training, Supplier<List<Layer>> layers) {
        KerasGolden.Case c = CASES.get(name);
        Sequential model = new Sequential();
        for (Layer l : layers.get()) {
            model.add(l);
        }
        model.build(Shapes.dropFirst(c.x().shape()));
        for (int i = 0; i < model.weights().size(); i++) {
            model.weights().get(i).assign(c.weights().get(i));
        }
        Tensor y = model.call(c.x(), training);
        float diff = y.maxAbsDiff(c.y());
        assertTrue(diff < 1e-5f, name + ": max abs diff " + diff);
        return model;
    }

    private static void checkMoving(String name, Sequential model) {
        Tensor expected = CASES.get(name).y();
        var w = model.weights();
        Tensor mm = w.get(w.size() - 2).value();
        Tensor mv = w.get(w.size() - 1).value();
        int c = mm.size();
        for (int j = 0; j < c; j++) {
            assertEquals(expected.data()[j], mm.data()[j], 1e-5f, name + " moving_mean[" + j + "]");
            assertEquals(expected.data()[c + j], mv.data()[j], 1e-5f, name + " moving_variance[" + j + "]");
        }
    }

    @Test
    void matchesKerasInferenceTrainingAndMovingStatistics() {
        run("bn_infer", false, () -> List.of(new BatchNormalization()));
        checkMoving("bn_moving", run("bn_train", true, () -> List.of(new BatchNormalization())));
        Supplier<List<Layer>> noScale = () -> List.of(new BatchNormalization().momentum(0.9).epsilon(0.01).scale(false));
        run("bn_momentum_noscale_infer", false, noScale);
        checkMoving("bn_momentum_noscale_moving", run("bn_momentum_noscale_train", true, noScale));
    }

    @Test
    void maskedMomentsMatchKeras() {
        Sequential m = run("bn_masked_train", true, () -> List.of(new Embedding(10, 3).maskZero(true), new BatchNormalization()));
        checkMoving("bn_masked_moving", m);
    }

    @Test
    void gradientsInTrainingAndInferenceModes() {
        BatchNormalization bn = new BatchNormalization();
        bn.build(new int[] {5, 3}, new Rng(1));
        bn.weights().get(0).assign(GradientCheck.randn(2, 1f, 3));
        bn.weights().get(1).assign(GradientCheck.randn(3, 1f, 3));
        GradientCheck.check(bn, GradientCheck.randn(4, 1.5f, 2, 5, 3), null, true);
        Mask mask = new Mask(new boolean[] {true, true, true, false, false, false, true, true, true, true}, 2, 5);
        GradientCheck.check(bn, GradientCheck.randn(5, 1.5f, 2, 5, 3), mask, true);
        BatchNormalization flat = new BatchNormalization().center(false);
        flat.build(new int[] {4}, new Rng(2));
        GradientCheck.check(flat, GradientCheck.randn(6, 1f, 7, 4), null, true);
        // A frozen layer normalises with the moving statistics, as Keras.
        BatchNormalization frozen = new BatchNormalization();
        frozen.build(new int[] {3}, new Rng(3));
        frozen.trainable(false);
        Tensor x = GradientCheck.randn(7, 1f, 4, 3);
        assertArrayEquals(frozen.forward(x, null, false).data(), frozen.forward(x, null, true).data(), 1e-7f);
        GradientCheck.check(frozen, x, null, true);
    }

    @Test
    void kerasWeightsAndConfig() {
        BatchNormalization bn = new BatchNormalization();
        bn.build(new int[] {6, 4}, new Rng(1));
        assertEquals(List.of("gamma", "beta", "moving_mean", "moving_variance"),
                bn.weights().stream().map(Variable::name).toList());
        assertTrue(bn.weights().get(0).trainable());
        assertFalse(bn.weights().get(2).trainable());
        assertEquals(16, bn.countParams());
        assertEquals(8, bn.trainableParams());
        Map<String, Object> cfg = bn.config();
        assertEquals(-1, cfg.get("axis"));
        assertEquals(0.99, cfg.get("momentum"));
        assertEquals(0.001, cfg.get("epsilon"));
        assertEquals("ones", cfg.get("gamma_initializer"));
        assertEquals(true, cfg.get("center"));
    }
}
