package org.rnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * Forward passes against real Keras 3.15.1 output. Each resource {@code golden/<case>.txt}
 * holds the input, every weight (model.weights order, random normal * 0.5) and
 * {@code model.predict(x)}, written by a generator script kept outside the repository. Masked
 * cases used {@code Masking(0.0)}: a step whose features are all zero is padding.
 */
class RecurrentGoldenTest {
    private static final float TOLERANCE = 1e-5f;

    record Case(Tensor x, Tensor mask, List<Tensor> weights, Tensor y) {
    }

    static Case load(String name) {
        String path = "golden/" + name + ".txt";
        try (InputStream in = RecurrentGoldenTest.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            Tensor x = null;
            Tensor y = null;
            Tensor m = null;
            List<Tensor> w = new ArrayList<>();
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank()) {
                    continue;
                }
                int sp = line.indexOf(' ');
                String key = line.substring(0, sp);
                Tensor t = parse(line.substring(sp + 1));
                if (key.equals("x")) {
                    x = t;
                } else if (key.equals("y")) {
                    y = t;
                } else if (key.equals("m")) {
                    m = t;
                } else {
                    w.add(t);
                }
            }
            return new Case(x, m, w, y);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Tensor parse(String s) {
        int colon = s.indexOf(':');
        String[] dims = s.substring(0, colon).split(",");
        int[] shape = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            shape[i] = Integer.parseInt(dims[i].trim());
        }
        String[] vals = s.substring(colon + 1).trim().split(" ");
        float[] data = new float[vals.length];
        for (int i = 0; i < vals.length; i++) {
            data[i] = Float.parseFloat(vals[i]);
        }
        return Tensor.of(data, shape);
    }

    /** Keras's Masking(0.0): a step is padding when all its features are zero. */
    static Mask zeroMask(Tensor x) {
        int b = x.dim(0);
        int t = x.dim(1);
        int f = x.dim(2);
        boolean[] m = new boolean[b * t];
        for (int i = 0; i < b * t; i++) {
            for (int j = 0; j < f; j++) {
                if (x.data()[i * f + j] != 0f) {
                    m[i] = true;
                    break;
                }
            }
        }
        return new Mask(m, b, t);
    }

    private static Mask explicitMask(Tensor m) {
        boolean[] v = new boolean[m.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = m.data()[i] != 0f;
        }
        return new Mask(v, m.dim(0), m.dim(1));
    }

    /** Builds the layers, assigns the Keras weights in order and compares the output. */
    static void check(String name, boolean masked, Layer... layers) {
        Case c = load(name);
        Tensor h = c.x();
        int[] shape = Shapes.dropFirst(h.shape());
        Mask mask = c.mask() != null ? explicitMask(c.mask()) : masked ? zeroMask(h) : null;
        int wi = 0;
        for (Layer layer : layers) {
            layer.build(shape, new Rng(1));
            for (Variable v : layer.weights()) {
                assertArrayEquals(c.weights().get(wi).shape(), v.shape(), name + ": shape of " + v.name());
                v.assign(c.weights().get(wi++));
            }
            Tensor out = layer.forward(h, mask, false);
            mask = layer.computeMask(h, mask);
            h = out;
            shape = layer.outputShape();
        }
        assertEquals(c.weights().size(), wi, name + ": weight count");
        assertArrayEquals(c.y().shape(), h.shape(), name + ": output shape");
        float diff = h.maxAbsDiff(c.y());
        assertTrue(diff < TOLERANCE, name + ": max abs diff " + diff);
    }

    @Test
    void lstm() {
        check("lstm_seq", false, new LSTM(3).returnSequences(true));
        check("lstm_last_relu", false, new LSTM(3).activation("relu"));
        check("lstm_hard_sigmoid_nobias", false,
                new LSTM(3).recurrentActivation("hard_sigmoid").useBias(false).returnSequences(true));
        check("lstm_backwards_seq", false, new LSTM(3).goBackwards(true).returnSequences(true));
    }

    @Test
    void gruBothResetModes() {
        check("gru_after_seq", false, new GRU(3).returnSequences(true));
        check("gru_before_seq", false, new GRU(3).resetAfter(false).returnSequences(true));
        check("gru_backwards_last", false, new GRU(3).goBackwards(true));
    }

    @Test
    void simpleRnn() {
        check("simple_rnn_seq", false, new SimpleRNN(3).returnSequences(true));
        check("simple_rnn_backwards_seq", false, new SimpleRNN(3).goBackwards(true).returnSequences(true));
    }

    @Test
    void masking() {
        check("masked_lstm_seq", true, new LSTM(3).returnSequences(true));
        check("masked_lstm_last", true, new LSTM(3));
        check("masked_gru_before_seq", true, new GRU(3).resetAfter(false).returnSequences(true));
        check("masked_gru_backwards_seq", true, new GRU(3).goBackwards(true).returnSequences(true));
        check("masked_simple_rnn_backwards_last", true, new SimpleRNN(3).goBackwards(true));
        check("masked_stacked_lstm", true, new LSTM(3).returnSequences(true), new GRU(2).returnSequences(true));
    }

    @Test
    void bidirectional() {
        check("masked_bidi_lstm_concat_seq", true, new Bidirectional(new LSTM(3).returnSequences(true)));
        check("masked_bidi_gru_sum_last", true, new Bidirectional(new GRU(3)).mergeMode("sum"));
        check("bidi_lstm_mul_seq", false, new Bidirectional(new LSTM(3).returnSequences(true)).mergeMode("mul"));
        check("bidi_simple_rnn_ave_last", false, new Bidirectional(new SimpleRNN(3)).mergeMode("ave"));
        check("bidi_lstm_concat_relu_last", false, new Bidirectional(new LSTM(3).activation("relu")));
    }

    /**
     * The public fixtures of ../shared/fixtures/keras (weights dumped from their .keras files,
     * expected outputs = their y.npy); the Embedding case starts from the embedding's output
     * and its mask_zero mask.
     */
    @Test
    void publicFixtures() {
        check("fixture_simplernn_last", false, new SimpleRNN(5), new Dense(2));
        check("fixture_lstm_last", false, new LSTM(5), new Dense(2));
        check("fixture_lstm_seq", false, new LSTM(5).returnSequences(true));
        check("fixture_gru_last", false, new GRU(5), new Dense(2));
        check("fixture_stacked_lstm", false, new LSTM(6).returnSequences(true), new LSTM(4), new Dense(2));
        check("fixture_bidi_lstm_concat", false, new Bidirectional(new LSTM(4)), new Dense(2));
        check("fixture_embedding_mask_lstm", false, new LSTM(5), new Dense(2));
    }

    @Test
    void keras3MaskingSemanticsHoldInTheGoldenData() {
        // Pre-padded row 1 of masked_lstm_seq: outputs before the first real token are zeros;
        // post-padded row 0 repeats its last real output.
        Case c = load("masked_lstm_seq");
        float[] y = c.y().data();
        int t = 5;
        int h = 3;
        for (int j = 0; j < h; j++) {
            assertEquals(0f, y[(1 * t) * h + j]);
            assertEquals(y[(0 * t + 2) * h + j], y[(0 * t + 4) * h + j]);
        }
        // Bidirectional with return_sequences puts zeros at masked steps.
        float[] yb = load("masked_bidi_lstm_concat_seq").y().data();
        for (int j = 0; j < 2 * h; j++) {
            assertEquals(0f, yb[(0 * t + 4) * 2 * h + j]);
        }
    }

    /** The masked cases as Keras built them: a Sequential starting with Masking(0.0). */
    @Test
    void maskedCasesThroughSequentialWithMasking() {
        checkSequential("masked_lstm_seq", new LSTM(3).returnSequences(true));
        checkSequential("masked_stacked_lstm", new LSTM(3).returnSequences(true), new GRU(2).returnSequences(true));
        checkSequential("masked_bidi_lstm_concat_seq", new Bidirectional(new LSTM(3).returnSequences(true)));
        checkSequential("masked_gru_backwards_seq", new GRU(3).goBackwards(true).returnSequences(true));
    }

    private static void checkSequential(String name, Layer... layers) {
        Case c = load(name);
        Sequential m = new Sequential();
        m.add(new Masking(0.0).inputShape(Shapes.dropFirst(c.x().shape())));
        for (Layer l : layers) {
            m.add(l);
        }
        List<Variable> w = m.weights();
        assertEquals(c.weights().size(), w.size(), name + ": weight count");
        for (int i = 0; i < w.size(); i++) {
            w.get(i).assign(c.weights().get(i));
        }
        float diff = m.predict(c.x()).maxAbsDiff(c.y());
        assertTrue(diff < TOLERANCE, name + " (Sequential): max abs diff " + diff);
    }
}
