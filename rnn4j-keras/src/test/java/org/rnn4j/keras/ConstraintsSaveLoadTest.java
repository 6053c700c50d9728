package org.rnn4j.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.constraints.MaxNorm;
import org.rnn4j.constraints.MinMaxNorm;
import org.rnn4j.constraints.NonNeg;
import org.rnn4j.layers.Conv1D;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Flatten;
import org.rnn4j.layers.Variable;
import org.rnn4j.layers.activations.PReLU;
import org.rnn4j.models.Model;
import org.rnn4j.models.Sequential;

/** Weight constraints are written to .keras configs as Keras's serialized constraints and come back on load. */
class ConstraintsSaveLoadTest {
    @TempDir
    Path dir;

    private static Variable weight(Model m, String layer, String name) {
        return m.getLayer(layer).weights().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void constraintsSurviveSaveAndLoad() throws Exception {
        Sequential m = new Sequential();
        m.add(new Conv1D(3, 2).name("conv").inputShape(5, 2).constraint("kernel", new MaxNorm(1.5, new int[] {0, 1})));
        m.add(new PReLU().name("prelu").constraint("alpha", new NonNeg()));
        m.add(new Flatten().name("flat"));
        m.add(new Dense(2).name("out").constraint("bias", new MinMaxNorm(0.1, 0.4, 0.5, 0)));
        m.build(5, 2);
        Path file = dir.resolve("c.keras");
        Models.save(m, file);
        Model back = Models.load(file);
        assertInstanceOf(MaxNorm.class, weight(back, "conv", "kernel").constraint());
        assertEquals(new MaxNorm(1.5, new int[] {0, 1}).config(), weight(back, "conv", "kernel").constraint().config());
        assertNull(weight(back, "conv", "bias").constraint());
        assertInstanceOf(NonNeg.class, weight(back, "prelu", "alpha").constraint());
        assertEquals(List.of(0.1, 0.4, 0.5, 0), List.copyOf(weight(back, "out", "bias").constraint().config().values()));
        assertNull(weight(back, "out", "kernel").constraint());
        assertTrue(Files.size(file) > 0);
    }

    @Test
    void anUnknownConstraintIsALoadErrorNamingIt() {
        Exception e = assertThrows(Exception.class, () -> org.rnn4j.saving.LayerRegistry.fromConfig("Dense",
                java.util.Map.of("units", 2L, "kernel_constraint", java.util.Map.of("class_name", "MyConstraint", "config",
                        java.util.Map.of()))));
        assertTrue(e.getMessage().contains("kernel_constraint") && e.getMessage().contains("MyConstraint"), e.getMessage());
    }
}
