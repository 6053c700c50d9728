package org.rnn4j.bench;

import java.util.Map;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Tensor;

/** L1's second figure: the buffer-reusing single-sample path, when the model supports it. */
final class Streaming {
    private Streaming() {
    }

    static void addTo(Map<String, Object> rec, Sequential model, Tensor x1) {
    }
}
