package org.rnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.util.Rng;

/**
 * One layer object run from 8 threads, each with its own {@link LayerContext}, gives bit for bit
 * what a single-threaded run gives: the layer holds configuration and weights only, every
 * per-call cache and buffer (and dropout's random stream) lives in the context.
 */
class LayerThreadSafetyTest {
    private static final int THREADS = 8;
    private static final int CALLS = 25;
    private static final int BATCH = 3;

    /** A layer, the per-sample input shape, how to make an input, and whether training mutates weights. */
    record Case(String label, Supplier<Layer> layer, int[] shape, boolean ids, boolean masked, boolean trainingMutatesWeights) {
        @Override
        public String toString() {
            return label;
        }
    }

    private static Case c(String label, Supplier<Layer> layer, int... shape) {
        return new Case(label, layer, shape, false, false, false);
    }

    static Stream<Arguments> layers() {
        List<Case> cases = new ArrayList<>();
        cases.add(c("Dense tanh", () -> new Dense(5).activation("tanh"), 4));
        cases.add(c("Dense softmax rank 3", () -> new Dense(4).activation("softmax"), 6, 3));
        cases.add(c("Activation sigmoid", () -> new Activation("sigmoid"), 6, 3));
        cases.add(c("Dropout", () -> new Dropout(0.4), 6, 3));
        cases.add(c("SpatialDropout1D", () -> new SpatialDropout1D(0.4), 6, 5));
        cases.add(c("Conv1D relu (direct)", () -> new Conv1D(4, 3).activation("relu"), 10, 3));
        cases.add(c("Conv1D tanh same (direct)", () -> new Conv1D(4, 3).activation("tanh").padding("same"), 10, 3));
        cases.add(c("Conv1D elu causal (im2col)", () -> new Conv1D(3, 7).activation("elu").padding("causal"), 12, 4));
        cases.add(c("Conv2D relu", () -> new Conv2D(3, 2).activation("relu"), 6, 5, 2));
        cases.add(c("Conv2D linear strided (im2col)", () -> new Conv2D(2, 3, 3).strides(2), 9, 8, 3));
        cases.add(c("MaxPooling1D", () -> new MaxPooling1D(2), 10, 3));
        cases.add(c("AveragePooling1D same", () -> new AveragePooling1D(3).padding("same"), 10, 3));
        cases.add(c("MaxPooling2D", () -> new MaxPooling2D(2), 6, 6, 2));
        cases.add(c("AveragePooling2D", () -> new AveragePooling2D(2), 6, 6, 2));
        cases.add(new Case("BatchNormalization", () -> new BatchNormalization().momentum(0.5), new int[] {6, 3},
                false, true, true));
        cases.add(new Case("Embedding maskZero", () -> new Embedding(10, 4).maskZero(true), new int[] {7}, true,
                false, false));
        cases.add(c("Flatten", Flatten::new, 3, 4));
        cases.add(new Case("GlobalAveragePooling1D masked", GlobalAveragePooling1D::new, new int[] {6, 3}, false,
                true, false));
        cases.add(c("GlobalMaxPooling1D", () -> new GlobalMaxPooling1D().keepdims(true), 6, 3));
        cases.add(c("Conv3D tanh same", () -> new Conv3D(2, 2).activation("tanh").padding("same"), 3, 4, 3, 2));
        cases.add(c("Conv1D grouped channels_first", () -> new Conv1D(4, 2).groups(2).dataFormat("channels_first"), 4, 6));
        cases.add(c("MaxPooling3D", () -> new MaxPooling3D(), 4, 4, 2, 2));
        cases.add(c("AveragePooling2D channels_first", () -> new AveragePooling2D(2).dataFormat("channels_first"), 2, 4, 4));
        cases.add(c("GlobalAveragePooling3D", () -> new GlobalAveragePooling3D(), 2, 3, 2, 2));
        cases.add(c("GlobalMaxPooling2D channels_first", () -> new GlobalMaxPooling2D().dataFormat("channels_first"), 2, 3, 3));
        cases.add(c("SeparableConv1D relu", () -> new SeparableConv1D(3, 3).depthMultiplier(2).activation("relu"), 8, 2));
        cases.add(c("DepthwiseConv2D", () -> new DepthwiseConv2D(2).depthMultiplier(2), 4, 4, 2));
        cases.add(c("Masking", Masking::new, 6, 3));
        cases.add(c("Normalization", () -> new Normalization().adapt(GradientCheck.randn(3, 2f, 20, 3)), 3));
        cases.add(c("RepeatVector", () -> new RepeatVector(3), 4));
        cases.add(c("Reshape", () -> new Reshape(2, -1), 3, 4));
        cases.add(c("TimeDistributed(Dense)", () -> new TimeDistributed(new Dense(3).activation("tanh")), 5, 4));
        cases.add(c("TimeDistributed(Conv1D)", () -> new TimeDistributed(new Conv1D(2, 2).activation("relu")), 4, 6, 2));
        cases.add(c("TimeDistributed(Dropout)", () -> new TimeDistributed(new Dropout(0.5)), 4, 3));
        return cases.stream().map(Arguments::of);
    }

    /** What one thread's sequence of calls produced: every output, every input gradient. */
    private static List<float[]> run(Case k, Layer layer, int thread, boolean training) {
        LayerContext ctx = new LayerContext();
        List<float[]> out = new ArrayList<>();
        for (int call = 0; call < CALLS; call++) {
            long seed = 1000L * thread + call;
            Tensor x = input(k, seed);
            Mask mask = k.masked() ? mask(seed, x.dim(0), x.dim(1)) : null;
            Tensor y = layer.forward(x, mask, training, ctx);
            out.add(y.data().clone());
            if (training) {
                Tensor g = GradientCheck.randn(seed + 7, 1f, y.shape());
                Tensor dx = layer.backward(g, ctx);
                assertNotNull(dx, k.label() + ": input gradient");
                out.add(dx.data().clone());
            }
        }
        return out;
    }

    private static Tensor input(Case k, long seed) {
        int[] shape = new int[k.shape().length + 1];
        shape[0] = BATCH;
        System.arraycopy(k.shape(), 0, shape, 1, k.shape().length);
        Tensor x = GradientCheck.randn(seed, 1f, shape);
        if (k.ids()) {
            Rng r = new Rng(seed);
            for (int i = 0; i < x.size(); i++) {
                x.data()[i] = r.nextInt(10);
            }
        } else if (k.label().equals("Masking")) {
            // Some all-zero steps to mask.
            for (int r = 0; r < x.size() / 3; r += 2) {
                java.util.Arrays.fill(x.data(), r * 3, r * 3 + 3, 0f);
            }
        }
        return x;
    }

    private static Mask mask(long seed, int batch, int time) {
        Rng r = new Rng(seed + 3);
        boolean[] m = new boolean[batch * time];
        for (int b = 0; b < batch; b++) {
            m[b * time] = true;
            for (int t = 1; t < time; t++) {
                m[b * time + t] = r.nextDouble() < 0.7;
            }
        }
        return new Mask(m, batch, time);
    }

    private static Layer built(Case k) {
        Layer layer = k.layer().get();
        layer.build(k.shape(), new Rng(42));
        return layer;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void eightThreadsMatchASingleThreadBitForBit(Case k) throws Exception {
        // Inference always; training (forward + backward) where a training call leaves the weights
        // alone (BatchNormalization moves its statistics, which are weights, so it is inference only).
        check(k, false);
        if (!k.trainingMutatesWeights()) {
            check(k, true);
        }
    }

    private static void check(Case k, boolean training) throws Exception {
        Layer layer = built(k);
        List<List<float[]>> expected = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            expected.add(run(k, layer, t, training));
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<float[]>>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                Callable<List<float[]>> job = () -> {
                    start.await();
                    return run(k, layer, thread, training);
                };
                futures.add(pool.submit(job));
            }
            start.countDown();
            for (int t = 0; t < THREADS; t++) {
                List<float[]> got = futures.get(t).get();
                List<float[]> want = expected.get(t);
                assertEquals(want.size(), got.size());
                for (int i = 0; i < want.size(); i++) {
                    assertArrayEquals(want.get(i), got.get(i), k.label() + (training ? " training" : " inference")
                            + ": thread " + t + ", result " + i + " differs from the single-threaded run");
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
