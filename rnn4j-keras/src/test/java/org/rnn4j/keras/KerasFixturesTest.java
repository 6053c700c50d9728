package org.rnn4j.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.rnn4j.io.Npy;
import org.rnn4j.layers.Layer;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/** Every public Keras 3 fixture, in .keras and .h5 form: same outputs (1e-5) and same summary rows. */
class KerasFixturesTest {
    static final float TOLERANCE = 1e-5f;

    @TestFactory
    Stream<DynamicTest> everyFixtureLoadsAndPredicts() throws Exception {
        Path dir = Fixtures.dir("keras");
        List<DynamicTest> tests = new ArrayList<>();
        for (Map<String, Object> c : Fixtures.kerasCases()) {
            String name = (String) c.get("name");
            for (String ext : new String[] {".keras", ".h5"}) {
                tests.add(DynamicTest.dynamicTest(name + ext, () -> check(dir, name, ext, c)));
            }
        }
        return tests.stream();
    }

    private static void check(Path dir, String name, String ext, Map<String, Object> c) throws Exception {
        assumeLayersAvailable(c);
        Sequential model = (Sequential) KerasModels.load(dir.resolve(name + ext));
        Tensor x = Npy.read(dir.resolve(name + ".x.npy"));
        Tensor y = Npy.read(dir.resolve(name + ".y.npy"));
        Tensor got = model.predict(x);
        assertArrayEquals(y.shape(), got.shape(), name + ext + ": output shape");
        float diff = got.maxAbsDiff(y);
        assertTrue(diff <= TOLERANCE, name + ext + ": max |diff| " + diff + " > " + TOLERANCE);

        Path summary = dir.resolve(name + ".summary.txt");
        List<Fixtures.Row> rows = Fixtures.summaryRows(summary);
        List<Layer> layers = model.layers();
        assertEquals(rows.size(), layers.size(), name + ext + ": number of summary rows");
        for (int i = 0; i < rows.size(); i++) {
            Layer l = layers.get(i);
            Fixtures.Row r = rows.get(i);
            assertEquals(r.layer(), l.name() + " (" + l.className() + ")", name + ext + " row " + i);
            assertEquals(r.shape(), Shapes.withBatch(l.outputShape()), name + ext + " row " + i + " shape");
            assertEquals(r.params(), l.countParams(), name + ext + " row " + i + " params");
        }
        assertEquals(Fixtures.totalParams(summary), model.countParams(), name + ext + ": total params");
    }

    /** Skips (visibly) a case whose layer classes have not landed in rnn4j yet. */
    @SuppressWarnings("unchecked")
    static void assumeLayersAvailable(Map<String, Object> c) {
        for (Object l : (List<Object>) c.get("layers")) {
            String s = (String) l;
            String cls = s.substring(s.indexOf('(') + 1, s.lastIndexOf(')'));
            Assumptions.assumeTrue(org.rnn4j.saving.LayerRegistry.has(cls),
                    "layer class " + cls + " is not available in rnn4j yet");
        }
    }
}
