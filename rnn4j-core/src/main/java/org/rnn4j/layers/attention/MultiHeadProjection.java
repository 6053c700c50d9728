package org.rnn4j.layers.attention;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.Variable;
import org.rnn4j.regularizers.ActivityLoss;
import org.rnn4j.regularizers.Regularizer;
import org.rnn4j.tensor.Tensor;

/**
 * One of MultiHeadAttention's four projections (Keras's EinsumDense sublayers {@code query},
 * {@code key}, {@code value}, {@code attention_output}): kernel {@code (din, ...)} and bias (or null),
 * forward and backward, with Keras's activity term on the projection's output (MHA hands its
 * {@code activity_regularizer} to these sublayers, each adding {@code regularizer(out) / batch}).
 */
final class MultiHeadProjection {
    final Variable kernel;
    final Variable bias;
    /** The features each row contracts: d_in, or heads * value_dim for attention_output's (heads, value_dim, ...) kernel. */
    private final int din;

    MultiHeadProjection(Variable kernel, Variable bias, int din) {
        this.kernel = kernel;
        this.bias = bias;
        this.din = din;
    }

    int inputSize() {
        return din;
    }

    /** {@code x · kernel + bias} of {@code x.length / din} rows; with {@code act}, its loss goes to {@code ctx}. */
    float[] forward(float[] x, Regularizer act, int batch, LayerContext ctx) {
        float[] out = MultiHeadMath.project(x, x.length / inputSize(), inputSize(), kernel, bias);
        if (act != null) {
            ctx.addLoss(ActivityLoss.of(act, out, batch));
        }
        return out;
    }

    /** Accumulates the weight gradients; returns the input gradient when {@code inputGrad}. */
    float[] backward(float[] x, float[] dz, boolean inputGrad) {
        return MultiHeadMath.projectBackward(x, dz, inputSize(), kernel, bias, inputGrad);
    }

    /** {@code dz} plus the activity term's gradient at the output {@code out} (a copy: {@code dz} is the caller's). */
    static float[] withActivityGradient(float[] dz, float[] out, Regularizer act, int batch) {
        if (act == null) {
            return dz;
        }
        float[] d = dz.clone();
        ActivityLoss.addGradient(act, out, batch, d);
        return d;
    }

    /**
     * Back through the query, key and value projections ({@code p[0..2]}, inputs {@code x[0..2]}):
     * their weight gradients, and the layer's input gradients {@code [query, value(, key)]} plus a
     * null per mask input (all null when no input gradient is needed). Without a key input the
     * value was used as the key, so it gets both gradients.
     */
    static List<Tensor> inputGradients(MultiHeadProjection[] p, Tensor[] x, float[][] dz, boolean hasKey,
                                       int maskInputs, boolean need) {
        float[] dQuery = p[0].backward(x[0].data(), dz[0], need);
        float[] dKey = p[1].backward(x[1].data(), dz[1], need);
        float[] dValue = p[2].backward(x[2].data(), dz[2], need);
        List<Tensor> out = new ArrayList<>(4);
        if (!need) {
            for (int i = 0; i < (hasKey ? 3 : 2) + maskInputs; i++) {
                out.add(null);
            }
            return out;
        }
        out.add(Tensor.of(dQuery, x[0].shape()));
        if (hasKey) {
            out.add(Tensor.of(dValue, x[2].shape()));
            out.add(Tensor.of(dKey, x[1].shape()));
        } else {
            for (int i = 0; i < dValue.length; i++) {
                dValue[i] += dKey[i];
            }
            out.add(Tensor.of(dValue, x[2].shape()));
        }
        for (int i = 0; i < maskInputs; i++) {
            out.add(null);
        }
        return out;
    }
}
