package org.rnn4j.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.rnn4j.layers.Variable;
import org.rnn4j.tensor.Tensor;

/** The shared shapes of Keras's optimizer tests (single step, weight decay, golden, clipping, config), with their inputs and tolerances. */
final class PortChecks {
    private PortChecks() {
    }

    static Variable var(String name, float... v) {
        return new Variable(name, Tensor.of(v.clone(), v.length));
    }

    static Variable var2d(String name, int rows, int cols, float... v) {
        return new Variable(name, Tensor.of(v.clone(), rows, cols));
    }

    /** Keras's {@code apply_gradients} on not-yet-built optimizers: builds for these variables, then one step. */
    static void step(Optimizer o, List<Variable> vars, List<float[]> grads) {
        o.build(vars);
        o.applyGradients(grads);
    }

    /** numpy's {@code assertAllClose}: |a - e| <= atol + rtol |e|. */
    static void allClose(double[] expected, float[] actual, double atol, double rtol) {
        assertEquals(expected.length, actual.length, "length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], atol + rtol * Math.abs(expected[i]), "element " + i);
        }
    }

    /** Keras's default {@code assertAllClose} tolerance (1e-6 both). */
    static void allClose(double[] expected, float[] actual) {
        allClose(expected, actual, 1e-6, 1e-6);
    }

    static double[] d(float[] f) {
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = f[i];
        }
        return out;
    }

    /** test_single_step: vars [1, 2, 3, 4], grads [1, 6, 7, 2], one step, rtol = atol = 1e-4. */
    static void singleStep(Optimizer o, double... expected) {
        Variable v = var("v", 1, 2, 3, 4);
        step(o, List.of(v), List.of(new float[] {1, 6, 7, 2}));
        allClose(expected, v.value().data(), 1e-4, 1e-4);
    }

    /** test_weight_decay: three optimizers, the second and third excluding a variable by name and by identity. */
    static void weightDecay(Supplier<Optimizer> make) {
        Variable var1 = new Variable("variable", Tensor.of(new float[] {2f}));
        Variable var2 = new Variable("exclude", Tensor.of(new float[] {2f}));
        Variable var3 = new Variable("variable", Tensor.of(new float[] {2f}));
        float[] zero = {0f};
        step(make.get(), List.of(var1), List.of(zero));
        step(make.get().excludeFromWeightDecay("exclude"), List.of(var1, var2), List.of(zero, zero));
        step(make.get().excludeFromWeightDecay(List.of(var3), null), List.of(var1, var3), List.of(zero, zero));
        // assertAlmostEqual(..., decimal=6): |a - e| < 1.5e-6
        assertEquals(1.9760959, var1.value().data()[0], 1.5e-6);
        assertEquals(2.0, var2.value().data()[0], 1.5e-6);
        assertEquals(2.0, var3.value().data()[0], 1.5e-6);
    }

    private static final float[] GRADS = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f, 1.0f};

    /** test_correctness_with_golden: x = ones(10); one step with 0.01s, then five checks each followed by a step with arange(0.1, 1.1, 0.1). */
    static void golden(Optimizer o, double[][] golden) {
        float[] ones = new float[10];
        Arrays.fill(ones, 1f);
        Variable x = var("x", ones);
        float[] first = new float[10];
        Arrays.fill(first, 0.01f);
        step(o, List.of(x), List.of(first));
        for (int i = 0; i < 5; i++) {
            allClose(golden[i], x.value().data(), 5e-4, 5e-4);
            o.applyGradients(List.of(GRADS));
        }
    }

    /** np.tile([[a], [b], ...], (1, 10)). */
    static double[][] tile(double... rows) {
        double[][] g = new double[rows.length][10];
        for (int i = 0; i < rows.length; i++) {
            Arrays.fill(g[i], rows[i]);
        }
        return g;
    }

    /** test_clip_norm and test_clip_value on [100, 100]. */
    static void clipNormAndValue(Supplier<Optimizer> make) {
        List<float[]> g = List.of(new float[] {100f, 100f});
        allClose(new double[] {Math.sqrt(2) / 2, Math.sqrt(2) / 2}, make.get().clipnorm(1).clipGradients(g).get(0));
        allClose(new double[] {1, 1}, make.get().clipvalue(1).clipGradients(g).get(0));
    }

    /** run_class_serialization_test's core: the config survives from_config unchanged. */
    static void roundTrip(Optimizer o) {
        Map<String, Object> ser = Optimizers.serialize(o);
        Optimizer back = Optimizers.fromConfig(ser);
        assertEquals(o.getClass(), back.getClass());
        assertEquals(ser, Optimizers.serialize(back));
    }

    static void roundTrip(LearningRateSchedule s) {
        Map<String, Object> ser = Optimizers.serialize(s);
        LearningRateSchedule back = Optimizers.scheduleFromConfig(ser);
        assertEquals(s.getClass(), back.getClass());
        assertEquals(ser, Optimizers.serialize(back));
    }
}
