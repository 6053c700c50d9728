package org.rnn4j.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras's {@code keras.src.ops.numpy.Transpose}: permutes the axes ({@code axes}, batch axis
 * included; it must stay first, e.g. {@code [0, 2, 1]}). {@code axes=None} (reverse all) moves the
 * batch axis and is refused.
 */
public final class Transpose extends GatherOp {
    private final int[] axes;

    public Transpose(int... axes) {
        super(List.of(TENSOR));
        if (axes == null) {
            throw error("axes=None reverses every axis and moves the batch axis; give axes with 0 first");
        }
        this.axes = axes.clone();
    }

    public static Transpose fromConfig(Map<String, Object> config) {
        int[] axes = OpShapes.intsOrNull(null, config.get("axes"), "axes");
        Transpose t = axes == null ? nullAxes() : new Transpose(axes);
        if (config.get("name") instanceof String n) {
            t.name(n);
        }
        return t;
    }

    private static Transpose nullAxes() {
        return new Transpose((int[]) null);
    }

    public int[] axes() {
        return axes.clone();
    }

    @Override
    public String kerasModule() {
        return "keras.src.ops.numpy";
    }

    @Override
    protected Map<String, Object> options() {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> l = new ArrayList<>();
        for (int a : axes) {
            l.add(a);
        }
        m.put("axes", l);
        return m;
    }

    private int[] perm(int rank) {
        if (axes.length != rank) {
            throw error("axes " + java.util.Arrays.toString(axes) + " do not match a tensor of rank " + rank);
        }
        int[] p = new int[rank];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            p[i] = OpShapes.axis(this, axes[i], rank);
            if (seen[p[i]]) {
                throw error("axes " + java.util.Arrays.toString(axes) + " repeat axis " + axes[i]);
            }
            seen[p[i]] = true;
        }
        if (p[0] != 0) {
            throw error("axes " + java.util.Arrays.toString(axes) + " move the batch axis; axis 0 must stay first");
        }
        return p;
    }

    @Override
    int[] outputShape(List<int[]> in) {
        int[] s = in.get(0);
        int[] p = perm(s.length);
        int[] out = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = s[p[i]];
        }
        return out;
    }

    @Override
    Plan plan(List<int[]> in) {
        int[] s = in.get(0);
        int[] p = perm(s.length);
        int[] st = OpShapes.strides(s);
        int[] out = new int[s.length];
        int[] ost = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = s[p[i]];
            ost[i] = st[p[i]];
        }
        return new Plan(out, null, OpShapes.gatherMap(out, ost, 0));
    }
}
