package org.rnn4j.layers;

import java.util.List;
import org.rnn4j.tensor.Tensor;

/**
 * A recurrent layer that can be stateful (Keras's {@code stateful=True}): SimpleRNN, LSTM, GRU
 * and RNN(cell). See {@link StatefulStates} for the carried states and why they are per layer.
 */
public interface StatefulLayer {
    boolean stateful();

    /** Keras's {@code reset_state()}: the next call starts from zero states. */
    void resetStates();

    /** The states carried into the next call (empty before the first call). */
    List<Tensor> carriedStates();

    /** The fixed batch size of a stateful layer: declared, or the first call's; -1 when not known yet. */
    int statefulBatchSize();

    /** Fixes the batch size (Keras's {@code batch_size} of the Input), dropping any carried states. */
    void statefulBatchSize(int batch);
}
