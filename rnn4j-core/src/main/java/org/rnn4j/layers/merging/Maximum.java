package org.rnn4j.layers.merging;

import java.util.Map;

/**
 * Keras's {@code Maximum}: the element-wise maximum of one or more inputs, with broadcasting (see
 * {@link Merge}). The gradient goes entirely to the input the value came from (the argmax). Ties go
 * to the earliest input, as TensorFlow's {@code maximum} gradient does ({@code x >= y} selects x, and
 * Keras folds the inputs left to right).
 *
 * <p>With masks, exactly as Keras 3's {@code Merge._apply_merge_op_and_or_mask}: folding left to
 * right, a masked-out step of an input takes the running result instead, and while every input so
 * far has a mask, a step none of them kept takes the new input's value; the output mask is the OR
 * of the input masks when every input has one. A masked-out step thus never wins over a kept one.
 */
public class Maximum extends ExtremeMerge {
    public Maximum() {
    }

    /** Rebuilds the layer from its Keras config ({@code name}, {@code trainable}; no other options). */
    public static Maximum fromConfig(Map<String, Object> config) {
        return Configs.common(new Maximum(), config);
    }

    @Override
    public Maximum name(String newName) {
        super.name(newName);
        return this;
    }

    @Override
    boolean keeps(float o, float x) {
        return o >= x;
    }
}
