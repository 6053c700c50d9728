package org.rnn4j.layers;

import java.util.Locale;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's {@code data_format}: channels_first layers run their channels_last kernels between two
 * transposes ({@code (batch, C, S...)} <-> {@code (batch, S..., C)}), so both layouts share one
 * implementation and give the same numbers.
 */
final class DataFormat {
    static final String LAST = "channels_last";
    static final String FIRST = "channels_first";

    private DataFormat() {
    }

    /** Checks and normalises a data_format value (null means channels_last, Keras's default config). */
    static String of(String layer, String value) {
        if (value == null) {
            return LAST;
        }
        String v = value.toLowerCase(Locale.ROOT);
        if (!v.equals(LAST) && !v.equals(FIRST)) {
            throw new IllegalArgumentException(layer + ": unknown data_format '" + value
                    + "'; use 'channels_last' or 'channels_first'");
        }
        return v;
    }

    /** A per-sample shape {@code (C, S...)} as {@code (S..., C)}. */
    static int[] shapeToLast(int[] s) {
        int[] r = new int[s.length];
        System.arraycopy(s, 1, r, 0, s.length - 1);
        r[s.length - 1] = s[0];
        return r;
    }

    /** A per-sample shape {@code (S..., C)} as {@code (C, S...)}. */
    static int[] shapeToFirst(int[] s) {
        int[] r = new int[s.length];
        System.arraycopy(s, 0, r, 1, s.length - 1);
        r[0] = s[s.length - 1];
        return r;
    }

    /** {@code (batch, C, S...)} to {@code (batch, S..., C)}. */
    static Tensor toLast(Tensor x) {
        int[] shape = x.shape();
        int batch = shape[0];
        int c = shape[1];
        int positions = x.size() / Math.max(1, batch * c);
        float[] src = x.data();
        float[] dst = new float[src.length];
        for (int b = 0; b < batch; b++) {
            int base = b * c * positions;
            for (int ch = 0; ch < c; ch++) {
                for (int p = 0; p < positions; p++) {
                    dst[base + p * c + ch] = src[base + ch * positions + p];
                }
            }
        }
        int[] out = new int[shape.length];
        out[0] = batch;
        int[] tail = shapeToLast(java.util.Arrays.copyOfRange(shape, 1, shape.length));
        System.arraycopy(tail, 0, out, 1, tail.length);
        return Tensor.of(dst, out);
    }

    /** {@code (batch, S..., C)} to {@code (batch, C, S...)}. */
    static Tensor toFirst(Tensor x) {
        int[] shape = x.shape();
        int batch = shape[0];
        int c = shape[shape.length - 1];
        int positions = x.size() / Math.max(1, batch * c);
        float[] src = x.data();
        float[] dst = new float[src.length];
        for (int b = 0; b < batch; b++) {
            int base = b * c * positions;
            for (int p = 0; p < positions; p++) {
                for (int ch = 0; ch < c; ch++) {
                    dst[base + ch * positions + p] = src[base + p * c + ch];
                }
            }
        }
        int[] out = new int[shape.length];
        out[0] = batch;
        int[] tail = shapeToFirst(java.util.Arrays.copyOfRange(shape, 1, shape.length));
        System.arraycopy(tail, 0, out, 1, tail.length);
        return Tensor.of(dst, out);
    }
}
