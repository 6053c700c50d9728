package org.rnn4j.ops;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.LayerShapeException;
import org.rnn4j.layers.Mask;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's explicit {@code layer(x, mask=m)}: passes {@code x} through unchanged and gives it the
 * mask {@code m}, a {@code [batch, time]} tensor (true where non-zero), in place of the mask
 * {@code x} carries. Keras 3 files record such calls (e.g. {@code Masking -> LSTM} passes
 * {@code any(not_equal(x, 0.0), axis=-1)} as the LSTM's {@code mask}); the Keras reader puts this
 * node in front of the layer and the writer turns it back into the {@code mask} keyword. It is not
 * a Keras layer of its own. The mask gets no gradient (it is boolean).
 */
public final class CallMask extends Layer {
    public CallMask() {
        name("call_mask");
    }

    @Override
    public List<int[]> computeOutputShapes(List<int[]> inputShapes) {
        if (inputShapes.size() != 2) {
            throw new IllegalArgumentException("CallMask '" + name() + "' takes a tensor and its mask; got "
                    + inputShapes.size() + " inputs");
        }
        int[] x = inputShapes.get(0);
        int[] m = inputShapes.get(1);
        if (m.length != 1 || x.length < 1 || (m[0] >= 0 && x[0] >= 0 && m[0] != x[0])) {
            throw new LayerShapeException("CallMask '" + name() + "': the mask must have shape (batch, time) with"
                    + " the tensor's time steps; got mask " + OpShapes.str(OpShapes.full(m)) + " for a tensor "
                    + OpShapes.str(OpShapes.full(x)));
        }
        return List.of(x.clone());
    }

    @Override
    public int[] computeOutputShape(int[] inputShape) {
        throw new IllegalArgumentException("CallMask '" + name() + "' takes a tensor and its mask");
    }

    @Override
    public String outputDtype(String inputDtype) {
        return inputDtype;
    }

    @Override
    public List<Tensor> forwardAll(List<Tensor> inputs, List<Mask> masks, boolean training, LayerContext ctx) {
        ctx.state(() -> Boolean.TRUE);
        return List.of(inputs.get(0));
    }

    @Override
    public Tensor forward(Tensor x, Mask mask, boolean training, LayerContext ctx) {
        throw new IllegalArgumentException("CallMask '" + name() + "' takes a tensor and its mask");
    }

    @Override
    public List<Tensor> backwardAll(List<Tensor> gradOutputs, LayerContext ctx) {
        List<Tensor> out = new ArrayList<>(2);
        out.add(gradOutputs.get(0));
        out.add(null);
        return out;
    }

    @Override
    public Tensor backward(Tensor gradOutput, LayerContext ctx) {
        return gradOutput;
    }

    @Override
    public List<Mask> computeMasks(List<Tensor> inputs, List<Mask> masks) {
        Tensor m = inputs.get(1);
        int[] s = m.shape();
        boolean[] v = new boolean[m.data().length];
        float[] d = m.data();
        for (int i = 0; i < v.length; i++) {
            v[i] = d[i] != 0f;
        }
        return Collections.singletonList(new Mask(v, s[0], s[1]));
    }
}
