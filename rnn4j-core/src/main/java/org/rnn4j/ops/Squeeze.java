package org.rnn4j.ops;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras's {@code keras.src.ops.numpy.Squeeze}: removes axes of size 1 ({@code axis}: an int, a list,
 * or None for every per-sample axis whose size is known to be 1; never the batch axis).
 */
public final class Squeeze extends GatherOp {
    private final int[] axis;
    private final boolean axisWasList;

    /** {@code axis} null: every per-sample axis of size 1. */
    public Squeeze(int... axis) {
        this(axis, axis != null && axis.length != 1);
    }

    Squeeze(int[] axis, boolean axisWasList) {
        super(List.of(TENSOR));
        this.axis = axis == null ? null : axis.clone();
        this.axisWasList = axisWasList;
    }

    public static Squeeze fromConfig(Map<String, Object> config) {
        Object a = config.get("axis");
        Squeeze s = new Squeeze(OpShapes.intsOrNull(null, a, "axis"), a instanceof List<?>);
        if (config.get("name") instanceof String n) {
            s.name(n);
        }
        return s;
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

    private boolean[] removed(int[] s) {
        boolean[] r = new boolean[s.length];
        if (axis == null) {
            for (int i = 1; i < s.length; i++) {
                r[i] = s[i] == 1;
            }
            return r;
        }
        for (int a : axis) {
            int n = OpShapes.sampleAxis(this, a, s.length);
            if (s[n] != 1 && s[n] != -1) {
                throw error("cannot squeeze axis " + a + " of size " + s[n] + " (shape " + OpShapes.str(s) + ")");
            }
            r[n] = true;
        }
        return r;
    }

    @Override
    int[] outputShape(List<int[]> in) {
        int[] s = in.get(0);
        boolean[] r = removed(s);
        int n = 0;
        for (boolean b : r) {
            n += b ? 0 : 1;
        }
        int[] out = new int[n];
        int k = 0;
        for (int i = 0; i < s.length; i++) {
            if (!r[i]) {
                out[k++] = s[i];
            }
        }
        return out;
    }

    @Override
    Plan plan(List<int[]> in) {
        return identity(outputShape(in));
    }
}
