package org.rnn4j.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Mask;
import org.rnn4j.models.Model;
import org.rnn4j.saving.LayerRegistry;
import org.rnn4j.tensor.Tensor;

/**
 * Masks as Keras propagates them, for every single-input registry sample of rank >= 3: Keras's
 * output mask (registry-samples/masks.txt, tools/keras-refs/registry_masks.py: the layer's
 * compute_mask when it supports masking, else none) for the input mask "all on but the last step
 * of sample 0", against rnn4j's {@link Layer#computeMasks}.
 */
class RegistrySamplesMaskTest {

    @TestFactory
    Stream<DynamicTest> outputMasksAreKerasOwn() throws Exception {
        Path samples = RegistrySamplesTest.samples();
        List<String> lines = Files.readAllLines(samples.resolve("masks.txt"), StandardCharsets.UTF_8);
        assertTrue(lines.size() > 40, "masks.txt lists the samples");
        List<DynamicTest> tests = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.trim().split(" ");
            String cls = f[0];
            tests.add(DynamicTest.dynamicTest(cls, () -> {
                Path dir = samples.resolve(cls);
                Model m;
                try {
                    m = KerasModels.load(dir.resolve("model.keras"));
                } catch (KerasFormatException e) {
                    if (LayerRegistry.supported().contains(cls) || !e.getMessage().contains("is not supported")) {
                        throw e;
                    }
                    return;   // a class not registered yet (RegistrySamplesTest checks its error)
                }
                assertEquals(1, m.nodes().size(), cls + ": a one-layer sample");
                Layer layer = m.nodes().get(0).layer();
                Tensor x = RegistrySamplesTest.read(dir, "x").get(0);
                int batch = x.dim(0);
                int time = x.dim(1);
                boolean[] in = new boolean[batch * time];
                java.util.Arrays.fill(in, true);
                in[time - 1] = false;
                Mask out = layer.computeMasks(List.of(x), List.of(new Mask(in, batch, time))).get(0);
                if (f[1].equals("none")) {
                    assertNull(out, cls + ": Keras drops the mask");
                    return;
                }
                assertNotNull(out, cls + ": Keras propagates a mask");
                assertEquals(Integer.parseInt(f[1]), out.batch(), cls + " batch");
                assertEquals(Integer.parseInt(f[2]), out.time(), cls + " time");
                boolean[] want = new boolean[f.length - 3];
                for (int i = 0; i < want.length; i++) {
                    want[i] = f[3 + i].equals("1");
                }
                assertArrayEquals(want, out.values(), cls + " mask values");
            }));
        }
        return tests.stream();
    }
}
