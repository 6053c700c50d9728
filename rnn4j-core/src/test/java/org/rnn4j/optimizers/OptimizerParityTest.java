package org.rnn4j.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.Variable;
import org.rnn4j.tensor.Tensor;

/**
 * Optimizer updates against Keras 3.15. Two variables (w of 3, b of 2) take two steps with fixed
 * gradients. The expected values were printed by real Keras ({@code optimizer.apply}, TensorFlow
 * backend, float32) and are cross-checked by the hand-written formulas in {@link #sgdAndAdamMatchHandComputedFormulas}.
 */
class OptimizerParityTest {
    private static final float[] W0 = {0.5f, -1.2f, 2.0f};
    private static final float[] B0 = {0.3f, -0.4f};
    private static final float[][] GW = {{0.1f, -0.3f, 0.7f}, {-0.2f, 0.4f, 0.05f}};
    private static final float[][] GB = {{1.5f, -2.0f}, {0.25f, 0.6f}};

    /** Runs two steps; returns [w..., b...] after each step. */
    private static float[][] run(Optimizer opt) {
        Variable w = new Variable("kernel", Tensor.of(W0.clone(), 3));
        Variable b = new Variable("bias", Tensor.of(B0.clone(), 2));
        float[][] out = new float[2][];
        for (int s = 0; s < 2; s++) {
            System.arraycopy(GW[s], 0, w.grad().data(), 0, 3);
            System.arraycopy(GB[s], 0, b.grad().data(), 0, 2);
            opt.apply(List.of(w, b));
            float[] both = new float[5];
            System.arraycopy(w.value().data(), 0, both, 0, 3);
            System.arraycopy(b.value().data(), 0, both, 3, 2);
            out[s] = both;
        }
        return out;
    }

    private static void check(Supplier<Optimizer> opt, double[] step1, double[] step2) {
        float[][] got = run(opt.get());
        for (int i = 0; i < 5; i++) {
            assertEquals(step1[i], got[0][i], 1e-6, "step 1, element " + i);
            assertEquals(step2[i], got[1][i], 1e-6, "step 2, element " + i);
        }
    }

    @Test
    void sgdMatchesKeras() {
        check(() -> new SGD(0.1),
                new double[] {0.49000001, -1.17000008, 1.92999995, 0.150000006, -0.200000003},
                new double[] {0.50999999, -1.21000004, 1.92499995, 0.125, -0.25999999});
    }

    @Test
    void sgdMomentumMatchesKeras() {
        check(() -> new SGD(0.1, 0.9),
                new double[] {0.49000001, -1.17000008, 1.92999995, 0.150000006, -0.200000003},
                new double[] {0.500999987, -1.18300009, 1.86199999, -0.0100000054, -0.0800000131});
    }

    @Test
    void sgdNesterovMatchesKeras() {
        check(() -> new SGD(0.1, 0.9, true),
                new double[] {0.481000006, -1.14300001, 1.86699998, 0.0149999857, -0.0200000107},
                new double[] {0.510900021, -1.1947, 1.80079997, -0.154000029, 0.0279999748});
    }

    @Test
    void adamMatchesKeras() {
        double[] s1 = {0.490000397, -1.19000018, 1.99000013, 0.290000111, -0.390000075};
        double[] s2 = {0.493661344, -1.1919353, 1.9827863, 0.282166928, -0.385721624};
        check(() -> new Adam(0.01), s1, s2);
        check(() -> new Adam(0.01).amsgrad(true), s1, s2);
    }

    @Test
    void adamWRmspropAdagradMatchKeras() {
        check(() -> new AdamW(0.01),
                new double[] {0.4899804, -1.18995214, 1.98992014, 0.289988101, -0.389984071},
                new double[] {0.493621737, -1.19183969, 1.98262668, 0.282143325, -0.385690033});
        check(() -> new RMSprop(0.01),
                new double[] {0.468378812, -1.1683774, 1.96837723, 0.268377244, -0.368377239},
                new double[] {0.496949941, -1.19414365, 1.96600306, 0.262905478, -0.377911866});
        check(() -> new RMSprop(0.01).momentum(0.5).centered(true),
                new double[] {0.466668516, -1.16666687, 1.9666667, 0.266666681, -0.366666675},
                new double[] {0.478933334, -1.17585731, 1.94749141, 0.244158357, -0.359712869});
        check(() -> new Adagrad(0.1),
                new double[] {0.469848871, -1.1311754, 1.90886772, 0.202150792, -0.301227033},
                new double[] {0.521488667, -1.19878769, 1.902372, 0.186055228, -0.329637855});
    }

    @Test
    void clippingAndSchedulesMatchKeras() {
        check(() -> new Adam(0.01).clipnorm(0.5),
                new double[] {0.490000546, -1.1900003, 1.99000013, 0.29000017, -0.390000165},
                new double[] {0.495003939, -1.19374943, 1.98252761, 0.280342817, -0.391237557});
        check(() -> new SGD(0.1).clipvalue(0.2),
                new double[] {0.49000001, -1.18000007, 1.98000002, 0.280000001, -0.379999995},
                new double[] {0.50999999, -1.20000005, 1.97500002, 0.25999999, -0.400000006});
        check(() -> new SGD(0.1).globalClipnorm(0.5),
                new double[] {0.498088211, -1.19426465, 1.98661745, 0.271323055, -0.361764044},
                new double[] {0.5107373, -1.21956289, 1.98345518, 0.255511671, -0.39971137});
        check(() -> new SGD(new ExponentialDecay(0.1, 1, 0.5), 0, false),
                new double[] {0.49000001, -1.17000008, 1.92999995, 0.150000006, -0.200000003},
                new double[] {0.5, -1.19000006, 1.92749989, 0.137500003, -0.230000004});
    }

    /** Keras's formulas written out in double precision, independently of the implementation. */
    @Test
    void sgdAndAdamMatchHandComputedFormulas() {
        double lr = 0.01;
        double b1 = 0.9;
        double b2 = 0.999;
        double eps = 1e-7;
        float[][] adam = run(new Adam(lr));
        float[][] sgdm = run(new SGD(lr, 0.9));
        float[] w0 = concat(W0, B0);
        for (int i = 0; i < 5; i++) {
            double g1 = concat(GW[0], GB[0])[i];
            double g2 = concat(GW[1], GB[1])[i];
            // Adam, t = 1 and t = 2: alpha = lr sqrt(1 - b2^t) / (1 - b1^t)
            double m = (1 - b1) * g1;
            double v = (1 - b2) * g1 * g1;
            double w = w0[i] - m * lr * Math.sqrt(1 - b2) / (1 - b1) / (Math.sqrt(v) + eps);
            assertEquals(w, adam[0][i], 1e-6);
            m += (g2 - m) * (1 - b1);
            v += (g2 * g2 - v) * (1 - b2);
            w -= m * lr * Math.sqrt(1 - b2 * b2) / (1 - b1 * b1) / (Math.sqrt(v) + eps);
            assertEquals(w, adam[1][i], 1e-6);
            // SGD with momentum: m = 0.9 m - lr g; w += m
            double mom = -lr * g1;
            double ws = w0[i] + mom;
            assertEquals(ws, sgdm[0][i], 1e-6);
            mom = 0.9 * mom - lr * g2;
            ws += mom;
            assertEquals(ws, sgdm[1][i], 1e-6);
        }
    }

    private static float[] concat(float[] a, float[] b) {
        float[] c = new float[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    void variablesFollowKerasOrderAndRoundTrip() {
        Adam adam = new Adam(0.01);
        adam.name("adam");
        Variable w = new Variable("kernel", Tensor.of(W0.clone(), 3));
        Variable b = new Variable("bias", Tensor.of(B0.clone(), 2));
        adam.build(List.of(w, b), List.of("sequential/dense/kernel", "sequential/dense/bias"));
        assertEquals(List.of("adam/iteration", "adam/learning_rate",
                "adam/sequential_dense_kernel_momentum", "adam/sequential_dense_kernel_velocity",
                "adam/sequential_dense_bias_momentum", "adam/sequential_dense_bias_velocity"), adam.variableNames());
        System.arraycopy(GW[0], 0, w.grad().data(), 0, 3);
        System.arraycopy(GB[0], 0, b.grad().data(), 0, 2);
        adam.apply(List.of(w, b));
        List<Tensor> state = adam.variables();
        assertEquals(6, state.size());
        assertEquals(1f, state.get(0).data()[0]);
        assertEquals(0.01f, state.get(1).data()[0]);
        assertEquals(0.1f * GW[0][1], state.get(2).data()[1], 1e-7);

        // A fresh optimizer given the saved state continues exactly like the original.
        Adam copy = new Adam(0.5);
        Variable w2 = new Variable("kernel", w.value().copy());
        Variable b2 = new Variable("bias", b.value().copy());
        copy.build(List.of(w2, b2));
        List<Tensor> saved = new java.util.ArrayList<>();
        for (Tensor t : state) {
            saved.add(t.copy());
        }
        copy.setVariables(saved);
        for (Adam o : new Adam[] {adam, copy}) {
            List<Variable> vs = o == adam ? List.of(w, b) : List.of(w2, b2);
            System.arraycopy(GW[1], 0, vs.get(0).grad().data(), 0, 3);
            System.arraycopy(GB[1], 0, vs.get(1).grad().data(), 0, 2);
            o.apply(vs);
        }
        assertEquals(0f, w.value().maxAbsDiff(w2.value()));
        assertEquals(0f, b.value().maxAbsDiff(b2.value()));
        assertEquals(2, copy.iterations());
    }

    @Test
    void sgdWithoutMomentumHasNoSlotsAndScheduleHasNoLearningRateVariable() {
        SGD sgd = new SGD();
        sgd.build(List.of(new Variable("kernel", Tensor.zeros(2))));
        assertEquals(2, sgd.variables().size());
        SGD scheduled = new SGD(new ExponentialDecay(0.1, 10, 0.5, true), 0.9, false);
        scheduled.build(List.of(new Variable("kernel", Tensor.zeros(2))));
        assertEquals(2, scheduled.variables().size());
        scheduled.iterations(25);
        assertEquals(0.025, scheduled.learningRate(), 1e-9);
        assertThrows(IllegalStateException.class, () -> scheduled.learningRate(0.3));
    }

    @Test
    void identifiersAreCaseInsensitiveWithKerasDefaults() {
        assertTrue(Optimizers.get("Adam") instanceof Adam);
        assertEquals(0.001, Optimizers.get("adam").learningRate(), 1e-9);
        assertEquals(0.01, Optimizers.get("SGD").learningRate(), 1e-9);
        assertEquals(0.004, Optimizers.get("adamw").weightDecay(), 1e-9);
        assertEquals(1e-7, (double) Optimizers.get("rmsprop").config().get("epsilon"), 1e-12);
        assertEquals(0.1, (double) Optimizers.get("Adagrad").config().get("initial_accumulator_value"), 1e-7);
        var e = assertThrows(IllegalArgumentException.class, () -> Optimizers.get("adma"));
        assertTrue(e.getMessage().contains("Unknown optimizer 'adma'. Did you mean 'adam'?"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SGD(0.1).clipnorm(1).clipvalue(1));
    }

    @Test
    void cosineDecayFollowsKerasFormula() {
        CosineDecay d = new CosineDecay(0.1, 100, 0.1);
        assertEquals(0.1, d.learningRate(0), 1e-12);
        assertEquals(0.1 * (0.9 * 0.5 + 0.1), d.learningRate(50), 1e-12);
        assertEquals(0.01, d.learningRate(500), 1e-12);
    }

    @Test
    void serializedConfigsRoundTripAsKeras() {
        Optimizer[] all = {new Adam(0.01).amsgrad(true).clipnorm(1.0), new SGD(0.1, 0.9, true).clipvalue(0.5),
            new SGD(new ExponentialDecay(0.1, 10, 0.5, true), 0, false), new AdamW(0.002, 0.01),
            new RMSprop(0.003).centered(true).momentum(0.2), new Adagrad(0.05, 0.2, 1e-6), new Adam(new CosineDecay(0.1, 50))};
        for (Optimizer o : all) {
            Map<String, Object> ser = Optimizers.serialize(o);
            Optimizer back = Optimizers.fromConfig(ser);
            assertEquals(o.getClass(), back.getClass());
            assertEquals(ser, Optimizers.serialize(back));
        }
        // the compile_config Keras 3.15 writes for compile("Adam", ...)
        Map<String, Object> keras = new java.util.LinkedHashMap<>();
        keras.put("name", "adam");
        keras.put("learning_rate", 0.0010000000474974513);
        keras.put("weight_decay", null);
        keras.put("clipnorm", null);
        keras.put("global_clipnorm", null);
        keras.put("clipvalue", null);
        keras.put("use_ema", false);
        keras.put("ema_momentum", 0.99);
        keras.put("ema_overwrite_frequency", null);
        keras.put("loss_scale_factor", null);
        keras.put("gradient_accumulation_steps", null);
        keras.put("beta_1", 0.9);
        keras.put("beta_2", 0.999);
        keras.put("epsilon", 1e-07);
        keras.put("amsgrad", false);
        Optimizer fromKeras = Optimizers.fromConfig(Map.of("class_name", "Adam", "config", keras));
        Map<String, Object> ours = fromKeras.config();
        assertEquals(keras.keySet(), ours.keySet());
        for (String k : keras.keySet()) {
            Object a = keras.get(k);
            Object b = ours.get(k);
            if (a instanceof Double) {
                assertEquals((Double) a, ((Number) b).doubleValue(), Math.abs((Double) a) * 1e-7, k);
            } else {
                assertEquals(a, b, k);
            }
        }
    }
}
