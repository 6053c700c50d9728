package org.rnn4j.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.rnn4j.models.Model;
import org.rnn4j.models.SummaryStyle;
import org.rnn4j.saving.LayerRegistry;
import org.rnn4j.tensor.Tensor;

/**
 * The registry samples beyond .keras (issue #13's "loading from .keras and legacy .h5 ... summary
 * rows equal to Keras's"): Keras's legacy HDF5 copy of every sample (tools/keras-refs/registry_samples_h5.py)
 * loads and predicts Keras's numbers, and our Keras 3 summary table is Keras's, to the character.
 */
class RegistrySamplesH5AndSummaryTest {

    /** The registered classes: every sample a registered class made must pass (the others fail at load). */
    private static Set<String> registeredSamples() throws Exception {
        Set<String> names = new TreeSet<>(RegistrySamplesTest.sampleClasses());
        names.retainAll(LayerRegistry.supported());
        return names;
    }

    @TestFactory
    Stream<DynamicTest> legacyH5CopiesLoadAndPredictKerasNumbers() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (String cls : registeredSamples()) {
            tests.add(DynamicTest.dynamicTest(cls, () -> {
                Path dir = RegistrySamplesTest.samples().resolve(cls);
                assertTrue(Files.exists(dir.resolve("model.h5")), cls + ": no model.h5; run tools/keras-refs/registry_samples_h5.py");
                Model m = KerasModels.load(dir.resolve("model.h5"));
                List<Tensor> got = m.predictInputs(LookupFixturesTest.inputs(dir)); // numbers, or strings
                RegistrySamplesTest.assertClose(RegistrySamplesTest.read(dir, "y"), got, cls + " from Keras's .h5");
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> summaryTablesAreKerasOwn() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (String cls : registeredSamples()) {
            tests.add(DynamicTest.dynamicTest(cls, () -> {
                Path dir = RegistrySamplesTest.samples().resolve(cls);
                String expected = Files.readString(dir.resolve("summary.txt"), StandardCharsets.UTF_8);
                String ours = KerasModels.load(dir.resolve("model.keras")).summaryString(SummaryStyle.KERAS3);
                assertEquals(table(expected), table(ours), cls + "\n" + ours);
            }));
        }
        return tests.stream();
    }

    /** The table without the byte counts below it (rnn4j and Keras count the same params; see Keras3SummaryTest). */
    private static String table(String summary) {
        int end = summary.indexOf(" Total params");
        return end < 0 ? summary : summary.substring(0, end);
    }
}
