package org.rnn4j.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.tensor.Tensor;

/**
 * Values and gradients w.r.t. y_pred of the losses added for #13 against Keras 3.15.1 on TensorFlow
 * (tools/keras-refs/more_losses_refs.py; CTC from tools/keras-refs/ctc_refs.py: edge cases such as hinge ties, zero cosine vectors, clipped KL
 * values and masked Circle samples). Each loss is built from Keras's own get_config through
 * {@link Losses#fromConfig(String, Map)}, so the configs are checked too.
 */
class MoreLossesKerasRefsTest {
    private static final class Case {
        String name;
        String cls;
        Map<String, Object> config = new LinkedHashMap<>();
        Tensor yt;
        Tensor yp;
        Tensor sw;
        double value;
        float[] grad;
    }

    private static List<Case> cases(String resource) throws IOException {
        List<Case> out = new ArrayList<>();
        var in = MoreLossesKerasRefsTest.class.getResourceAsStream(resource);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            Case c = null;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] f = line.split(" ");
                switch (f[0]) {
                    case "case":
                        c = new Case();
                        c.name = f[1];
                        out.add(c);
                        break;
                    case "class":
                        c.cls = f[1];
                        break;
                    case "config":
                        for (int i = 1; i < f.length; i++) {
                            String[] kv = f[i].split("=", 2);
                            c.config.put(kv[0], configValue(kv[0], kv[1]));
                        }
                        break;
                    case "yt":
                        c.yt = tensor(f);
                        break;
                    case "yp":
                        c.yp = tensor(f);
                        break;
                    case "sw":
                        c.sw = tensor(f);
                        break;
                    case "value":
                        c.value = Double.parseDouble(f[1]);
                        break;
                    case "grad":
                        c.grad = floats(f, 1);
                        break;
                    default:
                        throw new IllegalStateException("bad line " + line);
                }
            }
        }
        return out;
    }

    private static Object configValue(String key, String v) {
        if (v.equals("none")) {
            return key.equals("reduction") ? "none" : null;
        }
        if (v.equals("true") || v.equals("false")) {
            return Boolean.valueOf(v);
        }
        if (key.equals("axis")) {
            if (!v.contains(",")) {
                return Integer.parseInt(v);
            }
            List<Object> l = new ArrayList<>();
            for (String s : v.split(",")) {
                l.add(Integer.parseInt(s));
            }
            return l;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return v;
        }
    }

    private static float[] floats(String[] f, int from) {
        float[] v = new float[f.length - from];
        for (int i = 0; i < v.length; i++) {
            v[i] = Float.parseFloat(f[from + i]);
        }
        return v;
    }

    private static Tensor tensor(String[] f) {
        float[] v = floats(f, 2);
        if (f[1].equals("-")) {
            return Tensor.of(v);
        }
        String[] d = f[1].split("x");
        int[] shape = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            shape[i] = Integer.parseInt(d[i]);
        }
        return Tensor.of(v, shape);
    }

    @Test
    void valuesAndGradientsMatchKeras() throws IOException {
        List<Case> cases = cases("/losses-refs/more_losses.txt");
        assertEquals(74, cases.size());
        check(cases);
    }

    /** CTC: the references come from Keras's JAX backend (TF's dense ctc_loss gives the tape no gradient). */
    @Test
    void ctcMatchesKeras() throws IOException {
        List<Case> cases = cases("/losses-refs/ctc.txt");
        assertEquals(4, cases.size());
        check(cases);
    }

    private static void check(List<Case> cases) {
        for (Case c : cases) {
            Loss loss = Losses.fromConfig(c.cls, c.config);
            assertEquals(c.config, loss.config(), c.name + ": config");
            float[] g = new float[c.yp.size()];
            double v = loss.computeWithGradient(c.yt, c.yp, c.sw, g);
            assertEquals(c.value, v, 1e-6 + 2e-6 * Math.abs(c.value), c.name + ": value");
            double scale = 0;
            for (float x : c.grad) {
                scale = Math.max(scale, Math.abs(x));
            }
            for (int i = 0; i < g.length; i++) {
                double err = Math.abs(g[i] - c.grad[i]);
                assertTrue(err <= 1e-6 + 1e-5 * scale, c.name + ": grad[" + i + "] " + g[i] + " vs Keras " + c.grad[i]);
            }
        }
    }
}
