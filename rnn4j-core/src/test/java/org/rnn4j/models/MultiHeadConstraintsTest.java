package org.rnn4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.constraints.MaxNorm;
import org.rnn4j.constraints.NonNeg;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.GlobalAveragePooling1D;
import org.rnn4j.layers.SymbolicTensor;
import org.rnn4j.layers.Variable;
import org.rnn4j.layers.attention.MultiHeadAttention;
import org.rnn4j.optimizers.Optimizers;
import org.rnn4j.saving.LayerRegistry;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.KerasJson;
import org.rnn4j.testing.MiniJson;

/**
 * MultiHeadAttention's kernel_constraint and bias_constraint (#13): Keras hands them to its four
 * EinsumDense projections, so every projection's kernel and bias is projected after each step.
 * Parity with a real Keras two-step training (keras-train/mha_constraints: the layer is rebuilt
 * from Keras's own config) and the configs in and out.
 */
class MultiHeadConstraintsTest {
    @SuppressWarnings("unchecked")
    private static Map<String, Object> kerasMhaConfig(KerasTrainRefs refs) throws Exception {
        Map<String, Object> root = (Map<String, Object>) MiniJson.parse(Files.readString(refs.dir.resolve("config.json")));
        for (Map<String, Object> l : (List<Map<String, Object>>) ((Map<String, Object>) root.get("config")).get("layers")) {
            if (l.get("class_name").equals("MultiHeadAttention")) {
                return (Map<String, Object>) l.get("config");
            }
        }
        throw new AssertionError("no MultiHeadAttention in mha_constraints/config.json");
    }

    @SuppressWarnings("unchecked")
    @Test
    void trainsTwoStepsEqualToKerasWithTheProjectionsConstrained() throws Exception {
        KerasTrainRefs refs = new KerasTrainRefs("mha_constraints");
        MultiHeadAttention mha = (MultiHeadAttention) LayerRegistry.fromConfig("MultiHeadAttention", kerasMhaConfig(refs));
        SymbolicTensor in = Input.of(5, 4).name("seq");
        SymbolicTensor h = mha.call(in, in);
        SymbolicTensor out = new Dense(2).name("out").call(new GlobalAveragePooling1D().call(h));
        Model model = new Model(List.of(in), List.of(out));
        refs.loadInitialWeights(model);
        int constrained = 0;
        for (Variable v : mha.weights()) {
            assertTrue(v.constraint() instanceof MaxNorm == v.name().endsWith("/kernel")
                    && v.constraint() instanceof NonNeg == v.name().endsWith("/bias"), v.name() + ": " + v.constraint());
            constrained++;
        }
        assertEquals(8, constrained);
        Tensor x = refs.arrays("x").get(0);
        Tensor y = refs.arrays("y").get(0);
        assertTrue(model.predict(x).maxAbsDiff(refs.arrays("p0_").get(0)) < 1e-5, "prediction");
        Map<String, Object> compile = (Map<String, Object>) MiniJson.parse(Files.readString(refs.dir.resolve("compile.json")));
        model.compile(CompileOptions.optimizer(Optimizers.fromConfig(compile.get("optimizer"))).loss("mse"));
        for (int step = 1; step <= 2; step++) {
            KerasTrainRefs.assertLogs(refs.logs(step), model.trainOnBatch(x, y), 1e-5, "step " + step);
            refs.assertWeightsAfter(model, step, 1e-5);
        }
        for (Variable v : mha.weights()) {
            if (v.name().endsWith("/bias")) {
                for (float b : v.value().data()) {
                    assertTrue(b >= 0f, v.name() + " is non-negative after training");
                }
            }
        }
    }

    @Test
    void constraintsLoadAndSaveAsKeras() throws Exception {
        Map<String, Object> keras = kerasMhaConfig(new KerasTrainRefs("mha_constraints"));
        MultiHeadAttention m = (MultiHeadAttention) LayerRegistry.fromConfig("MultiHeadAttention", keras);
        Map<String, Object> ours = m.config();
        for (String key : new String[] {"kernel_constraint", "bias_constraint", "kernel_regularizer"}) {
            KerasJson.assertSame(keras.get(key), ours.get(key), key);
        }
        Map<String, Object> again = LayerRegistry.fromConfig("MultiHeadAttention", new LinkedHashMap<>(ours)).config();
        assertEquals(ours.toString(), again.toString());
        MultiHeadAttention plain = new MultiHeadAttention(2, 3);
        assertNull(plain.config().get("kernel_constraint"));
        assertEquals("MaxNorm", ((Map<?, ?>) plain.kernelConstraint(new MaxNorm(1.5, 0)).config()
                .get("kernel_constraint")).get("class_name"));
        Map<String, Object> bad = new LinkedHashMap<>(keras);
        bad.put("bias_constraint", Map.of("class_name", "Clip", "config", Map.of()));
        Exception e = assertThrows(Exception.class, () -> LayerRegistry.fromConfig("MultiHeadAttention", bad));
        assertTrue(e.getMessage().contains("Clip"), e.getMessage());
    }
}
