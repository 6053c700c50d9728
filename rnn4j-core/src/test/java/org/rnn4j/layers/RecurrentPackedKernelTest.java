package org.rnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.util.Rng;

/**
 * The per-step recurrent matmuls read a recurrent kernel packed once per pass; this must give
 * exactly the bits of the unpacked per-step calls (same kernel, same accumulation order), also
 * after the weights change between calls (the packed copy must follow them).
 */
class RecurrentPackedKernelTest {
    private static void assertSameBits(Supplier<RecurrentLayer<?>> make, int b, int t, boolean masked) {
        RecurrentLayer<?> packed = make.get();
        RecurrentLayer<?> plain = make.get();
        plain.packRecurrentKernel = false;
        int f = 5;
        for (RecurrentLayer<?> l : List.of(packed, plain)) {
            l.build(new int[] {t, f}, new Rng(11));
        }
        Mask mask = masked ? RecurrentFusedVsReferenceTest.randomMask(4, b, t) : null;
        for (int call = 0; call < 2; call++) {
            Tensor x = GradientCheck.randn(20 + call, 1f, b, t, f);
            Tensor y1 = packed.forward(x, mask, true);
            Tensor y2 = plain.forward(x, mask, true);
            String what = packed.className() + " b=" + b + " t=" + t + (masked ? " masked" : "") + " call " + call;
            assertArrayEquals(y2.data(), y1.data(), what + ": output");
            Tensor dy = GradientCheck.randn(30 + call, 1f, y1.shape());
            Tensor dx1 = packed.backward(dy);
            Tensor dx2 = plain.backward(dy);
            assertArrayEquals(dx2.data(), dx1.data(), what + ": input gradient");
            for (int w = 0; w < packed.weights().size(); w++) {
                assertArrayEquals(plain.weights().get(w).grad().data(), packed.weights().get(w).grad().data(),
                        what + ": gradient of " + packed.weights().get(w).name());
            }
            // New weights for the next call, as an optimizer step would make.
            for (RecurrentLayer<?> l : List.of(packed, plain)) {
                Variable u = l.weights().get(1);
                u.assign(GradientCheck.randn(40 + call, 0.3f, u.shape()));
            }
        }
    }

    @Test
    void packedRecurrentKernelGivesTheUnpackedBits() {
        // Batch 9 uses the packed panels; batch 2 the few-row path that reads U directly.
        for (int b : new int[] {9, 2}) {
            assertSameBits(() -> new LSTM(33).returnSequences(true), b, 4, false);
            assertSameBits(() -> new LSTM(20).goBackwards(true), b, 3, true);
            assertSameBits(() -> new GRU(19).returnSequences(true), b, 4, true);
            assertSameBits(() -> new GRU(17).resetAfter(false), b, 3, false);
            assertSameBits(() -> new SimpleRNN(35), b, 1, false);
        }
        // A recurrent kernel above the vector matmul's in-place limit (260 x 1040 floats) is
        // read from the packed panels; the small ones above from U itself.
        assertSameBits(() -> new LSTM(260), 9, 2, false);
    }
}
