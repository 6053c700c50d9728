package org.rnn4j.constraints;

import java.util.LinkedHashMap;
import java.util.Map;
import org.rnn4j.tensor.Tensor;

/** Keras's {@code NonNeg}: {@code w = max(w, 0)}. */
public final class NonNeg implements Constraint {
    @Override
    public void apply(Tensor w) {
        float[] d = w.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = Math.max(d[i], 0f);
        }
    }

    @Override
    public String className() {
        return "NonNeg";
    }

    @Override
    public Map<String, Object> config() {
        return new LinkedHashMap<>();
    }
}
