package org.rnn4j.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnn4j.optimizers.PortChecks.allClose;
import static org.rnn4j.optimizers.PortChecks.d;
import static org.rnn4j.optimizers.PortChecks.step;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.Rnn4j;
import org.rnn4j.constraints.NonNeg;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Variable;
import org.rnn4j.models.FitOptions;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * The rest of Keras 3.15.1's {@code keras/src/optimizers/optimizer_test.py} (the base optimizer:
 * None gradients, loss scaling, gradient accumulation, overwrite_with_gradient, EMA in fit,
 * set_weights, naming) and the model.fit half of {@code adam_test.py}'s test_ema, with the same
 * inputs, options and tolerances. Counts per file: see {@link KerasOptimizersPortTest}.
 */
class KerasOptimizersPort2Test {
    private static Variable v2x2(float a, float b, float c, float e) {
        return PortChecks.var2d("v", 2, 2, a, b, c, e);
    }

    private static float[] fill(float x) {
        return new float[] {x, x, x, x};
    }

    /** Runs {@code action} with System.err captured (Keras's assertWarns); returns what it wrote. */
    private static String stderrOf(Runnable action) {
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(saved);
        }
        return buf.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    // test_empty_gradients
    @Test
    void emptyGradients() {
        Variable v = v2x2(3, 4, 5, 6);
        SGD o = new SGD(1.0);
        o.build(List.of(v));
        List<float[]> none = new ArrayList<>();
        none.add(null);
        var e = assertThrows(IllegalArgumentException.class, () -> o.applyGradients(none));
        assertTrue(e.getMessage().contains("No gradients provided for any variable."), e.getMessage());

        Variable v2 = v2x2(3, 4, 5, 6);
        SGD o2 = new SGD(1.0);
        List<float[]> grads = new ArrayList<>();
        grads.add(null);
        grads.add(fill(1));
        String warning = stderrOf(() -> step(o2, List.of(v, v2), grads));
        assertTrue(warning.startsWith("WARNING: "), warning);  // assertWarns(Warning)
        allClose(new double[] {3, 4, 5, 6}, v.value().data());
        allClose(new double[] {2, 3, 4, 5}, v2.value().data());
    }

    // test_ema_with_model_fit
    @Test
    void emaWithModelFit() {
        SGD optimizer = new SGD(0.1);
        optimizer.useEma(true).emaMomentum(0.9);
        Sequential model = new Sequential();
        model.add(new Dense(2).kernelInitializer("ones").useBias(false).inputShape(1));
        model.compile(optimizer, "mse");
        // Keras broadcasts y_train zeros((1, 1)) against the (1, 2) prediction; rnn4j wants the zeros at that shape
        model.fit(Tensor.of(new float[] {1}, 1, 1), Tensor.zeros(1, 2),
                FitOptions.epochs(2).batchSize(1).verbose(0));
        allClose(new double[] {0.891, 0.891}, optimizer.movingAverages().get(0).data(), 1e-5, 1e-6);
        allClose(new double[] {0.891, 0.891}, model.trainableWeights().get(0).value().data(), 1e-5, 1e-6);
    }

    // adam_test.py test_ema, second half: fit finalizes the weights to their EMA
    @Test
    void adamEmaModelFitFinalizesWeights() {
        Adam optimizer = new Adam();
        optimizer.useEma(true).emaMomentum(0.9);
        Sequential model = new Sequential();
        model.add(new Dense(10).kernelInitializer("ones").useBias(false).inputShape(5));
        model.compile(optimizer, "mse");
        model.fit(Tensor.of(new float[] {1, 1, 1, 1, 1}, 1, 5), Tensor.zeros(1, 10), FitOptions.epochs(1).verbose(0));
        allClose(d(optimizer.movingAverages().get(0).data()), model.trainableWeights().get(0).value().data());
    }

    // test_constraints_are_applied
    @Test
    void constraintsAreApplied() {
        Rng rng = new Rng(3);
        float[] init = new float[4];
        for (int i = 0; i < 4; i++) {
            init[i] = rng.uniform(0, 1) - 1f;
        }
        Variable v = PortChecks.var2d("v", 2, 2, init);
        v.constraint(new NonNeg());
        step(new SGD(0.0001), List.of(v), List.of(new float[4]));
        float min = Float.MAX_VALUE;
        for (float x : v.value().data()) {
            min = Math.min(min, x);
        }
        assertEquals(0.0, min, 5e-8);  // assertAlmostEqual: 7 decimals
    }

    // test_get_method
    @Test
    void getMethod() {
        assertInstanceOf(SGD.class, Optimizers.get("sgd"));
        assertInstanceOf(AdamW.class, Optimizers.get("adamw"));
        assertNull(Optimizers.get(null));
        assertThrows(IllegalArgumentException.class, () -> Optimizers.get("typo"));
    }

    // test_static_loss_scaling
    @Test
    void staticLossScaling() {
        Variable v = v2x2(1, 2, 3, 4);
        SGD o = new SGD(1.0);
        o.lossScaleFactor(1024.0);
        step(o, List.of(v), List.of(new float[] {1024, 2048, 3072, 4096}));
        assertEquals(1024.0, o.scaleLoss(1.0));
        allClose(new double[] {0, 0, 0, 0}, v.value().data());
    }

    // test_set_weights
    @Test
    void setWeights() {
        Variable x = v2x2(1, 2, 3, 4);
        Adam o1 = new Adam();
        step(o1, List.of(x), List.of(new float[] {1, 2, 3, 4}));
        Adam o2 = new Adam();
        var e = assertThrows(IllegalStateException.class, () -> o2.setVariables(o1.variables()));
        assertTrue(e.getMessage().startsWith("You are calling"), e.getMessage());
        o2.build(List.of(x));
        o2.setVariables(o1.variables());
        for (int i = 0; i < o1.variables().size(); i++) {
            allClose(d(o1.variables().get(i).data()), o2.variables().get(i).data());
        }
    }

    // test_gradient_accumulation
    @Test
    void gradientAccumulation() {
        Variable v = v2x2(1, 2, 3, 4);
        SGD o = new SGD(1.0);
        o.gradientAccumulationSteps(3);
        assertEquals(3, o.gradientAccumulationSteps());
        o.build(List.of(v));
        double[][] vs = {{1, 2, 3, 4}, {1, 2, 3, 4}, {0, 1, 2, 3}, {0, 1, 2, 3}};
        double[] acc = {1, 2, 0, 1};
        long[] its = {0, 0, 1, 1};
        for (int k = 0; k < 4; k++) {
            o.applyGradients(List.of(fill(1)));
            allClose(vs[k], v.value().data());
            allClose(new double[] {acc[k], acc[k], acc[k], acc[k]}, o.accumulatedGradients().get(0).data());
            assertEquals(k + 1, o.rawIterations());
            assertEquals(its[k], o.iterations());
        }
    }

    // test_callable_learning_rate (learning_rate=lambda: 0.1: a schedule that ignores the step)
    @Test
    void callableLearningRate() {
        Variable v = v2x2(1, 2, 3, 4);
        SGD o = new SGD(new LearningRateSchedule() {
            @Override
            public double learningRate(long step) {
                return 0.1;
            }

            @Override
            public String className() {
                return "Constant";
            }

            @Override
            public Map<String, Object> config() {
                return Map.of();
            }
        }, 0, false);
        assertEquals(0, o.iterations());
        step(o, List.of(v), List.of(fill(1)));
        allClose(new double[] {0.9, 1.9, 2.9, 3.9}, v.value().data());
        assertEquals(1, o.iterations());
    }

    // test_overwrite_with_gradient
    @Test
    void overwriteWithGradient() {
        Variable v = v2x2(1, 2, 3, 4);
        v.overwriteWithGradient(true);
        Variable v2 = v2x2(1, 2, 3, 4);
        step(new SGD(1.0), List.of(v, v2), List.of(fill(1), fill(1)));
        allClose(new double[] {1, 1, 1, 1}, v.value().data());
        allClose(new double[] {0, 1, 2, 3}, v2.value().data());
    }

    // test_overwrite_with_gradient_with_gradient_accumulation
    @Test
    void overwriteWithGradientWithGradientAccumulation() {
        Variable v = v2x2(1, 2, 3, 4);
        v.overwriteWithGradient(true);
        Variable v2 = v2x2(1, 2, 3, 4);
        SGD o = new SGD(1.0);
        o.gradientAccumulationSteps(2);
        o.build(List.of(v, v2));
        float[][] grads = {fill(1), fill(2), fill(1)};
        long[] its = {0, 1, 1};
        double[][] vs = {{1, 2, 3, 4}, {2, 2, 2, 2}, {2, 2, 2, 2}};
        double[][] v2s = {{1, 2, 3, 4}, {-0.5, 0.5, 1.5, 2.5}, {-0.5, 0.5, 1.5, 2.5}};
        double[] acc = {1, 0, 1};
        for (int k = 0; k < 3; k++) {
            o.applyGradients(List.of(grads[k], grads[k]));
            assertEquals(k + 1, o.rawIterations());
            assertEquals(its[k], o.iterations());
            allClose(vs[k], v.value().data());
            allClose(v2s[k], v2.value().data());
            double[] a = {acc[k], acc[k], acc[k], acc[k]};
            allClose(a, o.accumulatedGradients().get(0).data());
            allClose(a, o.accumulatedGradients().get(1).data());
        }
    }

    private static final String[] ALL = {"adam", "sgd", "adamw", "adagrad", "rmsprop", "adadelta", "adamax", "lion", "nadam", "ftrl", "adafactor"};

    // test_gradient_accumulation_with_weigth_decay (all eleven parameterizations)
    @Test
    void gradientAccumulationWithWeightDecay() {
        Rng rng = new Rng(7);
        for (String name : ALL) {
            Optimizer o1 = Optimizers.fromConfig(Map.of("class_name", name, "config", Map.of("weight_decay", 0.05)));
            Optimizer o3 = Optimizers.fromConfig(Map.of("class_name", name, "config",
                    Map.of("weight_decay", 0.05, "gradient_accumulation_steps", 3)));
            Variable var1 = PortChecks.var2d("v", 2, 1, 0.9f, 0.5f);
            Variable var3 = PortChecks.var2d("v", 2, 1, 0.9f, 0.5f);
            o1.build(List.of(var1));
            o3.build(List.of(var3));
            for (int epoch = 0; epoch < 8; epoch++) {
                float[][] g3 = new float[3][2];
                for (float[] g : g3) {
                    g[0] = rng.uniform(0, 1);
                    g[1] = rng.uniform(0, 1);
                }
                // numpy's float32 mean over axis 0: (g0 + g1 + g2) / 3
                float[] g1 = {(g3[0][0] + g3[1][0] + g3[2][0]) / 3f, (g3[0][1] + g3[1][1] + g3[2][1]) / 3f};
                o1.applyGradients(List.of(g1));
                for (float[] g : g3) {
                    o3.applyGradients(List.of(g));
                }
            }
            float[] a = var1.value().data();
            float[] b = var3.value().data();
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 1e-6 + 1e-6 * Math.abs(a[i]), name + " element " + i);
            }
        }
    }

    // test_setting_lr_to_callable_untracks_lr_var
    @Test
    void settingLearningRateToScheduleUntracksVariable() {
        Adam adam = new Adam(0.001);
        assertEquals(2, adam.variables().size());
        adam.learningRate(new PolynomialDecay(adam.learningRate(), 4));
        assertEquals(1, adam.variables().size());
    }

    // test_pickleable_optimizers: a copy (here through the config) has the same config
    @Test
    void optimizersCopyThroughTheirConfig() {
        for (String name : ALL) {
            PortChecks.roundTrip(Optimizers.get(name));
        }
    }

    // test_mixed_with_tf_variables, without the tf.Variable (TensorFlow's): a None gradient warns, the step counts
    @Test
    void noneGradientForOneVariableStillCountsTheStep() {
        Variable v = v2x2(1, 2, 3, 4);
        Variable other = v2x2(1, 2, 3, 4);
        Adam o = new Adam(1.0);
        step(o, List.of(v, other), List.of(fill(1), fill(1)));
        assertEquals(1, o.iterations());
        List<float[]> grads = new ArrayList<>();
        grads.add(fill(1));
        grads.add(null);
        String warning = stderrOf(() -> o.applyGradients(grads));
        assertTrue(warning.contains("Gradients do not exist for variables ['v'] when minimizing the loss."), warning);
        assertEquals(2, o.iterations());
    }

    // test_optimizer_auto_naming (after Keras's clear_session, as its TestCase does)
    @Test
    void optimizerAutoNaming() {
        Rnn4j.clearSession();
        Adam adam1 = new Adam();
        Adam adam2 = new Adam();
        SGD sgd1 = new SGD();
        SGD sgd2 = new SGD();
        AdamW adamw1 = new AdamW();
        AdamW adamw2 = new AdamW();
        assertEquals("adam", adam1.name());
        assertEquals("adam_1", adam2.name());
        assertEquals("sgd", sgd1.name());
        assertEquals("sgd_1", sgd2.name());
        assertEquals("adam_w", adamw1.name());
        assertEquals("adam_w_1", adamw2.name());
        Optimizer custom = new Adam().name("my_adam");
        assertEquals("my_adam", custom.name());
        assertEquals("adam_1", Optimizers.fromConfig(Optimizers.serialize(adam2)).name());
        assertEquals("my_adam", Optimizers.fromConfig(Optimizers.serialize(custom)).name());
    }
}
