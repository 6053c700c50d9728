package org.rnn4j.layers.preprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.SymbolicTensor;
import org.rnn4j.models.CompileOptions;
import org.rnn4j.models.Input;
import org.rnn4j.models.Model;
import org.rnn4j.optimizers.SGD;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/** Gradients, training, concurrency and errors of CategoryEncoding and IntegerLookup. */
class LookupLayersTest {
    /** The inputs are integer ids: the function is piecewise constant, so their gradient is zero. */
    @Test
    void categoryEncodingPassesAZeroGradientToItsIds() {
        CategoryEncoding l = new CategoryEncoding(4).outputMode("count");
        l.build(new int[] {3}, new Rng(1));
        Tensor x = Tensor.of(new float[] {0, 1, 1, 3, 2, 2}, 2, 3);
        l.forward(x, null, true);
        Tensor g = l.backward(Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 4));
        assertArrayEquals(new float[6], g.data());
        assertArrayEquals(new int[] {2, 3}, g.shape());
    }

    /** A Dense after the lookups trains (its weights move) and the lookups have no weights. */
    @Test
    void aModelTrainsThroughTheLookups() {
        SymbolicTensor in = Input.ofType("int32", 3);
        SymbolicTensor ids = new IntegerLookup().outputMode("count").vocabulary(List.of(12L, 36L, 42L)).call(in);
        Model m = new Model(List.of(in), List.of(new Dense(1).name("out").call(ids)));
        m.compile(CompileOptions.optimizer(new SGD(0.1, 0, false)).loss("mse"));
        float[] before = m.weights().get(0).value().data().clone();
        Tensor x = Tensor.of(new float[] {12, 36, 7, 42, 42, 12}, 2, 3);
        m.trainOnBatch(List.of(x), List.of(Tensor.of(new float[] {1, -1}, 2, 1)));
        assertNotEquals(before[0], m.weights().get(0).value().data()[0]);
        assertEquals(2, m.weights().size(), "only the Dense has weights");
    }

    @Test
    void concurrentPredictionsAgree() throws Exception {
        IntegerLookup l = new IntegerLookup().numOovIndices(3).outputMode("multi_hot").vocabulary(List.of(5L, 6L, 7L));
        l.build(new int[] {4}, new Rng(1));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Tensor>> out = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                float v = i;
                out.add(pool.submit(() -> l.forward(Tensor.of(new float[] {v, 5, 6, v + 1}, 1, 4), null, false,
                        new org.rnn4j.layers.LayerContext())));
            }
            for (int i = 0; i < 32; i++) {
                Tensor want = l.forward(Tensor.of(new float[] {i, 5, 6, i + 1}, 1, 4), null, false,
                        new org.rnn4j.layers.LayerContext());
                assertArrayEquals(want.data(), out.get(i).get().data());
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void clearErrors() {
        IntegerLookup noOov = new IntegerLookup().numOovIndices(0).vocabulary(List.of(1L, 2L));
        noOov.build(new int[] {2}, new Rng(1));
        Exception e = assertThrows(IllegalArgumentException.class, () -> noOov.forward(Tensor.of(new float[] {1, 9}, 1, 2)));
        assertTrue(e.getMessage().contains("found OOV value 9"), e.getMessage());
        CategoryEncoding c = new CategoryEncoding(3);
        c.build(new int[] {2}, new Rng(1));
        Exception f = assertThrows(IllegalArgumentException.class, () -> c.forward(Tensor.of(new float[] {1, 0.5f}, 1, 2)));
        assertTrue(f.getMessage().contains("expects integer inputs"), f.getMessage());
        assertThrows(IllegalStateException.class, () -> new IntegerLookup().vocabulary(List.of(1L)).maskToken(0L));
        Exception big = assertThrows(IllegalArgumentException.class,
                () -> IntegerLookup.fromConfig(java.util.Map.of("vocabulary", List.of(1L << 30))));
        assertTrue(big.getMessage().contains("2^24"), big.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CategoryEncoding(3).computeOutputShape(new int[] {2, 2}));
    }
}
