package org.rnn4j.ops;

import java.util.List;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.Mask;
import org.rnn4j.tensor.Tensor;

/** An element-wise op of one tensor ({@code Relu}, {@code Exp}, {@code Cast}, ...). */
public abstract class UnaryOp extends Op {
    protected UnaryOp() {
        super(List.of(TENSOR));
    }

    @Override
    public String kerasModule() {
        return "keras.src.ops.numpy";
    }

    abstract float apply(float x);

    /** dy/dx at input {@code x} with output {@code y}. */
    abstract float grad(float x, float y);

    @Override
    public List<int[]> computeOutputShapes(List<int[]> inputShapes) {
        checkTensorCount(inputShapes.size());
        return List.of(inputShapes.get(0).clone());
    }

    private static final class Call {
        Tensor x;
        Tensor y;
    }

    @Override
    public List<Tensor> forwardAll(List<Tensor> inputs, List<Mask> masks, boolean training, LayerContext ctx) {
        checkTensorCount(inputs.size());
        Tensor x = inputs.get(0);
        Tensor y = Tensor.zeros(x.shape());
        float[] xd = x.data();
        float[] yd = y.data();
        for (int i = 0; i < xd.length; i++) {
            yd[i] = apply(xd[i]);
        }
        Call c = ctx.state(Call::new);
        c.x = training ? x : null;
        c.y = training ? y : null;
        return List.of(y);
    }

    @Override
    public List<Tensor> backwardAll(List<Tensor> gradOutputs, LayerContext ctx) {
        Call c = recorded(ctx);
        if (c.x == null) {
            throw noForwardRecorded();
        }
        Tensor g = gradOutputs.get(0);
        if (g == null) {
            return List.of(Tensor.zeros(c.x.shape()));
        }
        if (!ctx.inputGradientNeeded()) {
            return java.util.Collections.singletonList(null);
        }
        Tensor d = Tensor.zeros(c.x.shape());
        float[] xd = c.x.data();
        float[] yd = c.y.data();
        float[] gd = g.data();
        float[] dd = d.data();
        for (int i = 0; i < dd.length; i++) {
            dd[i] = gd[i] * grad(xd[i], yd[i]);
        }
        return List.of(d);
    }
}
