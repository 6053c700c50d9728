package org.rnn4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.callbacks.History;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.Variable;
import org.rnn4j.optimizers.Adam;
import org.rnn4j.tensor.Tensor;

/**
 * {@code fit}/{@code evaluate} with {@code class_weight} and {@code sample_weight} (per sample and
 * per time step) against Keras 3.15: same data, same initial weights, Adam(0.01), batch 8, no
 * shuffling. The numbers were printed by real Keras with tools/keras-refs/sample_weight_refs.py.
 */
class SampleWeightFitTest {
    private static final int N = 24;

    @Test
    void classWeightMatchesKeras() {
        Sequential m = new Sequential();
        m.add(new Dense(4).activation("tanh").inputShape(3));
        m.add(new Dense(3).activation("softmax"));
        setWeights(m);
        m.compile(new Adam(0.01), "sparse_categorical_crossentropy", "accuracy");
        float[] labels = new float[N];
        for (int i = 0; i < N; i++) {
            labels[i] = i * 7 % 3;
        }
        Tensor x = data(0, 0.37, N, 3);
        Tensor y = Tensor.of(labels, N);
        History h = m.fit(x, y, FitOptions.epochs(2).batchSize(8).shuffle(false).validationSplit(0.25)
                .classWeight(Map.of(0, 1.0, 1, 2.5, 2, 0.5)).verbose(0));
        check(h.get("loss"), 1.4498357772827148, 1.407480001449585);
        check(h.get("accuracy"), 0.3333333432674408, 0.3333333432674408);
        check(h.get("val_loss"), 1.106383204460144, 1.1092309951782227);
        assertEquals(1.1108670234680176, m.evaluate(x, y, 8).get("loss"), 2e-6);
    }

    @Test
    void perSampleWeightsMatchKerasAndAreSplitWithTheData() {
        Sequential m = new Sequential();
        m.add(new Dense(4).activation("tanh").inputShape(3));
        m.add(new Dense(2));
        setWeights(m);
        m.compile(new Adam(0.01), "mse", "mae");
        float[] w = new float[N];
        for (int i = 0; i < N; i++) {
            w[i] = 0.5f + (i % 4) * 0.5f;
        }
        Tensor x = data(0, 0.37, N, 3);
        Tensor y = data(1, 0.21, N, 2);
        Tensor sw = Tensor.of(w, N);
        History h = m.fit(x, y, FitOptions.epochs(2).batchSize(8).shuffle(false).validationSplit(0.25)
                .sampleWeight(sw).verbose(0));
        check(h.get("loss"), 0.7157577872276306, 0.6878795623779297);
        check(h.get("mae"), 0.703184187412262, 0.6902568340301514);   // metrics are not weighted
        check(h.get("val_loss"), 0.7271363139152527, 0.759650707244873);
        check(h.get("val_mae"), 0.5732073187828064, 0.5901315212249756);
        Map<String, Double> e = m.evaluate(List.of(x), List.of(y), List.of(sw), 8, 0);
        assertEquals(0.6956254839897156, e.get("loss"), 2e-6);
        assertEquals(0.659990131855011, e.get("mae"), 2e-6);
    }

    @Test
    void temporalWeightsMatchKeras() {
        int t = 5;
        Sequential m = new Sequential();
        m.add(new LSTM(3).returnSequences(true).inputShape(t, 2));
        m.add(new Dense(2));
        setWeights(m);
        m.compile(new Adam(0.01), "mse");
        float[] w = new float[N * t];
        for (int i = 0; i < w.length; i++) {
            w[i] = (i % 3) * 0.75f;
        }
        Tensor x = data(0.3, 0.37, N, t, 2);
        Tensor y = data(2.0, 0.13, N, t, 2);
        Tensor tw = Tensor.of(w, N, t);
        History h = m.fit(x, y, FitOptions.epochs(2).batchSize(8).shuffle(false).sampleWeight(tw).verbose(0));
        check(h.get("loss"), 0.399916410446167, 0.3898865878582001);
        assertEquals(0.38495802879333496, m.evaluate(List.of(x), List.of(y), List.of(tw), 8, 0).get("loss"), 2e-6);
    }

    @Test
    void badWeightArgumentsFailClearly() {
        Sequential m = new Sequential();
        m.add(new Dense(2).inputShape(3));
        m.compile(new Adam(0.01), "mse");
        Tensor x = data(0, 0.37, N, 3);
        Tensor y = data(1, 0.21, N, 2);
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class, () -> m.fit(x, y,
                FitOptions.epochs(1).sampleWeight(Tensor.zeros(N)).classWeight(Map.of(0, 2.0)).verbose(0)));
        assertTrue(both.getMessage().contains("cannot give classWeight and sampleWeight"), both.getMessage());
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class, () -> m.fit(x, y,
                FitOptions.epochs(1).sampleWeight(Tensor.zeros(N - 1)).verbose(0)));
        assertTrue(count.getMessage().contains("has shape (23,) but y has 24 samples"), count.getMessage());
    }

    @Test
    void classWeightReadsOneHotTargetsByArgmax() {
        Tensor oneHot = Tensor.of(new float[] {0, 1, 0, 1, 0, 0, 0, 0, 1}, 3, 3);
        Tensor w = SampleWeights.fromClassWeight(oneHot, Map.of(1, 3.0, 2, 0.25));
        assertEquals(List.of(3f, 1f, 0.25f), List.of(w.data()[0], w.data()[1], w.data()[2]));
    }

    /** Variable i := 0.3 sin(0.37 k + i), as the generator sets Keras's {@code model.weights}. */
    private static void setWeights(Model m) {
        List<Tensor> values = new ArrayList<>();
        List<Variable> vars = m.weights();
        for (int i = 0; i < vars.size(); i++) {
            Tensor v = vars.get(i).value();
            float[] d = new float[v.size()];
            for (int k = 0; k < d.length; k++) {
                d[k] = (float) (0.3 * Math.sin(0.37 * k + i));
            }
            values.add(Tensor.of(d, v.shape()));
        }
        m.setWeights(values);
    }

    private static Tensor data(double phase, double step, int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
            d[i] = (float) Math.sin(step * i + phase);
        }
        return Tensor.of(d, shape);
    }

    private static void check(List<Double> got, double... expected) {
        assertEquals(expected.length, got.size());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], got.get(i), 2e-6, "epoch " + i + ": " + got);
        }
    }
}
