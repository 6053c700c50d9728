package org.rnn4j.layers;

import java.util.Map;

/** Keras's GlobalMaxPooling3D: the maximum over the 3 spatial axes ({@code keepdims}, {@code data_format} as Keras). */
public class GlobalMaxPooling3D extends BaseGlobalPooling<GlobalMaxPooling3D> {
    public GlobalMaxPooling3D() {
        super(3, false);
    }

    @Override
    protected GlobalMaxPooling3D self() {
        return this;
    }

    /** Rebuilds the layer from its Keras config ({@link #config()}'s keys, Keras 3 snake_case). */
    public static GlobalMaxPooling3D fromConfig(Map<String, Object> config) {
        return readConfig(new ConfigReader("GlobalMaxPooling3D", config), new GlobalMaxPooling3D());
    }
}
