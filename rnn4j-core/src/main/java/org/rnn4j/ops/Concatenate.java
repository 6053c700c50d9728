package org.rnn4j.ops;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras's {@code keras.src.ops.numpy.Concatenate} ({@code keras.ops.concatenate([a, b], axis)}):
 * joins tensors along {@code axis} (batch axis counted; not 0). Its args are one list of tensors,
 * {@code [[t0, t1, ...]]}.
 */
public final class Concatenate extends GatherOp {
    private final int axis;

    public Concatenate(int axis, int count) {
        super(List.of(Collections.nCopies(count, TENSOR)));
        this.axis = axis;
    }

    public int axis() {
        return axis;
    }

    @Override
    public String kerasModule() {
        return "keras.src.ops.numpy";
    }

    @Override
    protected Map<String, Object> options() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("axis", axis);
        return m;
    }

    @Override
    int[] outputShape(List<int[]> in) {
        int rank = in.get(0).length;
        int a = OpShapes.sampleAxis(this, axis, rank);
        int[] out = in.get(0).clone();
        out[a] = 0;
        for (int[] s : in) {
            if (s.length != rank) {
                throw error("cannot concatenate tensors of ranks " + rank + " and " + s.length);
            }
            for (int d = 0; d < rank; d++) {
                if (d == a) {
                    out[a] = out[a] < 0 || s[d] < 0 ? -1 : out[a] + s[d];
                } else if (s[d] != out[d]) {
                    if (out[d] == -1) {
                        out[d] = s[d];
                    } else if (s[d] != -1) {
                        throw error("cannot concatenate shapes " + shapes(in) + " along axis " + axis
                                + ": axis " + d + " differs");
                    }
                }
            }
        }
        return out;
    }

    private static String shapes(List<int[]> in) {
        List<String> l = new ArrayList<>();
        for (int[] s : in) {
            l.add(OpShapes.str(s));
        }
        return l.toString();
    }

    @Override
    Plan plan(List<int[]> in) {
        int[] out = outputShape(in);
        int rank = out.length;
        int a = OpShapes.axis(this, axis, rank);
        int outer = 1;
        for (int d = 0; d < a; d++) {
            outer *= out[d];
        }
        int inner = 1;
        for (int d = a + 1; d < rank; d++) {
            inner *= out[d];
        }
        int n = outer * out[a] * inner;
        int[] src = new int[n];
        int[] off = new int[n];
        int e = 0;
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < in.size(); i++) {
                int block = in.get(i)[a] * inner;
                for (int k = 0; k < block; k++) {
                    src[e] = i;
                    off[e] = o * block + k;
                    e++;
                }
            }
        }
        return new Plan(out, src, off);
    }
}
