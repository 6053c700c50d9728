package org.rnn4j.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.LayerContext;
import org.rnn4j.layers.SymbolicTensor;
import org.rnn4j.layers.Variable;
import org.rnn4j.layers.recurrent.Cell;
import org.rnn4j.layers.recurrent.RNN;
import org.rnn4j.models.Input;
import org.rnn4j.models.Model;
import org.rnn4j.optimizers.Adam;
import org.rnn4j.saving.CustomObjects;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.util.Rng;

/**
 * A user's own cell (Keras's MinimalRNNCell, {@code h = tanh(x W + h_prev U)}) on the public
 * Cell interface: it trains inside RNN, saves to .keras, and loads back only once registered
 * with CustomObjects (before that, the error names it and the fix).
 */
class CustomCellTest {
    @TempDir
    Path tmp;

    @AfterEach
    void unregister() {
        CustomObjects.unregister("MinimalRNNCell");
    }

    /** The user's cell. */
    static final class MinimalRNNCell implements Cell {
        private final int units;
        private final String name;
        private Variable kernel;
        private Variable recurrent;
        private final List<Variable> weights = new ArrayList<>();

        MinimalRNNCell(int units, String name) {
            this.units = units;
            this.name = name;
        }

        private static final class Step {
            float[] x;
            float[] hp;
            float[] h;
        }

        @Override
        public String className() {
            return "MinimalRNNCell";
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int[] stateSizes() {
            return new int[] {units};
        }

        @Override
        public void build(int inputDim, Rng rng) {
            Tensor w = Tensor.zeros(inputDim, units);
            Tensor u = Tensor.zeros(units, units);
            for (int i = 0; i < w.size(); i++) {
                w.data()[i] = (float) (rng.nextDouble() - 0.5);
            }
            for (int i = 0; i < u.size(); i++) {
                u.data()[i] = (float) (rng.nextDouble() - 0.5) * 0.5f;
            }
            kernel = new Variable("kernel", w);
            recurrent = new Variable("recurrent_kernel", u);
            weights.add(kernel);
            weights.add(recurrent);
        }

        @Override
        public boolean isBuilt() {
            return kernel != null;
        }

        @Override
        public List<Variable> weights() {
            return weights;
        }

        @Override
        public Map<String, Object> config() {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", name);
            c.put("units", units);
            return c;
        }

        @Override
        public Tensor[] forwardStep(Tensor x, Tensor[] states, boolean training, LayerContext ctx, int step) {
            int b = x.dim(0);
            int f = x.dim(1);
            Step s = ctx.child(step).state(Step::new);
            s.x = x.data().clone();
            s.hp = states[0].data().clone();
            float[] h = new float[b * units];
            for (int r = 0; r < b; r++) {
                for (int j = 0; j < units; j++) {
                    double z = 0;
                    for (int k = 0; k < f; k++) {
                        z += s.x[r * f + k] * kernel.value().data()[k * units + j];
                    }
                    for (int k = 0; k < units; k++) {
                        z += s.hp[r * units + k] * recurrent.value().data()[k * units + j];
                    }
                    h[r * units + j] = (float) Math.tanh(z);
                }
            }
            s.h = h;
            return new Tensor[] {Tensor.of(h, b, units), Tensor.of(h.clone(), b, units)};
        }

        @Override
        public Tensor[] backwardStep(Tensor dOut, Tensor[] dStates, LayerContext ctx, int step) {
            Step s = ctx.child(step).existingState();
            int b = dOut.dim(0);
            int f = s.x.length / b;
            float[] dz = new float[b * units];
            for (int i = 0; i < dz.length; i++) {
                dz[i] = (dOut.data()[i] + dStates[0].data()[i]) * (1 - s.h[i] * s.h[i]);
            }
            float[] dx = new float[b * f];
            float[] dh = new float[b * units];
            for (int r = 0; r < b; r++) {
                for (int j = 0; j < units; j++) {
                    float d = dz[r * units + j];
                    for (int k = 0; k < f; k++) {
                        kernel.grad().data()[k * units + j] += s.x[r * f + k] * d;
                        dx[r * f + k] += d * kernel.value().data()[k * units + j];
                    }
                    for (int k = 0; k < units; k++) {
                        recurrent.grad().data()[k * units + j] += s.hp[r * units + k] * d;
                        dh[r * units + k] += d * recurrent.value().data()[k * units + j];
                    }
                }
            }
            return new Tensor[] {Tensor.of(dx, b, f), Tensor.of(dh, b, units)};
        }
    }

    private static Tensor randn(long seed, int... shape) {
        Rng r = new Rng(seed);
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return t;
    }

    @Test
    void customCellTrainsSavesAndLoadsThroughCustomObjects() throws Exception {
        SymbolicTensor in = Input.of(5, 2);
        SymbolicTensor h = new RNN(new MinimalRNNCell(4, "minimal_rnn_cell")).returnSequences(true).call(in);
        SymbolicTensor h2 = new RNN(new MinimalRNNCell(3, "minimal_rnn_cell_1")).call(h);
        SymbolicTensor out = new Dense(1).call(h2);
        Model m = new Model(List.of(in), List.of(out));
        m.compile(new Adam(0.02), "mse");
        Tensor x = randn(1, 16, 5, 2);
        Tensor y = randn(2, 16, 1);
        double first = m.trainOnBatch(x, y).get("loss");
        double last = first;
        for (int i = 0; i < 40; i++) {
            last = m.trainOnBatch(x, y).get("loss");
        }
        assertTrue(last < 0.8 * first, "a custom cell trains: loss " + first + " -> " + last);
        Path file = tmp.resolve("custom.keras");
        KerasModels.save(m, file);

        KerasFormatException e = assertThrows(KerasFormatException.class, () -> KerasModels.load(file));
        assertTrue(e.getMessage().contains("MinimalRNNCell") && e.getMessage().contains("CustomObjects.register"),
                e.getMessage());

        CustomObjects.register("MinimalRNNCell", cfg -> new MinimalRNNCell(((Number) cfg.get("units")).intValue(),
                (String) cfg.get("name")));
        Model back = KerasModels.load(file);
        assertEquals(0f, back.predict(x).maxAbsDiff(m.predict(x)));
        back.compile(new Adam(0.02), "mse");
        assertTrue(back.trainOnBatch(x, y).get("loss") <= last * 1.05, "the loaded model trains on");
    }

    @Test
    void factoryReturningTheWrongTypeIsNamed() throws Exception {
        SymbolicTensor in = Input.of(3, 2);
        Model m = new Model(List.of(in), List.of(new RNN(new MinimalRNNCell(2, "minimal_rnn_cell")).call(in)));
        Path file = tmp.resolve("wrong.keras");
        KerasModels.save(m, file);
        CustomObjects.register("MinimalRNNCell", cfg -> new Dense(2));
        KerasFormatException e = assertThrows(KerasFormatException.class, () -> KerasModels.load(file));
        assertTrue(e.getMessage().contains("MinimalRNNCell") && e.getMessage().contains("Cell"), e.getMessage());
    }

    @Test
    void customLayerLoadsThroughCustomObjectsAndLambdaSaysHow() throws Exception {
        CustomObjects.register("MyDense", cfg -> new Dense(((Number) cfg.get("units")).intValue()));
        try {
            org.rnn4j.layers.Layer l = org.rnn4j.saving.LayerRegistry.fromConfig("MyDense",
                    Map.of("name", "mine", "units", 2L));
            assertEquals("mine", l.name());
            org.rnn4j.saving.ConfigException lambda = assertThrows(org.rnn4j.saving.ConfigException.class,
                    () -> org.rnn4j.saving.LayerRegistry.fromConfig("Lambda", Map.of("name", "lambda")));
            assertTrue(lambda.getMessage().contains("'lambda'") && lambda.getMessage().contains("Python code")
                    && lambda.getMessage().contains("CustomObjects.register(\"Lambda\""), lambda.getMessage());
            org.rnn4j.saving.ConfigException unknown = assertThrows(org.rnn4j.saving.ConfigException.class,
                    () -> org.rnn4j.saving.LayerRegistry.fromConfig("FancyLayer", Map.of("name", "fancy")));
            assertTrue(unknown.getMessage().contains("'fancy'")
                    && unknown.getMessage().contains("CustomObjects.register(\"FancyLayer\""), unknown.getMessage());
        } finally {
            CustomObjects.unregister("MyDense");
        }
    }
}
