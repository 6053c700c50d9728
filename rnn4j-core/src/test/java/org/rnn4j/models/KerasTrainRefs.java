package org.rnn4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rnn4j.io.Npy;
import org.rnn4j.layers.Variable;
import org.rnn4j.tensor.Tensor;

/**
 * The Keras 3 two-step training references in {@code src/test/resources/keras-train/<case>/}
 * (made by {@code tools/keras-refs/make_train_fixtures.py}): inputs, targets, initial weights,
 * the weights after each {@code train_on_batch} and its logs.
 */
final class KerasTrainRefs {
    final Path dir;

    KerasTrainRefs(String name) {
        try {
            this.dir = Path.of(KerasTrainRefs.class.getResource("/keras-train/" + name + "/weights.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    List<Tensor> arrays(String prefix) throws IOException {
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; Files.exists(dir.resolve(prefix + i + ".npy")); i++) {
            out.add(Npy.read(dir.resolve(prefix + i + ".npy")));
        }
        return out;
    }

    /** Sets the model's weights to Keras's initial ones, checking the count and each shape. */
    void loadInitialWeights(Model model) throws IOException {
        List<Tensor> init = arrays("w_init_");
        List<Variable> vars = model.weights();
        assertEquals(init.size(), vars.size(), "weight count");
        model.setWeights(init);
    }

    void assertWeightsAfter(Model model, int step, double tol) throws IOException {
        List<Tensor> want = arrays("w_step" + step + "_");
        List<Variable> vars = model.weights();
        for (int i = 0; i < want.size(); i++) {
            float d = vars.get(i).value().maxAbsDiff(want.get(i));
            assertTrue(d < tol, "weight " + i + " (" + vars.get(i).name() + ") after step " + step + ": max diff " + d);
        }
    }

    /** The logs Keras's {@code train_on_batch(return_dict=True)} returned after a step. */
    Map<String, Double> logs(int step) throws IOException {
        return logs("step" + step);
    }

    /** One entry of logs.json by its key (e.g. {@code "evaluate0"}: {@code evaluate()} before training). */
    Map<String, Double> logs(String key) throws IOException {
        String json = Files.readString(dir.resolve("logs.json"));
        int at = json.indexOf("\"" + key + "\"");
        if (at < 0) {
            throw new IllegalArgumentException(dir + "/logs.json has no entry " + key);
        }
        String body = json.substring(json.indexOf('{', at), json.indexOf('}', at));
        Map<String, Double> m = new java.util.TreeMap<>();
        Matcher k = Pattern.compile("\"([a-z_0-9]+)\"\\s*:\\s*([-0-9.eE+]+)").matcher(body);
        while (k.find()) {
            m.put(k.group(1), Double.parseDouble(k.group(2)));
        }
        return m;
    }

    static void assertLogs(Map<String, Double> want, Map<String, Double> got, double tol, String what) {
        assertEquals(want.keySet(), new java.util.TreeSet<>(got.keySet()), what + ": log names");
        for (Map.Entry<String, Double> e : want.entrySet()) {
            assertEquals(e.getValue(), got.get(e.getKey()), tol, what + ": " + e.getKey());
        }
    }
}
