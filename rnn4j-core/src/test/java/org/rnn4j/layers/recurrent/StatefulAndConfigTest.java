package org.rnn4j.layers.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.Variable;
import org.rnn4j.models.Sequential;
import org.rnn4j.saving.LayerRegistry;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.util.Rng;

/** Stateful layers in models and under threads; RNN and cell configs through LayerRegistry. */
class StatefulAndConfigTest {
    @Test
    void statefulModelCarriesStatesAcrossPredictCallsUntilReset() {
        Sequential m = new Sequential();
        m.add(new LSTM(3).stateful(true).returnSequences(true).inputShape(4, 2));
        m.add(new RNN(List.of(new GRUCell(2), new SimpleRNNCell(2))).stateful(true));
        m.add(new Dense(1));
        Tensor x = GradientCheck.randn(1, 1f, 2, 4, 2);
        Tensor a = m.predict(x);
        Tensor b = m.predict(x);
        assertTrue(a.maxAbsDiff(b) > 1e-4, "the second batch starts from the first's states");
        m.resetStates();
        assertEquals(0f, m.predict(x).maxAbsDiff(a), "after resetStates the first batch's numbers again");
        // predict in batches of the fixed size continues the sequence batch after batch, as Keras
        m.resetStates();
        Tensor four = Tensor.concatRows(List.of(x, x));
        Tensor both = m.predict(four, 2);
        assertEquals(0f, both.slice(0, 2).maxAbsDiff(a));
        assertEquals(0f, both.slice(2, 4).maxAbsDiff(b));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.predict(four, 4));
        assertTrue(e.getMessage().contains("fixed batch size of 2") && e.getMessage().contains("got a batch of 4"),
                e.getMessage());
    }

    /** A cell that waits inside its first step until released: a call is then in flight. */
    private static final class Blocking extends KerasTestCells.Base {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final KerasTestCells.OneState inner = new KerasTestCells.OneState(2);

        Blocking() {
            super(2, "blocking");
        }

        @Override
        public String className() {
            return "Blocking";
        }

        @Override
        public int[] stateSizes() {
            return new int[] {2};
        }

        @Override
        public void build(int in, Rng rng) {
            inner.build(in, rng);
            weights.addAll(inner.weights());
        }

        @Override
        public Tensor[] forwardStep(Tensor x, Tensor[] s, boolean training, LayerContext ctx, int step) {
            entered.countDown();
            try {
                assertTrue(release.await(30, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return inner.forwardStep(x, s, training, ctx, step);
        }

        @Override
        public Tensor[] backwardStep(Tensor d, Tensor[] ds, LayerContext ctx, int step) {
            return inner.backwardStep(d, ds, ctx, step);
        }
    }

    @Test
    void concurrentCallsOnAStatefulLayerAreRefused() throws Exception {
        Blocking cell = new Blocking();
        RNN r = new RNN(cell).stateful(true);
        r.build(new int[] {1, 3}, new Rng(1));
        Tensor x = Tensor.full(1f, 1, 1, 3);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Tensor> first = pool.submit(() -> r.forward(x, null, false, new LayerContext()));
            assertTrue(cell.entered.await(30, TimeUnit.SECONDS));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> r.forward(x, null, false, new LayerContext()));
            assertTrue(e.getMessage().contains("stateful") && e.getMessage().contains("concurrently"), e.getMessage());
            cell.release.countDown();
            first.get(30, TimeUnit.SECONDS);
            // the refused call changed nothing: the next call continues from the first one's states
            Tensor second = r.forward(x, null, false, new LayerContext());
            assertEquals(9f, second.data()[0], 1e-6f); // 3 + (3 + 3)
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void statelessStackedRnnRunsFromManyThreads() throws Exception {
        RNN r = new RNN(List.of(new LSTMCell(3), new GRUCell(2))).returnSequences(true);
        r.build(new int[] {5, 3}, new Rng(4));
        CellParityTest.randomize(r.weights(), 4);
        List<Tensor> xs = new ArrayList<>();
        List<Tensor> want = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            xs.add(GradientCheck.randn(i, 1f, 2, 5, 3));
            want.add(r.forward(xs.get(i), null, false, new LayerContext()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Tensor>> got = new ArrayList<>();
            for (int rep = 0; rep < 4; rep++) {
                for (Tensor x : xs) {
                    got.add(pool.submit(() -> r.forward(x, null, false, new LayerContext())));
                }
            }
            for (int i = 0; i < got.size(); i++) {
                assertArrayEquals(want.get(i % 8).data(), got.get(i).get().data());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rnnConfigRoundTripsThroughTheRegistry() throws Exception {
        RNN r = new RNN(List.of(new LSTMCell(3).unitForgetBias(false), new GRUCell(2).resetAfter(false)))
                .returnSequences(true).goBackwards(true).zeroOutputForMask(true).unroll(true).name("my_rnn");
        Map<String, Object> cfg = r.config();
        assertEquals(List.of("name", "trainable", "dtype", "return_sequences", "return_state", "go_backwards",
                "stateful", "unroll", "zero_output_for_mask", "cell"), new ArrayList<>(cfg.keySet()));
        Map<String, Object> parsed = longs(cfg);
        Layer back = LayerRegistry.fromConfig("RNN", parsed);
        assertEquals(cfg.toString(), back.config().toString());
        r.build(new int[] {4, 2}, new Rng(1));
        back.build(new int[] {4, 2}, new Rng(2));
        CellParityTest.randomize(r.weights(), 9);
        List<Variable> bw = back.weights();
        for (int i = 0; i < bw.size(); i++) {
            bw.get(i).assign(r.weights().get(i).value().copy());
        }
        Tensor x = GradientCheck.randn(3, 1f, 2, 4, 2);
        assertEquals(0f, r.forward(x, null, false, new LayerContext())
                .maxAbsDiff(back.forward(x, null, false, new LayerContext())));
        assertTrue(LayerRegistry.supported().contains("RNN"));
    }

    @Test
    void statefulRecurrentLayersLoadFromConfig() throws Exception {
        Map<String, Object> cfg = longs(new LSTM(3).stateful(true).config());
        LSTM l = (LSTM) LayerRegistry.fromConfig("LSTM", cfg);
        assertTrue(l.stateful());
        assertEquals(true, l.config().get("stateful"));
        RNN r = (RNN) LayerRegistry.fromConfig("RNN", longs(new RNN(new SimpleRNNCell(2)).stateful(true).config()));
        assertTrue(r.stateful());
        org.rnn4j.saving.ConfigException e = assertThrows(org.rnn4j.saving.ConfigException.class,
                () -> LayerRegistry.fromConfig("LSTMCell", longs(new LSTMCell(2).config())));
        assertTrue(e.getMessage().contains("RNN cell"), e.getMessage());
    }

    /** Integers as the JSON reader gives them (Long), recursively. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> longs(Map<String, Object> m) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            out.put(e.getKey(), longsOf(e.getValue()));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object longsOf(Object v) {
        if (v instanceof Integer) {
            return ((Integer) v).longValue();
        }
        if (v instanceof Map) {
            return longs((Map<String, Object>) v);
        }
        if (v instanceof List) {
            List<Object> l = new ArrayList<>();
            for (Object o : (List<?>) v) {
                l.add(longsOf(o));
            }
            return l;
        }
        return v;
    }
}
