package org.rnn4j.layers.attention;

import static org.rnn4j.testing.GradientCheck.randn;
import static org.rnn4j.testing.MultiInputGradientCheck.mask;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Mask;
import org.rnn4j.layers.Variable;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.MultiInputGradientCheck;
import org.rnn4j.util.Rng;

/** Finite-difference checks of every input and weight of Attention, AdditiveAttention and MultiHeadAttention. */
class AttentionGradientTest {
    private static final double EPS = 1e-2;
    private static final double TOL = 2e-3;

    private static final Mask Q_MASK = mask(new int[][] {{1, 1, 1, 0, 1}, {1, 0, 1, 1, 1}});
    private static final Mask V_MASK = mask(new int[][] {{1, 1, 1, 1, 0, 1}, {1, 1, 0, 1, 0, 1}});

    private static Layer built(Layer layer, List<Tensor> inputs, long seed) {
        layer.build(inputs.stream().map(t -> Shapes.dropFirst(t.shape())).toList(), new Rng(seed));
        // move scalar and vector weights off their constant initial values so every term matters
        Rng rng = new Rng(seed + 1);
        for (Variable v : layer.weights()) {
            float[] d = v.value().data();
            for (int i = 0; i < d.length; i++) {
                d[i] = v.size() <= 8 ? (float) (0.6 + 0.3 * rng.nextDouble()) : d[i] + (float) (0.1 * rng.normal());
            }
        }
        return layer;
    }

    private static void check(Layer layer, List<Tensor> inputs, List<Mask> masks, boolean[] unused) {
        MultiInputGradientCheck.check(layer, inputs, masks, null, unused, EPS, TOL);
    }

    private static List<Tensor> qvk(int tq, int tv, int d, int dv, boolean key) {
        Tensor q = randn(1, 0.8f, 2, tq, d);
        Tensor v = randn(2, 0.8f, 2, tv, dv);
        Tensor k = randn(3, 0.8f, 2, tv, d);
        return key ? List.of(q, v, k) : List.of(q, v);
    }

    @Test
    void dotAttention() {
        List<Tensor> in = qvk(4, 6, 3, 3, false);
        check(built(new Attention(), in, 1), in, null, null);
    }

    @Test
    void dotAttentionScaleKeyMasksAndScores() {
        List<Tensor> in = qvk(5, 6, 3, 2, true);
        Layer l = built(new Attention(true).returnAttentionScores(true), in, 2);
        check(l, in, Arrays.asList(Q_MASK, V_MASK, null), null);
        check(l, in, Arrays.asList(Q_MASK, V_MASK, null), new boolean[] {false, true}); // scores unused
        check(l, in, Arrays.asList(Q_MASK, V_MASK, null), new boolean[] {true, false}); // only the scores
    }

    @Test
    void dotAttentionCausalWithValueMask() {
        List<Tensor> in = qvk(6, 6, 3, 3, false);
        check(built(new Attention().useCausalMask(true), in, 3), in,
                Arrays.asList(null, mask(new int[][] {{1, 1, 1, 1, 0, 1}, {1, 1, 0, 1, 1, 0}})), null);
    }

    @Test
    void concatAttentionScaleCausalScores() {
        List<Tensor> in = qvk(6, 6, 3, 4, true);
        Layer l = built(new Attention(true, "concat").useCausalMask(true).returnAttentionScores(true), in, 4);
        check(l, in, Arrays.asList(mask(new int[][] {{1, 1, 1, 0, 1, 1}, {1, 0, 1, 1, 1, 1}}), V_MASK, null), null);
    }

    @Test
    void concatAttentionNoScale() {
        List<Tensor> in = qvk(4, 5, 3, 3, false);
        check(built(new Attention(false, "concat"), in, 5), in, null, null);
    }

    @Test
    void attentionDropoutInTraining() {
        // every fresh context draws the same dropout masks from the layer's seed
        List<Tensor> in = qvk(4, 5, 3, 3, true);
        check(built(new Attention(true).dropout(0.3).returnAttentionScores(true), in, 6), in, null, null);
    }

    @Test
    void additiveAttentionScaleKeyMasksScores() {
        List<Tensor> in = qvk(5, 6, 3, 2, true);
        check(built(new AdditiveAttention().returnAttentionScores(true), in, 7), in,
                Arrays.asList(Q_MASK, V_MASK, null), null);
    }

    @Test
    void additiveAttentionNoScaleCausalNoKey() {
        List<Tensor> in = qvk(6, 6, 3, 3, false);
        check(built(new AdditiveAttention(false).useCausalMask(true), in, 8), in, null, null);
    }

    @Test
    void multiHeadSelfAttentionNoKey() {
        Tensor x = randn(11, 0.8f, 2, 5, 4);
        List<Tensor> in = List.of(x, randn(12, 0.8f, 2, 6, 3));
        check(built(new MultiHeadAttention(2, 3), in, 9), in, null, null);
    }

    @Test
    void multiHeadWithKeyValueDimOutputShape() {
        List<Tensor> in = List.of(randn(13, 0.8f, 2, 4, 5), randn(14, 0.8f, 2, 6, 3), randn(15, 0.8f, 2, 6, 2));
        check(built(new MultiHeadAttention(3, 2).valueDim(4).outputShape(2, 3), in, 10), in, null, null);
    }

    @Test
    void multiHeadNoBiasCausal() {
        List<Tensor> in = List.of(randn(16, 0.8f, 2, 6, 4), randn(17, 0.8f, 2, 6, 4));
        check(built(new MultiHeadAttention(2, 2).useBias(false).useCausalMask(true), in, 11), in, null, null);
    }

    @Test
    void multiHeadAllMasksAttentionMaskCausalAndScores() {
        Tensor am = Tensor.zeros(2, 5, 6);
        Rng rng = new Rng(5);
        for (int i = 0; i < am.size(); i++) {
            am.data()[i] = rng.nextDouble() < 0.75 || i % 6 == 0 ? 1f : 0f;
        }
        List<Tensor> in = List.of(randn(18, 0.8f, 2, 5, 4), randn(19, 0.8f, 2, 6, 3), randn(20, 0.8f, 2, 6, 5), am);
        Mask kMask = mask(new int[][] {{1, 1, 1, 1, 1, 0}, {1, 1, 1, 0, 1, 1}});
        Layer l = built(new MultiHeadAttention(2, 3).attentionMaskInput(true).useCausalMask(true)
                .returnAttentionScores(true), in, 12);
        List<Mask> masks = Arrays.asList(Q_MASK, V_MASK, kMask, null);
        MultiInputGradientCheck.check(l, in, masks, new int[] {0, 1, 2}, null, EPS, TOL);
        MultiInputGradientCheck.check(l, in, masks, new int[] {0, 1, 2}, new boolean[] {false, true}, EPS, TOL);
    }

    @Test
    void multiHeadFusedPathWithFullyMaskedQueryRows() {
        // without scores and dropout a masked query row attends uniformly (Keras's fused TF path)
        List<Tensor> in = List.of(randn(21, 0.8f, 2, 5, 4), randn(22, 0.8f, 2, 6, 4));
        check(built(new MultiHeadAttention(2, 2), in, 13), in, Arrays.asList(Q_MASK, V_MASK), null);
    }

    @Test
    void multiHeadDropoutInTraining() {
        List<Tensor> in = List.of(randn(23, 0.8f, 2, 4, 4), randn(24, 0.8f, 2, 5, 4));
        check(built(new MultiHeadAttention(2, 2).dropout(0.25).returnAttentionScores(true), in, 14), in,
                Arrays.asList(mask(new int[][] {{1, 1, 0, 1}, {1, 1, 1, 1}}), null),
                null);
    }
}
