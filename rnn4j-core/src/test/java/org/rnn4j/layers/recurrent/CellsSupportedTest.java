package org.rnn4j.layers.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.saving.ConfigException;

/** {@link Cells#supported()} is exactly what {@link Cells#deserialize} builds (README's table is generated from it). */
class CellsSupportedTest {
    private static Map<String, Object> serialized(String cls) {
        Map<String, Object> config = cls.equals("StackedRNNCells")
                ? Map.of("cells", List.of(Map.of("class_name", "GRUCell", "config", Map.of("units", 2L))))
                : Map.of("units", 2L);
        return Map.of("class_name", cls, "config", config);
    }

    @Test
    void everyListedCellDeserializesAsItself() throws ConfigException {
        for (String cls : Cells.supported()) {
            assertEquals(cls, Cells.deserialize(serialized(cls), "RNN 'rnn'").className());
        }
    }

    @Test
    void anUnlistedCellIsRefusedNamingTheListedOnes() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Cells.deserialize(serialized("PeepholeLSTMCell"), "RNN 'rnn'"));
        assertTrue(e.getMessage().contains("cell class 'PeepholeLSTMCell' is not supported (built-in cells: "
                + String.join(", ", Cells.supported()) + ")"), e.getMessage());
    }
}
