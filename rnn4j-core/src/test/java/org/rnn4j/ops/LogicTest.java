package org.rnn4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * The boolean ops of {@link Logic} against real Keras 3 (keras_logic_refs.txt, made by
 * tools/keras-refs/logic_refs.py): inputs with ties, zeros, NaN and infinities, as Keras's
 * {@code ops.equal}, {@code not_equal}, {@code greater}, ..., {@code logical_and/or/not},
 * {@code any} and {@code all} wrote them into a functional model's config. Each op gives Keras's
 * 0/1 outputs exactly, says its output is {@code bool}, passes no gradient (TensorFlow gives none
 * through a bool), and saves back the entry Keras wrote.
 */
class LogicTest {
    static Stream<KerasOpsRefs.Case> cases() throws Exception {
        return KerasOpsRefs.load("keras_logic_refs.txt").stream();
    }

    @Test
    void theReferencesCoverEveryLogicOp() throws Exception {
        Set<String> covered = new TreeSet<>();
        cases().forEach(c -> covered.add(c.className()));
        assertEquals(new TreeSet<>(List.of("Equal", "NotEqual", "Greater", "GreaterEqual", "Less", "LessEqual",
                "LogicalAnd", "LogicalOr", "LogicalNot", "Any", "All")), covered);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void outputsEqualKerasExactly(KerasOpsRefs.Case c) {
        Op op = c.op();
        List<int[]> shapes = new ArrayList<>();
        for (Tensor t : c.inputs) {
            shapes.add(Shapes.dropFirst(t.shape()));
        }
        assertArrayEquals(Shapes.dropFirst(c.out.shape()), op.computeOutputShapes(shapes).get(0), c.name + ": output shape");
        assertEquals("bool", op.outputDtype("float32"), c.name + ": output dtype");
        Tensor y = op.forwardAll(c.inputs, null, false, new LayerContext()).get(0);
        assertArrayEquals(c.out.shape(), y.shape(), c.name + ": runtime shape");
        assertArrayEquals(c.out.data(), y.data(), c.name + ": outputs, 1 for true and 0 for false");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void noGradientFlowsThroughABool(KerasOpsRefs.Case c) {
        Op op = c.op();
        LayerContext ctx = new LayerContext();
        op.forwardAll(c.inputs, null, true, ctx);
        List<Tensor> g = op.backwardAll(List.of(c.r), ctx);
        assertEquals(c.inputs.size(), g.size(), c.name + ": one gradient per tensor");
        for (int i = 0; i < g.size(); i++) {
            assertArrayEquals(c.inputs.get(i).shape(), g.get(i).shape(), c.name + ": gradient " + i + " shape");
            // delta 0: equal as numbers (LogicalNot's 0 * g may be -0.0)
            assertArrayEquals(c.grads.get(i).data(), g.get(i).data(), 0f, c.name + ": gradient " + i + " (TensorFlow's zeros)");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void savesBackTheEntryKerasWrote(KerasOpsRefs.Case c) {
        Op op = c.op();
        assertEquals(c.module(), op.kerasModule());
        assertEquals(c.className(), op.className());
        assertEquals(KerasOpsParityTest.norm(c.config()), KerasOpsParityTest.norm(op.config()), c.name + ": config");
        List<Object> tensors = new ArrayList<>();
        KerasOpsParityTest.collectTensors(c.args(), tensors);
        assertEquals(c.inputs.size(), op.tensorArgCount(), c.name + ": tensor arguments");
        assertEquals(KerasOpsParityTest.norm(c.args()), KerasOpsParityTest.norm(op.kerasArgs(tensors)), c.name + ": args");
        assertTrue(op.kerasKwargs().isEmpty());
    }

    /** The references hold what decides these ops: NaN compares unequal to everything and is true. */
    @Test
    void theReferencesHoldNanAndTies() throws Exception {
        KerasOpsRefs.Case eq = cases().filter(c -> c.name.equals("equal")).findFirst().orElseThrow();
        float[] a = eq.inputs.get(0).data();
        float[] b = eq.inputs.get(1).data();
        int nan = 0;
        int ties = 0;
        for (int i = 0; i < a.length; i++) {
            nan += Float.isNaN(a[i]) && Float.isNaN(b[i]) ? 1 : 0;
            ties += a[i] == b[i] ? 1 : 0;
        }
        assertTrue(nan >= 1 && ties >= 1, "the equal case needs a NaN pair and ties: " + nan + ", " + ties);
    }
}
