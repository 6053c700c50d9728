package org.rnn4j.losses;

import java.util.LinkedHashMap;
import java.util.Map;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's sparse_categorical_crossentropy: integer class labels (stored as floats) of shape
 * {@code yPred.shape[:-1]} or with a trailing axis of size 1.
 */
public final class SparseCategoricalCrossentropy implements Loss {
    private final boolean fromLogits;

    public SparseCategoricalCrossentropy() {
        this(false);
    }

    public SparseCategoricalCrossentropy(boolean fromLogits) {
        this.fromLogits = fromLogits;
    }

    public boolean fromLogits() {
        return fromLogits;
    }

    @Override
    public String name() {
        return "sparse_categorical_crossentropy";
    }

    @Override
    public String className() {
        return "SparseCategoricalCrossentropy";
    }

    @Override
    public double compute(Tensor yTrue, Tensor yPred) {
        return computeWithGradient(yTrue, yPred, null);
    }

    @Override
    public double computeWithGradient(Tensor yTrue, Tensor yPred, float[] grad) {
        int classes = yPred.dim(-1);
        int rows = yPred.size() / Math.max(1, classes);
        if (yTrue.size() != rows) {
            throw new IllegalArgumentException("Loss '" + name() + "': expects one integer label per row of the"
                    + " predictions " + Shapes.toString(yPred.shape()) + " (" + rows + " labels) but the targets have shape "
                    + Shapes.toString(yTrue.shape()) + "; for one-hot targets use 'categorical_crossentropy'");
        }
        float[] labels = yTrue.data();
        float[] target = new float[classes];
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int k = Math.round(labels[r]);
            if (k < 0 || k >= classes || labels[r] != k) {
                throw new IllegalArgumentException("Loss '" + name() + "': label " + labels[r] + " at row " + r
                        + " is not a class index in [0, " + (classes - 1) + "]");
            }
            target[k] = 1f;
            total += CategoricalCrossentropy.row(target, yPred.data(), r * classes, classes, fromLogits, grad, 1.0 / rows);
            target[k] = 0f;
        }
        return rows == 0 ? 0 : total / rows;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name());
        c.put("reduction", "sum_over_batch_size");
        c.put("from_logits", fromLogits);
        c.put("ignore_class", null);
        return c;
    }

    @Override
    public String toString() {
        return name();
    }
}
