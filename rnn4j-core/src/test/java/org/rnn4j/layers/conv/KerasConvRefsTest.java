package org.rnn4j.layers.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Variable;
import org.rnn4j.saving.ConfigJson;
import org.rnn4j.saving.LayerRegistry;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.MiniJson;
import org.rnn4j.util.Rng;

/**
 * Every case of conv_refs.txt (real Keras 3.15): the layer rebuilt from Keras's own config through
 * the registry, Keras's weights assigned in {@code weights()} order, forward within 1e-5 and the
 * input and weight gradients of {@code sum(out * r)} within 1e-4.
 */
class KerasConvRefsTest {
    private static final Map<String, ConvRefs.Case> CASES = ConvRefs.load();

    static Stream<String> cases() {
        return CASES.keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesKeras(String name) throws Exception {
        ConvRefs.Case c = CASES.get(name);
        Layer layer = LayerRegistry.fromConfig(c.layer, c.config);
        layer.build(Shapes.dropFirst(c.in.shape()), new Rng(1));
        var weights = layer.weights();
        assertEquals(c.weights.size(), weights.size(), name + ": weight count");
        for (int i = 0; i < weights.size(); i++) {
            assertArrayEquals(c.weights.get(i).shape(), weights.get(i).shape(), name + ": weight " + i + " shape");
            weights.get(i).assign(c.weights.get(i));
            weights.get(i).zeroGrad();
        }
        assertArrayEquals(Shapes.dropFirst(c.out.shape()), layer.computeOutputShape(Shapes.dropFirst(c.in.shape())),
                name + ": computeOutputShape");
        Tensor y = layer.forward(c.in, c.mask, true);
        close(c.out, y, 1e-5, name + " forward");
        Tensor dx = layer.backward(c.r.copy());
        close(c.gin, dx, 1e-4, name + " input grad");
        for (int i = 0; i < weights.size(); i++) {
            Variable v = weights.get(i);
            close(c.gw.get(i), v.grad(), 1e-4, name + " grad of " + v.name());
        }
        // The config we write reads back to the same layer.
        @SuppressWarnings("unchecked")
        Map<String, Object> written = (Map<String, Object>) MiniJson.parse(ConfigJson.write(layer.config()));
        Layer again = LayerRegistry.fromConfig(c.layer, written);
        assertEquals(layer.config(), again.config(), name + ": config round trip");
    }

    static void close(Tensor expected, Tensor actual, double tol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double worst = 0;
        for (int i = 0; i < expected.size(); i++) {
            worst = Math.max(worst, Math.abs(expected.data()[i] - actual.data()[i]));
        }
        assertTrue(worst <= tol, what + ": max abs error " + worst + " > " + tol);
    }
}
