package org.rnn4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.Bidirectional;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Dropout;
import org.rnn4j.layers.Embedding;
import org.rnn4j.layers.GRU;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.SymbolicTensor;
import org.rnn4j.layers.Variable;
import org.rnn4j.layers.merging.Concatenate;
import org.rnn4j.layers.merging.Subtract;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;

/**
 * The thread-safety contract: one model's {@code predict} from 8 threads x 200 calls gives the
 * single-thread result bit for bit; and a model with a shared layer passes a finite-difference check.
 */
class ModelConcurrencyTest {
    static void assertConcurrentPredictIsExact(Model model, List<List<Tensor>> batches) throws Exception {
        List<List<Tensor>> expected = new ArrayList<>();
        for (List<Tensor> b : batches) {
            expected.add(model.predict(b));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int offset = t;
                futures.add(pool.submit(() -> {
                    int checked = 0;
                    for (int call = 0; call < 200; call++) {
                        int k = (call + offset) % batches.size();
                        List<Tensor> got = model.predict(batches.get(k));
                        for (int o = 0; o < got.size(); o++) {
                            assertArrayEquals(expected.get(k).get(o).data(), got.get(o).data(),
                                    "call " + call + " batch " + k + " output " + o);
                        }
                        checked++;
                    }
                    return checked;
                }));
            }
            int total = 0;
            for (Future<Integer> f : futures) {
                total += f.get();
            }
            assertEquals(1600, total);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void eightThreadsPredictingOneRecurrentFunctionalModelGetTheSingleThreadBits() throws Exception {
        SymbolicTensor series = Input.of(12, 4);
        SymbolicTensor context = Input.of(3);
        SymbolicTensor h = new Bidirectional(new LSTM(16).returnSequences(true)).call(series);
        h = new GRU(12).call(h);
        SymbolicTensor c = new Dropout(0.3).call(new Dense(8).activation("relu").call(context));
        SymbolicTensor j = new Concatenate().call(h, c);
        Model model = new Model(List.of(series, context), List.of(new Dense(2).call(j), new Dense(1).call(h)));
        List<List<Tensor>> batches = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            batches.add(List.of(GradientCheck.randn(10 + i, 1f, 3 + 7 * i, 12, 4), GradientCheck.randn(20 + i, 1f, 3 + 7 * i, 3)));
        }
        // Single samples: one-row blocks project all their steps at once (RecurrentInference.projectsAllSteps).
        for (int i = 0; i < 3; i++) {
            batches.add(List.of(GradientCheck.randn(30 + i, 1f, 1, 12, 4), GradientCheck.randn(40 + i, 1f, 1, 3)));
        }
        assertConcurrentPredictIsExact(model, batches);
    }

    @Test
    void eightThreadsOnASharedMaskedEmbeddingModel() throws Exception {
        SymbolicTensor a = Input.ofType("int32", 8);
        SymbolicTensor b = Input.ofType("int32", 8);
        Layer embed = new Embedding(20, 6).maskZero(true);
        Layer lstm = new LSTM(5);
        SymbolicTensor d = new Subtract().call(lstm.call(embed.call(a)), lstm.call(embed.call(b)));
        Model model = new Model(List.of(a, b), List.of(new Dense(1).call(d)));
        List<List<Tensor>> batches = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            batches.add(List.of(ids(30 + i, 2 + 5 * i), ids(40 + i, 2 + 5 * i)));
        }
        assertConcurrentPredictIsExact(model, batches);
    }

    private static Tensor ids(long seed, int rows) {
        java.util.Random r = new java.util.Random(seed);
        float[] v = new float[rows * 8];
        for (int i = 0; i < v.length; i++) {
            v[i] = i % 8 < 2 ? 0 : r.nextInt(19) + 1; // leading padding
        }
        return Tensor.of(v, rows, 8);
    }

    @Test
    void aModelWithASharedLayerPassesAFiniteDifferenceCheck() {
        SymbolicTensor a = Input.of(4, 3);
        SymbolicTensor b = Input.of(4, 3);
        Layer shared = new LSTM(5).returnSequences(true);
        Layer head = new Dense(2).activation("tanh");
        SymbolicTensor j = new Concatenate().call(head.call(shared.call(a)), head.call(shared.call(b)));
        Model model = new Model(List.of(a, b), List.of(new Dense(1).call(j)));
        List<Tensor> xs = List.of(GradientCheck.randn(1, 1f, 2, 4, 3), GradientCheck.randn(2, 1f, 2, 4, 3));
        Tensor r = GradientCheck.randn(3, 1f, 2, 4, 1);
        for (Variable v : model.weights()) {
            v.zeroGrad();
        }
        model.callAll(xs, true);
        List<Tensor> dx = model.backwardAll(List.of(r));
        double eps = 1e-2;
        java.util.function.Supplier<Double> objective = () -> {
            Tensor y = model.callAll(xs, true).get(0);
            double s = 0;
            for (int i = 0; i < y.size(); i++) {
                s += (double) y.data()[i] * r.data()[i];
            }
            return s;
        };
        List<float[]> values = new ArrayList<>();
        List<float[]> analytic = new ArrayList<>();
        for (Variable v : model.weights()) {
            values.add(v.value().data());
            analytic.add(v.grad().data().clone());
        }
        for (int k = 0; k < xs.size(); k++) {
            values.add(xs.get(k).data());
            analytic.add(dx.get(k).data());
        }
        for (int w = 0; w < values.size(); w++) {
            float[] val = values.get(w);
            for (int i = 0; i < val.length; i += Math.max(1, val.length / 25)) {
                float saved = val[i];
                val[i] = (float) (saved + eps);
                double plus = objective.get();
                val[i] = (float) (saved - eps);
                double minus = objective.get();
                val[i] = saved;
                double numeric = (plus - minus) / (2 * eps);
                double err = Math.abs(numeric - analytic.get(w)[i]) / Math.max(1.0, Math.abs(numeric) + Math.abs(analytic.get(w)[i]));
                assertTrue(err < 1e-3, "array " + w + "[" + i + "]: numeric " + numeric + " vs " + analytic.get(w)[i]);
            }
        }
    }
}
