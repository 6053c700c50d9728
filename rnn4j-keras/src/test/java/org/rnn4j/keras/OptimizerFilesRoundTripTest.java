package org.rnn4j.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.layers.Dense;
import org.rnn4j.models.FitOptions;
import org.rnn4j.models.Sequential;
import org.rnn4j.optimizers.Optimizer;
import org.rnn4j.optimizers.Optimizers;
import org.rnn4j.tensor.Tensor;

/**
 * Optimizers and schedules added for Keras parity survive a {@code .keras} save and load: the same
 * compile config, step count and slots, so training on gives the same weights.
 */
class OptimizerFilesRoundTripTest {
    @TempDir
    Path tmp;

    private void roundTrip(String label, Supplier<Optimizer> make) throws Exception {
        Sequential m = new Sequential("opt_" + label).seed(5);
        m.add(new Dense(4).activation("tanh").inputShape(3));
        m.add(new Dense(2));
        m.compile(make.get(), "mean_squared_error");
        Tensor x = RoundTripTest.randn(1, 8, 3);
        Tensor y = RoundTripTest.randn(2, 8, 2);
        FitOptions opts = FitOptions.epochs(2).batchSize(4).shuffle(false).verbose(0);
        m.fit(x, y, opts);
        Path file = tmp.resolve(label + ".keras");
        KerasModels.save(m, file);
        Sequential back = (Sequential) KerasModels.load(file);
        assertTrue(back.isCompiled(), label);
        assertEquals(Optimizers.serialize(m.optimizer()), Optimizers.serialize(back.optimizer()), label);
        assertEquals(m.optimizer().rawIterations(), back.optimizer().rawIterations(), label);
        List<Tensor> a = m.optimizer().variables();
        List<Tensor> b = back.optimizer().variables();
        assertEquals(a.size(), b.size(), label);
        for (int i = 0; i < a.size(); i++) {
            assertEquals(0f, a.get(i).maxAbsDiff(b.get(i)), label + " variable " + i);
        }
        m.fit(x, y, opts);
        back.fit(x, y, opts);
        assertEquals(0f, back.predict(x).maxAbsDiff(m.predict(x)), label);
    }

    @Test
    void adadeltaRoundTrips() throws Exception {
        roundTrip("adadelta", () -> new org.rnn4j.optimizers.Adadelta(0.5).rho(0.9).epsilon(1e-5));
    }

    @Test
    void ftrlRoundTrips() throws Exception {
        roundTrip("ftrl", () -> new org.rnn4j.optimizers.Ftrl(0.05).learningRatePower(-0.2).initialAccumulatorValue(0.4)
                .l1RegularizationStrength(0.05).l2RegularizationStrength(0.15).l2ShrinkageRegularizationStrength(0.01)
                .beta(0.3));
    }

    @Test
    void lambRoundTrips() throws Exception {
        roundTrip("lamb", () -> new org.rnn4j.optimizers.Lamb(0.01).beta1(0.5).beta2(0.67).epsilon(1e-5));
    }

    @Test
    void adafactorRoundTrips() throws Exception {
        // the Dense biases are vectors: Adafactor keeps int32 scalar placeholders for them, as Keras
        roundTrip("adafactor", () -> new org.rnn4j.optimizers.Adafactor(0.05).beta2Decay(-0.65).epsilon1(1e-15)
                .epsilon2(1e-4).clipThreshold(0.9).relativeStep(false));
    }

    @Test
    void accumulationLossScaleAndSchedulesRoundTrip() throws Exception {
        // 4 steps with accumulation over 3: the file keeps the raw step count and the accumulators
        roundTrip("accumulating", () -> new org.rnn4j.optimizers.Adam(new org.rnn4j.optimizers.PolynomialDecay(0.05, 10))
                .gradientAccumulationSteps(3).lossScaleFactor(8.0));
        roundTrip("piecewise", () -> new org.rnn4j.optimizers.SGD(new org.rnn4j.optimizers.PiecewiseConstantDecay(
                List.of(2, 3), List.of(0.1, 0.05, 0.01)), 0.9, true));
        roundTrip("restarts", () -> new org.rnn4j.optimizers.RMSprop(new org.rnn4j.optimizers.CosineDecayRestarts(0.01, 3)));
        roundTrip("inverse", () -> new org.rnn4j.optimizers.Adamax(new org.rnn4j.optimizers.InverseTimeDecay(0.01, 2, 0.5)));
        roundTrip("warmup", () -> new org.rnn4j.optimizers.Nadam(
                org.rnn4j.optimizers.CosineDecay.withWarmup(0.0, 5, 0.1, 0.01, 2)));
    }
}
