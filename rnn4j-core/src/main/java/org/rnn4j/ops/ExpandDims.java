package org.rnn4j.ops;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras's {@code keras.src.ops.numpy.ExpandDims}: inserts axes of size 1 at {@code axis} (an int or
 * a list, counted in the output's rank, batch axis included; not 0).
 */
public final class ExpandDims extends GatherOp {
    private final int[] axis;
    private final boolean axisWasList;

    public ExpandDims(int... axis) {
        this(axis, axis.length != 1);
    }

    ExpandDims(int[] axis, boolean axisWasList) {
        super(List.of(TENSOR));
        if (axis == null || axis.length == 0) {
            throw error("'axis' is required");
        }
        this.axis = axis.clone();
        this.axisWasList = axisWasList;
    }

    public static ExpandDims fromConfig(Map<String, Object> config) {
        Object a = config.get("axis");
        ExpandDims e = new ExpandDims(OpShapes.intsOrNull(null, a, "axis"), a instanceof List<?>);
        if (config.get("name") instanceof String n) {
            e.name(n);
        }
        return e;
    }

    @Override
    public String kerasModule() {
        return "keras.src.ops.numpy";
    }

    @Override
    protected Map<String, Object> options() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("axis", OpShapes.axisValue(axis, axisWasList));
        return m;
    }

    @Override
    int[] outputShape(List<int[]> in) {
        int[] s = in.get(0);
        int rank = s.length + axis.length;
        boolean[] added = new boolean[rank];
        for (int a : axis) {
            int n = OpShapes.sampleAxis(this, a, rank);
            if (added[n]) {
                throw error("axis " + a + " is given twice");
            }
            added[n] = true;
        }
        int[] out = new int[rank];
        int k = 0;
        for (int i = 0; i < rank; i++) {
            out[i] = added[i] ? 1 : s[k++];
        }
        return out;
    }

    @Override
    Plan plan(List<int[]> in) {
        return identity(outputShape(in));
    }
}
