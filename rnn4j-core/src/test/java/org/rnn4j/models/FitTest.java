package org.rnn4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.callbacks.History;
import org.rnn4j.callbacks.LambdaCallback;
import org.rnn4j.callbacks.TerminateOnNaN;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Dropout;
import org.rnn4j.optimizers.Adam;
import org.rnn4j.optimizers.SGD;
import org.rnn4j.regularizers.L1L2;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

class FitTest {
    /** y = sin-ish nonlinear function of 3 inputs, 2 outputs. */
    static Tensor[] regressionData(long seed, int n) {
        Rng rng = new Rng(seed);
        float[] x = new float[n * 3];
        float[] y = new float[n * 2];
        for (int i = 0; i < n; i++) {
            float a = rng.uniform(-1, 1);
            float b = rng.uniform(-1, 1);
            float c = rng.uniform(-1, 1);
            x[3 * i] = a;
            x[3 * i + 1] = b;
            x[3 * i + 2] = c;
            y[2 * i] = (float) Math.sin(2 * a) + 0.5f * b;
            y[2 * i + 1] = a * b - c;
        }
        return new Tensor[] {Tensor.of(x, n, 3), Tensor.of(y, n, 2)};
    }

    static Sequential mlp(long seed) {
        Sequential m = new Sequential().seed(seed);
        m.add(new Dense(16).activation("tanh").inputShape(3));
        m.add(new Dropout(0.1));
        m.add(new Dense(2));
        return m;
    }

    private static FitOptions quiet(int epochs) {
        return FitOptions.epochs(epochs).verbose(0);
    }

    @Test
    void denseModelLearnsNonlinearRegression() {
        Tensor[] d = regressionData(1, 256);
        Sequential m = mlp(7);
        m.compile(new Adam(0.01), "mse", "mae");
        double before = m.evaluate(d[0], d[1]).get("loss");
        History h = m.fit(d[0], d[1], quiet(40).batchSize(32));
        double after = m.evaluate(d[0], d[1]).get("loss");
        assertTrue(after < 0.1 * before, "loss " + before + " -> " + after);
        assertEquals(List.of("loss", "mae"), new ArrayList<>(h.history().keySet()));
        assertEquals(40, h.get("loss").size());
        assertTrue(h.get("loss").get(39) < h.get("loss").get(0));
    }

    @Test
    void sameSeedGivesBitIdenticalHistories() {
        Tensor[] d = regressionData(2, 100);
        List<Double> first = null;
        for (int run = 0; run < 2; run++) {
            Sequential m = mlp(11);
            m.compile("adam", "mse", "mae");
            History h = m.fit(d[0], d[1], quiet(5).batchSize(16).validationSplit(0.2));
            List<Double> all = new ArrayList<>();
            h.history().values().forEach(all::addAll);
            if (first == null) {
                first = all;
            } else {
                assertEquals(first, all);
            }
        }
        Sequential other = mlp(12);
        other.compile("adam", "mse");
        History h = other.fit(d[0], d[1], quiet(5).batchSize(16).validationSplit(0.2));
        assertFalse(first.get(4).equals(h.get("loss").get(4)), "a different seed should train differently");
    }

    @Test
    void validationSplitTakesTheLastFractionBeforeShuffling() {
        Tensor[] d = regressionData(3, 50);
        Sequential m = mlp(5);
        m.compile("sgd", "mse");
        History h = m.fit(d[0], d[1], quiet(2).validationSplit(0.2));
        // after training, val_loss must equal evaluate() on the last 10 rows... for the last epoch
        Map<String, Double> onTail = m.evaluate(d[0].slice(40, 50), d[1].slice(40, 50));
        assertEquals(onTail.get("loss"), h.last("val_loss"), 1e-12);
        assertEquals(List.of("loss", "val_loss"), new ArrayList<>(h.history().keySet()));
        var e = assertThrows(IllegalArgumentException.class,
                () -> m.fit(d[0].slice(0, 1), d[1].slice(0, 1), quiet(1).validationSplit(0.5)));
        assertTrue(e.getMessage().contains("1 samples"), e.getMessage());
    }

    @Test
    void trainingStepEqualsHandComputedSgdStep() {
        Sequential m = new Sequential().seed(1);
        m.add(new Dense(1).inputShape(2));
        m.compile(new SGD(0.1), "mse");
        m.weights().get(0).assign(Tensor.of(new float[] {0.5f, -0.25f}, 2, 1));
        Tensor x = Tensor.of(new float[] {1, 2, 3, -1}, 2, 2);
        Tensor y = Tensor.of(new float[] {1, 0}, 2, 1);
        // pred = [0, 1.75]; loss = (1 + 3.0625) / 2; dL/dpred = (pred - y) = [-1, 1.75]
        Map<String, Double> logs = m.trainOnBatch(x, y);
        assertEquals((1 + 3.0625) / 2, logs.get("loss"), 1e-6);
        // dW = x^T dpred = [-1 + 5.25, -2 - 1.75] = [4.25, -3.75]; db = 0.75
        assertArrayEquals(new float[] {0.5f - 0.425f, -0.25f + 0.375f}, m.weights().get(0).value().data(), 1e-6f);
        assertEquals(-0.075f, m.weights().get(1).value().data()[0], 1e-6f);
        assertEquals(1, m.optimizer().iterations());
    }

    @Test
    void regularizationPenaltyIsAddedToLossAndGradient() {
        Sequential m = new Sequential().seed(1);
        m.add(new Dense(1).kernelRegularizer(L1L2.l2(0.5f)).inputShape(2));
        m.compile(new SGD(0.1), "mse");
        m.weights().get(0).assign(Tensor.of(new float[] {0.5f, -0.25f}, 2, 1));
        Tensor x = Tensor.of(new float[] {1, 2, 3, -1}, 2, 2);
        Tensor y = Tensor.of(new float[] {1, 0}, 2, 1);
        Map<String, Double> logs = m.testOnBatch(x, y);
        assertEquals((1 + 3.0625) / 2 + 0.5 * (0.25 + 0.0625), logs.get("loss"), 1e-6);
        m.trainOnBatch(x, y);
        // extra gradient 2 * 0.5 * w = w
        assertArrayEquals(new float[] {0.5f - 0.1f * (4.25f + 0.5f), -0.25f - 0.1f * (-3.75f - 0.25f)},
                m.weights().get(0).value().data(), 1e-6f);
    }

    @Test
    void nanLossStopsWithEpochAndBatchInTheMessage() {
        Tensor[] d = regressionData(4, 64);
        d[0].data()[3 * 40] = Float.NaN; // row 40: batch 2 (0-based 1) of epoch 1 without shuffling
        Sequential m = mlp(3);
        m.compile("adam", "mse");
        List<Tensor> before = m.getWeights();
        var e = assertThrows(NonFiniteLossException.class,
                () -> m.fit(d[0], d[1], quiet(3).batchSize(32).shuffle(false)));
        assertTrue(e.getMessage().contains("epoch 1, batch 2 of 2"), e.getMessage());
        assertEquals(0, e.epoch());
        assertEquals(1, e.batch());
        // the first batch was applied, the NaN one was not: weights are finite
        for (Tensor w : m.getWeights()) {
            for (float v : w.data()) {
                assertTrue(Float.isFinite(v));
            }
        }
        assertTrue(before.get(0).maxAbsDiff(m.getWeights().get(0)) > 0);

        Sequential m2 = mlp(3);
        m2.compile("adam", "mse");
        PrintStream saved = System.out;
        History h;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            h = m2.fit(d[0], d[1], quiet(3).batchSize(32).shuffle(false).callbacks(new TerminateOnNaN()));
        } finally {
            System.setOut(saved);
        }
        assertEquals(1, h.get("loss").size());
        assertTrue(Double.isNaN(h.last("loss")));
    }

    @Test
    void compileResolvesNamesAtOnce() {
        Sequential m = mlp(1);
        var e = assertThrows(IllegalArgumentException.class, () -> m.compile("sgd", "mean_squared_loss"));
        assertTrue(e.getMessage().startsWith("Unknown loss 'mean_squared_loss'. Did you mean 'mean_squared_error'?"),
                e.getMessage());
        var o = assertThrows(IllegalArgumentException.class, () -> m.compile("adamm", "mse"));
        assertTrue(o.getMessage().contains("Did you mean 'adam'?"), o.getMessage());
        var me = assertThrows(IllegalArgumentException.class, () -> m.compile("adam", "mse", "maee"));
        assertTrue(me.getMessage().contains("Unknown metric 'maee'"), me.getMessage());
        var notCompiled = assertThrows(IllegalStateException.class,
                () -> mlp(1).fit(Tensor.zeros(2, 3), Tensor.zeros(2, 2), quiet(1)));
        assertTrue(notCompiled.getMessage().contains("compile()"), notCompiled.getMessage());
    }

    @Test
    void fitBuildsAnUnbuiltModelFromX() {
        Sequential m = new Sequential().seed(2);
        m.add(new Dense(4).activation("relu"));
        m.add(new Dense(2));
        m.compile("adam", "mse");
        Tensor[] d = regressionData(5, 20);
        m.fit(d[0], d[1], quiet(1));
        assertArrayEquals(new int[] {3}, m.inputShape());
    }

    @Test
    void accuracyResolvesByShapesAsKeras() {
        Rng rng = new Rng(9);
        int n = 200;
        float[] x = new float[n * 2];
        float[] yBin = new float[n];
        float[] ySparse = new float[n];
        for (int i = 0; i < n; i++) {
            float a = rng.uniform(-1, 1);
            float b = rng.uniform(-1, 1);
            x[2 * i] = a;
            x[2 * i + 1] = b;
            yBin[i] = a + b > 0 ? 1 : 0;
            ySparse[i] = a > 0 ? (b > 0 ? 2 : 1) : 0;
        }
        Tensor xs = Tensor.of(x, n, 2);
        Sequential bin = new Sequential().seed(4);
        bin.add(new Dense(1).activation("sigmoid").inputShape(2));
        bin.compile(new Adam(0.05), "binary_crossentropy", "accuracy");
        History hb = bin.fit(xs, Tensor.of(yBin, n, 1), quiet(30));
        assertTrue(hb.last("accuracy") > 0.95, "binary accuracy " + hb.last("accuracy"));

        Sequential cls = new Sequential().seed(4);
        cls.add(new Dense(16).activation("relu").inputShape(2));
        cls.add(new Dense(3).activation("softmax"));
        cls.compile(new Adam(0.02), "sparse_categorical_crossentropy", "accuracy");
        History hc = cls.fit(xs, Tensor.of(ySparse, n), quiet(40));
        assertTrue(hc.last("accuracy") > 0.9, "sparse accuracy " + hc.last("accuracy"));
    }

    @Test
    void callbacksSeeEpochsAndBatchesInOrder() {
        Tensor[] d = regressionData(6, 40);
        Sequential m = mlp(2);
        m.compile("sgd", "mse");
        List<String> events = new ArrayList<>();
        LambdaCallback cb = new LambdaCallback()
                .onTrainBegin(l -> events.add("begin"))
                .onEpochBegin((e, l) -> events.add("e" + e))
                .onBatchEnd((b, l) -> events.add("b" + b))
                .onEpochEnd((e, l) -> events.add("end" + e + ":" + l.keySet()))
                .onTrainEnd(l -> events.add("done"));
        History h = m.fit(d[0], d[1], quiet(3).batchSize(16).initialEpoch(1).callbacks(cb)
                .validationData(d[0].slice(0, 8), d[1].slice(0, 8)));
        assertEquals(List.of("begin", "e1", "b0", "b1", "b2", "end1:[loss, val_loss]",
                "e2", "b0", "b1", "b2", "end2:[loss, val_loss]", "done"), events);
        assertEquals(List.of(1, 2), h.epoch());
    }

    @Test
    void compileConfigIsKerasShaped() {
        Sequential m = mlp(1);
        m.compile("Adam", "mse", "mae", "accuracy");
        Map<String, Object> c = m.compileConfig();
        assertEquals(List.of("optimizer", "loss", "loss_weights", "metrics", "weighted_metrics", "run_eagerly",
                "steps_per_execution", "jit_compile"), new ArrayList<>(c.keySet()));
        assertEquals("mse", c.get("loss"));
        assertEquals(List.of("mae", "accuracy"), c.get("metrics"));
        assertEquals("Adam", ((Map<?, ?>) c.get("optimizer")).get("class_name"));
        m.compile(new SGD(0.1), new org.rnn4j.losses.Huber(0.5));
        Map<?, ?> loss = (Map<?, ?>) m.compileConfig().get("loss");
        assertEquals("Huber", loss.get("class_name"));
        assertEquals(0.5, ((org.rnn4j.losses.Huber) org.rnn4j.losses.Losses.fromConfig(loss)).delta());
        assertEquals(null, m.compileConfig().get("metrics"));
    }

    @Test
    void evaluateWithVerbosePrintsAKerasBar() {
        Tensor[] d = regressionData(8, 70);
        Sequential m = mlp(2);
        m.compile("sgd", "mse", "mae");
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Map<String, Double> logs;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            logs = m.evaluate(d[0], d[1], 32, 1);
        } finally {
            System.setOut(saved);
        }
        String out = buf.toString(StandardCharsets.UTF_8).strip();
        assertTrue(out.matches("3/3 \u2501{20} \\d+s \\d+(ms|us)/step - loss: \\d\\.\\d{4} - mae: \\d\\.\\d{4}"), out);
        assertEquals(m.evaluate(d[0], d[1]), logs);
    }
}
