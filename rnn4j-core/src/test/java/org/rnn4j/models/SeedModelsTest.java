package org.rnn4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.Bidirectional;
import org.rnn4j.layers.Conv2D;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Flatten;
import org.rnn4j.layers.GRU;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.LayerShapeException;
import org.rnn4j.layers.MaxPooling2D;
import org.rnn4j.layers.SimpleRNN;
import org.rnn4j.layers.TimeDistributed;
import org.rnn4j.testing.SharedFiles;

/**
 * The seed tutorial's cells, written as a Java user would, print the seed's summary tables to
 * the character. Names come from the per-JVM counters after {@code clearSession()}, in the seed's
 * cell order; cells the seed does not show (7, 8, 10) advanced the counters, so the layers of the
 * cells after them are named explicitly.
 */
class SeedModelsTest {
    @Test
    void seedCellsPrintTheSeedTables() throws IOException {
        List<String> tables = seedTables();
        Rnn4j.clearSession();

        var model = new Sequential();
        model.add(new Dense(10).inputShape(6));
        model.add(new Dense(2));
        assertEquals(tables.get(0), model.summaryString());

        model = new Sequential();
        model.add(new Dense(10).inputShape(6).activation("relu"));
        model.add(new Dense(10).activation("relu"));
        model.add(new Dense(10).activation("relu"));
        model.add(new Dense(2));
        model.compile("Adam", "mean_absolute_error");
        assertEquals(tables.get(1), model.summaryString());

        model = new Sequential();
        model.add(new SimpleRNN(10).inputShape(4, 6).activation("relu"));
        model.add(new Dense(10).activation("relu"));
        model.add(new Dense(2));
        model.compile("sgd", "mean_squared_error");
        assertEquals(tables.get(2), model.summaryString());

        model = new Sequential();
        model.add(new LSTM(10).activation("relu").inputShape(4, 6));
        model.add(new Dense(10).activation("relu"));
        model.add(new Dense(2));
        model.compile("Adam", "mean_squared_error");
        assertEquals(tables.get(3), model.summaryString());

        model = new Sequential("sequential_6");
        model.add(new TimeDistributed(new Conv2D(64, 2).activation("relu")).name("time_distributed_6")
                .inputShape(8, 12, 9, 1));
        model.add(new TimeDistributed(new MaxPooling2D()).name("time_distributed_7"));
        model.add(new TimeDistributed(new Flatten()).name("time_distributed_8"));
        model.add(new LSTM(10).activation("relu").name("lstm_3"));
        model.add(new Dense(10).activation("relu").name("dense_14"));
        model.add(new Dense(2).name("dense_15"));
        Sequential td = model;
        // The seed's typo: Keras accepts it until fit; we reject it at compile, with the fix.
        var e = assertThrows(IllegalArgumentException.class, () -> td.compile("Adam", "mean_squared_loss"));
        assertTrue(e.getMessage().contains("Did you mean 'mean_squared_error'?"), e.getMessage());
        // The seed's page cuts this table off inside the dense_14 row: compare what it shows.
        String shown = tables.get(4);
        assertEquals(shown, model.summaryString().substring(0, shown.length()));
        assertEquals(320 + 51640 + 110 + 22, model.countParams());

        model = new Sequential("sequential_8");
        model.add(new Bidirectional(new LSTM(10).activation("relu")).name("bidirectional_1").inputShape(6, 4));
        model.add(new Dense(10).activation("relu").name("dense_18"));
        model.add(new Dense(2).name("dense_19"));
        model.compile("Adam", "mean_squared_error");
        assertEquals(tables.get(5), model.summaryString());
    }

    @Test
    void gruOnSeedShapeHas540Params() {
        var model = new Sequential();
        model.add(new GRU(10).inputShape(4, 6));
        assertEquals(540, model.countParams());
        assertTrue(model.summaryString().contains("(None, 10)                540"), model.summaryString());
    }

    @Test
    void addRejectsMismatchedShapeNamingLayerAndShapes() {
        var model = new Sequential();
        model.add(new Dense(4).inputShape(6));
        var e = assertThrows(LayerShapeException.class, () -> model.add(new LSTM(3).name("encoder")));
        assertTrue(e.getMessage().contains("encoder") && e.getMessage().contains("(None, 4)"), e.getMessage());
    }

    /** The seed's summary tables, each from "Model:" to its closing rule (or where the page cuts it). */
    private static List<String> seedTables() throws IOException {
        Path seed = SharedFiles.find("seed/intro-to-rnns-keras.txt");
        List<String> lines = Files.readAllLines(seed, StandardCharsets.UTF_8);
        List<String> tables = new ArrayList<>();
        StringBuilder current = null;
        for (String line : lines) {
            if (line.startsWith("Model: \"")) {
                current = new StringBuilder();
            }
            if (current == null) {
                continue;
            }
            if (line.startsWith("## ")) {
                // The page cut the table: keep what was shown, without the trailing blank lines.
                tables.add(current.toString().replaceAll("\n+$", ""));
                current = null;
                continue;
            }
            current.append(line).append('\n');
            if (line.startsWith("_") && current.indexOf("Total params") >= 0) {
                tables.add(current.toString());
                current = null;
            }
        }
        return tables;
    }
}
