package org.rnn4j.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras's {@code keras.src.ops.numpy.Reshape}: {@code newshape} counts the batch axis, which must
 * be {@code -1} (e.g. {@code (-1, 20)}); the other sizes must hold exactly one sample, so the batch
 * axis stays the batch axis. Also {@code (-1,)}-style flattening of rank-1 samples.
 */
public final class Reshape extends GatherOp {
    private final int[] newshape;

    public Reshape(int... newshape) {
        super(List.of(TENSOR));
        this.newshape = newshape.clone();
        if (newshape.length == 0 || newshape[0] != -1) {
            throw error("newshape " + java.util.Arrays.toString(newshape)
                    + " must start with -1 (the batch axis); rnn4j keeps the batch axis in place");
        }
        for (int i = 1; i < newshape.length; i++) {
            if (newshape[i] < 0) {
                throw error("newshape " + java.util.Arrays.toString(newshape)
                        + " has a second unknown size; only the batch axis may be -1");
            }
        }
    }

    public static Reshape fromConfig(Map<String, Object> config) {
        int[] s = OpShapes.intsOrNull(null, config.get("newshape"), "newshape");
        if (s == null) {
            throw new IllegalArgumentException("Operation Reshape: config has no 'newshape': " + config);
        }
        Reshape r = new Reshape(s);
        if (config.get("name") instanceof String n) {
            r.name(n);
        }
        return r;
    }

    public int[] newshape() {
        return newshape.clone();
    }

    @Override
    public String kerasModule() {
        return "keras.src.ops.numpy";
    }

    @Override
    protected Map<String, Object> options() {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> l = new ArrayList<>();
        for (int a : newshape) {
            l.add(a);
        }
        m.put("newshape", l);
        return m;
    }

    private void checkSize(int[] in) {
        long sample = 1;
        for (int i = 1; i < in.length; i++) {
            if (in[i] < 0) {
                return;
            }
            sample *= in[i];
        }
        long target = 1;
        for (int i = 1; i < newshape.length; i++) {
            target *= newshape[i];
        }
        if (sample != target) {
            throw error("cannot reshape samples of shape " + OpShapes.str(in) + " to " + OpShapes.str(newshape)
                    + ": " + sample + " values per sample, " + target + " wanted");
        }
    }

    @Override
    int[] outputShape(List<int[]> in) {
        checkSize(in.get(0));
        return newshape.clone();
    }

    @Override
    Plan plan(List<int[]> in) {
        int[] s = in.get(0);
        checkSize(s);
        int[] out = newshape.clone();
        out[0] = s[0];
        return identity(out);
    }
}
