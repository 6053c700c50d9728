package org.rnn4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnn4j.serve.ServeSupport.assertBits;
import static org.rnn4j.serve.ServeSupport.get;
import static org.rnn4j.serve.ServeSupport.nested;
import static org.rnn4j.serve.ServeSupport.post;
import static org.rnn4j.serve.ServeSupport.row;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.rnn4j.io.Npy;
import org.rnn4j.keras.Models;
import org.rnn4j.models.Model;
import org.rnn4j.serve.ServeSupport.Reply;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.SharedFiles;

/**
 * Issue #11's "done when": a client speaking TF Serving's REST format, knowing only the server's
 * metadata (input and output names), gets for every fixture of {@code fixtures/keras} and
 * {@code fixtures/keras-functional} the same float32 values, bit for bit, as
 * {@code ./rnn4j predict} (which is {@code Models.load(file).predict(xs, 32)}), in both the row
 * ({@code instances}) and the columnar ({@code inputs}) format, every output of a multi-output model.
 */
class TfServingFixturesTest {
    /** A fixture: its .keras file, inputs x (or x0, x1, ...) in the model's order. */
    record Case(String name, Path file, List<Tensor> xs) {
    }

    static List<Case> cases() throws Exception {
        List<Case> out = new ArrayList<>();
        for (String set : new String[] {"fixtures/keras", "fixtures/keras-functional"}) {
            Path dir = SharedFiles.find(set);
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(p -> p.getFileName().toString().endsWith(".keras")).sorted().toList();
            }
            for (Path f : files) {
                String stem = ModelServerBuilder.stem(f);
                List<Tensor> xs = new ArrayList<>();
                if (Files.exists(dir.resolve(stem + ".x.npy"))) {
                    xs.add(Npy.read(dir.resolve(stem + ".x.npy")));
                }
                for (int i = 0; Files.exists(dir.resolve(stem + ".x" + i + ".npy")); i++) {
                    xs.add(Npy.read(dir.resolve(stem + ".x" + i + ".npy")));
                }
                assertTrue(!xs.isEmpty(), "no input file for fixture " + f);
                out.add(new Case(stem, f, xs));
            }
        }
        return out;
    }

    @Test
    void everyFixtureAnswersWhatPredictAnswersBitForBit() throws Exception {
        List<Case> cases = cases();
        assertTrue(cases.size() >= 20, "expected the 15 + 8 shared fixtures, found " + cases.size());
        ModelServerBuilder b = ModelServer.builder().port(0);
        for (Case c : cases) {
            b.model(c.name(), c.file());
        }
        int multiOutput = 0;
        int multiInput = 0;
        try (ModelServer server = b.start()) {
            for (Case c : cases) {
                Model m = Models.load(c.file());
                List<Tensor> expected = m.predict(c.xs(), 32);
                // What a TF Serving client knows: the signature's input and output names, from metadata.
                Reply meta = get(server, "/v1/models/" + c.name() + "/metadata");
                assertEquals(200, meta.status(), c.name() + ": " + meta.body());
                Map<?, ?> sig = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) meta.map().get("metadata"))
                        .get("signature_def")).get("signature_def")).get("serving_default");
                List<String> ins = names(sig.get("inputs"));
                List<String> outs = names(sig.get("outputs"));
                assertEquals(c.xs().size(), ins.size(), c.name() + " inputs");
                assertEquals(expected.size(), outs.size(), c.name() + " outputs");
                multiInput += ins.size() > 1 ? 1 : 0;
                multiOutput += outs.size() > 1 ? 1 : 0;

                Reply r = post(server, "/v1/models/" + c.name() + ":predict", rowBody(ins, c.xs()));
                assertEquals(200, r.status(), c.name() + ": " + r.body());
                List<?> preds = (List<?>) r.map().get("predictions");
                int n = c.xs().get(0).dim(0);
                assertEquals(n, preds.size(), c.name() + " predictions");
                for (int i = 0; i < n; i++) {
                    for (int k = 0; k < outs.size(); k++) {
                        Object got = outs.size() == 1 ? preds.get(i) : ((Map<?, ?>) preds.get(i)).get(outs.get(k));
                        assertBits(expected.get(k).slice(i, i + 1), got, c.name() + " row " + i + " output " + outs.get(k));
                    }
                }

                r = post(server, "/v1/models/" + c.name() + ":predict", columnarBody(ins, c.xs()));
                assertEquals(200, r.status(), c.name() + ": " + r.body());
                Object o = r.map().get("outputs");
                for (int k = 0; k < outs.size(); k++) {
                    assertBits(expected.get(k), outs.size() == 1 ? o : ((Map<?, ?>) o).get(outs.get(k)),
                            c.name() + " columnar output " + outs.get(k));
                }
            }
        }
        assertTrue(multiInput >= 2 && multiOutput >= 1, multiInput + " multi-input, " + multiOutput + " multi-output fixtures");
    }

    private static List<String> names(Object tensors) {
        return new ArrayList<>(((Map<?, ?>) tensors).keySet().stream().map(String::valueOf).toList());
    }

    /** {@code {"instances": [...]}}: one entry per instance, an object by input name when there are several. */
    static String rowBody(List<String> ins, List<Tensor> xs) {
        if (ins.size() == 1) {
            return "{\"instances\": " + nested(xs.get(0)) + "}";
        }
        StringBuilder sb = new StringBuilder("{\"instances\": [");
        for (int i = 0; i < xs.get(0).dim(0); i++) {
            sb.append(i > 0 ? ", " : "").append('{');
            for (int k = 0; k < ins.size(); k++) {
                sb.append(k > 0 ? ", " : "").append('"').append(ins.get(k)).append("\": ").append(row(xs.get(k), i));
            }
            sb.append('}');
        }
        return sb.append("]}").toString();
    }

    /** {@code {"inputs": tensor}} or {@code {"inputs": {name: tensor, ...}}}. */
    static String columnarBody(List<String> ins, List<Tensor> xs) {
        if (ins.size() == 1) {
            return "{\"inputs\": " + nested(xs.get(0)) + "}";
        }
        StringBuilder sb = new StringBuilder("{\"inputs\": {");
        for (int k = 0; k < ins.size(); k++) {
            sb.append(k > 0 ? ", " : "").append('"').append(ins.get(k)).append("\": ").append(nested(xs.get(k)));
        }
        return sb.append("}}").toString();
    }
}
