package org.rnn4j.layers;

import java.util.Map;

/** Keras's GlobalMaxPooling2D: the maximum over the 2 spatial axes ({@code keepdims}, {@code data_format} as Keras). */
public class GlobalMaxPooling2D extends BaseGlobalPooling<GlobalMaxPooling2D> {
    public GlobalMaxPooling2D() {
        super(2, false);
    }

    @Override
    protected GlobalMaxPooling2D self() {
        return this;
    }

    /** Rebuilds the layer from its Keras config ({@link #config()}'s keys, Keras 3 snake_case). */
    public static GlobalMaxPooling2D fromConfig(Map<String, Object> config) {
        return readConfig(new ConfigReader("GlobalMaxPooling2D", config), new GlobalMaxPooling2D());
    }
}
