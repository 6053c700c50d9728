package org.rnn4j.layers.preprocessing;

import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import org.rnn4j.tensor.Tensor;

/**
 * The output side of an {@link IndexLookup}: its {@code output_mode} and, for {@code tf_idf}, the
 * idf weights (given with the vocabulary, adapted, or read from the weights file's
 * {@code idf_weights}). {@code int} outputs the ids as they are; the other modes encode them as
 * Keras's {@code encode_categorical_inputs} ({@link CategoricalOutput}). The depth is asked for
 * only when an encoding needs it, since before the vocabulary is known it may not be.
 */
final class LookupEncoding {
    private String mode = "int";
    private float[] idfWeights;

    /** Sets the mode; Keras's aliases {@code binary} and {@code tf-idf} are accepted ({@code className} for the error). */
    void mode(String className, String value) {
        String m = "binary".equals(value) ? "multi_hot" : "tf-idf".equals(value) ? "tf_idf" : value;
        if (!List.of("int", "one_hot", "multi_hot", "count", "tf_idf").contains(m)) {
            throw new IllegalArgumentException(className + ": unknown output_mode '" + value
                    + "'; use int, one_hot, multi_hot, count or tf_idf");
        }
        this.mode = m;
    }

    /** Keras's {@code output_mode}, aliases resolved. */
    String mode() {
        return mode;
    }

    boolean isInt() {
        return mode.equals("int");
    }

    boolean isTfIdf() {
        return mode.equals("tf_idf");
    }

    /** The tf_idf weights, one per id up to the depth; null = not known yet (read from the weights file). */
    void idfWeights(float[] weights) {
        this.idfWeights = weights;
    }

    /** The per-sample output shape for a per-sample input shape. */
    int[] outputShape(String layer, IntSupplier depth, int[] in) {
        if (isInt()) {
            return in.clone();
        }
        return CategoricalOutput.shape(layer, mode, depth.getAsInt(), in);
    }

    /** The output for ids laid out as {@code shape} (batch first); {@code who} names the layer in errors. */
    Tensor encode(String who, String layer, IntSupplier depth, long[] ids, int[] shape) {
        if (isInt()) {
            float[] y = new float[ids.length];
            for (int i = 0; i < y.length; i++) {
                y[i] = ids[i];
            }
            return Tensor.of(y, shape);
        }
        if (isTfIdf() && idfWeights == null) {
            throw new IllegalStateException(who + ": output_mode='tf_idf' needs `idf_weights`"
                    + " (Keras's config or the weights file's idf_weights)");
        }
        return CategoricalOutput.encode(layer, mode, depth.getAsInt(), ids, shape, isTfIdf() ? idfWeights : null);
    }

    /** Keras's save_own_variables: {@code idf_weights} for tf_idf once known. */
    Map<String, Tensor> ownVariables() {
        if (!isTfIdf() || idfWeights == null) {
            return Map.of();
        }
        return Map.of("idf_weights", Tensor.of(idfWeights.clone(), idfWeights.length));
    }

    Map<String, int[]> ownVariableShapes(IntSupplier depth) {
        return isTfIdf() ? Map.of("idf_weights", new int[] {depth.getAsInt()}) : Map.of();
    }

    /** Keras's load_own_variables: takes {@code idf_weights} when the file has them. */
    void loadOwnVariables(Map<String, Tensor> values) {
        Tensor idf = values.get("idf_weights");
        if (idf != null) {
            this.idfWeights = idf.data().clone();
        }
    }
}
