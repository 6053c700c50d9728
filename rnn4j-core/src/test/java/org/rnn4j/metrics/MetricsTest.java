package org.rnn4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnn4j.tensor.Tensor;

/** Running metric values over two batches, against Keras 3.15 ({@code update_state} twice, {@code result}). */
class MetricsTest {
    private static final Tensor T1 = Tensor.of(new float[] {0f, 1f, 0.5f, 2f, -1f, 0.25f}, 2, 3);
    private static final Tensor P1 = Tensor.of(new float[] {0.2f, 0.7f, 1.9f, 1.5f, -0.5f, 0.3f}, 2, 3);
    private static final Tensor T2 = Tensor.of(new float[] {1f, 0f, 2f}, 1, 3);
    private static final Tensor P2 = Tensor.of(new float[] {0.5f, 0.5f, 0.5f}, 1, 3);

    private static double run(String id) {
        Metric m = Metrics.get(id);
        m.update(T1, P1);
        m.update(T2, P2);
        return m.result();
    }

    @Test
    void regressionMetricsMatchKeras() {
        assertEquals(0.605555534, run("mae"), 1e-6);
        assertEquals(0.593611121, run("mse"), 1e-6);
        assertEquals(0.770461619, run("root_mean_squared_error"), 1e-6);
        assertEquals(run("mae"), run("mean_absolute_error"), 0);
    }

    @Test
    void accuraciesMatchKeras() {
        Metric bin = Metrics.get("binary_accuracy");
        bin.update(Tensor.of(new float[] {1, 0, 1}, 3, 1), Tensor.of(new float[] {0.7f, 0.6f, 0.2f}, 3, 1));
        bin.update(Tensor.of(new float[] {0}, 1, 1), Tensor.of(new float[] {0.5f}, 1, 1));
        assertEquals(0.5, bin.result(), 1e-9);
        Metric cat = Metrics.get("categorical_accuracy");
        cat.update(Tensor.of(new float[] {0, 1, 0, 1, 0, 0}, 2, 3), Tensor.of(new float[] {0.2f, 0.5f, 0.3f, 0.1f, 0.8f, 0.1f}, 2, 3));
        assertEquals(0.5, cat.result(), 1e-9);
        Metric sparse = Metrics.get("sparse_categorical_accuracy");
        sparse.update(Tensor.of(new float[] {1, 0, 2}, 3, 1),
                Tensor.of(new float[] {0.2f, 0.5f, 0.3f, 0.1f, 0.8f, 0.1f, 0, 0, 1}, 3, 3));
        assertEquals(2.0 / 3, sparse.result(), 1e-9);
        sparse.reset();
        assertEquals(0, sparse.result());
    }

    @Test
    void accuracyResolvesFromShapesAsKerasCompileDoes() {
        Accuracy binary = (Accuracy) Metrics.get("accuracy");
        binary.update(Tensor.of(new float[] {1, 0}, 2, 1), Tensor.of(new float[] {0.9f, 0.4f}, 2, 1));
        assertTrue(binary.resolved() instanceof ElementwiseMetric);
        Accuracy sparse = (Accuracy) Metrics.get("acc");
        sparse.update(Tensor.of(new float[] {1, 0}, 2), Tensor.of(new float[] {0.1f, 0.9f, 0.6f, 0.4f}, 2, 2));
        assertTrue(((ArgmaxAccuracy) sparse.resolved()).sparse());
        assertEquals(1.0, sparse.result());
        Accuracy categorical = (Accuracy) Metrics.get("Accuracy");
        categorical.update(Tensor.of(new float[] {0, 1, 1, 0}, 2, 2), Tensor.of(new float[] {0.1f, 0.9f, 0.6f, 0.4f}, 2, 2));
        assertFalse(((ArgmaxAccuracy) categorical.resolved()).sparse());
        assertEquals("Accuracy", categorical.name());
        assertTrue(categorical.higherIsBetter());
        assertFalse(Metrics.get("mse").higherIsBetter());
    }

    @Test
    void unknownMetricSuggestsClosest() {
        var e = assertThrows(IllegalArgumentException.class, () -> Metrics.get("accuracyy"));
        assertTrue(e.getMessage().contains("Did you mean 'accuracy'?"), e.getMessage());
    }
}
