package org.rnn4j.optimizers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rnn4j.layers.Variable;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * An {@link Optimizer}'s slot variables (Keras's {@code add_optimizer_variables}): one tensor per
 * slot and built variable, created in Keras's order so that they line up with Keras's
 * {@code optimizer.variables} (and the {@code optimizer/vars/i} entries of a {@code .keras}
 * file), with their Keras paths and which of them Keras keeps as int32.
 */
final class OptimizerSlots {
    /** The EMA's slot, Keras's {@code _model_variables_moving_average}. */
    static final String AVERAGE = "average";
    /** The slot of {@code gradient_accumulation_steps}, Keras's {@code _accumulated_gradients}. */
    static final String ACCUMULATOR = "gradient_accumulator";

    private final Map<String, Tensor[]> bySlot = new LinkedHashMap<>();
    private final List<Tensor> order = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final Set<Tensor> integerSlots = Collections.newSetFromMap(new IdentityHashMap<>());

    /**
     * Creates the slots of {@code trainable} for {@code o} (named {@code name}): the EMA's and the
     * accumulators' first (when on), then {@link Optimizer#slotGroups()}; {@code paths} name them as
     * {@link Optimizer#build(List, List)} says.
     */
    void create(Optimizer o, String name, List<Variable> trainable, List<String> paths, boolean ema, boolean accumulate) {
        List<String[]> groups = new ArrayList<>();
        if (ema) {
            groups.add(new String[] {AVERAGE});
        }
        if (accumulate) {
            groups.add(new String[] {ACCUMULATOR});
        }
        groups.addAll(o.slotGroups());
        for (String[] group : groups) {
            for (String s : group) {
                bySlot.put(s, new Tensor[trainable.size()]);
            }
            for (int i = 0; i < trainable.size(); i++) {
                Variable v = trainable.get(i);
                // Keras's add_optimizer_variables skips variables overwritten with their gradient; the accumulators do not
                if (v.overwriteWithGradient() && !group[0].equals(ACCUMULATOR)) {
                    continue;
                }
                String prefix = (paths == null ? v.name() : paths.get(i)).replace('/', '_');
                for (String s : group) {
                    boolean base = s.equals(AVERAGE) || s.equals(ACCUMULATOR);
                    Tensor t = base ? Tensor.zeros(v.shape()) : Tensor.full(o.initialSlotValue(s), o.slotShape(s, v.shape()));
                    bySlot.get(s)[i] = t;
                    order.add(t);
                    if (!base && o.integerSlot(s, v.shape())) {
                        integerSlots.add(t);
                    }
                    names.add(name + "/" + (base ? prefix + "_" + s : o.slotName(s, prefix, v)));
                }
            }
        }
    }

    /** Every variable's tensor of one slot, in variable order (null before the slots exist). */
    Tensor[] group(String slot) {
        return bySlot.get(slot);
    }

    /** All slot tensors in Keras's order (live). */
    List<Tensor> tensors() {
        return order;
    }

    /** The Keras paths of {@link #tensors()}, with the optimizer's name as prefix. */
    List<String> names() {
        return names;
    }

    int size() {
        return order.size();
    }

    /** Whether Keras keeps this slot tensor as int32. */
    boolean isInteger(Tensor t) {
        return integerSlots.contains(t);
    }

    /** Copies {@code values[from ..]} into the slots in order; shapes must match ({@code className} for messages). */
    void restore(String className, List<Tensor> values, int from) {
        for (int i = 0; i < order.size(); i++) {
            Tensor src = values.get(from + i);
            Tensor dst = order.get(i);
            if (!Arrays.equals(src.shape(), dst.shape())) {
                throw new IllegalArgumentException(className + " variable '" + names.get(i) + "' has shape "
                        + Shapes.toString(dst.shape()) + " but the value has shape " + Shapes.toString(src.shape()));
            }
            System.arraycopy(src.data(), 0, dst.data(), 0, dst.size());
        }
    }
}
