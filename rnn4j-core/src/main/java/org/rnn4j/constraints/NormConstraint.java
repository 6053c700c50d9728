package org.rnn4j.constraints;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.tensor.Tensor;

/**
 * The norm-based Keras constraints (MaxNorm, UnitNorm, MinMaxNorm): {@code norms = sqrt(sum(w^2,
 * axis, keepdims))} over the given axes of the whole weight (a Dense kernel's axis 0 is its inputs,
 * so each unit's incoming vector is one norm), then {@code w *= scale(norm)}.
 */
abstract class NormConstraint implements Constraint {
    /** Keras's {@code backend.epsilon()}. */
    static final float EPSILON = 1e-7f;
    private final int[] axes;
    private final boolean axisIsList;

    NormConstraint(int[] axes, boolean axisIsList) {
        this.axes = axes.clone();
        this.axisIsList = axisIsList;
    }

    /** The factor every element of a group with this norm is multiplied by (divided by, if {@link #divides}). */
    abstract float scale(float norm);

    /** UnitNorm divides by {@code epsilon + norm} as Keras does (not a multiply by its inverse: same bits). */
    boolean divides() {
        return false;
    }

    @Override
    public void apply(Tensor w) {
        int[] shape = w.shape();
        int rank = shape.length;
        boolean[] reduced = new boolean[rank];
        for (int a : axes) {
            int k = a < 0 ? a + rank : a;
            if (k < 0 || k >= rank) {
                throw new IllegalArgumentException(className() + ": axis " + a + " is out of range for a weight of shape "
                        + Arrays.toString(shape));
            }
            reduced[k] = true;
        }
        float[] d = w.data();
        int[] group = new int[d.length];
        int groups = 1;
        for (int k = 0; k < rank; k++) {
            if (!reduced[k]) {
                groups *= shape[k];
            }
        }
        int[] coord = new int[rank];
        for (int i = 0; i < d.length; i++) {
            int g = 0;
            for (int k = 0; k < rank; k++) {
                if (!reduced[k]) {
                    g = g * shape[k] + coord[k];
                }
            }
            group[i] = g;
            for (int k = rank - 1; k >= 0; k--) {
                if (++coord[k] < shape[k]) {
                    break;
                }
                coord[k] = 0;
            }
        }
        // float32 sums, as Keras's ops on float32 variables
        float[] sq = new float[groups];
        for (int i = 0; i < d.length; i++) {
            sq[group[i]] += d[i] * d[i];
        }
        float[] factor = new float[groups];
        for (int g = 0; g < groups; g++) {
            factor[g] = scale((float) Math.sqrt(sq[g]));
        }
        boolean div = divides();
        for (int i = 0; i < d.length; i++) {
            d[i] = div ? d[i] / factor[group[i]] : d[i] * factor[group[i]];
        }
    }

    Map<String, Object> axisConfig(Map<String, Object> c) {
        c.put("axis", axisIsList ? toList(axes) : axes[0]);
        return c;
    }

    private static List<Integer> toList(int[] a) {
        return Arrays.stream(a).boxed().toList();
    }

    Map<String, Object> base() {
        return new LinkedHashMap<>();
    }
}
