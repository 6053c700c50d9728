package org.rnn4j.layers;

import java.util.Map;

/** Keras's GlobalAveragePooling2D: the mean over the 2 spatial axes ({@code keepdims}, {@code data_format} as Keras). */
public class GlobalAveragePooling2D extends BaseGlobalPooling<GlobalAveragePooling2D> {
    public GlobalAveragePooling2D() {
        super(2, true);
    }

    @Override
    protected GlobalAveragePooling2D self() {
        return this;
    }

    /** Rebuilds the layer from its Keras config ({@link #config()}'s keys, Keras 3 snake_case). */
    public static GlobalAveragePooling2D fromConfig(Map<String, Object> config) {
        return readConfig(new ConfigReader("GlobalAveragePooling2D", config), new GlobalAveragePooling2D());
    }
}
