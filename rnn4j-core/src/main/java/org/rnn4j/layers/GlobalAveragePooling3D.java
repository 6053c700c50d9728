package org.rnn4j.layers;

import java.util.Map;

/** Keras's GlobalAveragePooling3D: the mean over the 3 spatial axes ({@code keepdims}, {@code data_format} as Keras). */
public class GlobalAveragePooling3D extends BaseGlobalPooling<GlobalAveragePooling3D> {
    public GlobalAveragePooling3D() {
        super(3, true);
    }

    @Override
    protected GlobalAveragePooling3D self() {
        return this;
    }

    /** Rebuilds the layer from its Keras config ({@link #config()}'s keys, Keras 3 snake_case). */
    public static GlobalAveragePooling3D fromConfig(Map<String, Object> config) {
        return readConfig(new ConfigReader("GlobalAveragePooling3D", config), new GlobalAveragePooling3D());
    }
}
