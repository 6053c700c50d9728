package org.rnn4j.layers;

import java.util.Arrays;
import java.util.Locale;

/**
 * The option checks the convolution and pooling layers share ({@link BaseConv}, {@link BaseConvTranspose},
 * {@link BaseDepthwiseConv}, {@link BasePooling}), so each option is refused with the same message
 * wherever it is set.
 */
final class ConvOptions {
    private ConvOptions() {
    }

    /** {@code rank} copies of {@code v} (Keras's default strides and dilation rate of 1). */
    static int[] filled(int rank, int v) {
        int[] a = new int[rank];
        Arrays.fill(a, v);
        return a;
    }

    /**
     * A copy of {@code values}, checked to hold {@code rank} positive entries (any number when
     * {@code rank < 0}); {@code layer} names the layer in the message.
     */
    static int[] positive(String layer, String what, int rank, int[] values) {
        return check(layer, what, rank, values, 1, "positive");
    }

    /** A copy of {@code values}, checked to hold {@code rank} entries of at least {@code min}. */
    static int[] atLeast(String layer, String what, int rank, int[] values, int min) {
        return check(layer, what, rank, values, min, ">= " + min);
    }

    private static int[] check(String layer, String what, int rank, int[] values, int min, String rule) {
        if (rank >= 0 && values.length != rank) {
            throw new IllegalArgumentException(layer + ": " + what + " needs " + rank + " value(s), got "
                    + values.length);
        }
        for (int v : values) {
            if (v < min) {
                throw new IllegalArgumentException(layer + ": " + what + " values must be " + rule + ", got "
                        + Arrays.toString(values));
            }
        }
        return values.clone();
    }

    /**
     * Keras's {@code padding}, lower-cased: {@code "valid"} or {@code "same"}, and {@code "causal"}
     * when {@code causal} allows it; {@code layer} is the layer's class and name.
     */
    static String padding(String layer, String p, boolean causal) {
        String v = p.toLowerCase(Locale.ROOT);
        boolean ok = v.equals("valid") || v.equals("same") || (causal && v.equals("causal"));
        if (!ok) {
            throw new IllegalArgumentException(layer + ": unknown padding '" + p
                    + "'; use 'valid' or 'same'" + (causal ? " or 'causal'" : ""));
        }
        return v;
    }
}
