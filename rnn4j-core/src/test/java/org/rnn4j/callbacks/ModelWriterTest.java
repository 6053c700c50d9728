package org.rnn4j.callbacks;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Core alone has no .keras writer: the error says which module to add; other paths use the native format. */
class ModelWriterTest {
    @Test
    void kerasPathWithoutTheKerasModuleNamesTheFix() {
        var e = assertThrows(IllegalArgumentException.class, () -> ModelWriter.forPath(Path.of("model.keras")));
        assertTrue(e.getMessage().contains("add the rnn4j-keras module"), e.getMessage());
    }

    @Test
    void otherExtensionsUseTheNativeWeightsWriter() {
        assertInstanceOf(NativeWeightsWriter.class, ModelWriter.forPath(Path.of("model.weights.bin")));
    }
}
