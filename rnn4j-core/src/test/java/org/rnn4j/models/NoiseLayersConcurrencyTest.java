package org.rnn4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.ActivityRegularization;
import org.rnn4j.layers.AlphaDropout;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.GaussianDropout;
import org.rnn4j.layers.GaussianNoise;
import org.rnn4j.layers.Identity;
import org.rnn4j.layers.SymbolicTensor;
import org.rnn4j.layers.normalization.UnitNormalization;
import org.rnn4j.regularizers.L1L2;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;

/**
 * Thread safety of the noise layers, UnitNormalization and activity regularizers: their per-call
 * state (noise streams, caches, added losses) lives in the call contexts, so concurrent
 * {@code predict} calls give the single-thread result bit for bit, also after training calls.
 */
class NoiseLayersConcurrencyTest {
    @Test
    void concurrentPredictIsExact() throws Exception {
        SymbolicTensor in = Input.of(6);
        SymbolicTensor h = new GaussianNoise(0.2).call(in);
        h = new Dense(5).activation("tanh").activityRegularizer(new L1L2(0.01f, 0.02f)).call(h);
        h = new GaussianDropout(0.3).call(new AlphaDropout(0.2).call(h));
        h = new ActivityRegularization(0.1, 0.1).call(new UnitNormalization().call(new Identity().call(h)));
        Model model = new Model(List.of(in), List.of(new Dense(2).call(h))).seed(3);
        model.compile(CompileOptions.optimizer("sgd").loss("mse"));
        List<Tensor> xs = new ArrayList<>();
        List<float[]> want = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            xs.add(GradientCheck.randn(10 + k, 1f, 3 + k, 6));
        }
        model.trainOnBatch(xs.get(0), GradientCheck.randn(99, 1f, 3, 2));
        for (Tensor x : xs) {
            want.add(model.predict(x).data());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t;
                futures.add(pool.submit(() -> {
                    for (int call = 0; call < 100; call++) {
                        int k = (call + offset) % xs.size();
                        assertArrayEquals(want.get(k), model.predict(xs.get(k)).data(), "call " + call);
                    }
                    return 100;
                }));
            }
            int total = 0;
            for (Future<Integer> f : futures) {
                total += f.get();
            }
            assertEquals(400, total);
        } finally {
            pool.shutdownNow();
        }
    }
}
