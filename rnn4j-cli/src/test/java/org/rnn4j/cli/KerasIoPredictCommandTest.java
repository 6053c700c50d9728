package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.io.Npy;
import org.rnn4j.keras.Models;
import org.rnn4j.models.Model;
import org.rnn4j.tensor.Tensor;

/**
 * {@code ./rnn4j predict} on the keras-io example models (rnn4j-keras's test resources, made by
 * tools/keras-refs/keras_io_models.py): every input given by name ({@code --input NAME=x.npy}, in
 * reverse order, so the names, not the positions, must place them) and every output written;
 * each equals Keras's numbers within 1e-5.
 */
class KerasIoPredictCommandTest {
    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> predictTakesNamedInputsOnEveryExample() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent().resolve("rnn4j-keras/src/test/resources/keras-io");
        assertTrue(Files.isDirectory(root), "keras-io examples not found at " + root);
        List<Path> dirs;
        try (Stream<Path> s = Files.list(root)) {
            dirs = s.filter(d -> Files.exists(d.resolve("model.keras"))).sorted().toList();
        }
        assertTrue(dirs.size() >= 20, "examples: " + dirs.size());
        List<DynamicTest> tests = new ArrayList<>();
        for (Path d : dirs) {
            String name = d.getFileName().toString();
            tests.add(DynamicTest.dynamicTest(name, () -> {
                Path model = d.resolve("model.keras");
                Model m = Models.load(model);
                List<String> inputs = m.inputNames();
                List<String> args = new ArrayList<>(List.of("predict", "--model", model.toString()));
                for (int i = inputs.size() - 1; i >= 0; i--) {
                    args.add("--input");
                    args.add(inputs.get(i) + "=" + d.resolve("x" + i + ".npy"));
                }
                int outputs = m.outputNames().size();
                for (int j = 0; j < outputs; j++) {
                    args.add("--output");
                    args.add(tmp.resolve(name + ".y" + j + ".npy").toString());
                }
                CliTestSupport.Run r = CliTestSupport.run(args.toArray(new String[0]));
                assertEquals(0, r.exitCode(), name + ": " + r.err());
                for (int j = 0; j < outputs; j++) {
                    Tensor got = Npy.read(tmp.resolve(name + ".y" + j + ".npy"));
                    Tensor want = Npy.read(d.resolve("y" + j + ".npy"));
                    float diff = got.maxAbsDiff(want);
                    assertTrue(diff <= 1e-5, name + " output " + j + ": max |diff| " + diff);
                }
            }));
        }
        return tests.stream();
    }
}
