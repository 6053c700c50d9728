package org.rnn4j.initializers;

import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/** Fills a weight tensor, Keras-style (fans computed from the shape as Keras does). */
public interface Initializer {
    String name();

    void fill(Tensor weights, Rng rng);

    /** Keras's {@code compute_fans}: {fanIn, fanOut}. */
    static double[] fans(int[] shape) {
        if (shape.length == 0) {
            return new double[] {1, 1};
        }
        if (shape.length == 1) {
            return new double[] {shape[0], shape[0]};
        }
        if (shape.length == 2) {
            return new double[] {shape[0], shape[1]};
        }
        double receptive = 1;
        for (int i = 0; i < shape.length - 2; i++) {
            receptive *= shape[i];
        }
        return new double[] {shape[shape.length - 2] * receptive, shape[shape.length - 1] * receptive};
    }
}
