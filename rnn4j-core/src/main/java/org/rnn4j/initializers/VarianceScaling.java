package org.rnn4j.initializers;

import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/** Keras's VarianceScaling, the family behind glorot_*, he_* and lecun_*. */
public final class VarianceScaling implements Initializer {
    private final String name;
    private final double scale;
    private final String mode;
    private final String distribution;

    public VarianceScaling(String name, double scale, String mode, String distribution) {
        this.name = name;
        this.scale = scale;
        this.mode = mode;
        this.distribution = distribution;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void fill(Tensor w, Rng rng) {
        double[] fans = Initializer.fans(w.shape());
        double n = switch (mode) {
            case "fan_in" -> fans[0];
            case "fan_out" -> fans[1];
            default -> (fans[0] + fans[1]) / 2.0;
        };
        double s = scale / Math.max(1.0, n);
        float[] d = w.data();
        switch (distribution) {
            case "uniform" -> {
                float limit = (float) Math.sqrt(3.0 * s);
                for (int i = 0; i < d.length; i++) {
                    d[i] = rng.uniform(-limit, limit);
                }
            }
            case "untruncated_normal" -> {
                double std = Math.sqrt(s);
                for (int i = 0; i < d.length; i++) {
                    d[i] = (float) (std * rng.normal());
                }
            }
            default -> {
                // 0.879... is the stddev of a unit normal truncated at two stddevs (Keras's constant).
                double std = Math.sqrt(s) / 0.87962566103423978;
                for (int i = 0; i < d.length; i++) {
                    d[i] = (float) (std * Initializers.truncated(rng));
                }
            }
        }
    }
}
