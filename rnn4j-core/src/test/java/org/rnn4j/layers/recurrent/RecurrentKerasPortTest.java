package org.rnn4j.layers.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.GRU;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.Mask;
import org.rnn4j.layers.RecurrentLayer;
import org.rnn4j.layers.SimpleRNN;
import org.rnn4j.layers.StatefulLayer;
import org.rnn4j.layers.Variable;
import org.rnn4j.regularizers.L1L2;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.util.Rng;

/**
 * The literal-valued assertions of Keras 3.15.1's lstm_test.py, gru_test.py and
 * simple_rnn_test.py, each run three ways: the layer (LSTM...), RNN(cell) (the fused loop) and
 * RNN([cell]) (the cell's own step). Weights are Keras's Constant(0.01) kernel, Constant(0.02)
 * recurrent kernel and Constant(0.03) bias (LSTM's unit_forget_bias puts ones in the forget block).
 */
class RecurrentKerasPortTest {
    /** One Keras assertion: the layer, its options, the call and the expected values. */
    private static final class Case {
        final char kind;  // L, G, S
        final int units;
        final int[] shape;
        boolean back;
        boolean seq;
        boolean zero;
        boolean noBias;
        boolean noForgetBias;
        boolean resetBefore;
        boolean stateful;
        boolean returnState;
        int initial;      // 0: none; n: arange(n) reshaped (batch, units) per state
        boolean[] mask;
        float[] want;
        final String what;

        Case(String what, char kind, int units, int... shape) {
            this.what = what;
            this.kind = kind;
            this.units = units;
            this.shape = shape;
        }

        Case o(String opts) {
            back = opts.contains("back");
            seq = opts.contains("seq");
            zero = opts.contains("zero");
            noBias = opts.contains("nobias");
            noForgetBias = opts.contains("noforget");
            resetBefore = opts.contains("resetbefore");
            stateful = opts.contains("stateful");
            returnState = opts.contains("state");
            return this;
        }

        Case init(int n) {
            initial = n;
            return this;
        }

        Case mask(boolean... m) {
            mask = m;
            return this;
        }

        Case want(float... w) {
            want = w;
            return this;
        }

        /** Each value repeated for every unit (Keras's outputs here are constant across units). */
        Case rows(float... v) {
            want = new float[v.length * units];
            for (int i = 0; i < v.length; i++) {
                Arrays.fill(want, i * units, (i + 1) * units, v[i]);
            }
            return this;
        }
    }

    private static final boolean T = true;
    private static final boolean F = false;

    private static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        // lstm_test.py
        c.add(new Case("lstm correctness", 'L', 3, 3, 6, 4).o("").rows(0.6288687f, 0.86899155f, 0.9460773f));
        c.add(new Case("lstm go_backwards", 'L', 3, 3, 6, 4).o("back").rows(0.35622165f, 0.74789524f, 0.8872726f));
        c.add(new Case("lstm unroll", 'L', 3, 3, 6, 4).o("").rows(0.6288687f, 0.86899155f, 0.9460773f));
        c.add(new Case("lstm unit_forget_bias=False", 'L', 3, 3, 6, 4).o("noforget")
                .rows(0.57019705f, 0.8661914f, 0.9459622f));
        c.add(new Case("lstm use_bias=False", 'L', 3, 3, 6, 4).o("nobias").rows(0.54986924f, 0.86226785f, 0.9443936f));
        c.add(new Case("lstm statefulness", 'L', 4, 2, 3, 4).o("stateful").rows(0.3124785f, 0.6863672f));
        c.add(new Case("lstm initial state", 'L', 2, 2, 4, 3).init(4)
                .want(0.20574439f, 0.3558822f, 0.64930826f, 0.66276f));
        c.add(new Case("lstm initial state go_backwards", 'L', 2, 2, 4, 3).o("back").init(4)
                .want(0.13281618f, 0.2790356f, 0.5839337f, 0.5992567f));
        boolean[] lm = {T, T, T, F, T, T, F, F};
        c.add(new Case("lstm masking unroll", 'L', 2, 2, 4, 3).mask(lm).rows(0.11755939f, 0.28556206f));
        c.add(new Case("lstm masking return_sequences", 'L', 2, 2, 4, 3).o("seq").mask(lm).rows(0.01588910f,
                0.05552048f, 0.11755939f, 0.11755939f, 0.14185596f, 0.28556206f, 0.28556206f, 0.28556206f));
        c.add(new Case("lstm masking zero_output_for_mask", 'L', 2, 2, 4, 3).o("seq zero").mask(lm).rows(0.01588910f,
                0.05552048f, 0.11755939f, 0f, 0.14185596f, 0.28556206f, 0f, 0f));
        c.add(new Case("lstm masking go_backwards", 'L', 2, 2, 4, 3).o("back").mask(F, T, T, T, F, F, T, T)
                .rows(0.15341201f, 0.3844719f));
        // gru_test.py
        c.add(new Case("gru correctness", 'G', 3, 3, 6, 4).rows(0.5217289f, 0.6371659f, 0.39384964f));
        c.add(new Case("gru go_backwards", 'G', 3, 3, 6, 4).o("back").rows(0.24406259f, 0.611516f, 0.3928808f));
        c.add(new Case("gru unroll", 'G', 3, 3, 6, 4).rows(0.5217289f, 0.6371659f, 0.39384964f));
        c.add(new Case("gru reset_after=False", 'G', 3, 3, 6, 4).o("resetbefore")
                .rows(0.51447755f, 0.6426879f, 0.40208298f));
        c.add(new Case("gru use_bias=False", 'G', 3, 3, 6, 4).o("nobias").rows(0.49988455f, 0.64701194f, 0.4103359f));
        c.add(new Case("gru statefulness", 'G', 4, 2, 3, 4).o("stateful").rows(0.29542392f, 0.5885018f));
        c.add(new Case("gru initial state", 'G', 2, 2, 4, 3).init(4)
                .want(0.23774096f, 0.33508456f, 0.83659905f, 1.0227708f));
        c.add(new Case("gru initial state go_backwards", 'G', 2, 2, 4, 3).o("back").init(4)
                .want(0.13486053f, 0.23261218f, 0.78257304f, 0.9691353f));
        c.add(new Case("gru return_state", 'G', 2, 2, 4, 3).o("state").init(4)
                .want(0.23774096f, 0.33508456f, 0.83659905f, 1.0227708f));
        c.add(new Case("gru return_state go_backwards", 'G', 2, 2, 4, 3).o("state back").init(4)
                .want(0.13486053f, 0.23261218f, 0.78257304f, 0.9691353f));
        boolean[] gm = {T, T, F, T, T, F, F, T};
        c.add(new Case("gru masking unroll", 'G', 2, 2, 4, 3).mask(gm).rows(0.19393763f, 0.30818558f));
        c.add(new Case("gru masking return_sequences", 'G', 2, 2, 4, 3).o("seq").mask(gm).rows(0.03606692f,
                0.09497581f, 0.09497581f, 0.19393763f, 0.16051409f, 0.16051409f, 0.16051409f, 0.30818558f));
        c.add(new Case("gru masking zero_output_for_mask", 'G', 2, 2, 4, 3).o("seq zero").mask(gm).rows(0.03606692f,
                0.09497581f, 0f, 0.19393763f, 0.16051409f, 0f, 0f, 0.30818558f));
        c.add(new Case("gru masking go_backwards", 'G', 2, 2, 4, 3).o("back").mask(gm).rows(0.11669192f, 0.28380975f));
        // simple_rnn_test.py
        c.add(new Case("simple_rnn correctness", 'S', 4, 2, 3, 4).rows(0.405432f, 0.73605347f));
        c.add(new Case("simple_rnn unroll", 'S', 4, 2, 3, 4).rows(0.405432f, 0.73605347f));
        c.add(new Case("simple_rnn go_backwards", 'S', 4, 2, 3, 4).o("back").rows(0.11144729f, 0.5528889f));
        c.add(new Case("simple_rnn go_backwards unroll", 'S', 4, 2, 3, 4).o("back").rows(0.11144729f, 0.5528889f));
        c.add(new Case("simple_rnn statefulness", 'S', 4, 2, 3, 4).o("stateful").rows(0.40559256f, 0.7361247f));
        c.add(new Case("simple_rnn initial state", 'S', 4, 2, 4, 3).init(8).rows(0.33621645f, 0.6262637f));
        c.add(new Case("simple_rnn initial state go_backwards", 'S', 4, 2, 4, 3).o("back").init(8)
                .rows(0.07344437f, 0.43043602f));
        boolean[] sm = {T, T, F, T, T, F, F, T};
        c.add(new Case("simple_rnn masking unroll", 'S', 4, 2, 4, 3).mask(sm).rows(0.32951632f, 0.61799484f));
        c.add(new Case("simple_rnn masking return_sequences", 'S', 2, 2, 4, 3).o("seq").mask(sm).rows(0.0599281f,
                0.15122814f, 0.15122814f, 0.32394567f, 0.3969304f, 0.3969304f, 0.3969304f, 0.608085f));
        c.add(new Case("simple_rnn masking zero_output_for_mask", 'S', 2, 2, 4, 3).o("seq zero").mask(sm)
                .rows(0.0599281f, 0.15122814f, 0f, 0.32394567f, 0.3969304f, 0f, 0f, 0.608085f));
        c.add(new Case("simple_rnn masking go_backwards", 'S', 4, 2, 4, 3).o("back").mask(sm)
                .rows(0.07376196f, 0.43645123f));
        return c;
    }

    private static RecurrentLayer<?> layer(Case c) {
        RecurrentLayer<?> l = c.kind == 'L' ? new LSTM(c.units).unitForgetBias(!c.noForgetBias)
                : c.kind == 'G' ? new GRU(c.units).resetAfter(!c.resetBefore) : new SimpleRNN(c.units);
        return l.useBias(!c.noBias);
    }

    private static BaseCell<?> cell(Case c) {
        BaseCell<?> b = c.kind == 'L' ? new LSTMCell(c.units).unitForgetBias(!c.noForgetBias)
                : c.kind == 'G' ? new GRUCell(c.units).resetAfter(!c.resetBefore) : new SimpleRNNCell(c.units);
        return b.useBias(!c.noBias);
    }

    /** Keras's Constant initializers (0.01, 0.02, 0.03), with LSTM's unit_forget_bias ones. */
    private static void constants(Case c, List<Variable> ws) {
        Arrays.fill(ws.get(0).value().data(), 0.01f);
        Arrays.fill(ws.get(1).value().data(), 0.02f);
        if (ws.size() > 2) {
            float[] b = ws.get(2).value().data();
            Arrays.fill(b, 0.03f);
            if (c.kind == 'L' && !c.noForgetBias) {
                Arrays.fill(b, c.units, 2 * c.units, 1f);
            }
        }
    }

    private static Tensor arange(int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return Tensor.of(v, shape);
    }

    private static List<Tensor> run(Layer l, Case c) {
        List<Tensor> in = new ArrayList<>();
        in.add(arange(c.shape));
        int states = c.kind == 'L' ? 2 : 1;
        if (c.initial > 0) {
            for (int k = 0; k < states; k++) {
                in.add(arange(c.shape[0], c.initial / c.shape[0]));
            }
        }
        Mask m = c.mask == null ? null : new Mask(c.mask, c.shape[0], c.shape[1]);
        return l.forwardAll(in, Collections.singletonList(m), false, new LayerContext());
    }

    private static void check(Layer l, Case c, String how) {
        List<int[]> shapes = new ArrayList<>();
        shapes.add(new int[] {c.shape[1], c.shape[2]});
        if (c.initial > 0) {
            for (int k = 0; k < (c.kind == 'L' ? 2 : 1); k++) {
                shapes.add(new int[] {c.initial / c.shape[0]});
            }
        }
        l.build(shapes, new Rng(1));
        constants(c, l.weights());
        List<Tensor> out = run(l, c);
        if (c.stateful) {
            // Keras: call, call again (states carried) -> expected; reset_state, call twice -> the same.
            out = run(l, c);
            check(c, out.get(0), how);
            ((StatefulLayer) l).resetStates();
            run(l, c);
            out = run(l, c);
        }
        check(c, out.get(0), how);
        if (c.returnState) {
            check(c, out.get(1), how + " state");
        }
    }

    private static void check(Case c, Tensor got, String how) {
        assertEquals(c.want.length, got.size(), c.what + " (" + how + ")");
        for (int i = 0; i < c.want.length; i++) {
            assertEquals(c.want[i], got.data()[i], 1e-5 + 1e-5 * Math.abs(c.want[i]), c.what + " (" + how + ") " + i);
        }
    }

    @Test
    void kerasNumbersForTheLayerAndBothCellPaths() {
        for (Case c : cases()) {
            RecurrentLayer<?> l = layer(c).returnSequences(c.seq).goBackwards(c.back).zeroOutputForMask(c.zero)
                    .stateful(c.stateful).returnState(c.returnState);
            check(l, c, "layer");
            check(new RNN(cell(c)).returnSequences(c.seq).goBackwards(c.back).zeroOutputForMask(c.zero)
                    .stateful(c.stateful).returnState(c.returnState).unroll(c.what.contains("unroll")), c, "RNN(cell)");
            check(new RNN(List.of(cell(c))).returnSequences(c.seq).goBackwards(c.back).zeroOutputForMask(c.zero)
                    .stateful(c.stateful).returnState(c.returnState), c, "RNN([cell])");
        }
    }

    /** test_basics of the three files (8 run_layer_test calls): output shapes, weights, regularizer losses. */
    @Test
    void basics() {
        for (char kind : new char[] {'L', 'G', 'S'}) {
            Case c = new Case("basics", kind, 3, 3, 2, 4);
            for (int variant = 0; variant < 3; variant++) {
                if (kind == 'S' && variant == 0) {
                    continue; // simple_rnn_test.py has no dropout-only case
                }
                List<Layer> ls = new ArrayList<>();
                RecurrentLayer<?> l = layer(c);
                BaseCell<?> cl = cell(c);
                if (variant == 0) {
                    l.dropout(0.5);
                    cl.dropout(0.5);
                } else if (variant == 1) {
                    l.dropout(0.5).recurrentDropout(0.5);
                    cl.dropout(0.5).recurrentDropout(0.5);
                } else {
                    l.returnSequences(true).biasRegularizer(L1L2.l1(0.01f))
                            .kernelRegularizer(L1L2.l2(0.01f)).recurrentRegularizer(L1L2.l2(0.01f));
                    cl.biasRegularizer(L1L2.l1(0.01f)).kernelRegularizer(L1L2.l2(0.01f))
                            .recurrentRegularizer(L1L2.l2(0.01f));
                }
                ls.add(l);
                ls.add(new RNN(cl).returnSequences(variant == 2));
                for (Layer x : ls) {
                    x.build(new int[] {2, 4}, new Rng(3));
                    int[] want = variant == 2 ? new int[] {2, 3} : new int[] {3};
                    assertArrayEquals(want, x.outputShape(), kind + " " + variant);
                    assertEquals(3, x.weights().size());
                    long losses = x.weights().stream().filter(v -> v.regularizer() != null).count();
                    assertEquals(variant == 2 ? 3 : 0, losses);
                    Tensor y = x.forward(GradientCheck.randn(variant, 1f, 3, 2, 4), null, true, new LayerContext());
                    int[] full = variant == 2 ? new int[] {3, 2, 3} : new int[] {3, 3};
                    assertArrayEquals(full, y.shape());
                }
            }
        }
    }

    /** gru_test.py test_legacy_implementation_argument (1): a config with implementation=0 loads. */
    @Test
    void legacyImplementationArgument() throws Exception {
        Case c = new Case("gru legacy implementation", 'G', 3, 3, 6, 4).rows(0.5217289f, 0.6371659f, 0.39384964f);
        java.util.Map<String, Object> cfg = new java.util.LinkedHashMap<>(new GRU(3).config());
        cfg.put("implementation", 0L);
        cfg.put("units", 3L); // as parsed from JSON
        Layer l = org.rnn4j.saving.LayerRegistry.fromConfig("GRU", cfg);
        check(l, c, "from_config");
        java.util.Map<String, Object> cell = new java.util.LinkedHashMap<>(new GRUCell(3).config());
        cell.put("implementation", 0L);
        cell.put("units", 3L);
        check(new RNN(GRUCell.fromConfig(cell)), c, "GRUCell.fromConfig");
    }

    /** gru_test.py test_stateful_with_symbolic_batch_size (1): a stateful GRU's second call keeps its shape. */
    @Test
    void statefulGruKeepsItsBatch() {
        GRU g = new GRU(5).stateful(true);
        g.build(new int[] {10, 10}, new Rng(1));
        Tensor x = Tensor.full(1f, 2, 10, 10);
        g.forward(x, null, true, new LayerContext());
        assertArrayEquals(new int[] {2, 5}, g.forward(x, null, true, new LayerContext()).shape());
    }
}
