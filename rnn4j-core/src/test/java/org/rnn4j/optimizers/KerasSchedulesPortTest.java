package org.rnn4j.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.callbacks.History;
import org.rnn4j.layers.Dense;
import org.rnn4j.models.FitOptions;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Tensor;

/**
 * The assertions of Keras 3.15.1's
 * {@code keras/src/optimizers/schedules/learning_rate_schedule_test.py}, same inputs and tolerances
 * ({@code assertAllClose(actual, expected, 1e-6)} is rtol 1e-6, atol 1e-6; without it both 1e-6 too).
 * Every {@code test_config} is a config round trip.
 */
class KerasSchedulesPortTest {
    private static void close(double expected, double actual) {
        assertEquals(expected, actual, 1e-6 + 1e-6 * Math.abs(expected));
    }

    // TestFitLRSchedulesFlow.test_fit_lr_correctness
    @Test
    void fitLrCorrectness() {
        Sequential model = new Sequential();
        model.add(new Dense(2).kernelInitializer("ones").biasInitializer("ones").inputShape(2));
        Adam optimizer = new Adam(new ExponentialDecay(0.05, 1, 0.9));
        assertEquals(1, optimizer.variables().size());
        assertEquals(0f, optimizer.variables().get(0).data()[0]);
        model.compile(optimizer, "mse");
        float[] a = new float[32];
        for (int i = 0; i < 32; i++) {
            a[i] = i;
        }
        History h = model.fit(Tensor.of(a, 16, 2), Tensor.of(a.clone(), 16, 2),
                FitOptions.epochs(3).batchSize(4).shuffle(false).verbose(0));
        assertEquals(12f, optimizer.variables().get(0).data()[0]);
        double[] expected = {230.79457092285156, 128.30319213867188, 79.33648681640625};
        List<Double> loss = h.get("loss");
        assertEquals(3, loss.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(expected[i], loss.get(i), 5e-5 * Math.abs(expected[i]) + 1e-6, "epoch " + i);
        }
    }

    @Test
    void exponentialDecay() {
        PortChecks.roundTrip(new ExponentialDecay(0.05, 10, 0.96, true, "my_ed"));
        close(0.05 * Math.pow(0.96, 5.0 / 10.0), new ExponentialDecay(0.05, 10, 0.96).learningRate(5));
        ExponentialDecay s = new ExponentialDecay(0.1, 3, 0.96, true);
        // test_staircase and test_variables: the same three steps
        for (int t = 0; t < 2; t++) {
            close(0.1, s.learningRate(1));
            close(0.1, s.learningRate(2));
            close(0.1 * Math.pow(0.96, 100 / 3), s.learningRate(100));
        }
    }

    @Test
    void piecewiseConstantDecay() {
        PortChecks.roundTrip(new PiecewiseConstantDecay(List.of(10, 20), List.of(1, 2, 3), "my_pcd"));
        PiecewiseConstantDecay s = new PiecewiseConstantDecay(List.of(100, 110, 120), List.of(1.0, 0.1, 0.01, 0.001));
        close(1.0, s.learningRate(-999));
        close(1.0, s.learningRate(100));
        close(0.1, s.learningRate(105));
        close(0.1, s.learningRate(110));
        close(0.01, s.learningRate(120));
        close(0.001, s.learningRate(999));
        PiecewiseConstantDecay b = new PiecewiseConstantDecay(List.of(1, 2, 3), List.of(0.4, 0.5, 0.6, 0.7));
        close(0.4, b.learningRate(0));
        close(0.4, b.learningRate(1));
        close(0.5, b.learningRate(2));
        close(0.6, b.learningRate(3));
        close(0.7, b.learningRate(4));
    }

    // LinearDecayTest and SqrtDecayTest
    @Test
    void polynomialDecay() {
        PortChecks.roundTrip(new PolynomialDecay(0.1, 100, 0.005, 1.0, false, "my_ld"));
        double lr = 0.05;
        close(lr * 0.5, new PolynomialDecay(lr, 10, 0.0).learningRate(5));
        close(0.001, new PolynomialDecay(lr, 10, 0.001).learningRate(10));
        close((lr + 0.001) * 0.5, new PolynomialDecay(lr, 10, 0.001).learningRate(5));
        close(0.001, new PolynomialDecay(lr, 10, 0.001).learningRate(15));
        close((lr - 0.001) * 0.25 + 0.001, new PolynomialDecay(lr, 10, 0.001, 1.0, true, "PolynomialDecay").learningRate(15));

        double p = 0.5;
        close(lr * Math.pow(0.5, p), new PolynomialDecay(lr, 10, 0.0, p, false, "PolynomialDecay").learningRate(5));
        close(0.001, new PolynomialDecay(lr, 10, 0.001, p, false, "PolynomialDecay").learningRate(10));
        close((lr - 0.001) * Math.pow(0.5, p) + 0.001,
                new PolynomialDecay(lr, 10, 0.001, p, false, "PolynomialDecay").learningRate(5));
        close(0.001, new PolynomialDecay(lr, 10, 0.001, p, false, "PolynomialDecay").learningRate(15));
        close((lr - 0.001) * Math.pow(0.25, p) + 0.001,
                new PolynomialDecay(lr, 10, 0.001, p, true, "PolynomialDecay").learningRate(15));
        PolynomialDecay begin = new PolynomialDecay(0.001, 10, 0.0001, 1.0, true, "PolynomialDecay");
        close(0.001, begin.learningRate(0));
    }

    @Test
    void inverseTimeDecay() {
        PortChecks.roundTrip(new InverseTimeDecay(0.05, 10, 0.96, true, "my_itd"));
        InverseTimeDecay s = new InverseTimeDecay(0.1, 10, 0.96);
        InverseTimeDecay stairs = new InverseTimeDecay(0.1, 10, 0.96, true, "InverseTimeDecay");
        for (int i = 0; i <= 10; i++) {
            close(0.1 / (1 + i / 10.0 * 0.96), s.learningRate(i));
            close(0.1 / (1 + 0.96 * (i / 10)), stairs.learningRate(i));
        }
    }

    private static double npCosineDecay(double step, double decaySteps, double alpha) {
        step = Math.min(step, decaySteps);
        double decay = 0.5 * (1.0 + Math.cos(Math.PI * (step / decaySteps)));
        return (1.0 - alpha) * decay + alpha;
    }

    private static double linearWarmup(double step, double warmupSteps, double initial, double target) {
        return step / warmupSteps * (target - initial);
    }

    @Test
    void cosineDecay() {
        PortChecks.roundTrip(new CosineDecay(0.05, 10, 0.1, "my_cd", 0.2, 2));
        for (int step = 0; step < 1500; step += 250) {
            // test_decay and test_float64 (rnn4j computes in double either way)
            close(npCosineDecay(step, 1000, 0), new CosineDecay(1.0, 1000).learningRate(step));
            close(npCosineDecay(step, 1000, 0.1), new CosineDecay(1.0, 1000, 0.1).learningRate(step));
            close(linearWarmup(step, 1500, 0.0, 10.0), CosineDecay.withWarmup(0.0, 10, 0.0, 10.0, 1500).learningRate(step));
        }
        for (int step = 0; step < 3000; step += 250) {
            double expected = step < 2001 ? linearWarmup(step, 2000, 0.0, 10.0) : 10.0 * npCosineDecay(step - 2000, 1000, 0);
            close(expected, CosineDecay.withWarmup(0.0, 1000, 0.0, 10.0, 2000).learningRate(step));
        }
    }

    private static double npRestarts(double step, double decaySteps, double tMul, double mMul, double alpha) {
        double fac = 1.0;
        while (step >= decaySteps) {
            step -= decaySteps;
            decaySteps *= tMul;
            fac *= mMul;
        }
        double decay = fac * 0.5 * (1.0 + Math.cos(Math.PI * (step / decaySteps)));
        return (1.0 - alpha) * decay + alpha;
    }

    @Test
    void cosineDecayRestarts() {
        PortChecks.roundTrip(new CosineDecayRestarts(0.05, 10, 3.0, 4.0, 0.1, "my_cdr"));
        for (int step = 0; step < 1500; step += 250) {
            // test_decay and test_float64
            close(npRestarts(step, 1000, 2.0, 1.0, 0.0), new CosineDecayRestarts(1.0, 1000).learningRate(step));
            close(npRestarts(step, 1000, 2.0, 1.0, 0.1),
                    new CosineDecayRestarts(1.0, 1000, 2.0, 1.0, 0.1, "SGDRDecay").learningRate(step));
            close(npRestarts(step, 1000, 2.0, 0.9, 0.0),
                    new CosineDecayRestarts(1.0, 1000, 2.0, 0.9, 0.0, "SGDRDecay").learningRate(step));
            close(npRestarts(step, 1000, 1.0, 1.0, 0.0),
                    new CosineDecayRestarts(1.0, 1000, 1.0, 1.0, 0.0, "SGDRDecay").learningRate(step));
        }
    }
}
