package org.rnn4j.layers.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnn4j.testing.GradientCheck.randn;
import static org.rnn4j.testing.MultiInputGradientCheck.mask;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.LayerShapeException;
import org.rnn4j.layers.Mask;
import org.rnn4j.layers.Variable;
import org.rnn4j.layers.normalization.LayerNormalization;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/** Shapes, masks, configs and concurrent use of the attention layers and LayerNormalization. */
class AttentionLayersTest {
    private static Layer built(Layer layer, List<Tensor> inputs) {
        layer.build(inputs.stream().map(t -> Shapes.dropFirst(t.shape())).toList(), new Rng(3));
        Rng rng = new Rng(4);
        for (Variable v : layer.weights()) {
            float[] d = v.value().data();
            for (int i = 0; i < d.length; i++) {
                d[i] += (float) (0.1 * rng.normal());
            }
        }
        return layer;
    }

    @Test
    void outputShapesAndMasks() {
        List<Tensor> in = List.of(randn(1, 1f, 2, 4, 3), randn(2, 1f, 2, 5, 2), randn(3, 1f, 2, 5, 3));
        Mask qm = mask(new int[][] {{1, 1, 0, 0}, {1, 1, 1, 0}});
        Mask vm = mask(new int[][] {{1, 1, 0, 0, 1}, {1, 1, 1, 0, 1}});
        Attention a = (Attention) built(new Attention().returnAttentionScores(true), in);
        assertEquals(2, a.outputShapes().size());
        assertArrayEquals(new int[] {4, 2}, a.outputShapes().get(0));
        assertArrayEquals(new int[] {4, 5}, a.outputShapes().get(1));
        List<Mask> masks = a.computeMasks(in, Arrays.asList(qm, vm, null));
        assertSame(qm, masks.get(0));
        assertNull(masks.get(1));
        List<Tensor> out = a.forwardAll(in, Arrays.asList(qm, vm, null), false, new LayerContext());
        // masked query rows are zero; masked values get no weight
        assertEquals(0f, out.get(0).get(0, 2, 0));
        assertEquals(0f, out.get(1).get(0, 0, 2));
        float rowSum = 0;
        for (int j = 0; j < 5; j++) {
            rowSum += out.get(1).get(1, 1, j);
        }
        assertEquals(1f, rowSum, 1e-6);

        MultiHeadAttention m = (MultiHeadAttention) built(new MultiHeadAttention(2, 3).outputShape(7)
                .returnAttentionScores(true), in);
        assertArrayEquals(new int[] {4, 7}, m.outputShapes().get(0));
        assertArrayEquals(new int[] {2, 4, 5}, m.outputShapes().get(1));
        assertEquals(List.of("query/kernel", "query/bias", "key/kernel", "key/bias", "value/kernel", "value/bias",
                "attention_output/kernel", "attention_output/bias"), m.weights().stream().map(Variable::name).toList());
        assertArrayEquals(new int[] {3, 2, 3}, m.weights().get(0).shape());
        assertArrayEquals(new int[] {2, 3}, m.weights().get(1).shape());
        assertArrayEquals(new int[] {2, 3, 7}, m.weights().get(6).shape());
        assertArrayEquals(new int[] {7}, m.weights().get(7).shape());
        assertSame(qm, m.computeMasks(in, Arrays.asList(qm, vm, null)).get(0));
    }

    @Test
    void badCallsNameTheLayer() {
        Attention a = new Attention().name("att");
        LayerShapeException e = assertThrows(LayerShapeException.class,
                () -> a.build(List.of(new int[] {4, 3}), new Rng(1)));
        assertTrue(e.getMessage().contains("'att'"), e.getMessage());
        assertThrows(LayerShapeException.class,
                () -> new Attention().build(List.of(new int[] {4, 3}, new int[] {5, 2}, new int[] {5, 4}), new Rng(1)));
        assertThrows(LayerShapeException.class,
                () -> new MultiHeadAttention(2, 2).build(List.of(new int[] {4, 3}, new int[] {5, 2}, new int[] {6, 2}),
                        new Rng(1)));
        assertThrows(IllegalArgumentException.class, () -> new Attention(false, "general"));
        assertThrows(IllegalArgumentException.class, () -> new MultiHeadAttention(0, 2));
        assertThrows(IllegalArgumentException.class, () -> MultiHeadAttention.fromConfig(Map.of("num_heads", 2,
                "key_dim", 2, "attention_axes", List.of(1, 2))));
    }

    @Test
    void configRoundTrips() {
        List<Layer> layers = List.of(new Attention(true, "concat").dropout(0.1).seed(7L).name("a1"),
                new AdditiveAttention(false).name("a2"),
                new MultiHeadAttention(4, 8).valueDim(5).dropout(0.2).useBias(false).outputShape(3, 2).name("m1"),
                new LayerNormalization().axis(-2, -1).epsilon(1e-5).center(false).name("ln1"));
        for (Layer l : layers) {
            Map<String, Object> c = l.config();
            Layer back = switch (l.className()) {
                case "Attention" -> Attention.fromConfig(c);
                case "AdditiveAttention" -> AdditiveAttention.fromConfig(c);
                case "MultiHeadAttention" -> MultiHeadAttention.fromConfig(c);
                default -> LayerNormalization.fromConfig(c);
            };
            assertEquals(c, back.config(), l.className());
        }
    }

    private static void sameFromEightThreads(Layer layer, List<Tensor> inputs, List<Mask> masks) throws Exception {
        List<Tensor> expected = layer.forwardAll(inputs, masks, false, new LayerContext());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int th = 0; th < 8; th++) {
                futures.add(pool.submit(() -> {
                    LayerContext ctx = new LayerContext();
                    int bad = 0;
                    for (int call = 0; call < 25; call++) {
                        List<Tensor> got = layer.forwardAll(inputs, masks, false, ctx);
                        for (int o = 0; o < expected.size(); o++) {
                            if (!Arrays.equals(expected.get(o).data(), got.get(o).data())) {
                                bad++;
                            }
                        }
                    }
                    return bad;
                }));
            }
            int bad = 0;
            for (Future<Integer> f : futures) {
                bad += f.get();
            }
            assertEquals(0, bad, layer.className() + ": results that differ from the single-thread run");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void eightThreadsGetBitIdenticalResults() throws Exception {
        // sizes big enough that the projections take the matmul's parallel path
        Tensor x = randn(5, 1f, 8, 64, 64);
        Tensor v = randn(6, 1f, 8, 48, 64);
        boolean[] qm = new boolean[8 * 64];
        boolean[] vm = new boolean[8 * 48];
        for (int i = 0; i < qm.length; i++) {
            qm[i] = i % 64 < 50 + i / 64;
        }
        for (int i = 0; i < vm.length; i++) {
            vm[i] = i % 48 < 40 + i / 48;
        }
        List<Mask> masks = Arrays.asList(new Mask(qm, 8, 64), new Mask(vm, 8, 48));
        List<Tensor> in = List.of(x, v);
        sameFromEightThreads(built(new MultiHeadAttention(4, 16).returnAttentionScores(true), in), in, masks);
        sameFromEightThreads(built(new MultiHeadAttention(4, 16).useCausalMask(true), List.of(x, x)), List.of(x, x), null);
        sameFromEightThreads(built(new Attention(true).returnAttentionScores(true), in), in, masks);
        sameFromEightThreads(built(new AdditiveAttention(), List.of(randn(7, 1f, 4, 16, 8), randn(8, 1f, 4, 12, 8))),
                List.of(randn(7, 1f, 4, 16, 8), randn(8, 1f, 4, 12, 8)), null);
        sameFromEightThreads(built(new LayerNormalization(), List.of(x)), List.of(x), null);
    }

    @Test
    void trainingRunsInTheirOwnContextsDoNotInterfere() {
        // two call sites of one layer: backward uses each context's own forward
        List<Tensor> a = List.of(randn(9, 1f, 2, 4, 4), randn(10, 1f, 2, 5, 4));
        List<Tensor> b = List.of(randn(11, 1f, 2, 4, 4), randn(12, 1f, 2, 5, 4));
        MultiHeadAttention m = (MultiHeadAttention) built(new MultiHeadAttention(2, 2), a);
        Supplier<float[]> aloneGrad = () -> {
            LayerContext c = new LayerContext();
            Tensor y = m.forwardAll(a, null, true, c).get(0);
            return m.backwardAll(List.of(Tensor.full(1f, y.shape())), c).get(0).data();
        };
        float[] alone = aloneGrad.get();
        LayerContext ca = new LayerContext();
        LayerContext cb = new LayerContext();
        Tensor ya = m.forwardAll(a, null, true, ca).get(0);
        Tensor yb = m.forwardAll(b, null, true, cb).get(0);
        float[] interleaved = m.backwardAll(List.of(Tensor.full(1f, ya.shape())), ca).get(0).data();
        m.backwardAll(List.of(Tensor.full(1f, yb.shape())), cb);
        assertArrayEquals(alone, interleaved);
        LayerContext skip = new LayerContext().inputGradientNeeded(false);
        m.forwardAll(a, null, true, skip);
        assertNull(m.backwardAll(List.of(Tensor.full(1f, ya.shape())), skip).get(0));
    }
}
