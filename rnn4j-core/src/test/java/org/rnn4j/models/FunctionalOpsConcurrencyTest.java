package org.rnn4j.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.initializers.Initializers;
import org.rnn4j.layers.Conv1DTranspose;
import org.rnn4j.layers.Conv2DTranspose;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.GlobalAveragePooling2D;
import org.rnn4j.layers.SymbolicTensor;
import org.rnn4j.layers.UpSampling1D;
import org.rnn4j.layers.UpSampling2D;
import org.rnn4j.layers.activations.ELU;
import org.rnn4j.layers.activations.LeakyReLU;
import org.rnn4j.layers.activations.PReLU;
import org.rnn4j.layers.activations.ReLU;
import org.rnn4j.layers.activations.Softmax;
import org.rnn4j.ops.Add;
import org.rnn4j.ops.Logic;
import org.rnn4j.ops.Mean;
import org.rnn4j.ops.Op;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;

/**
 * The thread-safety contract for the layers and op nodes {@link ModelConcurrencyTest} does not
 * cover: one functional model with the activation layers (LeakyReLU, PReLU, ELU, ReLU, Softmax),
 * Conv1DTranspose/Conv2DTranspose, UpSampling1D/2D and the op nodes {@code x + y},
 * {@code keras.ops.mean} and a boolean op, predicted from 8 threads x 200 calls, gives the
 * single-thread result bit for bit; likewise a Conv3DTranspose model.
 */
class FunctionalOpsConcurrencyTest {
    @Test
    void eightThreadsPredictingActivationsTransposesUpsamplingAndOpsGetTheSingleThreadBits() throws Exception {
        SymbolicTensor series = Input.of(7, 3);
        SymbolicTensor image = Input.of(4, 4, 2);

        SymbolicTensor s = new Conv1DTranspose(4, 3).strides(2).call(series);
        s = new LeakyReLU(0.2).call(s);
        s = new UpSampling1D(2).call(s);
        s = new ELU(0.7).call(s);
        SymbolicTensor sMean = new Mean(new int[] {1}, false).call(s);            // keras.ops.mean(s, axis=1)

        SymbolicTensor i = new Conv2DTranspose(3, 2).strides(2).call(image);
        i = new PReLU().alphaInitializer(Initializers.get("glorot_uniform")).call(i);
        i = new UpSampling2D(2).interpolation("bilinear").call(i);
        i = new ReLU(6.0, 0.1, 0.05).call(i);
        SymbolicTensor iVec = new Dense(4).call(new GlobalAveragePooling2D().call(i));

        SymbolicTensor sum = new Add().call(sMean, iVec);                         // x + y
        SymbolicTensor probs = new Softmax().call(sum);
        SymbolicTensor positive = new Logic.Greater(List.of(Op.TENSOR, 0.0)).call(sum);   // sum > 0
        Model model = new Model(List.of(series, image), List.of(probs, positive, s));

        List<List<Tensor>> batches = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
            batches.add(List.of(GradientCheck.randn(50 + k, 1f, 1 + 3 * k, 7, 3),
                    GradientCheck.randn(60 + k, 1f, 1 + 3 * k, 4, 4, 2)));
        }
        // The outputs are real numbers that depend on the input (a constant model would prove nothing).
        List<Tensor> a = model.predict(batches.get(1));
        List<Tensor> b = model.predict(batches.get(2));
        for (Tensor t : a) {
            for (float v : t.data()) {
                assertTrue(Float.isFinite(v), "finite outputs");
            }
        }
        assertTrue(a.get(0).data()[0] != b.get(0).data()[0], "the softmax output depends on the input");
        ModelConcurrencyTest.assertConcurrentPredictIsExact(model, batches);
    }

    @Test
    void eightThreadsPredictingAConv3DTransposeGetTheSingleThreadBits() throws Exception {
        SymbolicTensor volume = Input.of(3, 2, 3, 2);
        SymbolicTensor v = new org.rnn4j.layers.Conv3DTranspose(3, 2, 3, 2).strides(2, 1, 2).padding("same")
                .activation("tanh").call(volume);
        Model model = new Model(List.of(volume), List.of(v));
        List<List<Tensor>> batches = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
            batches.add(List.of(GradientCheck.randn(70 + k, 1f, 1 + 2 * k, 3, 2, 3, 2)));
        }
        assertTrue(model.predict(batches.get(1)).get(0).data()[0] != model.predict(batches.get(2)).get(0).data()[0],
                "the output depends on the input");
        ModelConcurrencyTest.assertConcurrentPredictIsExact(model, batches);
    }
}
