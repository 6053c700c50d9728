package org.rnn4j.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.layers.Dense;
import org.rnn4j.losses.CategoricalGeneralizedCrossEntropy;
import org.rnn4j.losses.Circle;
import org.rnn4j.losses.Dice;
import org.rnn4j.losses.Loss;
import org.rnn4j.losses.Losses;
import org.rnn4j.losses.Tversky;
import org.rnn4j.models.Sequential;

/**
 * A model compiled with any of the losses saves and loads with that loss: by name when the name alone
 * rebuilds it, else as Keras's serialized object (options and renames kept), as Keras's compile_config does.
 */
class LossesSaveLoadTest {
    private static Loss roundTrip(Loss loss, Path dir) throws Exception {
        var m = new Sequential().seed(1);
        m.add(new Dense(3).inputShape(4));
        m.compile("adam", loss);
        Path file = dir.resolve(loss.className() + "-" + loss.name() + ".keras");
        m.save(file);
        return KerasModels.load(file).loss();
    }

    @Test
    void everyLossSurvivesASave(@TempDir Path dir) throws Exception {
        Loss[] losses = {
            Losses.get("hinge"), Losses.get("squared_hinge"), Losses.get("categorical_hinge"), Losses.get("kld"),
            Losses.get("cosine_similarity"), Losses.get("dice"), Losses.get("circle"),
            new Tversky(0.2, 0.8, 1).name("tv"), new Dice(-1).reduction("sum"), new Circle(32, 0.25, false),
            new CategoricalGeneralizedCrossEntropy(0.3), ((org.rnn4j.losses.BaseLoss) Losses.get("hinge")).name("h2"),
        };
        for (Loss loss : losses) {
            Loss back = roundTrip(loss, dir);
            assertEquals(loss.getClass(), back.getClass(), loss.name());
            assertEquals(loss.config(), back.config(), loss.name());
        }
    }

    @Test
    void compileConfigHoldsANameOrTheSerializedLoss() {
        assertEquals("tversky", CompileState.lossConfig(new Tversky()));
        assertEquals(Map.of("module", "keras.losses", "class_name", "CategoricalGeneralizedCrossEntropy", "config",
                Map.of("name", "categorical_generalized_cross_entropy", "reduction", "sum_over_batch_size", "q", 0.5)),
                without(CompileState.lossConfig(new CategoricalGeneralizedCrossEntropy()), "registered_name"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> without(Object m, String key) {
        Map<String, Object> c = new java.util.HashMap<>((Map<String, Object>) m);
        assertEquals(true, c.containsKey(key));
        c.remove(key);
        return c;
    }
}
