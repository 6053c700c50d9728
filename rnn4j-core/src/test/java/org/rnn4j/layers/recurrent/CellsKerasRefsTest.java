package org.rnn4j.layers.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.Mask;
import org.rnn4j.layers.Variable;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * RNN(cells) against TensorFlow Keras 3.15 (cells-refs/*.txt from tools/keras-refs/cells_refs.py
 * core): outputs and final states, and the gradients of {@code sum(out * r) + sum(state_k * r_k)}
 * for every weight, the input and the initial states.
 */
class CellsKerasRefsTest {
    private static Map<String, List<Tensor>> load(String name) throws Exception {
        Map<String, List<Tensor>> m = new LinkedHashMap<>();
        try (var in = CellsKerasRefsTest.class.getResourceAsStream("/cells-refs/" + name + ".txt")) {
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("#")) {
                    continue;
                }
                String[] p = line.split(" ");
                String[] dims = p[1].split(",");
                int[] shape = new int[dims.length];
                for (int i = 0; i < dims.length; i++) {
                    shape[i] = Integer.parseInt(dims[i]);
                }
                float[] v = new float[p.length - 2];
                for (int i = 0; i < v.length; i++) {
                    v[i] = Float.parseFloat(p[i + 2]);
                }
                m.computeIfAbsent(p[0], k -> new ArrayList<>()).add(Tensor.of(v, shape));
            }
        }
        return m;
    }

    private static void close(Tensor want, Tensor got, double tol, String what) {
        assertArrayEquals(want.shape(), got.shape(), what);
        float d = want.maxAbsDiff(got);
        assertTrue(d < tol, what + ": max diff " + d);
    }

    private static void check(String name, Supplier<RNN> make) throws Exception {
        Map<String, List<Tensor>> refs = load(name);
        RNN r = make.get();
        Tensor x = refs.get("x").get(0);
        List<Tensor> inits = refs.getOrDefault("init", List.of());
        List<int[]> shapes = new ArrayList<>();
        shapes.add(new int[] {x.dim(1), x.dim(2)});
        for (Tensor s : inits) {
            shapes.add(new int[] {s.dim(1)});
        }
        r.build(shapes, new Rng(1));
        List<Tensor> weights = refs.get("weight");
        assertEquals(weights.size(), r.weights().size(), name + " weight count");
        for (int i = 0; i < weights.size(); i++) {
            assertArrayEquals(weights.get(i).shape(), r.weights().get(i).shape(), name + " weight " + i);
            r.weights().get(i).assign(weights.get(i));
            r.weights().get(i).zeroGrad();
        }
        Mask mask = null;
        if (refs.containsKey("mask")) {
            Tensor mt = refs.get("mask").get(0);
            boolean[] b = new boolean[mt.size()];
            for (int i = 0; i < b.length; i++) {
                b[i] = mt.data()[i] != 0f;
            }
            mask = new Mask(b, mt.dim(0), mt.dim(1));
        }
        List<Tensor> in = new ArrayList<>();
        in.add(x);
        in.addAll(inits);
        LayerContext ctx = new LayerContext();
        List<Tensor> out = r.forwardAll(in, java.util.Collections.singletonList(mask), true, ctx);
        List<Tensor> want = refs.get("out");
        assertEquals(want.size(), out.size(), name + " outputs");
        for (int k = 0; k < want.size(); k++) {
            close(want.get(k), out.get(k), 1e-5, name + " output " + k);
        }
        List<Tensor> back = r.backwardAll(refs.get("r"), ctx);
        List<Tensor> grads = refs.get("grad");
        for (int i = 0; i < weights.size(); i++) {
            Variable v = r.weights().get(i);
            close(grads.get(i), v.grad(), 1e-5, name + " gradient of weight " + i + " (" + v.name() + ")");
        }
        for (int k = 0; k < back.size(); k++) {
            close(grads.get(weights.size() + k), back.get(k), 1e-5, name + " gradient of input " + k);
        }
    }

    @Test
    void stackedLstmAndResetBeforeGruBackwardsWithMaskAndStates() throws Exception {
        check("stacked_lstm_gru_back", () -> new RNN(List.of(new LSTMCell(3), new GRUCell(2).resetAfter(false)))
                .returnSequences(true).goBackwards(true).returnState(true));
    }

    @Test
    void loneReluSimpleRnnCellWithZeroOutputForMask() throws Exception {
        check("simple_relu_zero", () -> new RNN(new SimpleRNNCell(3).activation("relu")).returnSequences(true)
                .zeroOutputForMask(true).returnState(true));
    }

    @Test
    void gruThenLstmWithoutForgetBias() throws Exception {
        check("gru_lstm_plain", () -> new RNN(List.of(new GRUCell(2), new LSTMCell(2).unitForgetBias(false))));
    }
}
