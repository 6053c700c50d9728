package org.rnn4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.Bidirectional;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.GlobalAveragePooling1D;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Reshape;
import org.rnn4j.layers.SymbolicTensor;
import org.rnn4j.layers.Variable;
import org.rnn4j.layers.attention.MultiHeadAttention;
import org.rnn4j.layers.merging.Concatenate;
import org.rnn4j.layers.recurrent.ConvLSTM;
import org.rnn4j.optimizers.SGD;
import org.rnn4j.regularizers.L1L2;
import org.rnn4j.saving.LayerRegistry;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;

/**
 * Activity regularizers that Keras applies inside a layer: on the two copies a Bidirectional
 * wrapper calls (each output, states included), on MultiHeadAttention's four projections (Keras
 * hands MHA's activity_regularizer to its EinsumDense sublayers, not to the MHA output), and on
 * ConvLSTM's output. Parity with a real Keras two-step training (keras-train/activity_inner_layers)
 * and finite-difference checks of the whole loss's gradient.
 */
class InnerActivityRegularizerTest {

    private static Model kerasCase() {
        SymbolicTensor in = Input.of(4, 5, 2).name("frames");
        SymbolicTensor c = ConvLSTM.conv1d(3, 2).padding("same").returnSequences(true).name("conv_lstm")
                .activityRegularizer(L1L2.l2(0.05f)).call(in);
        SymbolicTensor h = new Reshape(4, 15).call(c);
        h = new Bidirectional(new LSTM(3).returnSequences(true).activityRegularizer(L1L2.l1(0.02f))).name("bi").call(h);
        h = new MultiHeadAttention(2, 2).activityRegularizer(new L1L2(0.01f, 0.02f)).name("mha").call(h, h);
        SymbolicTensor out = new Dense(2).name("out").call(new GlobalAveragePooling1D().call(h));
        return new Model(List.of(in), List.of(out));
    }

    @Test
    void trainsTwoStepsAndEvaluatesEqualToKeras() throws Exception {
        KerasTrainRefs refs = new KerasTrainRefs("activity_inner_layers");
        Model model = kerasCase();
        refs.loadInitialWeights(model);
        List<Tensor> x = refs.arrays("x");
        List<Tensor> y = refs.arrays("y");
        assertTrue(model.predict(x).get(0).maxAbsDiff(refs.arrays("p0_").get(0)) < 1e-5, "prediction");
        model.compile(CompileOptions.optimizer(new SGD(0.1)).loss("mse"));
        KerasTrainRefs.assertLogs(refs.logs("evaluate0"), model.evaluate(x, y, 6, 0), 1e-5, "evaluate");
        for (int step = 1; step <= 2; step++) {
            KerasTrainRefs.assertLogs(refs.logs(step), model.trainOnBatch(x, y), 1e-5, "step " + step);
            refs.assertWeightsAfter(model, step, 1e-5);
        }
    }

    @Test
    void multiHeadAttentionRegularizesItsProjectionsNotItsOutput() throws Exception {
        MultiHeadAttention m = new MultiHeadAttention(2, 3);
        L1L2 r = new L1L2(0.01f, 0.02f);
        assertSame(m, m.activityRegularizer(r));
        assertNull(m.activityRegularizer(), "the model must not regularize the MHA output a second time");
        assertSame(r, m.projectionActivityRegularizer());
        Map<String, Object> config = m.config();
        MultiHeadAttention back = (MultiHeadAttention) LayerRegistry.fromConfig("MultiHeadAttention", asJson(config));
        assertNull(back.activityRegularizer());
        assertEquals(config.toString(), back.config().toString(), "activity_regularizer saved and read back");
    }

    @Test
    void convLstmSavesItsActivityRegularizer() throws Exception {
        Layer l = ConvLSTM.conv1d(2, 2).activityRegularizer(L1L2.l2(0.05f));
        Map<String, Object> config = l.config();
        assertTrue(config.get("activity_regularizer") instanceof Map, "config: " + config);
        Layer back = LayerRegistry.fromConfig("ConvLSTM1D", asJson(config));
        assertEquals(config.toString(), back.config().toString());
    }

    private static Model bidirectionalWithStates(L1L2 reg, List<List<SymbolicTensor>> outputs) {
        SymbolicTensor in = Input.of(5, 3);
        Layer lstm = new LSTM(3).returnState(true);
        if (reg != null) {
            lstm.activityRegularizer(reg);
        }
        List<SymbolicTensor> outs = new Bidirectional(lstm).call(List.of(in));
        List<SymbolicTensor> record = new ArrayList<>(List.of(in));  // [input, outputs...]
        record.addAll(outs);
        outputs.add(record);
        SymbolicTensor all = new Concatenate().call(outs.toArray(new SymbolicTensor[0]));
        Model model = new Model(List.of(in), List.of(new Dense(1).call(all)));
        model.compile(CompileOptions.optimizer(new SGD(0.1)).loss("mse"));
        return model;
    }

    /** return_state: Keras regularizes every output of each copy (tree.flatten of [y, h, c]). */
    @Test
    void bidirectionalRegularizesEachCopysOutputsAndStates() throws Exception {
        // L2 only: an L1 term's kink at an output near 0 would break the central differences
        // (the L1 gradient is checked against Keras in trainsTwoStepsAndEvaluatesEqualToKeras)
        L1L2 reg = L1L2.l2(0.05f);
        List<List<SymbolicTensor>> outs = new ArrayList<>();
        Model model = bidirectionalWithStates(reg, outs);
        Model plain = bidirectionalWithStates(null, outs);
        plain.setWeights(model.getWeights());
        List<Tensor> x = List.of(GradientCheck.randn(3, 1f, 4, 5, 3));
        List<Tensor> y = List.of(GradientCheck.randn(4, 1f, 4, 1));
        // the added loss is the regularizer of the five outputs (y, h, c of each copy), each / batch
        List<Tensor> values = new Model(outs.get(1).subList(0, 1), outs.get(1).subList(1, 6)).predict(x);
        assertEquals(5, values.size());
        double expected = 0;
        for (Tensor t : values) {
            expected += reg.penalty(t.data()) / 4;
        }
        double added = model.computeGradients(x, y, true).loss - plain.computeGradients(x, y, true).loss;
        assertEquals(expected, added, 1e-5);
        assertTrue(expected > 0.01, "a visible term: " + expected);
        assertLossGradient(model, x, y);
    }

    @Test
    void multiHeadAttentionLossGradientIncludesTheProjectionTerms() throws Exception {
        SymbolicTensor q = Input.of(3, 4);
        SymbolicTensor v = Input.of(5, 2);
        SymbolicTensor h = new MultiHeadAttention(2, 3).valueDim(2).activityRegularizer(L1L2.l2(0.04f))
                .call(q, v);
        Model model = new Model(List.of(q, v), List.of(new Dense(1).call(new GlobalAveragePooling1D().call(h))));
        model.compile(CompileOptions.optimizer(new SGD(0.1)).loss("mse"));
        List<Tensor> x = List.of(GradientCheck.randn(5, 1f, 2, 3, 4), GradientCheck.randn(6, 1f, 2, 5, 2));
        assertLossGradient(model, x, List.of(GradientCheck.randn(7, 1f, 2, 1)));
    }

    @Test
    void bidirectionalLoadsAWrappedActivityRegularizer() throws Exception {
        Bidirectional b = new Bidirectional(new LSTM(2).activityRegularizer(L1L2.l1(0.1f)));
        Bidirectional back = (Bidirectional) LayerRegistry.fromConfig("Bidirectional", asJson(b.config()));
        assertTrue(back.forwardLayer().activityRegularizer() instanceof L1L2);
        assertTrue(back.backwardLayer().activityRegularizer() instanceof L1L2);
        assertEquals(b.config().toString(), back.config().toString());
    }

    /** A config as a JSON reader returns it (whole numbers as Long), as the loaders pass it. */
    @SuppressWarnings("unchecked")
    private static <T> T asJson(T v) {
        if (v instanceof Integer i) {
            return (T) Long.valueOf(i);
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            m.forEach((k, x) -> out.put((String) k, asJson(x)));
            return (T) out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(asJson(x)));
            return (T) out;
        }
        return v;
    }

    /** d(total loss)/d(every weight) by central differences (the gradient includes the added terms). */
    private static void assertLossGradient(Model model, List<Tensor> x, List<Tensor> y) {
        Trainer.Gradients g = model.computeGradients(x, y, true);
        List<Variable> vars = model.trainableWeights();
        double eps = 1e-3;
        List<String> bad = new ArrayList<>();
        for (int v = 0; v < vars.size(); v++) {
            float[] w = vars.get(v).value().data();
            for (int i = 0; i < w.length; i += Math.max(1, w.length / 5)) {
                float saved = w[i];
                w[i] = (float) (saved + eps);
                double plus = model.computeGradients(x, y, true).loss;
                w[i] = (float) (saved - eps);
                double minus = model.computeGradients(x, y, true).loss;
                w[i] = saved;
                double numeric = (plus - minus) / (2 * eps);
                if (Math.abs(numeric - g.values.get(v)[i]) > 2e-3 * Math.max(1, Math.abs(numeric))) {
                    bad.add(vars.get(v).name() + "[" + i + "] numeric " + numeric + " analytic " + g.values.get(v)[i]);
                }
            }
        }
        assertTrue(bad.isEmpty(), String.join("\n", bad));
    }
}
