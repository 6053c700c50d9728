package org.rnn4j.losses;

import java.util.Map;
import org.rnn4j.tensor.Tensor;

/**
 * A Keras loss with its gradient. Values use Keras's default {@code sum_over_batch_size}
 * reduction: the per-sample losses (reduced over the last axis) are averaged over the batch and
 * every other non-class axis.
 */
public interface Loss {
    /** Keras's registered name, e.g. {@code mean_squared_error}; shown in configs. */
    String name();

    /** The reduced loss. */
    double compute(Tensor yTrue, Tensor yPred);

    /**
     * The reduced loss, writing d(loss)/d(yPred) into {@code grad} (same size as {@code yPred},
     * overwritten, not accumulated).
     */
    double computeWithGradient(Tensor yTrue, Tensor yPred, float[] grad);

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
