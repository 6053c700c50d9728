package org.rnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.rnn4j.saving.LayerRegistry;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.util.Rng;

/**
 * Identity, GaussianNoise, GaussianDropout, AlphaDropout, SpatialDropout2D/3D: the literal-valued
 * assertions of Keras 3.15's core/identity_test.py and regularization/{gaussian_noise,
 * gaussian_dropout, alpha_dropout, spatial_dropout}_test.py (same inputs, options and tolerances),
 * gradient checks, seeding, exact inference and config round trips.
 */
class NoiseLayersTest {

    private static Tensor ones(int... shape) {
        return Tensor.full(1f, shape);
    }

    private static double std(Tensor t) {
        double mean = 0;
        for (float v : t.data()) {
            mean += v;
        }
        mean /= t.size();
        double var = 0;
        for (float v : t.data()) {
            var += (v - mean) * (v - mean);
        }
        return Math.sqrt(var / t.size());
    }

    private static <L extends Layer> L built(L layer, int... shape) {
        layer.build(shape, new Rng(11));
        return layer;
    }

    private static Tensor train(Layer l, Tensor x) {
        return l.forward(x, null, true, new LayerContext());
    }

    // ---------------------------------------------------------------- Keras's literal-valued tests

    @Test
    void identityBasics() {  // identity_test.py test_identity_basics (dense)
        Identity l = built(new Identity(), 3);
        Tensor x = GradientCheck.randn(1, 1f, 2, 3);
        assertArrayEquals(new int[] {3}, l.outputShape());
        assertEquals(0, l.weights().size());
        assertSame(x, l.forward(x, null, true, new LayerContext()));
        Mask m = new Mask(new boolean[] {true, false}, 2, 1);
        assertSame(m, l.computeMask(x, m), "supports_masking=True");
    }

    @Test
    void gaussianNoiseBasicsAndCorrectness() {  // gaussian_noise_test.py
        GaussianNoise basics = built(new GaussianNoise(0.2), 3);
        assertArrayEquals(new int[] {2, 3}, train(basics, ones(2, 3)).shape());
        assertEquals(0, basics.weights().size());
        GaussianNoise l = built(new GaussianNoise(0.3).seed(1337), 500);
        assertEquals(0.3, std(train(l, ones(20, 500))), 0.02);
    }

    @Test
    void gaussianDropoutBasicsAndCorrectness() {  // gaussian_dropout_test.py
        GaussianDropout basics = built(new GaussianDropout(0.2), 3);
        assertArrayEquals(new int[] {2, 3}, train(basics, ones(2, 3)).shape());
        assertEquals(0, basics.weights().size());
        GaussianDropout l = built(new GaussianDropout(0.3).seed(1337), 500);
        assertEquals(Math.sqrt(0.3 / (1 - 0.3)), std(train(l, ones(20, 500))), 0.02);
    }

    @Test
    void alphaDropoutBasicsAndCorrectness() {  // alpha_dropout_test.py
        AlphaDropout basics = built(new AlphaDropout(0.2), 3);
        assertArrayEquals(new int[] {2, 3}, train(basics, ones(2, 3)).shape());
        assertEquals(0, basics.weights().size());
        AlphaDropout l = built(new AlphaDropout(0.3).seed(1337), 500);
        assertEquals(1.0, std(train(l, ones(20, 500))), 1e-1);
    }

    @Test
    void alphaDropoutPartialNoiseShape() {  // ..._partial_noise_shape_dynamic and _static
        for (int[] ns : new int[][] {{-1, 1, -1}, {20, 1, 10}}) {
            AlphaDropout l = built(new AlphaDropout(0.5).noiseShape(ns), 5, 10);
            Tensor y = train(l, ones(20, 5, 10));
            boolean someDropped = false;
            for (int b = 0; b < 20; b++) {
                for (int c = 0; c < 10; c++) {
                    assertEquals(y.get(b, 0, c), y.get(b, 1, c), 1e-6);
                    someDropped |= y.get(b, 0, c) != y.get(0, 0, 0);
                }
            }
            assertTrue(someDropped, "rate 0.5 drops some units and keeps others");
        }
    }

    @Test
    void ratesOutsideZeroOneAreRejected() {  // alpha_dropout_test.py negative_rate, rate_greater_than_one
        for (double r : new double[] {-0.5, 1.5}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AlphaDropout(r));
            assertTrue(e.getMessage().contains("between 0 and 1") && e.getMessage().contains("rate"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new GaussianDropout(r));
            assertThrows(IllegalArgumentException.class, () -> new GaussianNoise(r));
            assertThrows(IllegalArgumentException.class, () -> new SpatialDropout2D(r));
        }
    }

    @Test
    void spatialDropoutShapes() {  // spatial_dropout_test.py test_spatial_dropout_2d / _3d
        for (String f : new String[] {"channels_last", "channels_first"}) {
            SpatialDropout2D d2 = built(new SpatialDropout2D(0.5).dataFormat(f), 3, 4, 5);
            assertArrayEquals(new int[] {2, 3, 4, 5}, train(d2, ones(2, 3, 4, 5)).shape());
            SpatialDropout3D d3 = built(new SpatialDropout3D(0.5).dataFormat(f), 3, 4, 4, 5);
            assertArrayEquals(new int[] {2, 3, 4, 4, 5}, train(d3, ones(2, 3, 4, 4, 5)).shape());
        }
        assertThrows(LayerShapeException.class, () -> built(new SpatialDropout2D(0.5), 3, 4));
        assertThrows(LayerShapeException.class, () -> built(new SpatialDropout3D(0.5), 3, 4, 5));
    }

    @Test
    void spatialDropoutDropsWholeFeatureMaps() {  // spatial_dropout_test.py 2D/3D correctness, both formats
        Tensor y = train(built(new SpatialDropout2D(0.5), 3, 3, 10), ones(10, 3, 3, 10));
        Tensor yf = train(built(new SpatialDropout2D(0.5).dataFormat("channels_first"), 10, 3, 3), ones(10, 10, 3, 3));
        Tensor z = train(built(new SpatialDropout3D(0.5), 3, 3, 3, 10), ones(10, 3, 3, 3, 10));
        Tensor zf = train(built(new SpatialDropout3D(0.5).dataFormat("channels_first"), 10, 3, 3, 3),
                ones(10, 10, 3, 3, 3));
        int zeros = 0;
        for (int b = 0; b < 10; b++) {
            for (int c = 0; c < 10; c++) {
                assertEquals(y.get(b, 0, 0, c), y.get(b, 1, 1, c));
                assertEquals(yf.get(b, c, 0, 0), yf.get(b, c, 1, 1));
                assertEquals(z.get(b, 0, 0, 0, c), z.get(b, 1, 1, 1, c));
                assertEquals(zf.get(b, c, 0, 0, 0), zf.get(b, c, 1, 1, 1));
                float v = y.get(b, 2, 1, c);
                assertTrue(v == 0f || v == 2f, "dropped (0) or kept and scaled by 1/(1-rate) (2): " + v);
                zeros += v == 0f ? 1 : 0;
            }
        }
        assertTrue(zeros > 20 && zeros < 80, "about half of 100 maps dropped: " + zeros);
    }

    // ---------------------------------------------------------------- inference, seeds, gradients

    private static List<Supplier<Layer>> noiseLayers() {
        return List.of(() -> new GaussianNoise(0.3).seed(5), () -> new GaussianDropout(0.4).seed(5),
                () -> new AlphaDropout(0.3).seed(5), () -> new AlphaDropout(0.3).noiseShape(-1, 1, 4).seed(5),
                () -> new SpatialDropout2D(0.4).seed(5), () -> new SpatialDropout2D(0.4).dataFormat("channels_first").seed(5),
                () -> new SpatialDropout3D(0.4).seed(5));
    }

    private static int[] sampleShape(Layer l) {
        if (l instanceof SpatialDropout3D) {
            return new int[] {2, 3, 2, 4};
        }
        return l instanceof SpatialDropout2D ? new int[] {3, 2, 4} : new int[] {3, 4};
    }

    private static int[] batchShape(int[] sample) {
        int[] s = new int[sample.length + 1];
        s[0] = 3;
        System.arraycopy(sample, 0, s, 1, sample.length);
        return s;
    }

    @Test
    void inferenceIsExactIdentityAndTrainingIsSeeded() {
        for (Supplier<Layer> make : noiseLayers()) {
            Layer a = make.get();
            int[] shape = sampleShape(a);
            built(a, shape);
            Layer b = built(make.get(), shape);
            Tensor x = GradientCheck.randn(3, 1f, batchShape(shape));
            assertSame(x, a.forward(x, null, false, new LayerContext()), a.className() + " at inference");
            LayerContext ctx = new LayerContext();
            Tensor t1 = a.forward(x, null, true, ctx);
            assertEquals(0f, t1.maxAbsDiff(train(b, x)), a.className() + ": same seed, same noise");
            assertTrue(t1.maxAbsDiff(x) > 1e-3, a.className() + ": training changes the values");
            assertTrue(a.forward(x, null, true, ctx).maxAbsDiff(t1) > 1e-3, a.className() + ": a new draw per call");
        }
    }

    @Test
    void unseededLayersDrawTheirStreamFromTheModelGenerator() {
        GaussianNoise a = new GaussianNoise(0.3);
        GaussianNoise b = new GaussianNoise(0.3);
        a.build(new int[] {4}, new Rng(1));
        b.build(new int[] {4}, new Rng(2));
        Tensor x = ones(2, 4);
        assertNotEquals(0f, train(a, x).maxAbsDiff(train(b, x)));
    }

    /**
     * Finite differences where every evaluation runs in a fresh context: each context restarts
     * the layer's stream at its seed, so every evaluation sees the same noise.
     */
    @Test
    void gradientsMatchFiniteDifferences() {
        for (Supplier<Layer> make : noiseLayers()) {
            Layer l = make.get();
            int[] shape = sampleShape(l);
            built(l, shape);
            Tensor x = GradientCheck.randn(8, 1f, batchShape(shape));
            Tensor r = GradientCheck.randn(9, 1f, batchShape(shape));
            LayerContext ctx = new LayerContext();
            l.forward(x, null, true, ctx);
            float[] dx = l.backward(r.copy(), ctx).data();
            double eps = 1e-2;
            for (int i = 0; i < x.size(); i++) {
                float saved = x.data()[i];
                x.data()[i] = (float) (saved + eps);
                double plus = dot(train(l, x), r);
                x.data()[i] = (float) (saved - eps);
                double minus = dot(train(l, x), r);
                x.data()[i] = saved;
                double numeric = (plus - minus) / (2 * eps);
                assertEquals(numeric, dx[i], 1e-3 * Math.max(1, Math.abs(numeric)), l.className() + " dx[" + i + "]");
            }
        }
        Identity id = built(new Identity(), 3);
        GradientCheck.check(id, GradientCheck.randn(1, 1f, 2, 3), null, true);
    }

    private static double dot(Tensor a, Tensor b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += (double) a.data()[i] * b.data()[i];
        }
        return s;
    }

    @Test
    void rateOneFailsInTrainingWithAClearError() {
        GaussianDropout g = built(new GaussianDropout(1.0).name("gd"), 3);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> train(g, ones(2, 3)));
        assertTrue(e.getMessage().contains("gd") && e.getMessage().contains("rate"), e.getMessage());
        Tensor x = ones(2, 3);
        assertSame(x, g.forward(x), "inference is the identity whatever the rate");
    }

    // ---------------------------------------------------------------- config

    @Test
    void configsRoundTripThroughTheRegistry() throws Exception {
        List<Layer> layers = List.of(new Identity().name("i"), new GaussianNoise(0.25).seed(3).name("gn"),
                new GaussianDropout(0.1).name("gd"), new AlphaDropout(0.2).noiseShape(-1, 1, 4).seed(9).name("ad"),
                new SpatialDropout2D(0.3).dataFormat("channels_first").name("s2"), new SpatialDropout3D(0.3).name("s3"));
        for (Layer l : layers) {
            Map<String, Object> cfg = l.config();
            Layer back = LayerRegistry.fromConfig(l.className(), new LinkedHashMap<>(cfg));
            assertEquals(l.getClass(), back.getClass());
            assertEquals(cfg, back.config(), l.className());
        }
        assertEquals(java.util.Arrays.asList(null, 1, 4), layers.get(3).config().get("noise_shape"));
        assertTrue(!layers.get(4).config().containsKey("trainable"), "Keras's SpatialDropout2D takes no trainable");
    }

    @Test
    void kerasConfigsLoad() throws Exception {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", "alpha_dropout");
        c.put("trainable", true);
        c.put("dtype", "float32");
        c.put("rate", 0.2);
        c.put("seed", null);
        c.put("noise_shape", java.util.Arrays.asList(null, 1, null));
        AlphaDropout a = (AlphaDropout) LayerRegistry.fromConfig("AlphaDropout", c);
        assertArrayEquals(new int[] {-1, 1, -1}, a.noiseShape());
        Map<String, Object> bad = new LinkedHashMap<>(c);
        bad.put("rate", 0.2);
        bad.put("mystery", 3);
        Exception e = assertThrows(Exception.class, () -> LayerRegistry.fromConfig("AlphaDropout", bad));
        assertTrue(e.getMessage().contains("mystery"), e.getMessage());
    }
}
