package org.rnn4j.layers.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.io.Npy;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.Variable;
import org.rnn4j.saving.LayerRegistry;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.testing.KerasJson;
import org.rnn4j.testing.MiniJson;
import org.rnn4j.util.Rng;

/**
 * ConvLSTM {@code dropout} / {@code recurrent_dropout} (#13). Keras draws its masks at random per
 * call, so the exact numbers are checked with given masks: Keras's training forward and
 * gradients with the masks of tools/keras-refs/conv_lstm_dropout_refs.py, finite differences
 * with masks fixed from a seeded Rng; the drawn masks are checked for their statistics, for
 * being per call and per seed, and for leaving inference alone.
 */
class ConvLSTMDropoutTest {
    private static Path dir(String name) throws Exception {
        return Path.of(ConvLSTMDropoutTest.class.getResource("/conv-lstm-dropout/" + name).toURI());
    }

    private static float[][] masks(Path d, String prefix) throws Exception {
        if (!Files.exists(d.resolve(prefix + "0.npy"))) {
            return null;
        }
        float[][] m = new float[ConvLSTMDropout.GATES][];
        for (int g = 0; g < m.length; g++) {
            m[g] = Npy.read(d.resolve(prefix + g + ".npy")).data();
        }
        return m;
    }

    private static float rel(Tensor want, Tensor got) {
        float scale = 0;
        for (float v : want.data()) {
            scale = Math.max(scale, Math.abs(v));
        }
        return want.maxAbsDiff(got) / Math.max(1f, scale);
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"conv2d_both", "conv1d_recurrent_only", "conv3d_input_only"})
    void trainingForwardAndGradientsEqualKerasWithTheSameMasks(String name) throws Exception {
        Path d = dir(name);
        Map<String, Object> file = (Map<String, Object>) MiniJson.parse(Files.readString(d.resolve("config.json")));
        Map<String, Object> config = (Map<String, Object>) file.get("config");
        ConvLSTM l = (ConvLSTM) LayerRegistry.fromConfig((String) file.get("class_name"), config);
        for (String key : new String[] {"dropout", "recurrent_dropout", "seed"}) {
            KerasJson.assertSame(config.get(key), l.config().get(key), name + " " + key);
        }
        Tensor x = Npy.read(d.resolve("x.npy"));
        int[] in = java.util.Arrays.copyOfRange(x.shape(), 1, x.rank());
        l.build(in, new Rng(1));
        for (int k = 0; k < l.weights().size(); k++) {
            l.weights().get(k).assign(Npy.read(d.resolve("w" + k + ".npy")));
        }
        float[][] im = masks(d, "in");
        float[][] rm = masks(d, "rec");
        assertEquals(im != null, l.dropout() > 0, name);
        assertEquals(rm != null, l.recurrentDropout() > 0, name);
        l.fixDropoutMasks(im, rm);
        Tensor yInf = l.forward(x, null, false, new LayerContext());
        assertTrue(rel(Npy.read(d.resolve("yinf.npy")), yInf) < 1e-5, name + " inference " + rel(Npy.read(d.resolve("yinf.npy")), yInf));
        LayerContext ctx = new LayerContext();
        Tensor y = l.forward(x, null, true, ctx);
        Tensor want = Npy.read(d.resolve("y.npy"));
        assertTrue(rel(want, y) < 1e-5, name + " training output, max diff " + want.maxAbsDiff(y));
        assertTrue(want.maxAbsDiff(yInf) > 1e-3, name + ": the masks matter");
        for (Variable v : l.weights()) {
            v.zeroGrad();
        }
        Tensor dx = l.backward(Npy.read(d.resolve("r.npy")), ctx);
        Tensor wantDx = Npy.read(d.resolve("dx.npy"));
        assertTrue(rel(wantDx, dx) < 1e-5, name + " dx, max diff " + wantDx.maxAbsDiff(dx));
        for (int k = 0; k < l.weights().size(); k++) {
            Variable v = l.weights().get(k);
            Tensor wantDw = Npy.read(d.resolve("dw" + k + ".npy"));
            assertTrue(rel(wantDw, v.grad()) < 1e-5, name + " d" + v.name() + ", max diff " + wantDw.maxAbsDiff(v.grad()));
        }
    }

    private static float[][] drawn(long seed, int n, double rate) {
        return ConvLSTMDropout.draw(new Rng(seed), n, rate);
    }

    @Test
    void finiteDifferencesWithFixedMasks() {
        ConvLSTM[] layers = {
            ConvLSTM.conv2d(2, 2, 2).padding("same").dropout(0.3).recurrentDropout(0.4).returnSequences(true),
            ConvLSTM.conv1d(2, 3).strides(2).recurrentDropout(0.5).goBackwards(true),
            ConvLSTM.conv1d(3, 2).dropout(0.5).useBias(false).returnSequences(true),
            ConvLSTM.conv3d(2, 1, 2, 2).padding("same").dropout(0.2).recurrentDropout(0.3)};
        int[][] shapes = {{3, 3, 4, 2}, {3, 7, 2}, {3, 4, 2}, {2, 2, 3, 2, 1}};
        long seed = 21;
        for (int i = 0; i < layers.length; i++) {
            ConvLSTM l = layers[i];
            l.build(shapes[i], new Rng(seed));
            CellParityTest.randomize(l.weights(), seed);
            int[] s = shapes[i];
            int step = 1;
            for (int a = 1; a < s.length; a++) {
                step *= s[a];
            }
            int[] state = l.computeOutputShapes(java.util.List.of(s)).get(0);
            int n = 1;
            for (int a = l.returnSequences() ? 1 : 0; a < state.length; a++) {
                n *= state[a];
            }
            l.fixDropoutMasks(l.dropout() > 0 ? drawn(seed, 2 * step, l.dropout()) : null,
                    l.recurrentDropout() > 0 ? drawn(seed + 1, 2 * n, l.recurrentDropout()) : null);
            int[] full = new int[s.length + 1];
            full[0] = 2;
            System.arraycopy(s, 0, full, 1, s.length);
            GradientCheck.check(l, GradientCheck.randn(seed, 0.8f, full),
                    i == 0 ? CellParityTest.randomMask(seed, 2, full[1]) : null, true, 3e-3, 1e-3);
            seed++;
        }
    }

    @Test
    void drawnMasksAreKerasDropoutPerGate() {
        double rate = 0.3;
        int n = 20000;
        float[][] m = drawn(5, n, rate);
        assertEquals(ConvLSTMDropout.GATES, m.length);
        float keep = (float) (1 / (1 - rate));
        for (float[] g : m) {
            int dropped = 0;
            for (float v : g) {
                assertTrue(v == 0f || v == keep, "a mask value is 0 or 1/(1-rate), got " + v);
                dropped += v == 0f ? 1 : 0;
            }
            // binomial: sd = sqrt(n p (1-p)) ~ 65, so 5 sd is ~ 0.016 of n
            assertEquals(rate, dropped / (double) n, 0.017, "dropped fraction");
        }
        int same = 0;
        for (int i = 0; i < n; i++) {
            same += m[0][i] == m[1][i] ? 1 : 0;
        }
        // independent masks agree with probability p^2 + (1-p)^2 = 0.58, identical ones always
        assertEquals(0.58, same / (double) n, 0.02, "the four gates draw their own masks");
    }

    @Test
    void dropoutOnlyInTrainingPerCallAndPerSeed() {
        ConvLSTM a = ConvLSTM.conv2d(2, 2, 2).padding("same").dropout(0.4).recurrentDropout(0.4).seed(7L)
                .returnSequences(true);
        ConvLSTM b = ConvLSTM.conv2d(2, 2, 2).padding("same").dropout(0.4).recurrentDropout(0.4).seed(7L)
                .returnSequences(true);
        ConvLSTM other = ConvLSTM.conv2d(2, 2, 2).padding("same").dropout(0.4).recurrentDropout(0.4).seed(8L)
                .returnSequences(true);
        ConvLSTM plain = ConvLSTM.conv2d(2, 2, 2).padding("same").returnSequences(true);
        int[] in = {3, 3, 3, 2};
        for (ConvLSTM l : new ConvLSTM[] {a, b, other, plain}) {
            l.build(in, new Rng(1));
            CellParityTest.randomize(l.weights(), 3);
        }
        Tensor x = GradientCheck.randn(2, 1f, 2, 3, 3, 3, 2);
        assertEquals(0f, a.forward(x, null, false, new LayerContext()).maxAbsDiff(
                plain.forward(x, null, false, new LayerContext())), "inference is unchanged");
        LayerContext ctx = new LayerContext();
        Tensor first = a.forward(x, null, true, ctx);
        assertEquals(0f, first.maxAbsDiff(b.forward(x, null, true, new LayerContext())), "same seed, same masks");
        assertTrue(first.maxAbsDiff(other.forward(x, null, true, new LayerContext())) > 1e-3, "another seed");
        assertTrue(first.maxAbsDiff(plain.forward(x, null, true, new LayerContext())) > 1e-3, "dropout acts in training");
        assertTrue(first.maxAbsDiff(a.forward(x, null, true, ctx)) > 1e-3, "new masks each call, as Keras");
        assertEquals(0f, a.forward(x, null, false, ctx).maxAbsDiff(plain.forward(x, null, false, new LayerContext())),
                "a context that trained before predicts without dropout");
    }
}
