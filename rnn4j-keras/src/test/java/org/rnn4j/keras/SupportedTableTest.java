package org.rnn4j.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.recurrent.Cells;
import org.rnn4j.ops.Ops;
import org.rnn4j.saving.LayerRegistry;

/**
 * README's tables of supported and not-yet-supported Keras classes equal what the registries and
 * the registry samples give. With {@code -Drnn4j.readme.write=true} it rewrites them instead
 * ({@link SupportedTable#REGENERATE}).
 */
class SupportedTableTest {
    @Test
    void readmeTablesMatchTheRegistries() throws Exception {
        Path readme = SupportedTable.readme();
        String now = Files.readString(readme);
        String expected = SupportedTable.expected(now);
        if (Boolean.getBoolean("rnn4j.readme.write")) {
            Files.writeString(readme, expected);
            return;
        }
        assertTrue(now.equals(expected), "README.md's generated tables (" + SupportedTable.BEGIN + " and "
                + SupportedTable.UNSUPPORTED_BEGIN + ") differ from the registries; regenerate them from the project root with: "
                + SupportedTable.REGENERATE);
    }

    /** Every registered class, cell and op appears in the table exactly once, in its row. */
    @Test
    void theTableNamesEveryRegisteredClassOnce() throws Exception {
        String table = SupportedTable.supported();
        String layerRows = String.join("\n", table.lines().filter(l -> l.startsWith("| layers |")).toList());
        for (String cls : LayerRegistry.supported()) {
            assertEquals(1, layerRows.split("[ |,]" + cls + "[ ,|]", -1).length - 1, cls + " in\n" + layerRows);
        }
        for (String cls : Cells.supported()) {
            assertTrue(table.contains("| RNN cells (in `RNN`) | `keras.layers` (rnn) |") && table.contains(" " + cls), cls);
        }
        for (String op : Ops.supported()) {
            String module = op.substring(0, op.lastIndexOf('.'));
            String name = op.substring(op.lastIndexOf('.') + 1);
            String row = table.lines().filter(l -> l.contains("`" + module + "`")).findFirst().orElseThrow();
            assertTrue(row.matches(".*[ ,]" + name + "(,| \\|).*"), op + " in " + row);
        }
    }

    /** A sample of a registered class never lands in the not-supported table. */
    @Test
    void theUnsupportedTableHoldsNoRegisteredClass() throws Exception {
        String table = SupportedTable.unsupported();
        for (String cls : LayerRegistry.supported()) {
            assertTrue(!table.contains("\n| " + cls + " |"), cls + " is registered but listed as unsupported:\n" + table);
        }
    }
}
