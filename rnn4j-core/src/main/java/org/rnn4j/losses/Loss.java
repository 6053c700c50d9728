package org.rnn4j.losses;

import java.util.Map;
import org.rnn4j.tensor.Tensor;

/**
 * A Keras loss with its gradient. A loss computes per-sample values (Keras's {@code call}: the
 * loss reduced over the last axis, shape {@code yPred.shape[:-1]}), multiplies them by an
 * optional {@code sampleWeight} and reduces them with the loss's {@code reduction}
 * ({@code sum_over_batch_size}, the default, {@code sum}, {@code mean}, {@code mean_with_sample_weight}
 * or {@code none}), as Keras's {@code Loss.__call__}.
 */
public interface Loss {
    /** The loss's name (Keras's {@code name}, e.g. {@code mean_squared_error}); shown in configs. */
    String name();

    /** The reduced loss. */
    double compute(Tensor yTrue, Tensor yPred);

    /**
     * The reduced loss, writing d(loss)/d(yPred) into {@code grad} (same size as {@code yPred},
     * overwritten, not accumulated).
     */
    double computeWithGradient(Tensor yTrue, Tensor yPred, float[] grad);

    /**
     * The reduced loss with per-sample (or per-timestep) weights, Keras's
     * {@code loss(y_true, y_pred, sample_weight)}; a null weight means none. With reduction
     * {@code none} this returns the sum of the weighted values (the quantity a vector loss's
     * gradient is taken of); {@link BaseLoss#computeValues} gives the values themselves.
     */
    default double compute(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        if (sampleWeight == null) {
            return compute(yTrue, yPred);
        }
        throw new UnsupportedOperationException("Loss '" + name() + "' does not support sample weights");
    }

    /** {@link #compute(Tensor, Tensor, Tensor)} writing d(loss)/d(yPred) into {@code grad}. */
    default double computeWithGradient(Tensor yTrue, Tensor yPred, Tensor sampleWeight, float[] grad) {
        if (sampleWeight == null) {
            return computeWithGradient(yTrue, yPred, grad);
        }
        throw new UnsupportedOperationException("Loss '" + name() + "' does not support sample weights");
    }

    /** A scalar sample weight (Keras's {@code sample_weight=2.3}). */
    default double compute(Tensor yTrue, Tensor yPred, double sampleWeight) {
        return compute(yTrue, yPred, Tensor.of(new float[] {(float) sampleWeight}));
    }

    /** Keras's {@code reduction}. */
    default String reduction() {
        return "sum_over_batch_size";
    }

    /** d(loss)/d(yPred) as a new tensor shaped like {@code yPred}. */
    default Tensor gradient(Tensor yTrue, Tensor yPred) {
        float[] g = new float[yPred.size()];
        computeWithGradient(yTrue, yPred, g);
        return Tensor.of(g, yPred.shape());
    }

    /** Keras {@code get_config} keys (snake_case). */
    Map<String, Object> config();

    /** Keras's class name, e.g. {@code MeanSquaredError}. */
    String className();
}
