package org.rnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.rnn4j.Rnn4j;

/** Default layer names follow Keras's snake_case of the class name. */
class ConvNamesTest {
    @Test
    void kerasDefaultNames() {
        Rnn4j.clearSession();
        assertEquals("conv1d", new Conv1D(1, 1).name());
        assertEquals("conv2d", new Conv2D(1, 1).name());
        assertEquals("max_pooling1d", new MaxPooling1D().name());
        assertEquals("max_pooling2d", new MaxPooling2D().name());
        assertEquals("time_distributed", new TimeDistributed(new Flatten()).name());
        assertEquals("embedding", new Embedding(2, 2).name());
        assertEquals("spatial_dropout1d", new SpatialDropout1D(0.1).name());
        assertEquals("global_average_pooling1d", new GlobalAveragePooling1D().name());
        assertEquals("global_max_pooling1d", new GlobalMaxPooling1D().name());
        assertEquals("activation", new Activation("relu").name());
        assertEquals("repeat_vector", new RepeatVector(2).name());
        assertEquals("reshape", new Reshape(2).name());
        assertEquals("conv2d_1", new Conv2D(1, 1).name());
        Rnn4j.clearSession();
    }
}
