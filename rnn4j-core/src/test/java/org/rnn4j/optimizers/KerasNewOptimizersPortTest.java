package org.rnn4j.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnn4j.optimizers.PortChecks.allClose;
import static org.rnn4j.optimizers.PortChecks.clipNormAndValue;
import static org.rnn4j.optimizers.PortChecks.golden;
import static org.rnn4j.optimizers.PortChecks.roundTrip;
import static org.rnn4j.optimizers.PortChecks.singleStep;
import static org.rnn4j.optimizers.PortChecks.tile;
import static org.rnn4j.optimizers.PortChecks.weightDecay;

import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.Variable;

/**
 * The assertions of Keras 3.15.1's {@code adadelta_test.py}, {@code ftrl_test.py},
 * {@code lamb_test.py} and {@code adafactor_test.py}, with the same inputs, options and tolerances
 * (test_config as a config round trip). Counts per file: see {@link KerasOptimizersPortTest}.
 */
class KerasNewOptimizersPortTest {
    // adadelta_test.py: 7 of 7, and test_config
    @Test
    void adadelta() {
        roundTrip(new Adadelta(0.5).rho(0.9).epsilon(1e-5));
        singleStep(new Adadelta(0.5), 0.9993, 1.9993, 2.9993, 3.9993);
        weightDecay(() -> new Adadelta(1.0).weightDecay(0.004));
        golden(new Adadelta(1.0).rho(0.8).epsilon(1e-6), tile(0.9978, 0.9947, 0.9915, 0.9882, 0.9849));
        clipNormAndValue(Adadelta::new);
    }

    private static Ftrl goldenFtrl() {
        Ftrl o = new Ftrl(0.05);
        o.learningRatePower(-0.2).initialAccumulatorValue(0.4).l1RegularizationStrength(0.05)
                .l2RegularizationStrength(0.15).l2ShrinkageRegularizationStrength(0.01).beta(0.3);
        return o;
    }

    // ftrl_test.py: 9 of 9, and test_config
    @Test
    void ftrl() {
        roundTrip(goldenFtrl());
        singleStep(new Ftrl(0.5), 0.2218, 1.3954, 2.3651, 2.8814);
        golden(goldenFtrl(), new double[][] {
            {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0},
            {-0.0034, -0.0077, -0.0118, -0.0157, -0.0194, -0.023, -0.0263, -0.0294, -0.0325, -0.0354},
            {-0.0078, -0.0162, -0.0242, -0.0317, -0.0387, -0.0454, -0.0516, -0.0575, -0.0631, -0.0685},
            {-0.0121, -0.0246, -0.0363, -0.0472, -0.0573, -0.0668, -0.0757, -0.0842, -0.0922, -0.0999},
            {-0.0164, -0.0328, -0.0481, -0.0623, -0.0753, -0.0875, -0.099, -0.1098, -0.1201, -0.1299}});
        clipNormAndValue(Ftrl::new);
        invalid(() -> new Ftrl().initialAccumulatorValue(-0.1),
                "`initial_accumulator_value` needs to be positive or zero. Received: initial_accumulator_value=-0.1.");
        invalid(() -> new Ftrl().learningRatePower(0.1),
                "`learning_rate_power` needs to be negative or zero. Received: learning_rate_power=0.1.");
        invalid(() -> new Ftrl().l1RegularizationStrength(-0.1),
                "`l1_regularization_strength` needs to be positive or zero. Received: l1_regularization_strength=-0.1.");
        invalid(() -> new Ftrl().l2RegularizationStrength(-0.1),
                "`l2_regularization_strength` needs to be positive or zero. Received: l2_regularization_strength=-0.1.");
        invalid(() -> new Ftrl().l2ShrinkageRegularizationStrength(-0.1),
                "`l2_shrinkage_regularization_strength` needs to be positive or zero. Received:"
                        + " l2_shrinkage_regularization_strength=-0.1.");
    }

    /** assertRaisesRegex with Keras's anchored pattern: the whole message. */
    private static void invalid(Supplier<Optimizer> make, String message) {
        var e = assertThrows(IllegalArgumentException.class, make::get);
        assertEquals(message, e.getMessage());
    }

    // lamb_test.py: 7 of 7, and test_config
    @Test
    void lamb() {
        roundTrip(new Lamb(0.5).beta1(0.5).beta2(0.67).epsilon(1e-5));
        singleStep(new Lamb(0.5), -0.3693, 0.6306, 1.6306, 2.6306);
        weightDecay(() -> new Lamb(1.0).weightDecay(0.004));
        golden(new Lamb(), tile(0.999, 0.9982, 0.9974, 0.9965, 0.9955));
        clipNormAndValue(Lamb::new);
    }

    // adafactor_test.py: 8 of 8, and test_config
    @Test
    void adafactor() {
        Supplier<Adafactor> goldenConfig = () -> new Adafactor(0.5).beta2Decay(-0.65).epsilon1(1e-15).epsilon2(1e-4)
                .clipThreshold(0.9).relativeStep(false);
        roundTrip(goldenConfig.get());
        singleStep(new Adafactor(0.5), -0.3693, 0.6307, 1.6307, 2.6307);
        Variable v = PortChecks.var2d("v", 2, 2, 1, 2, 3, 4);
        PortChecks.step(new Adafactor(0.5), List.of(v), List.of(new float[] {1, 6, 7, 2}));
        allClose(new double[] {0.7007, -0.0081, 1.2492, 3.4407}, v.value().data(), 1e-4, 1e-4);
        weightDecay(() -> new Adafactor(1.0).weightDecay(0.004));
        golden(goldenConfig.get(), new double[][] {
            {0.55, 0.55, 0.55, 0.55, 0.55, 0.55, 0.55, 0.55, 0.55, 0.55},
            {0.3031, 0.3026, 0.3025, 0.3024, 0.3024, 0.3024, 0.3024, 0.3024, 0.3024, 0.3024},
            {0.1671, 0.1665, 0.1663, 0.1663, 0.1663, 0.1663, 0.1663, 0.1663, 0.1663, 0.1663},
            {0.0923, 0.0916, 0.0915, 0.0914, 0.0914, 0.0914, 0.0914, 0.0914, 0.0914, 0.0914},
            {0.0554, 0.0548, 0.0546, 0.0546, 0.0546, 0.0546, 0.0546, 0.0545, 0.0545, 0.0545}});
        clipNormAndValue(Adafactor::new);
    }

    /** Keras's Adafactor variables for a vector and a matrix (checked in Keras 3.15.1): r, c, velocity per variable. */
    @Test
    void adafactorSlotsFollowKeras() {
        Adafactor o = new Adafactor(0.5);
        o.name("adafactor");
        Variable b = PortChecks.var("b", 1, 2, 3, 4);
        Variable k = PortChecks.var2d("k", 2, 2, 1, 2, 3, 4);
        o.build(List.of(b, k), List.of("b", "k"));
        assertEquals(List.of("adafactor/iteration", "adafactor/learning_rate", "adafactor/b", "adafactor/b",
                "adafactor/b_velocity", "adafactor/k", "adafactor/k", "adafactor/k_velocity"), o.variableNames());
        List<int[]> shapes = new java.util.ArrayList<>();
        for (org.rnn4j.tensor.Tensor t : o.variables()) {
            shapes.add(t.shape());
        }
        int[][] expected = {{}, {}, {}, {}, {4}, {2}, {2}, {2, 2}};
        for (int i = 0; i < expected.length; i++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(expected[i], shapes.get(i), "variable " + i);
        }
        assertTrue(o.integerVariable(2) && o.integerVariable(3) && !o.integerVariable(4) && !o.integerVariable(5));
        // one step on both, values from Keras 3.15.1 (TensorFlow backend)
        o.applyGradients(List.of(new float[] {1, 6, 7, 2}, new float[] {1, 6, 7, 2}));
        allClose(new double[] {-0.36930645, 0.63069355, 1.6306936, 2.6306934}, b.value().data(), 1e-6, 1e-6);
        allClose(new double[] {0.7006545, -0.00807095, 1.2492113, 3.440731}, k.value().data(), 1e-6, 1e-6);
        allClose(new double[] {18.5, 26.5}, o.variables().get(5).data(), 1e-5, 1e-6);
        allClose(new double[] {25, 20}, o.variables().get(6).data(), 1e-5, 1e-6);
        allClose(new double[] {20.555555, 16.444445, 29.444445, 23.555555}, o.variables().get(7).data(), 1e-5, 1e-6);
    }
}
