package org.rnn4j.optimizers;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.rnn4j.layers.Variable;

/**
 * The variables an {@link Optimizer} gives no weight decay (Keras's
 * {@code exclude_from_weight_decay}): given ones, by identity, and those whose name contains a
 * match of one of the given regular expressions.
 */
final class WeightDecayExclusion {
    private final Set<Variable> variables = Collections.newSetFromMap(new IdentityHashMap<>());
    private Pattern names;

    /** Replaces the exclusion (either argument may be null). */
    void set(List<Variable> varList, List<String> varNames) {
        variables.clear();
        if (varList != null) {
            variables.addAll(varList);
        }
        names = varNames == null || varNames.isEmpty() ? null
                : Pattern.compile(String.join("|", new LinkedHashSet<>(varNames)));
    }

    /** Whether weight decay applies to {@code v} (Keras's {@code _use_weight_decay}: {@code re.search} on its name). */
    boolean applies(Variable v) {
        if (variables.contains(v)) {
            return false;
        }
        return names == null || !names.matcher(v.name()).find();
    }
}
