package org.rnn4j.layers;

import java.util.Map;
import org.rnn4j.activations.Activation;
import org.rnn4j.kernels.RecurrentCells;

/** Keras's SimpleRNN: {@code h = act(x W + h_prev U + b)}. */
public class SimpleRNN extends RecurrentLayer<SimpleRNN> {
    public SimpleRNN(int units) {
        super(units);
    }

    protected SimpleRNN(int units, String explicitName) {
        super(units, explicitName);
    }

    @Override
    protected SimpleRNN newInstance(String name) {
        return new SimpleRNN(units, name);
    }

    @Override
    public String className() {
        return "SimpleRNN";
    }

    @Override
    protected int gateCount() {
        return 1;
    }

    @Override
    RecurrentRun newRun() {
        return new Run();
    }

    /** One call site's state: the shared loop buffers only. */
    private final class Run extends RecurrentRun {
        Run() {
            super(SimpleRNN.this);
        }

        @Override
        protected void stepForward(int s) {
            int b = batch;
            int h = units;
            int off = s * b * h;
            recurrentProject(s, 0, 1, pre, off, h);
            // Row by row (not one span of b*h): the vector/scalar tail split then falls at the same
            // columns for any batch, so a row's output never depends on the batch it came in.
            RecurrentCells.activate(stepActivation, b, h, pre, gates, off, 0, h);
            RecurrentCells.select(b, h, gates, off, hAll, off, off + b * h, stepMask, s * b);
        }

        @Override
        protected void stepBackward(int s) {
            int b = batch;
            int h = units;
            int off = s * b * h;
            Activation act = stepActivation;
            RecurrentCells.simpleBackward(b, h, dh, dz, off, dhPrev, stepMask, s * b);
            act.backward(pre, gates, dz, dz, off, b, h);
            recurrentBackprop(dz, off, h, 0, 1, dhPrev);
        }
    }

    @Override
    protected boolean hasRecurrentActivation() {
        return false;
    }

    /** Keras's SimpleRNN config has no seed key. */
    @Override
    protected void putTrailingOptions(Map<String, Object> c) {
    }
}
