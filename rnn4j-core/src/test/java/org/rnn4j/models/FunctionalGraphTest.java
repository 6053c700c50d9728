package org.rnn4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.InputLayer;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.LayerShapeException;
import org.rnn4j.layers.SymbolicTensor;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;

/** Building, checking and running functional graphs. */
class FunctionalGraphTest {
    @Test
    void aChainBuiltFunctionallyPredictsWhatTheSameSequentialPredicts() {
        Sequential seq = new Sequential().seed(3);
        seq.add(new LSTM(5).inputShape(6, 2));
        seq.add(new Dense(3).activation("tanh"));
        SymbolicTensor in = Input.of(6, 2);
        Layer lstm = new LSTM(5);
        Layer dense = new Dense(3).activation("tanh");
        Model fn = new Model(in, dense.call(lstm.call(in)));
        fn.setWeights(seq.getWeights());
        Tensor x = GradientCheck.randn(7, 1f, 4, 6, 2);
        assertArrayEquals(seq.predict(x).data(), fn.predict(x).data());
        assertEquals(seq.countParams(), fn.countParams());
    }

    @Test
    void layersComeInKerasOrder() {
        SymbolicTensor a = Input.of(4).name("a");
        SymbolicTensor b = Input.of(3).name("b");
        SymbolicTensor ha = new Dense(2).name("da").call(a);
        SymbolicTensor hb = new Dense(2).name("db").call(b);
        SymbolicTensor out = new Dense(1).name("head").call(new Dense(2).name("mix").call(ha));
        Model m = new Model(List.of(a, b), List.of(out, hb));
        List<String> names = m.layers().stream().map(Layer::name).toList();
        // Keras's map_graph: by depth from the outputs (deepest first), ties in depth-first order from the outputs.
        assertEquals(List.of("a", "da", "mix", "b", "head", "db"), names);
        assertTrue(m.layers().get(0) instanceof InputLayer);
        assertEquals(List.of("a", "b"), m.inputNames());
        assertEquals(List.of("head", "db"), m.outputNames());
    }

    @Test
    void aTensorFromAnInputNotListedIsAGraphDisconnectedError() {
        SymbolicTensor a = Input.of(4).name("a");
        SymbolicTensor b = Input.of(4).name("b");
        SymbolicTensor out = new Dense(1).call(new Dense(2).call(b));
        var e = assertThrows(IllegalArgumentException.class, () -> new Model(a, out));
        assertTrue(e.getMessage().contains("Graph disconnected") && e.getMessage().contains("'b'"), e.getMessage());
    }

    @Test
    void twoLayersWithOneNameAreRefusedAtBuild() {
        SymbolicTensor a = Input.of(4);
        SymbolicTensor out = new Dense(1).name("same").call(new Dense(2).name("same").call(a));
        var e = assertThrows(IllegalArgumentException.class, () -> new Model(a, out));
        assertTrue(e.getMessage().contains("'same'") && e.getMessage().contains("unique"), e.getMessage());
    }

    @Test
    void aCallOnTheWrongShapeNamesTheLayerAndBothShapes() {
        SymbolicTensor a = Input.of(6, 2);
        Layer dense = new Dense(3).name("proj");
        dense.call(Input.of(4));
        var e = assertThrows(LayerShapeException.class, () -> dense.call(a));
        assertTrue(e.getMessage().contains("proj") && e.getMessage().contains("(None, 4)")
                && e.getMessage().contains("(None, 6, 2)"), e.getMessage());
        var two = assertThrows(LayerShapeException.class, () -> new LSTM(3).call(List.of(a, a, a, a)));
        assertTrue(two.getMessage().contains("lstm"), two.getMessage());
    }

    @Test
    void predictWithTheWrongInputsNamesTheInputAndItsShape() {
        SymbolicTensor a = Input.of(4).name("series");
        SymbolicTensor b = Input.of(2).name("context");
        Model m = new Model(List.of(a, b), List.of(new Dense(1).call(a), new Dense(1).call(b)));
        var count = assertThrows(IllegalArgumentException.class, () -> m.predict(List.of(Tensor.zeros(3, 4))));
        assertTrue(count.getMessage().contains("2 input(s)") && count.getMessage().contains("series"), count.getMessage());
        var shape = assertThrows(LayerShapeException.class,
                () -> m.predict(List.of(Tensor.zeros(3, 4), Tensor.zeros(3, 5))));
        assertTrue(shape.getMessage().contains("'context'") && shape.getMessage().contains("(None, 2)")
                && shape.getMessage().contains("(None, 5)"), shape.getMessage());
        var rows = assertThrows(IllegalArgumentException.class,
                () -> m.predict(List.of(Tensor.zeros(3, 4), Tensor.zeros(2, 2))));
        assertTrue(rows.getMessage().contains("samples"), rows.getMessage());
    }

    @Test
    void aSequentialNestsInAFunctionalModelAsOneLayer() {
        Sequential inner = new Sequential("block").seed(1);
        inner.add(new Dense(4).activation("relu").inputShape(3));
        inner.add(new Dense(2));
        SymbolicTensor in = Input.of(3);
        SymbolicTensor out = new Dense(1).call(inner.call(in));
        Model outer = new Model(in, out);
        assertEquals(3, outer.layers().size());
        assertEquals(inner.countParams() + 3, outer.countParams());
        Tensor x = GradientCheck.randn(2, 1f, 5, 3);
        Tensor direct = ((Dense) outer.layers().get(2)).forward(inner.predict(x));
        assertArrayEquals(direct.data(), outer.predict(x).data(), 1e-6f);
    }
}
