package org.rnn4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.ActivityRegularization;
import org.rnn4j.layers.Conv1D;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.SymbolicTensor;
import org.rnn4j.layers.Variable;
import org.rnn4j.optimizers.SGD;
import org.rnn4j.regularizers.L1L2;
import org.rnn4j.saving.LayerRegistry;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;

/**
 * Layer-added losses (Keras's activity_regularizer and ActivityRegularization): Keras 3 adds
 * {@code regularizer(output) / batch} per layer call to the loss of fit/train_on_batch/evaluate.
 * Parity with a real Keras two-step training (keras-train/activity_regularizers), a
 * finite-difference check of the whole model's loss gradient, and the ported assertions of
 * Keras's regularization/activity_regularization_test.py.
 */
class ActivityRegularizerTrainingTest {

    private static Model kerasCase() {
        SymbolicTensor in = Input.of(6, 3).name("series");
        SymbolicTensor c = new Conv1D(4, 2).name("conv").activityRegularizer(L1L2.l1(0.02f)).call(in);
        SymbolicTensor h = new LSTM(3).name("lstm").activityRegularizer(L1L2.l2(0.05f)).call(c);
        h = new ActivityRegularization(0.05, 0.1).name("act_reg").call(h);
        SymbolicTensor out = new Dense(2).name("out").activityRegularizer(new L1L2(0.01f, 0.02f)).call(h);
        return new Model(List.of(in), List.of(out));
    }

    @Test
    void trainsTwoStepsAndEvaluatesEqualToKeras() throws Exception {
        KerasTrainRefs refs = new KerasTrainRefs("activity_regularizers");
        Model model = kerasCase();
        refs.loadInitialWeights(model);
        List<Tensor> x = refs.arrays("x");
        List<Tensor> y = refs.arrays("y");
        assertTrue(model.predict(x).get(0).maxAbsDiff(refs.arrays("p0_").get(0)) < 1e-5, "prediction");
        model.compile(CompileOptions.optimizer(new SGD(0.1)).loss("mse"));
        KerasTrainRefs.assertLogs(refs.logs("evaluate0"), model.evaluate(x, y, 8, 0), 1e-5, "evaluate");
        for (int step = 1; step <= 2; step++) {
            KerasTrainRefs.assertLogs(refs.logs(step), model.trainOnBatch(x, y), 1e-5, "step " + step);
            refs.assertWeightsAfter(model, step, 1e-5);
        }
    }

    @Test
    void theAddedLossesChangeTheLossByKerasAmount() throws Exception {
        // without the regularizers the same weights give only the mse part (Keras: 1.5329186)
        KerasTrainRefs refs = new KerasTrainRefs("activity_regularizers");
        SymbolicTensor in = Input.of(6, 3);
        SymbolicTensor h = new ActivityRegularization(0, 0).call(new LSTM(3).call(new Conv1D(4, 2).call(in)));
        Model plain = new Model(List.of(in), List.of(new Dense(2).call(h)));
        refs.loadInitialWeights(plain);
        plain.compile(CompileOptions.optimizer(new SGD(0.1)).loss("mse"));
        double mse = plain.evaluate(refs.arrays("x"), refs.arrays("y"), 8, 0).get("loss");
        assertEquals(1.5329186, mse, 1e-5);
        assertEquals(refs.logs("evaluate0").get("loss") - mse, 0.3600111, 1e-5, "the four activity terms");
    }

    /** d(total loss)/d(weights) by central differences, through every regularized output. */
    @Test
    void lossGradientIncludesTheActivityTerms() throws Exception {
        Model model = kerasCase();
        KerasTrainRefs refs = new KerasTrainRefs("activity_regularizers");
        refs.loadInitialWeights(model);
        model.compile(CompileOptions.optimizer(new SGD(0.1)).loss("mse"));
        List<Tensor> x = refs.arrays("x");
        List<Tensor> y = refs.arrays("y");
        Trainer.Gradients g = model.computeGradients(x, y, true);
        List<Variable> vars = model.trainableWeights();
        double eps = 1e-3;
        for (int v = 0; v < vars.size(); v++) {
            float[] w = vars.get(v).value().data();
            for (int i = 0; i < w.length; i += Math.max(1, w.length / 7)) {
                float saved = w[i];
                w[i] = (float) (saved + eps);
                double plus = model.computeGradients(x, y, true).loss;
                w[i] = (float) (saved - eps);
                double minus = model.computeGradients(x, y, true).loss;
                w[i] = saved;
                double numeric = (plus - minus) / (2 * eps);
                assertEquals(numeric, g.values.get(v)[i], 2e-3 * Math.max(1, Math.abs(numeric)),
                        vars.get(v).name() + "[" + i + "]");
            }
        }
    }

    @Test
    void inputGradientOfARegularizedLayerMatchesFiniteDifferences() throws Exception {
        // the activity term of the first layer reaches the input too: check d(loss)/dx through a model
        SymbolicTensor in = Input.of(4);
        SymbolicTensor h = new Dense(3).activation("tanh").activityRegularizer(new L1L2(0.03f, 0.07f)).call(in);
        Model inner = new Model(List.of(in), List.of(new ActivityRegularization(0.02, 0.05).call(h)));
        SymbolicTensor outer = Input.of(4);
        Model model = new Model(List.of(outer), List.of(new Dense(1).call(inner.call(outer))));
        model.compile(CompileOptions.optimizer(new SGD(0.1)).loss("mse"));
        Tensor x = GradientCheck.randn(1, 1f, 5, 4);
        Tensor yt = GradientCheck.randn(2, 1f, 5, 1);
        // backward of mse (mean over 5 samples of 1 output: d/dp = 2 (p - y) / 5) plus the added terms
        Tensor p = model.callAll(List.of(x), true).get(0);
        float[] gp = new float[p.size()];
        for (int i = 0; i < gp.length; i++) {
            gp[i] = 2f * (p.data()[i] - yt.data()[i]) / 5f;
        }
        Tensor dx = model.backwardAll(List.of(Tensor.of(gp, p.shape()))).get(0).copy();
        double eps = 1e-3;
        for (int i = 0; i < x.size(); i++) {
            float saved = x.data()[i];
            x.data()[i] = (float) (saved + eps);
            double plus = model.computeGradients(List.of(x), List.of(yt), true).loss;
            x.data()[i] = (float) (saved - eps);
            double minus = model.computeGradients(List.of(x), List.of(yt), true).loss;
            x.data()[i] = saved;
            assertEquals((plus - minus) / (2 * eps), dx.data()[i], 2e-3, "dx[" + i + "]");
        }
    }

    // ---------------------------------------------------------------- Keras's activity_regularization_test.py

    @Test
    void correctness() throws Exception {  // layer(2 * ones((1,))): one loss, 4 * 0.3 + 2 * 0.2
        SymbolicTensor in = Input.of(1);
        Model m = new Model(List.of(in), List.of(new ActivityRegularization(0.2, 0.3).call(in)));
        m.compile(CompileOptions.optimizer(new SGD(0.1)).loss("mse"));
        Tensor two = Tensor.full(2f, 1, 1);
        // mse(y=x) is 0, so the loss is the layer's added loss alone
        assertEquals(4 * 0.3 + 2 * 0.2, m.evaluate(two, two, 1).get("loss"), 1e-6);
    }

    @Test
    void basics() throws Exception {  // run_layer_test: shape (2, 3), no weights, one loss, masking
        ActivityRegularization l = new ActivityRegularization(0.1, 0.2);
        l.build(new int[] {3}, new org.rnn4j.util.Rng(1));
        Tensor x = GradientCheck.randn(3, 1f, 2, 3);
        assertEquals(0, l.weights().size());
        assertTrue(x == l.forward(x), "identity");
        org.rnn4j.layers.Mask mask = new org.rnn4j.layers.Mask(new boolean[] {true, false}, 2, 1);
        assertTrue(mask == l.computeMask(x, mask), "supports_masking");
        SymbolicTensor in = Input.of(3);
        Model m = new Model(List.of(in), List.of(new ActivityRegularization(0.1, 0.2).call(in)));
        m.compile(CompileOptions.optimizer(new SGD(0.1)).loss("mse"));
        double want = 0;
        for (float v : x.data()) {
            want += 0.1 * Math.abs(v) + 0.2 * v * v;
        }
        assertEquals(want / 2, m.evaluate(x, x, 2).get("loss"), 1e-6, "one loss: regularizer(x) / batch");
    }

    // ---------------------------------------------------------------- configs

    /** A config as the Keras file reader hands it over: integers as Long. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> asJson(Map<String, Object> c) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : c.entrySet()) {
            Object v = e.getValue();
            out.put(e.getKey(), v instanceof Integer ? Long.valueOf((Integer) v)
                    : v instanceof Map ? asJson((Map<String, Object>) v) : v);
        }
        return out;
    }

    @Test
    void activityRegularizerLoadsAndSavesInConfigs() throws Exception {
        Map<String, Object> reg = new LinkedHashMap<>();
        reg.put("module", "keras.regularizers");
        reg.put("class_name", "L1L2");
        reg.put("config", Map.of("l1", 0.01, "l2", 0.02));
        reg.put("registered_name", null);
        Map<String, Object> dense = asJson(new Dense(2).name("d").config());
        dense.put("activity_regularizer", reg);
        Layer d = LayerRegistry.fromConfig("Dense", dense);
        L1L2 r = (L1L2) d.activityRegularizer();
        assertEquals(0.01f, r.l1());
        assertEquals(0.02f, r.l2());
        @SuppressWarnings("unchecked")
        Map<String, Object> back = (Map<String, Object>) d.config().get("activity_regularizer");
        assertEquals("L1L2", back.get("class_name"));
        Layer lstm = new LSTM(2).activityRegularizer(L1L2.l2(0.5f));
        Layer again = LayerRegistry.fromConfig("LSTM", asJson(lstm.config()));
        assertEquals(0.5f, ((L1L2) again.activityRegularizer()).l2());
        assertNull(new Dense(2).config().get("activity_regularizer"));
        ActivityRegularization ar = new ActivityRegularization(0.25, 0.5);
        Map<String, Object> arc = ar.config();
        assertTrue(!arc.containsKey("activity_regularizer"), "Keras pops it from ActivityRegularization's config");
        assertEquals(arc, LayerRegistry.fromConfig("ActivityRegularization", new LinkedHashMap<>(arc)).config());
        assertThrows(UnsupportedOperationException.class, () -> ar.activityRegularizer(L1L2.l1(1f)));
    }
}
