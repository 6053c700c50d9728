package org.rnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.kernels.ConvPoolFused;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.util.Rng;

/**
 * The fused Conv2D + MaxPooling2D path must give, bit for bit, the two layers' output, input
 * gradient and weight gradients: with and without TimeDistributed, relu and linear, bias or not,
 * overlapping and padded pooling windows, strided and padded convolutions, filter counts with
 * and without a partial last vector (and so one or several parallel filter blocks).
 */
class ConvPoolFusionTest {
    private record Case(boolean td, String act, boolean bias, int filters, int channels, int[] kernel, int[] convStrides,
                        String convPadding, int[] pool, int[] poolStrides, String poolPadding) {
    }

    private static void check(Case c, boolean inputGradient, long seed) {
        int h = 9;
        int w = 8;
        Conv2D conv = new Conv2D(c.filters(), c.kernel()[0], c.kernel()[1]).activation(c.act()).useBias(c.bias())
                .strides(c.convStrides()[0], c.convStrides()[1]).padding(c.convPadding());
        MaxPooling2D pool = new MaxPooling2D(c.pool()[0], c.pool()[1]).strides(c.poolStrides()[0], c.poolStrides()[1]);
        pool.padding(c.poolPadding());
        Layer first = c.td() ? new TimeDistributed(conv) : conv;
        Layer second = c.td() ? new TimeDistributed(pool) : pool;
        int[] sample = c.td() ? new int[] {3, h, w, c.channels()} : new int[] {h, w, c.channels()};
        first.build(sample, new Rng(seed));
        second.build(first.computeOutputShape(sample), new Rng(seed + 1));
        // Non-zero biases, so relu cuts at varied places.
        for (Variable v : conv.weights()) {
            float[] d = v.value().data();
            float[] r = GradientCheck.randn(seed + 2, 0.5f, d.length).data();
            System.arraycopy(r, 0, d, 0, d.length);
        }
        int[] shape = new int[sample.length + 1];
        shape[0] = c.td() ? 12 : 40; // >= 32 samples: the forward runs in two parallel parts
        System.arraycopy(sample, 0, shape, 1, sample.length);
        Tensor x = GradientCheck.randn(seed + 3, 1f, shape);

        LayerContext ca = new LayerContext().inputGradientNeeded(inputGradient);
        LayerContext cb = new LayerContext();
        Tensor z = first.forward(x, null, true, ca);
        Tensor y = second.forward(z, null, true, cb);
        Tensor dy = GradientCheck.randn(seed + 4, 1f, y.shape());
        Tensor dx = first.backward(second.backward(dy, cb), ca);
        float[][] grads = snapshotAndZeroGrads(conv);

        ConvPoolFusion fused = ConvPoolFusion.of(first, second);
        assertNotNull(fused, c.toString());
        LayerContext cf = new LayerContext().inputGradientNeeded(inputGradient);
        Tensor yf = fused.forward(x, true, cf);
        assertNotNull(yf, c.toString());
        assertArrayEquals(y.shape(), yf.shape(), c + ": shape");
        assertArrayEquals(y.data(), yf.data(), c + ": output");
        assertArrayEquals(y.data(), fused.forward(x, false, new LayerContext()).data(), c + ": inference output");
        Tensor dxf = fused.backward(dy, cf);
        float[][] fusedGrads = snapshotAndZeroGrads(conv);
        for (int i = 0; i < grads.length; i++) {
            assertArrayEquals(grads[i], fusedGrads[i], c + ": weight gradient " + i);
        }
        if (inputGradient) {
            assertArrayEquals(dx.data(), dxf.data(), c + ": input gradient");
        } else {
            assertNull(dxf);
        }
    }

    private static float[][] snapshotAndZeroGrads(Conv2D conv) {
        List<Variable> ws = conv.weights();
        float[][] out = new float[ws.size()][];
        for (int i = 0; i < out.length; i++) {
            float[] g = ws.get(i).grad().data();
            out[i] = g.clone();
            java.util.Arrays.fill(g, 0f);
        }
        return out;
    }

    @Test
    void fusedEqualsTheTwoLayersBitForBit() {
        assumeTrue(ConvPoolFused.available(), "the fused kernels need the Vector API");
        int[] one = {1, 1};
        int[] two = {2, 2};
        Case[] cases = {
            new Case(true, "relu", true, 64, 1, two, one, "valid", two, two, "valid"),   // W5's pair
            new Case(false, "relu", true, 64, 1, two, one, "valid", two, two, "valid"),
            new Case(false, "linear", false, 20, 3, two, one, "same", new int[] {3, 3}, two, "same"),
            new Case(true, "relu", false, 7, 2, new int[] {2, 3}, two, "valid", new int[] {2, 3}, one, "valid"),
            new Case(false, "relu", true, 48, 4, new int[] {1, 2}, new int[] {1, 2}, "same", two, one, "same"),
            new Case(false, "linear", true, 33, 1, new int[] {3, 3}, one, "valid", new int[] {3, 2}, new int[] {2, 1}, "valid"),
        };
        long seed = 1;
        for (Case c : cases) {
            check(c, false, seed);
            check(c, true, seed + 100);
            seed += 10;
        }
    }

    @Test
    void onlyFusableLayersFuse() {
        assumeTrue(ConvPoolFused.available(), "the fused kernels need the Vector API");
        Conv2D tanh = new Conv2D(4, 2).activation("tanh");
        tanh.build(new int[] {5, 5, 1}, new Rng(1));
        MaxPooling2D p = new MaxPooling2D();
        p.build(new int[] {4, 4, 4}, new Rng(1));
        assertNull(ConvPoolFusion.of(tanh, p), "tanh is not fused");
        Conv2D big = new Conv2D(4, 3);
        big.build(new int[] {5, 5, 2}, new Rng(1)); // 3x3x2 = 18 > the direct kernels' window
        MaxPooling2D p3 = new MaxPooling2D();
        p3.build(new int[] {3, 3, 4}, new Rng(1));
        assertNull(ConvPoolFusion.of(big, p3), "large windows take im2col + gemm");
        Conv2D ok = new Conv2D(4, 2).activation("relu");
        ok.build(new int[] {5, 5, 1}, new Rng(1));
        assertNull(ConvPoolFusion.of(new TimeDistributed(ok), p), "one wrapped, one bare");
        assertNull(ConvPoolFusion.of(p, ok), "pool then conv");
        assertNotNull(ConvPoolFusion.of(ok, p));
    }
}
