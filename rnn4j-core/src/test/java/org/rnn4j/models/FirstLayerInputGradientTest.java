package org.rnn4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.Bidirectional;
import org.rnn4j.layers.Conv2D;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Flatten;
import org.rnn4j.layers.GRU;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.TimeDistributed;
import org.rnn4j.layers.Variable;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;

/** Skipping the first layer's input gradient in training leaves every weight gradient unchanged. */
class FirstLayerInputGradientTest {
    private static List<float[]> gradsAfter(Sequential m, Tensor x, Tensor dy, boolean training) {
        for (Variable v : m.weights()) {
            v.zeroGrad();
        }
        m.call(x, true);
        if (training) {
            m.backwardForTraining(dy);
        } else {
            m.backward(dy);
        }
        List<float[]> out = new ArrayList<>();
        for (Variable v : m.weights()) {
            out.add(v.grad().data().clone());
        }
        return out;
    }

    private static void check(Sequential m, Tensor x) {
        Tensor y = m.call(x, true);
        Tensor dy = GradientCheck.randn(11, 1f, y.shape());
        List<float[]> full = gradsAfter(m, x, dy, false);
        List<float[]> skipped = gradsAfter(m, x, dy, true);
        for (int i = 0; i < full.size(); i++) {
            assertArrayEquals(full.get(i), skipped.get(i), 0f, "weight " + i);
        }
        Layer first = m.layers().get(0);
        first.inputGradientNeeded(false);
        // Eagerly, layer by layer: a model's own runs keep their state in contexts, not in the layers.
        Tensor h = x;
        for (Layer l : m.layers()) {
            h = l.forward(h, null, true);
        }
        Tensor g = dy;
        for (int i = m.layers().size() - 1; i >= 1; i--) {
            g = m.layers().get(i).backward(g);
        }
        assertNull(first.backward(g), "the first layer skipped its input gradient");
        first.inputGradientNeeded(true);
    }

    @Test
    void recurrentAndBidirectionalFirstLayers() {
        for (Layer first : new Layer[] {new LSTM(5).inputShape(4, 3), new GRU(4).dropout(0.0).inputShape(4, 3),
                new Bidirectional(new LSTM(3).returnSequences(true)).inputShape(4, 3)}) {
            var m = new Sequential().seed(2);
            m.add(first);
            m.add(new Dense(2));
            check(m, GradientCheck.randn(3, 1f, 2, 4, 3));
        }
    }

    @Test
    void timeDistributedConvFirstLayer() {
        var m = new Sequential().seed(4);
        m.add(new TimeDistributed(new Conv2D(3, 2).activation("tanh")).inputShape(2, 5, 4, 1));
        m.add(new TimeDistributed(new Flatten()));
        m.add(new LSTM(3));
        check(m, GradientCheck.randn(5, 1f, 2, 2, 5, 4, 1));
    }
}
