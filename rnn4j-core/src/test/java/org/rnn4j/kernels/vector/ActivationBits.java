package org.rnn4j.kernels.vector;

import java.util.SplittableRandom;
import org.rnn4j.activations.Activation;
import org.rnn4j.activations.Activations;

/**
 * Prints a digest of the vector sigmoid and tanh bits over a fixed input set; run as a main in a
 * child JVM with {@code -Xint} to compare interpreted with JIT-compiled results.
 */
public final class ActivationBits {
    private ActivationBits() {
    }

    static long digest(int repeats) {
        SplittableRandom r = new SplittableRandom(42);
        float[] x = new float[4099];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(-9, 2)));
        }
        float[] y = new float[x.length];
        long h = 1125899906842597L;
        for (String name : new String[] {"sigmoid", "tanh"}) {
            Activation a = VectorActivations.of(Activations.get(name));
            for (int k = 0; k < repeats; k++) {
                a.forward(x, y, 0, 1, x.length);
            }
            for (float v : y) {
                h = 31 * h + Float.floatToRawIntBits(v);
            }
        }
        return h;
    }

    public static void main(String[] args) {
        System.out.println(digest(1));
    }
}
