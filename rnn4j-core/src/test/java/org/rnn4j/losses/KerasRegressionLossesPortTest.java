package org.rnn4j.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rnn4j.losses.KerasLossesPortTest.almost;
import static org.rnn4j.losses.KerasLossesPortTest.reduced;
import static org.rnn4j.losses.KerasLossesPortTest.roundTrip;
import static org.rnn4j.losses.KerasLossesPortTest.t;

import org.junit.jupiter.api.Test;
import org.rnn4j.tensor.Tensor;

/**
 * Keras 3.15.1 losses_test.py's MeanSquaredLogarithmicErrorTest and PoissonTest, same inputs and
 * tolerances ({@code assertAlmostEqual(a, b, d)}: {@code |a - b| < 1.5 10^-d}), and the
 * gradients of both against central differences.
 */
class KerasRegressionLossesPortTest {
    private static final Tensor YT = t(new float[] {1, 9, 2, -5, -2, 6}, 2, 3);
    private static final Tensor YP = t(new float[] {4, 8, 12, 8, 1, 3}, 2, 3);
    private static final Tensor SW = t(new float[] {1.2f, 3.4f}, 2, 1);
    private static final Tensor TSW = t(new float[] {3, 6, 5, 0, 4, 2}, 2, 3);

    // ---- MeanSquaredLogarithmicErrorTest: 6 of 7 literal assertions (test_dtype_arg: bfloat16 not supported)
    @Test
    void meanSquaredLogarithmicError() {
        roundTrip(new MeanSquaredLogarithmicError().name("mysloge"));
        almost(1.4370, new MeanSquaredLogarithmicError().compute(YT, YP), 3);
        almost(3.3051, new MeanSquaredLogarithmicError().compute(YT, YP, 2.3), 3);
        almost(3.7856, new MeanSquaredLogarithmicError().compute(YT, YP, SW), 3);
        almost(2.647374, new MeanSquaredLogarithmicError().compute(t(YT.data(), 2, 3, 1), t(YP.data(), 2, 3, 1), TSW));
        almost(0.0, new MeanSquaredLogarithmicError().compute(YT, YP, 0), 3);
        almost(1.646, reduced(new MeanSquaredLogarithmicError(), "mean_with_sample_weight").compute(YT, YP, SW));
        assertEquals(Losses.get("msle").getClass(), MeanSquaredLogarithmicError.class);
    }

    // ---- PoissonTest: 8 of 9 (test_dtype_arg not ported); the expected values are the test's own numpy formula
    private static final float[] PP = {1, 9, 2, 5, 2, 6};
    private static final float[] PT = {4, 8, 12, 8, 1, 3};

    private static double poissonTerm(int i) {
        return PP[i] - PT[i] * Math.log(PP[i]);
    }

    @Test
    void poisson() {
        BaseLoss named = new Poisson().reduction("sum").name("poisson");
        assertEquals("poisson", named.name());
        assertEquals("sum", named.reduction());
        roundTrip(named);
        Tensor yt = t(PT, 2, 3);
        Tensor yp = t(PP, 2, 3);
        double sum = 0;
        double weighted = 0;
        double timestep = 0;
        float[] ts = {3, 6, 5, 0, 4, 2};
        for (int i = 0; i < 6; i++) {
            sum += poissonTerm(i);
            weighted += poissonTerm(i) * (i < 3 ? 1.2 : 3.4);
            timestep += poissonTerm(i) * ts[i];
        }
        almost(sum / 6, new Poisson().compute(yt, yp), 3);
        double scalar = new Poisson().compute(yt, yp, 2.3);
        almost(2.3 * sum / 6, scalar, 3);
        almost(2.3 * sum / 6, scalar, 3);
        almost(scalar, new Poisson().compute(yt, yp, 2.3), 3);
        almost(weighted / 6, new Poisson().compute(yt, yp, SW), 3);
        almost(timestep / 6, new Poisson().compute(t(PT, 2, 3, 1), t(PP, 2, 3, 1), TSW), 3);
        almost(0.0, new Poisson().compute(yt, yp, 0), 3);
    }

    @Test
    void gradientsMatchCentralDifferences() {
        Tensor yt = t(new float[] {0.5f, 2, 0, 3, 1, 4}, 2, 3);
        Tensor yp = t(new float[] {0.8f, 1.5f, 0.3f, 2.5f, 1.7f, 3.1f}, 2, 3);
        for (Loss loss : new Loss[] {new MeanSquaredLogarithmicError(), new Poisson()}) {
            float[] g = new float[yp.size()];
            loss.computeWithGradient(yt, yp, g);
            for (int i = 0; i < g.length; i++) {
                float saved = yp.data()[i];
                double eps = 1e-3;
                yp.data()[i] = (float) (saved + eps);
                double plus = loss.compute(yt, yp);
                yp.data()[i] = (float) (saved - eps);
                double minus = loss.compute(yt, yp);
                yp.data()[i] = saved;
                assertEquals((plus - minus) / (2 * eps), g[i], 1e-3, loss.name() + " d/dp[" + i + "]");
            }
        }
    }
}
