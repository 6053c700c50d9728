package org.rnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.models.Sequential;
import org.rnn4j.regularizers.L1L2;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.util.Rng;

/** Shapes, parameter counts, weight layouts, configs and errors of the recurrent layers. */
class RecurrentLayersTest {
    private static int params(Layer layer, int... inputShape) {
        Sequential m = new Sequential();
        m.add(layer.inputShape(inputShape));
        return (int) layer.countParams();
    }

    @Test
    void seedParameterCounts() {
        assertEquals(170, params(new SimpleRNN(10).activation("relu"), 4, 6));
        assertEquals(680, params(new LSTM(10).activation("relu"), 4, 6));
        assertEquals(540, params(new GRU(10), 4, 6));
        assertEquals(51640, params(new LSTM(10).activation("relu"), 8, 1280));
        Bidirectional bi = new Bidirectional(new LSTM(10).activation("relu"));
        assertEquals(1200, params(bi, 6, 4));
        assertArrayEquals(new int[] {20}, bi.outputShape());
        assertEquals(510, params(new GRU(10).resetAfter(false), 4, 6)); // 3*10*(6+10+1)
    }

    @Test
    void seedBidirectionalModelSummary() {
        org.rnn4j.Rnn4j.clearSession(); // names as in a fresh Keras session: the column wraps by name length
        Sequential m = new Sequential();
        m.add(new Bidirectional(new LSTM(10).activation("relu")).inputShape(6, 4));
        m.add(new Dense(10).activation("relu"));
        m.add(new Dense(2));
        String s = m.summaryString();
        assertTrue(s.contains("(Bidirecti") && s.contains("(None, 20)") && s.contains("1200"), s);
        assertTrue(s.contains("Total params: 1,432"), s);
    }

    @Test
    void kerasWeightLayouts() {
        LSTM lstm = new LSTM(10);
        lstm.build(new int[] {4, 6}, new Rng(1));
        assertEquals(List.of("kernel", "recurrent_kernel", "bias"), lstm.weights().stream().map(Variable::name).toList());
        assertArrayEquals(new int[] {6, 40}, lstm.kernel().shape());
        assertArrayEquals(new int[] {10, 40}, lstm.recurrentKernel().shape());
        assertArrayEquals(new int[] {40}, lstm.bias().shape());
        GRU gru = new GRU(10);
        gru.build(new int[] {4, 6}, new Rng(1));
        assertArrayEquals(new int[] {2, 30}, gru.bias().shape());
        GRU gruBefore = new GRU(10).resetAfter(false);
        gruBefore.build(new int[] {4, 6}, new Rng(1));
        assertArrayEquals(new int[] {30}, gruBefore.bias().shape());
        SimpleRNN rnn = new SimpleRNN(10).useBias(false);
        rnn.build(new int[] {4, 6}, new Rng(1));
        assertEquals(2, rnn.weights().size());
        assertNull(rnn.bias());
    }

    @Test
    void unitForgetBiasInitialisesForgetBlockToOne() {
        LSTM l = new LSTM(3);
        l.build(new int[] {2, 2}, new Rng(1));
        assertArrayEquals(new float[] {0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0}, l.bias().value().data());
        LSTM off = new LSTM(3).unitForgetBias(false);
        off.build(new int[] {2, 2}, new Rng(1));
        assertArrayEquals(new float[12], off.bias().value().data());
    }

    @Test
    void recurrentKernelIsOrthogonalByDefault() {
        LSTM l = new LSTM(5);
        l.build(new int[] {3, 2}, new Rng(4));
        float[] u = l.recurrentKernel().value().data();
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                double dot = 0;
                for (int k = 0; k < 20; k++) {
                    dot += u[i * 20 + k] * u[j * 20 + k];
                }
                assertEquals(i == j ? 1.0 : 0.0, dot, 1e-4);
            }
        }
    }

    @Test
    void fluentSettersChainAndGettersReadBack() {
        L1L2 reg = L1L2.l2(0.01f);
        LSTM l = new LSTM(10).returnSequences(true).unitForgetBias(false).inputShape(4, 6)
                .activation("relu").recurrentActivation("hard_sigmoid").goBackwards(true).returnState(true)
                .dropout(0.2).recurrentDropout(0.1).seed(3L).kernelInitializer("he_normal")
                .recurrentInitializer("glorot_uniform").biasInitializer("ones").kernelRegularizer(reg).name("enc");
        assertEquals(10, l.units());
        assertEquals("relu", l.activation().name());
        assertEquals("hard_sigmoid", l.recurrentActivation().name());
        assertTrue(l.returnSequences() && l.goBackwards() && l.returnState());
        assertFalse(l.unitForgetBias());
        assertEquals(0.2, l.dropout(), 1e-6);
        assertEquals(0.1, l.recurrentDropout(), 1e-6);
        assertEquals(3L, l.seed());
        assertEquals("he_normal", l.kernelInitializer().name());
        assertSame(reg, l.kernelRegularizer());
        assertEquals("enc", l.name());
        assertArrayEquals(new int[] {4, 6}, l.declaredInputShape());
    }

    @Test
    void configUsesKerasKeys() {
        Map<String, Object> c = new GRU(4).resetAfter(false).returnSequences(true).config();
        for (String key : List.of("name", "trainable", "dtype", "return_sequences", "return_state", "go_backwards",
                "stateful", "unroll", "zero_output_for_mask", "units", "activation", "recurrent_activation", "use_bias",
                "kernel_initializer", "recurrent_initializer", "bias_initializer", "kernel_regularizer",
                "recurrent_regularizer", "bias_regularizer", "dropout", "recurrent_dropout", "reset_after", "seed")) {
            assertTrue(c.containsKey(key), "missing " + key + " in " + c);
        }
        assertEquals(4, c.get("units"));
        assertEquals("tanh", c.get("activation"));
        assertEquals("sigmoid", c.get("recurrent_activation"));
        assertEquals(false, c.get("reset_after"));
        assertEquals(true, c.get("return_sequences"));
        assertEquals("glorot_uniform", c.get("kernel_initializer"));
        assertEquals("orthogonal", c.get("recurrent_initializer"));
        assertEquals(true, new LSTM(2).config().get("unit_forget_bias"));
        assertFalse(new SimpleRNN(2).config().containsKey("recurrent_activation"));
    }

    @Test
    void bidirectionalCopiesAreNamedLikeKerasAndConsumeNoNames() {
        LSTM inner = new LSTM(3).returnSequences(true);
        Bidirectional bi = new Bidirectional(inner);
        LSTM next = new LSTM(3);
        assertEquals("forward_" + inner.name(), bi.forwardLayer().name());
        assertEquals("backward_" + inner.name(), bi.backwardLayer().name());
        assertFalse(bi.forwardLayer().goBackwards());
        assertTrue(bi.backwardLayer().goBackwards());
        assertTrue(bi.forwardLayer().zeroOutputForMask(), "Keras forces zero_output_for_mask with return_sequences");
        assertEquals(nextName(inner.name()), next.name());
        bi.build(new int[] {5, 2}, new Rng(1));
        List<Variable> w = bi.weights();
        assertEquals(6, w.size());
        assertSame(bi.forwardLayer().kernel(), w.get(0));
        assertSame(bi.backwardLayer().kernel(), w.get(3));
        assertEquals("concat", bi.config().get("merge_mode"));
    }

    private static String nextName(String name) {
        int us = name.lastIndexOf('_');
        if (us < 0 || !name.substring(us + 1).chars().allMatch(Character::isDigit)) {
            return name + "_1";
        }
        return name.substring(0, us + 1) + (Integer.parseInt(name.substring(us + 1)) + 1);
    }

    @Test
    void bidirectionalWithExplicitBackwardLayer() {
        GRU back = new GRU(2).goBackwards(true).name("my_back");
        Bidirectional bi = new Bidirectional(new GRU(2), back).mergeMode("sum");
        assertSame(back, bi.backwardLayer());
        bi.build(new int[] {3, 4}, new Rng(2));
        assertArrayEquals(new int[] {2}, bi.outputShape());
        var e = assertThrows(IllegalArgumentException.class,
                () -> new Bidirectional(new GRU(2), new GRU(2)));
        assertTrue(e.getMessage().contains("go_backwards"), e.getMessage());
    }

    @Test
    void bidirectionalRejectsBadArguments() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Bidirectional(new LSTM(2)).mergeMode("avg"));
        assertTrue(e.getMessage().contains("'avg'") && e.getMessage().contains("ave"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Bidirectional(new Dense(2)));
        assertTrue(e.getMessage().contains("Dense"), e.getMessage());
    }

    @Test
    void wrongInputRankNamesLayerAndShapes() {
        Sequential m = new Sequential();
        LSTM l = new LSTM(4).name("enc_rank");
        var e = assertThrows(IllegalArgumentException.class, () -> m.add(l.inputShape(8, 12, 9, 1)));
        String msg = e.getMessage();
        assertTrue(msg.contains("enc_rank") && msg.contains("(None, timesteps, features)")
                && msg.contains("(None, 8, 12, 9, 1)"), msg);
    }

    @Test
    void wrongFeatureSizeAtCallNamesLayerAndShapes() {
        GRU l = new GRU(4).name("enc_feat");
        l.build(new int[] {4, 6}, new Rng(1));
        var e = assertThrows(IllegalArgumentException.class, () -> l.forward(Tensor.zeros(2, 4, 5)));
        String msg = e.getMessage();
        assertTrue(msg.contains("enc_feat") && msg.contains("(None, 4, 6)") && msg.contains("(None, 4, 5)"), msg);
        assertThrows(IllegalArgumentException.class, () -> l.forward(Tensor.zeros(2, 6)));
    }

    @Test
    void unitsMustBePositive() {
        var e = assertThrows(IllegalArgumentException.class, () -> new LSTM(0));
        assertTrue(e.getMessage().contains("units"), e.getMessage());
    }

    @Test
    void statesAreTheFinalHiddenAndCellStates() {
        LSTM l = new LSTM(3).returnState(true);
        l.build(new int[] {4, 2}, new Rng(1));
        Tensor x = GradientCheck.randn(1, 1f, 2, 4, 2);
        LayerContext ctx = new LayerContext();
        List<Tensor> out = l.forwardAll(List.of(x), null, false, ctx);
        assertEquals(3, out.size());
        Tensor y = out.get(0);
        assertEquals(0f, y.maxAbsDiff(out.get(1)));
        assertArrayEquals(new int[] {2, 3}, out.get(2).shape());
        List<Tensor> st = l.states(ctx);
        assertEquals(2, st.size());
        assertEquals(0f, st.get(0).maxAbsDiff(out.get(1)));
        assertEquals(0f, st.get(1).maxAbsDiff(out.get(2)));
        assertEquals(0f, y.maxAbsDiff(l.forward(x)), "forward returns the output alone");
    }

    @Test
    void maskPassesThroughOnlyWithReturnSequences() {
        Mask mask = new Mask(new boolean[] {true, false}, 1, 2);
        Tensor x = Tensor.zeros(1, 2, 3);
        assertSame(mask, new LSTM(2).returnSequences(true).computeMask(x, mask));
        assertNull(new LSTM(2).computeMask(x, mask));
        assertSame(mask, new Bidirectional(new GRU(2).returnSequences(true)).computeMask(x, mask));
    }

    @Test
    void variableLengthInputUsesAnyTimesteps() {
        SimpleRNN l = new SimpleRNN(2).returnSequences(true);
        l.build(new int[] {-1, 3}, new Rng(1));
        assertArrayEquals(new int[] {-1, 2}, l.outputShape());
        assertArrayEquals(new int[] {1, 7, 2}, l.forward(Tensor.zeros(1, 7, 3)).shape());
        assertArrayEquals(new int[] {2, 2, 2}, l.forward(Tensor.zeros(2, 2, 3)).shape());
    }

    @Test
    void oneSgdStepDecreasesTheLoss() {
        for (Layer rnn : new Layer[] {new SimpleRNN(4), new LSTM(4), new GRU(4), new GRU(4).resetAfter(false),
                new Bidirectional(new LSTM(3))}) {
            Sequential m = new Sequential().seed(5);
            m.add(rnn.inputShape(6, 3));
            m.add(new Dense(1));
            Tensor x = GradientCheck.randn(8, 1f, 8, 6, 3);
            Tensor y = GradientCheck.randn(9, 1f, 8, 1);
            double before = mseStep(m, x, y, 0.05f);
            double after = mseStep(m, x, y, 0f);
            assertTrue(after < before, rnn.className() + ": loss " + before + " -> " + after);
        }
    }

    /** MSE of one training forward; with lr > 0 also applies one SGD step. */
    private static double mseStep(Sequential m, Tensor x, Tensor y, float lr) {
        Tensor out = m.call(x, true);
        int n = out.size();
        float[] d = new float[n];
        double loss = 0;
        for (int i = 0; i < n; i++) {
            float e = out.data()[i] - y.data()[i];
            loss += e * e / n;
            d[i] = 2 * e / n;
        }
        for (Variable v : m.weights()) {
            v.zeroGrad();
        }
        m.backward(Tensor.of(d, out.shape()));
        for (Variable v : m.weights()) {
            float[] w = v.value().data();
            float[] g = v.grad().data();
            for (int i = 0; i < w.length; i++) {
                w[i] -= lr * g[i];
            }
        }
        return loss;
    }

    @Test
    void maskedStackIgnoresWherePaddingIs() {
        Sequential m = new Sequential().seed(2);
        m.add(new Embedding(10, 4).maskZero(true).inputShape(5));
        m.add(new Bidirectional(new LSTM(3).returnSequences(true)));
        m.add(new GRU(2).goBackwards(true));
        // Same tokens, padded after, before, around: the mask makes every row the same sequence.
        Tensor x = Tensor.of(new float[] {3, 7, 1, 0, 0, 0, 0, 3, 7, 1, 0, 3, 7, 1, 0}, 3, 5);
        Tensor y = m.predict(x);
        for (int r = 1; r < 3; r++) {
            for (int j = 0; j < 2; j++) {
                assertEquals(y.get(0, j), y.get(r, j), 1e-6f, "row " + r);
            }
        }
        Tensor unpadded = m.predict(Tensor.of(new float[] {3, 7, 1, 5, 0}, 1, 5));
        assertTrue(Math.abs(unpadded.get(0, 0) - y.get(0, 0)) > 1e-4, "a real token must change the output");
    }

    @Test
    void maskedStackTrainsWithFit() {
        Rng rng = new Rng(4);
        int n = 64;
        float[] tokens = new float[n * 6];
        float[] target = new float[n];
        for (int i = 0; i < n; i++) {
            int len = 1 + rng.nextInt(6);
            for (int t = 0; t < len; t++) {
                int tok = 1 + rng.nextInt(9);
                tokens[i * 6 + (6 - len) + t] = tok; // pre-padded
                target[i] += tok / 10f;
            }
        }
        Sequential m = new Sequential().seed(4);
        m.add(new Embedding(10, 4).maskZero(true).inputShape(6));
        m.add(new Bidirectional(new GRU(6).returnSequences(true)).mergeMode("sum"));
        m.add(new LSTM(6));
        m.add(new Dense(1));
        m.compile("adam", "mse");
        var h = m.fit(Tensor.of(tokens, n, 6), Tensor.of(target, n, 1),
                org.rnn4j.models.FitOptions.epochs(40).batchSize(16).verbose(0));
        List<Double> loss = h.history().get("loss");
        assertTrue(loss.get(loss.size() - 1) < 0.5 * loss.get(0), "loss " + loss.get(0) + " -> " + loss.get(loss.size() - 1));
    }

    @Test
    void copyConfigRoundTripsEveryOption() {
        List<RecurrentLayer<?>> layers = List.of(
                new SimpleRNN(3).activation("relu").useBias(false).goBackwards(true).dropout(0.1),
                new LSTM(4).recurrentActivation("hard_sigmoid").unitForgetBias(false).returnSequences(true)
                        .returnState(true).recurrentDropout(0.2).seed(9L).kernelRegularizer(L1L2.l1(0.1f))
                        .biasInitializer("ones").recurrentInitializer("glorot_normal"),
                new GRU(5).resetAfter(false).zeroOutputForMask(true).returnSequences(true)
                        .kernelInitializer("he_uniform").recurrentRegularizer(L1L2.l2(0.2f)));
        for (RecurrentLayer<?> l : layers) {
            RecurrentLayer<?> copy = l.copyConfig(l.name());
            assertEquals(l.config(), copy.config());
            assertEquals(l.getClass(), copy.getClass());
        }
    }
}
