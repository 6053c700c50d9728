package org.rnn4j.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.io.Npy;
import org.rnn4j.models.Model;
import org.rnn4j.optimizers.Optimizer;
import org.rnn4j.tensor.Tensor;

/**
 * Legacy .h5 files load compiled from their {@code training_config}, as Keras's
 * {@code load_model(compile=True)}: optimizer (Keras 2's {@code lr}, {@code Custom>SGD}), loss
 * (identifier or serialized), metrics; what cannot be honoured leaves the model uncompiled.
 * The expected values are those written in the shared keras2-wild files' training_config.
 */
class LegacyTrainingConfigTest {
    private static Model load(String name) throws Exception {
        return KerasModels.load(Fixtures.dir("keras2-wild").resolve(name + ".h5"));
    }

    @Test
    void keras2AdamWithLrLoadsCompiled() throws Exception {
        Model m = load("k204_aind_gru_td");
        assertTrue(m.isCompiled());
        Optimizer o = m.optimizer();
        assertEquals("Adam", o.className());
        assertEquals(0.009999999776482582, o.learningRate(), 1e-12);
        assertEquals(1e-8, ((Number) o.config().get("epsilon")).doubleValue(), 1e-15);
        assertEquals(0.8999999761581421, ((Number) o.config().get("beta_1")).doubleValue(), 1e-12);
        assertEquals("sparse_categorical_crossentropy", m.loss().name());
        assertEquals(List.of("accuracy"), m.metrics().stream().map(x -> x.name()).toList());
    }

    @Test
    void rmspropAndUnknownMetricsAreDropped() throws Exception {
        Model m = load("k215_medaka_bigru");
        assertEquals("RMSprop", m.optimizer().className());
        assertEquals(1e-7, ((Number) m.optimizer().config().get("epsilon")).doubleValue(), 1e-12);
        // "qscore" is the example's own metric function: left out, the rest compiles
        assertEquals(List.of("accuracy"), m.metrics().stream().map(x -> x.name()).toList());
    }

    @Test
    void tfKerasRegisteredSgdAndSerializedHuberLoss() throws Exception {
        Model m = load("tf214_sunspot_conv1d_lstm");
        assertEquals("SGD", m.optimizer().className());
        assertEquals("huber_loss", m.loss().name());
    }

    @Test
    void polynomialDecayLoadsAndUnsupportedSchedulesAreRefused() throws Exception {
        Model m = load("tf210_twoinput_lstm_concat");
        assertTrue(m.isCompiled());
        org.rnn4j.optimizers.LearningRateSchedule s = m.optimizer().schedule();
        assertEquals("PolynomialDecay", s.className());
        assertEquals(1e-5, ((Number) s.config().get("end_learning_rate")).doubleValue(), 0);
        assertEquals(2.0, ((Number) s.config().get("power")).doubleValue(), 0);
        assertEquals(0.001, s.learningRate(0), 1e-12);
        IllegalArgumentException u = assertThrows(IllegalArgumentException.class, () -> LegacyTrainingConfig.optimizer(
                Map.of("class_name", "Adam", "config", Map.of("learning_rate",
                        Map.of("class_name", "MySchedule", "config", Map.of())))));
        assertTrue(u.getMessage().contains("Unsupported learning-rate schedule 'MySchedule'"), u.getMessage());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LegacyTrainingConfig.optimizer(
                Map.of("class_name", "Adam", "config", Map.of("lr", 0.01, "decay", 1e-4))));
        assertTrue(e.getMessage().contains("time-based decay=1.0E-4"), e.getMessage());
    }

    @Test
    void aLoadedLegacyModelTrainsAtOnce() throws Exception {
        Path dir = Fixtures.dir("keras2-wild");
        Model m = load("k231_lstm_multi");
        assertEquals("mean_absolute_error", m.loss().name());
        Tensor x = Npy.read(dir.resolve("k231_lstm_multi.x.npy"));
        Tensor y = m.predict(x).copy();
        for (int i = 0; i < y.size(); i++) {
            y.data()[i] += 0.5f;   // targets the model misses by 0.5 everywhere: mae 0.5
        }
        Map<String, Double> before = m.evaluate(x, y);
        assertEquals(0.5, before.get("loss"), 1e-5);
        Map<String, Double> step = m.trainOnBatch(List.of(x), List.of(y));
        assertEquals(before.get("loss"), step.get("loss"), 1e-5);
        assertTrue(m.evaluate(x, y).get("loss") < before.get("loss"), "one Adam step lowers the loss");
    }
}
