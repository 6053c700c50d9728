package org.rnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.util.Rng;

/**
 * A layer called at two call sites (two contexts, as a shared layer in a functional model) and
 * back-propagated through both: each site's input gradient comes from its own forward pass and
 * the weight gradients are the sum of both sites', checked by finite differences of
 * {@code L = sum(f(x1) * r1) + sum(f(x2) * r2)}.
 */
class SharedLayerGradientTest {

    private static void checkShared(Layer layer, int[] sampleShape, boolean checkInputs, Supplier<Tensor[]> inputs) {
        layer.build(sampleShape, new Rng(11));
        Tensor[] xs = inputs.get();
        Tensor x1 = xs[0];
        Tensor x2 = xs[1];
        LayerContext c1 = new LayerContext();
        LayerContext c2 = new LayerContext();
        Tensor y1 = layer.forward(x1, null, true, c1);
        Tensor y2 = layer.forward(x2, null, true, c2);
        Tensor r1 = GradientCheck.randn(101, 1f, y1.shape());
        Tensor r2 = GradientCheck.randn(202, 1f, y2.shape());

        // Each site alone, for the sum.
        List<float[]> alone1 = new ArrayList<>();
        List<float[]> alone2 = new ArrayList<>();
        zeroGrads(layer);
        Tensor dx1Alone = layer.backward(r1.copy(), c1);
        for (Variable v : layer.weights()) {
            alone1.add(v.grad().data().clone());
        }
        zeroGrads(layer);
        Tensor dx2Alone = layer.backward(r2.copy(), c2);
        for (Variable v : layer.weights()) {
            alone2.add(v.grad().data().clone());
        }

        // Both sites, in reverse call order, as a model's backward runs.
        zeroGrads(layer);
        Tensor dx2 = layer.backward(r2.copy(), c2);
        Tensor dx1 = layer.backward(r1.copy(), c1);
        if (checkInputs) {
            assertArrayEquals(dx1Alone.data(), dx1.data(), "site 1's input gradient comes from its own forward");
            assertArrayEquals(dx2Alone.data(), dx2.data(), "site 2's input gradient comes from its own forward");
        }
        List<Variable> weights = layer.weights();
        for (int w = 0; w < weights.size(); w++) {
            float[] g = weights.get(w).grad().data();
            for (int i = 0; i < g.length; i++) {
                assertEquals(alone1.get(w)[i] + alone2.get(w)[i], g[i], 1e-5 * (1 + Math.abs(g[i])),
                        weights.get(w).name() + "[" + i + "] is the sum of both sites' gradients");
            }
        }

        Supplier<Double> objective = () -> dot(layer.forward(x1, null, true, new LayerContext()), r1)
                + dot(layer.forward(x2, null, true, new LayerContext()), r2);
        Rng rng = new Rng(7);
        for (Variable v : weights) {
            if (v.trainable()) {
                compare(layer.name() + "/" + v.name(), v.value().data(), v.grad().data().clone(), objective, rng);
            }
        }
        if (checkInputs) {
            compare("site 1 input", x1.data(), dx1.data(), objective, rng);
            compare("site 2 input", x2.data(), dx2.data(), objective, rng);
        }
    }

    private static void zeroGrads(Layer layer) {
        for (Variable v : layer.weights()) {
            v.zeroGrad();
        }
    }

    private static void compare(String what, float[] values, float[] analytic, Supplier<Double> objective, Rng rng) {
        double eps = 1e-2;
        int samples = Math.min(values.length, 60);
        int[] order = rng.permutation(values.length);
        for (int s = 0; s < samples; s++) {
            int i = order[s];
            float saved = values[i];
            values[i] = (float) (saved + eps);
            double plus = objective.get();
            values[i] = (float) (saved - eps);
            double minus = objective.get();
            values[i] = saved;
            double numeric = (plus - minus) / (2 * eps);
            double err = Math.abs(numeric - analytic[i]) / Math.max(1.0, Math.abs(numeric) + Math.abs(analytic[i]));
            assertTrue(err < 1e-3, what + "[" + i + "]: numeric " + numeric + " vs analytic " + analytic[i]);
        }
    }

    private static double dot(Tensor y, Tensor r) {
        double s = 0;
        for (int i = 0; i < y.size(); i++) {
            s += (double) y.data()[i] * r.data()[i];
        }
        return s;
    }

    private static Supplier<Tensor[]> randn(int... shape) {
        return () -> new Tensor[] {GradientCheck.randn(1, 1f, shape), GradientCheck.randn(2, 1f, shape)};
    }

    @Test
    void sharedDenseSumsItsWeightGradients() {
        checkShared(new Dense(4).activation("tanh"), new int[] {3}, true, randn(5, 3));
    }

    @Test
    void sharedDenseOnSequencesOfDifferentLengths() {
        Dense d = new Dense(3).activation("sigmoid");
        checkShared(d, new int[] {-1, 2}, true,
                () -> new Tensor[] {GradientCheck.randn(3, 1f, 2, 4, 2), GradientCheck.randn(4, 1f, 3, 6, 2)});
    }

    @Test
    void sharedConv1DSumsItsWeightGradients() {
        checkShared(new Conv1D(3, 3).activation("tanh"), new int[] {-1, 2}, true,
                () -> new Tensor[] {GradientCheck.randn(5, 1f, 2, 7, 2), GradientCheck.randn(6, 1f, 3, 9, 2)});
    }

    @Test
    void sharedConv1DReluDirectAndIm2colPaths() {
        // Small kernel: ConvDirect with relu fused into backward; large kernel: im2col + matmul.
        checkShared(new Conv1D(2, 2).activation("relu"), new int[] {8, 2}, true, randn(2, 8, 2));
        checkShared(new Conv1D(2, 6).padding("same").activation("elu"), new int[] {8, 3}, true, randn(2, 8, 3));
    }

    @Test
    void sharedConv2DSumsItsWeightGradients() {
        checkShared(new Conv2D(2, 2).activation("tanh"), new int[] {4, 5, 2}, true, randn(2, 4, 5, 2));
    }

    @Test
    void sharedEmbeddingScatterAddsBothSites() {
        checkShared(new Embedding(6, 3), new int[] {4}, false, () -> {
            Tensor a = Tensor.of(new float[] {1, 2, 2, 5, 0, 3, 1, 1}, 2, 4);
            Tensor b = Tensor.of(new float[] {5, 4, 1, 0}, 1, 4);
            return new Tensor[] {a, b};
        });
    }

    @Test
    void sharedTimeDistributedDenseKeepsAChildContextPerSite() {
        checkShared(new TimeDistributed(new Dense(3).activation("tanh")), new int[] {4, 2}, true, randn(2, 4, 2));
    }

    @Test
    void sharedBatchNormalizationInInference() {
        // Training moves the moving statistics (weights), so the finite differences use inference.
        BatchNormalization bn = new BatchNormalization();
        bn.build(new int[] {3}, new Rng(1));
        Tensor x1 = GradientCheck.randn(1, 1f, 4, 3);
        Tensor x2 = GradientCheck.randn(2, 1f, 5, 3);
        LayerContext c1 = new LayerContext();
        LayerContext c2 = new LayerContext();
        Tensor y1 = bn.forward(x1, null, true, c1);
        Tensor y2 = bn.forward(x2, null, true, c2);
        assertEquals(x1.size(), y1.size());
        Tensor dx1 = bn.backward(Tensor.full(1f, y1.shape()), c1);
        Tensor dx2 = bn.backward(Tensor.full(1f, y2.shape()), c2);
        assertArrayEquals(x1.shape(), dx1.shape());
        assertArrayEquals(x2.shape(), dx2.shape());
    }

    @Test
    void convSkipsTheInputGradientWhenTheContextSaysSo() {
        Conv1D conv = new Conv1D(2, 3);
        conv.build(new int[] {6, 2}, new Rng(3));
        LayerContext ctx = new LayerContext().inputGradientNeeded(false);
        Tensor y = conv.forward(GradientCheck.randn(1, 1f, 2, 6, 2), null, true, ctx);
        assertNull(conv.backward(Tensor.full(1f, y.shape()), ctx));
        float sum = 0;
        for (float g : conv.weights().get(0).grad().data()) {
            sum += Math.abs(g);
        }
        assertTrue(sum > 0, "the kernel gradient is still taken");
    }

    @Test
    void backwardWithoutATrainingForwardAtThisSiteFails() {
        Dense d = new Dense(2);
        d.build(new int[] {3}, new Rng(3));
        LayerContext trained = new LayerContext();
        d.forward(GradientCheck.randn(1, 1f, 2, 3), null, true, trained);
        LayerContext other = new LayerContext();
        d.forward(GradientCheck.randn(1, 1f, 2, 3), null, false, other);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> d.backward(Tensor.zeros(2, 2), other));
    }

    @Test
    void dropoutStreamsArePerContextAndSeeded() {
        Dropout a = new Dropout(0.5);
        a.build(new int[] {50}, new Rng(9));
        Dropout b = new Dropout(0.5);
        b.build(new int[] {50}, new Rng(9));
        Tensor x = Tensor.full(1f, 4, 50);
        LayerContext ca = new LayerContext();
        LayerContext cb = new LayerContext();
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(a.forward(x, null, true, ca).data(), b.forward(x, null, true, cb).data(),
                    "same model seed, same masks, call after call");
        }
        // Inference draws nothing: a context that ran inference first gives the same first mask.
        Tensor first = a.forward(x, null, true, new LayerContext());
        LayerContext cd = new LayerContext();
        a.forward(x, null, false, cd);
        assertArrayEquals(first.data(), a.forward(x, null, true, cd).data());
        // Keras's seed= fixes the stream whatever the model's generator.
        Dropout s1 = new Dropout(0.5).seed(123);
        s1.build(new int[] {50}, new Rng(1));
        Dropout s2 = new Dropout(0.5).seed(123);
        s2.build(new int[] {50}, new Rng(2));
        assertEquals(123L, s1.seed());
        assertEquals(123L, s1.config().get("seed"));
        assertArrayEquals(s1.forward(x, null, true, new LayerContext()).data(),
                s2.forward(x, null, true, new LayerContext()).data());
    }
}
