package org.rnn4j.layers.recurrent;

import java.util.List;
import java.util.Map;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.Variable;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * One step of a recurrent network, Keras's RNN cell: {@link RNN} runs it over the time axis.
 * A cell maps the input of one step {@code x (batch, inputDim)} and the states of the previous
 * step ({@code (batch, stateSizes()[k])} each) to the step's output {@code (batch, outputSize())}
 * and the new states, and back-propagates that step (BPTT) given the gradients of its output
 * and new states.
 *
 * <p>Like a layer, a cell holds configuration and weights only: what a step's backward needs is
 * kept in the {@link LayerContext} it is given (one per RNN call site and cell), e.g. in
 * {@code ctx.child(step).state(...)} per step, and call-wide values (dropout masks) in
 * {@code ctx.state(...)} from {@link #beginSequence}. Weight gradients are accumulated
 * ({@code +=}) into {@link Variable#grad()}.
 *
 * <p>A custom cell is trained like any layer ({@code new RNN(new MyCell(8))}) and loads from
 * Keras files once registered with {@code CustomObjects.register("MyCell", cfg -> new MyCell(...))}.
 */
public interface Cell {
    /** Keras's class name, e.g. {@code "LSTMCell"}. */
    String className();

    /** The cell's name (Keras's {@code name}); its weights are saved under it. */
    String name();

    /** Sizes of the state tensors, in Keras's order (LSTM: h then c). */
    int[] stateSizes();

    /** Size of the step output (Keras's {@code output_size}; by default the first state's). */
    default int outputSize() {
        return stateSizes()[0];
    }

    /** Creates the weights for steps of {@code inputDim} features; called once. */
    void build(int inputDim, Rng rng);

    boolean isBuilt();

    /** The weights in Keras order (the order of {@code cell.weights} and of saved files). */
    List<Variable> weights();

    /** The Keras config (snake_case keys), saved as {@code {"class_name": className(), "config": ...}}. */
    Map<String, Object> config();

    /**
     * Called once per RNN call before the first step (Keras draws its dropout masks per call).
     * {@code ctx} is the cell's context for this call site, the same one the steps get.
     */
    default void beginSequence(int batch, boolean training, LayerContext ctx) {
    }

    /**
     * Runs step {@code step} (0 = first processed step). Returns {@code [output, newState0, ...]};
     * must not keep the arguments' arrays beyond what backward needs (they are not modified).
     */
    Tensor[] forwardStep(Tensor x, Tensor[] states, boolean training, LayerContext ctx, int step);

    /**
     * Back-propagates step {@code step} of the last training forward with {@code ctx}, given the
     * gradients of its output and new states (never null; zeros when unused). Steps are called
     * last to first. Returns {@code [dx, dState0, ...]} (gradients of the step input and of the
     * previous states) and accumulates the weight gradients.
     */
    Tensor[] backwardStep(Tensor dOutput, Tensor[] dStates, LayerContext ctx, int step);

    /** Whether the cell's weights are trainable (a frozen RNN makes them non-trainable as a whole). */
    default boolean isTrainable() {
        return true;
    }
}
