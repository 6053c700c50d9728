package org.rnn4j.layers.preprocessing;

import java.util.Arrays;
import org.rnn4j.layers.LayerShapeException;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's {@code numerical_utils.encode_categorical_inputs} on integer ids, shared by
 * CategoryEncoding and the lookup layers: {@code one_hot} appends a {@code depth} axis (replacing a
 * last axis of size 1), {@code multi_hot}/{@code count} fold the last axis of a {@code (batch, n)}
 * input into {@code (batch, depth)} (Keras's TensorFlow bincount path, which supports no higher
 * rank). Ids outside {@code [0, depth)} are left out, as bincount's {@code maxlength} and
 * {@code one_hot} do.
 */
final class CategoricalOutput {
    /** An id that is never counted (Keras maps mask tokens to the int64 maximum for this). */
    static final long DROPPED = Long.MAX_VALUE;

    private CategoricalOutput() {
    }

    /** The per-sample output shape for a per-sample input shape. */
    static int[] shape(String layer, String mode, int depth, int[] in) {
        if (in.length == 0) {
            throw new LayerShapeException("Layer '" + layer + "' expects input of shape (None, n) but got (None,)");
        }
        if (mode.equals("one_hot")) {
            if (in[in.length - 1] == 1) {
                int[] out = in.clone();
                out[out.length - 1] = depth;
                return out;
            }
            int[] out = Arrays.copyOf(in, in.length + 1);
            out[in.length] = depth;
            return out;
        }
        if (in.length != 1) {
            throw new LayerShapeException("Layer '" + layer + "': when output_mode is not 'int', the maximum supported"
                    + " output rank is 2; output_mode '" + mode + "' got input " + Shapes.withBatch(in)
                    + "; reshape it to (None, n) or use output_mode='one_hot'");
        }
        return new int[] {depth};
    }

    /**
     * Encodes ids laid out as {@code inputShape} (batch first); {@code weights} (tf_idf), when not
     * null, multiplies the counts per id.
     */
    static Tensor encode(String layer, String mode, int depth, long[] ids, int[] inputShape, float[] weights) {
        int batch = inputShape[0];
        int[] out = shape(layer, mode, depth, Shapes.dropFirst(inputShape));
        int[] full = new int[out.length + 1];
        full[0] = batch;
        System.arraycopy(out, 0, full, 1, out.length);
        float[] y = new float[(int) Shapes.size(full)];
        if (mode.equals("one_hot")) {
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] >= 0 && ids[i] < depth) {
                    y[i * depth + (int) ids[i]] = 1f;
                }
            }
            return Tensor.of(y, full);
        }
        int n = inputShape[1];
        boolean binary = mode.equals("multi_hot");
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < n; j++) {
                long id = ids[b * n + j];
                if (id >= 0 && id < depth) {
                    int k = b * depth + (int) id;
                    y[k] = binary ? 1f : y[k] + 1f;
                }
            }
        }
        if (weights != null) {
            for (int i = 0; i < y.length; i++) {
                y[i] *= weights[i % depth];
            }
        }
        return Tensor.of(y, full);
    }

    /** The integer held by a float input element, or an error naming the layer. */
    static long integer(String layer, float v) {
        if (v != Math.rint(v) || Math.abs(v) > (1 << 24)) {
            throw new IllegalArgumentException("Layer '" + layer + "' expects integer inputs (exact in float32, |x| <= 2^24)"
                    + " but got " + v);
        }
        return (long) v;
    }
}
