package org.rnn4j.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.rnn4j.layers.Bidirectional;
import org.rnn4j.layers.Conv2D;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Flatten;
import org.rnn4j.layers.GRU;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.MaxPooling2D;
import org.rnn4j.layers.TimeDistributed;
import org.rnn4j.models.Sequential;
import org.rnn4j.optimizers.Adam;
import org.rnn4j.optimizers.SGD;

/** The workloads of /work/shared/bench/WORKLOADS.md, exactly: models, shapes, batches, optimizers. */
public final class Workloads {
    static final long SEED = 0;

    private Workloads() {
    }

    /** A fresh, compiled model of workload {@code id} (W0..W5) with the bench's fixed seed (the serving load test uses W1). */
    public static Sequential model(String id) {
        Workload w = all().get(id);
        if (w == null) {
            throw new IllegalArgumentException("unknown workload '" + id + "'; known: " + all().keySet());
        }
        return w.model().get();
    }

    /** Workload {@code id}'s per-sample input shape, e.g. {48, 8} for W1. */
    public static int[] inputShape(String id) {
        Workload w = all().get(id);
        if (w == null) {
            throw new IllegalArgumentException("unknown workload '" + id + "'; known: " + all().keySet());
        }
        return w.input().clone();
    }

    static Map<String, Workload> all() {
        Map<String, Workload> w = new LinkedHashMap<>();
        w.put("W0", new Workload("W0", "seed-lstm", Workloads::w0, new int[] {4, 6}, 32, 256, 2, false, 0));
        w.put("W1", new Workload("W1", "forecast-lstm", Workloads::w1, new int[] {48, 8}, 64, 256, 1, false,
                lstmGateFlops(48, 8, 64)));
        w.put("W2", new Workload("W2", "gru-classify", Workloads::w2, new int[] {100, 64}, 64, 256, 10, true,
                gruGateFlops(100, 64, 128)));
        w.put("W3", new Workload("W3", "big-lstm", Workloads::w3, new int[] {64, 256}, 128, 128, 1, false,
                lstmGateFlops(64, 256, 512)));
        w.put("W4", new Workload("W4", "bidir-lstm", Workloads::w4, new int[] {50, 32}, 64, 256, 1, false,
                2 * lstmGateFlops(50, 32, 128)));
        w.put("W5", new Workload("W5", "seed-conv-lstm", Workloads::w5, new int[] {8, 12, 9, 1}, 32, 256, 2, false, 0));
        return w;
    }

    /** WORKLOADS.md: forward = T * B * 2 * 4H * (F + H) flops (per sample: B = 1). */
    static double lstmGateFlops(int t, int f, int h) {
        return (double) t * 2 * 4 * h * (f + h);
    }

    /** As {@link #lstmGateFlops} for a GRU's three gates: T * B * 2 * 3H * (F + H). */
    static double gruGateFlops(int t, int f, int h) {
        return (double) t * 2 * 3 * h * (f + h);
    }

    /** W0 seed-lstm: LSTM(10, relu) -> Dense(10, relu) -> Dense(2), Adam(1e-3), MSE. */
    static Sequential w0() {
        Sequential m = new Sequential().seed(SEED);
        m.add(new LSTM(10).activation("relu").inputShape(4, 6));
        m.add(new Dense(10).activation("relu"));
        m.add(new Dense(2));
        return compile(m, new Adam(1e-3), "mean_squared_error");
    }

    /** W1 forecast-lstm (also L1's model): LSTM(64) -> Dense(1), Adam(1e-3), MSE. */
    static Sequential w1() {
        Sequential m = new Sequential().seed(SEED);
        m.add(new LSTM(64).inputShape(48, 8));
        m.add(new Dense(1));
        return compile(m, new Adam(1e-3), "mean_squared_error");
    }

    /** W2 gru-classify: GRU(128) -> Dense(10, softmax), Adam(1e-3), categorical crossentropy. */
    static Sequential w2() {
        Sequential m = new Sequential().seed(SEED);
        m.add(new GRU(128).inputShape(100, 64));
        m.add(new Dense(10).activation("softmax"));
        return compile(m, new Adam(1e-3), "categorical_crossentropy");
    }

    /** W3 big-lstm: LSTM(512) -> Dense(1), SGD(0.01), MSE. */
    static Sequential w3() {
        Sequential m = new Sequential().seed(SEED);
        m.add(new LSTM(512).inputShape(64, 256));
        m.add(new Dense(1));
        return compile(m, new SGD(0.01), "mean_squared_error");
    }

    /** W4 bidir-lstm: Bidirectional(LSTM(128)) -> Dense(1), Adam(1e-3), MSE. */
    static Sequential w4() {
        Sequential m = new Sequential().seed(SEED);
        m.add(new Bidirectional(new LSTM(128)).inputShape(50, 32));
        m.add(new Dense(1));
        return compile(m, new Adam(1e-3), "mean_squared_error");
    }

    /**
     * W5 seed-conv-lstm: TD(Conv2D(64, 2, relu)) -> TD(MaxPooling2D()) -> TD(Flatten()) ->
     * LSTM(10, relu) -> Dense(10, relu) -> Dense(2), Adam(1e-3), MSE.
     */
    static Sequential w5() {
        Sequential m = new Sequential().seed(SEED);
        m.add(new TimeDistributed(new Conv2D(64, 2).activation("relu")).inputShape(8, 12, 9, 1));
        m.add(new TimeDistributed(new MaxPooling2D()));
        m.add(new TimeDistributed(new Flatten()));
        m.add(new LSTM(10).activation("relu"));
        m.add(new Dense(10).activation("relu"));
        m.add(new Dense(2));
        return compile(m, new Adam(1e-3), "mean_squared_error");
    }

    private static Sequential compile(Sequential m, Object optimizer, String loss) {
        m.compile((org.rnn4j.optimizers.Optimizer) optimizer, loss);
        return m;
    }

    static Supplier<Sequential> l1Model() {
        return Workloads::w1;
    }
}
