package org.rnn4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnn4j.serve.ServeSupport.assertBits;
import static org.rnn4j.serve.ServeSupport.get;
import static org.rnn4j.serve.ServeSupport.nested;
import static org.rnn4j.serve.ServeSupport.post;
import static org.rnn4j.serve.ServeSupport.row;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rnn4j.io.Npy;
import org.rnn4j.keras.KerasModels;
import org.rnn4j.models.Model;
import org.rnn4j.serve.ServeSupport.Reply;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.SharedFiles;

/** TF Serving and KServe V2 routes on loopback: answers equal {@code Model.predict} bit for bit. */
class ModelServerTest {
    static final String[] FIXTURES = {"lstm_last", "gru_last", "dense_mlp", "conv1d_pool_lstm", "embedding_mask_lstm",
        "bidi_lstm_concat", "td_dense", "lstm_seq"};
    static Path dir;
    static ModelServer server;
    static Model heads;
    static Model twoIn;

    @BeforeAll
    static void start() throws Exception {
        dir = SharedFiles.find("fixtures/keras");
        heads = ServeSupport.twoHeads();
        twoIn = ServeSupport.twoInputs();
        ModelServerBuilder b = ModelServer.builder().port(0).model("heads", heads).model("two_in", twoIn)
                .maxBodyBytes(1 << 20).maxElements(100_000);
        for (String f : FIXTURES) {
            b.model(dir.resolve(f + ".keras"));
        }
        server = b.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void everyFixtureThroughEveryFormatEqualsPredictBitForBit() throws Exception {
        for (String f : FIXTURES) {
            Model m = KerasModels.load(dir.resolve(f + ".keras"));
            Tensor x = Npy.read(dir.resolve(f + ".x.npy"));
            Tensor expected = m.predict(x);
            assertTrue(expected.maxAbsDiff(Npy.read(dir.resolve(f + ".y.npy"))) < 1e-4, f + " vs Keras");
            Reply r = post(server, "/v1/models/" + f + ":predict", "{\"instances\": " + nested(x) + "}");
            assertEquals(200, r.status(), f + ": " + r.body());
            assertBits(expected, r.map().get("predictions"), f + " instances");
            r = post(server, "/v1/models/" + f + ":predict", "{\"signature_name\": \"serving_default\", \"inputs\": " + nested(x) + "}");
            assertEquals(200, r.status(), r.body());
            assertBits(expected, r.map().get("outputs"), f + " inputs");
            int[] s = x.shape();
            String shape = java.util.Arrays.toString(s).replace(" ", "");
            String dtype = f.startsWith("embedding") ? "INT32" : "FP32";
            r = post(server, "/v2/models/" + f + "/infer", "{\"id\": \"q1\", \"inputs\": [{\"name\": \"" + m.inputNames().get(0)
                    + "\", \"shape\": " + shape + ", \"datatype\": \"" + dtype + "\", \"data\": " + ServeSupport.flat(x) + "}]}");
            assertEquals(200, r.status(), r.body());
            Map<String, Object> out = r.map();
            assertEquals("q1", out.get("id"));
            assertEquals(f, out.get("model_name"));
            @SuppressWarnings("unchecked")
            Map<String, Object> o0 = ((List<Map<String, Object>>) out.get("outputs")).get(0);
            assertEquals("FP32", o0.get("datatype"));
            assertBits(expected, o0.get("data"), f + " v2");
            assertEquals(expected.shape().length, ((List<?>) o0.get("shape")).size());
        }
    }

    @Test
    void multiOutputModelAnswersEveryOutputByName() throws Exception {
        Tensor x = ServeSupport.random(1, 5, 4);
        List<Tensor> expected = heads.predict(List.of(x));
        Reply r = post(server, "/v1/models/heads:predict", "{\"instances\": " + nested(x) + "}");
        assertEquals(200, r.status(), r.body());
        List<?> preds = (List<?>) r.map().get("predictions");
        assertEquals(5, preds.size());
        for (int i = 0; i < 5; i++) {
            Map<?, ?> p = (Map<?, ?>) preds.get(i);
            assertEquals(List.of("reg", "cls"), List.copyOf(p.keySet()));
            assertBits(expected.get(0).slice(i, i + 1), p.get("reg"), "reg row " + i);
            assertBits(expected.get(1).slice(i, i + 1), p.get("cls"), "cls row " + i);
        }
        r = post(server, "/v1/models/heads:predict", "{\"inputs\": {\"features\": " + nested(x) + "}}");
        assertEquals(200, r.status(), r.body());
        Map<?, ?> outs = (Map<?, ?>) r.map().get("outputs");
        assertBits(expected.get(0), outs.get("reg"), "columnar reg");
        assertBits(expected.get(1), outs.get("cls"), "columnar cls");
        r = post(server, "/v2/models/heads/infer", "{\"inputs\": [{\"name\": \"features\", \"shape\": [5,4], \"datatype\": \"FP32\","
                + " \"data\": " + nested(x) + "}], \"outputs\": [{\"name\": \"cls\"}]}");
        assertEquals(200, r.status(), r.body());
        List<?> v2 = (List<?>) r.map().get("outputs");
        assertEquals(1, v2.size());
        assertEquals("cls", ((Map<?, ?>) v2.get(0)).get("name"));
        assertBits(expected.get(1), ((Map<?, ?>) v2.get(0)).get("data"), "v2 cls");
    }

    @Test
    void multiInputModelTakesNamedInputsInBothFormats() throws Exception {
        Tensor a = ServeSupport.random(2, 3, 4);
        Tensor b = ServeSupport.random(3, 3, 2, 3);
        List<Tensor> expected = twoIn.predict(List.of(a, b));
        StringBuilder inst = new StringBuilder("{\"instances\": [");
        for (int i = 0; i < 3; i++) {
            inst.append(i > 0 ? "," : "").append("{\"b\": ").append(row(b, i)).append(", \"a\": ").append(row(a, i)).append('}');
        }
        Reply r = post(server, "/v1/models/two_in:predict", inst.append("]}").toString());
        assertEquals(200, r.status(), r.body());
        List<?> preds = (List<?>) r.map().get("predictions");
        for (int i = 0; i < 3; i++) {
            assertBits(expected.get(0).slice(i, i + 1), ((Map<?, ?>) preds.get(i)).get("out_a"), "out_a " + i);
            assertBits(expected.get(1).slice(i, i + 1), ((Map<?, ?>) preds.get(i)).get("out_b"), "out_b " + i);
        }
        r = post(server, "/v1/models/two_in:predict", "{\"inputs\": {\"a\": " + nested(a) + ", \"b\": " + nested(b) + "}}");
        assertEquals(200, r.status(), r.body());
        Map<?, ?> outs = (Map<?, ?>) r.map().get("outputs");
        assertBits(expected.get(0), outs.get("out_a"), "columnar out_a");
        assertBits(expected.get(1), outs.get("out_b"), "columnar out_b");
        r = post(server, "/v2/models/two_in/infer", "{\"inputs\": [{\"name\": \"b\", \"shape\": [3,2,3], \"datatype\": \"FP32\", \"data\": "
                + ServeSupport.flat(b) + "}, {\"name\": \"a\", \"shape\": [3,4], \"datatype\": \"FP32\", \"data\": " + ServeSupport.flat(a) + "}]}");
        assertEquals(200, r.status(), r.body());
        List<?> v2 = (List<?>) r.map().get("outputs");
        assertBits(expected.get(0), ((Map<?, ?>) v2.get(0)).get("data"), "v2 out_a");
        assertBits(expected.get(1), ((Map<?, ?>) v2.get(1)).get("data"), "v2 out_b");
        assertEquals(List.of(3L, 2L, 5L), ((Map<?, ?>) v2.get(1)).get("shape"));
    }

    @Test
    void statusAndMetadataDescribeTheModel() throws Exception {
        Reply r = get(server, "/v1/models/lstm_last");
        assertEquals(200, r.status());
        Map<?, ?> st = (Map<?, ?>) ((List<?>) r.map().get("model_version_status")).get(0);
        assertEquals("1", st.get("version"));
        assertEquals("AVAILABLE", st.get("state"));
        assertEquals(200, get(server, "/v1/models/lstm_last/versions/1").status());
        assertEquals(404, get(server, "/v1/models/lstm_last/versions/7").status());
        r = get(server, "/v1/models/two_in/metadata");
        assertEquals(200, r.status(), r.body());
        Map<?, ?> sig = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) r.map().get("metadata")).get("signature_def"))
                .get("signature_def")).get("serving_default");
        Map<?, ?> b = (Map<?, ?>) ((Map<?, ?>) sig.get("inputs")).get("b");
        assertEquals("DT_FLOAT", b.get("dtype"));
        assertEquals(3, ((List<?>) ((Map<?, ?>) b.get("tensor_shape")).get("dim")).size());
        assertEquals(List.of("out_a", "out_b"), List.copyOf(((Map<?, ?>) sig.get("outputs")).keySet()));
        r = get(server, "/v2/models/embedding_mask_lstm");
        assertEquals(200, r.status(), r.body());
        Map<?, ?> in0 = (Map<?, ?>) ((List<?>) r.map().get("inputs")).get(0);
        String dt = KerasModels.load(dir.resolve("embedding_mask_lstm.keras")).inputs().get(0).dtype();
        assertEquals(dt.equals("int32") ? "INT32" : "FP32", in0.get("datatype"));
        assertEquals(List.of(-1L, 6L), in0.get("shape"));
        assertEquals(200, get(server, "/v2/models/heads/ready").status());
        assertEquals(404, get(server, "/v2/models/nope/ready").status());
        assertEquals(200, get(server, "/v2/health/ready").status());
        r = get(server, "/healthz");
        assertEquals(200, r.status());
        assertEquals("ok", r.map().get("status"));
    }

    @Test
    void badRequestsGetA4xxNamingTheProblem() throws Exception {
        String p = "/v1/models/lstm_last:predict";
        Reply r = post(server, p, "{\"instances\": [[1, 2], ");
        assertEquals(400, r.status());
        assertTrue(r.error().contains("not valid JSON") && r.error().contains("offset"), r.error());
        r = post(server, p, "{\"instances\": [[[1,2,3,4,5]]]}");
        assertEquals(400, r.status());
        assertTrue(r.error().contains("[-1, 4, 6]") && r.error().contains("[1, 1, 5]") && r.error().contains("'lstm_last_input")
                || r.error().contains("input '"), r.error());
        r = post(server, p, "{\"instances\": " + nested(Tensor.zeros(1, 4, 5)) + "}");
        assertEquals(400, r.status());
        assertTrue(r.error().contains("expected shape [-1, 4, 6] but got [1, 4, 5]"), r.error());
        r = post(server, "/v1/models/dense_mlp:predict", "{\"instances\": [[1, 2, 3, \"four\", 5, 6]]}");
        assertEquals(400, r.status());
        assertTrue(r.error().contains("instances[0][3]") && r.error().contains("string") && r.error().contains("expected a number"), r.error());
        r = post(server, "/v1/models/dense_mlp:predict", "{\"instances\": [[1, 2, 3, 4, 5, 6], [1, 2]]}");
        assertEquals(400, r.status());
        assertTrue(r.error().contains("ragged") && r.error().contains("instances[1]"), r.error());
        r = post(server, "/v1/models/dense_mlp:predict", "{\"instances\": [[1, 2, 3, null, 5, 6]]}");
        assertEquals(400, r.status());
        assertTrue(r.error().contains("null"), r.error());
        r = post(server, "/v1/models/two_in:predict", "{\"inputs\": {\"a\": [[1,2,3,4]], \"c\": [[[1,2,3],[4,5,6]]]}}");
        assertEquals(400, r.status());
        assertTrue(r.error().contains("unknown input 'c'") && r.error().contains("[a, b]"), r.error());
        r = post(server, "/v1/models/two_in:predict", "{\"instances\": [[1,2,3,4]]}");
        assertEquals(400, r.status());
        assertTrue(r.error().contains("2 inputs"), r.error());
        r = post(server, "/v1/models/two_in:predict", "{\"inputs\": {\"a\": [[1,2,3,4]], \"b\": [[[1,2,3],[4,5,6]], [[1,2,3],[4,5,6]]]}}");
        assertEquals(400, r.status());
        assertTrue(r.error().contains("different batch sizes"), r.error());
        r = post(server, "/v1/models/embedding_mask_lstm:predict", "{\"instances\": [[1, 2, 3.5, 0, 0, 0]]}");
        assertEquals(400, r.status());
        // int32 inputs refuse fractions (the loader may type the input float32: then the Embedding refuses it)
        assertTrue(r.error().contains("integer") || r.error().contains("whole number"), r.error());
        r = post(server, p, "{\"examples\": []}");
        assertEquals(400, r.status());
        assertTrue(r.error().contains("'examples'"), r.error());
        r = post(server, p, "{\"instances\": []}");
        assertEquals(400, r.status());
        r = post(server, p, "[1, 2]");
        assertEquals(400, r.status());
        r = post(server, p, "");
        assertEquals(400, r.status());
        r = post(server, "/v2/models/dense_mlp/infer", "{\"inputs\": [{\"name\": \"x\", \"shape\": [1,6], \"datatype\": \"FP32\", \"data\": [1]}]}");
        assertEquals(400, r.status());
        assertTrue(r.error().contains("unknown input 'x'"), r.error());
        String in = KerasModels.load(dir.resolve("dense_mlp.keras")).inputNames().get(0);
        r = post(server, "/v2/models/dense_mlp/infer", "{\"inputs\": [{\"name\": \"" + in + "\", \"shape\": [1,6], \"datatype\": \"FP32\", \"data\": [1]}]}");
        assertEquals(400, r.status());
        assertTrue(r.error().contains("needs 6 values"), r.error());
        r = post(server, "/v2/models/dense_mlp/infer", "{\"inputs\": [{\"name\": \"" + in + "\", \"shape\": [1,6], \"datatype\": \"BYTES\", \"data\": [\"a\"]}]}");
        assertEquals(400, r.status());
        r = post(server, "/v1/models/nope:predict", "{\"instances\": [[1]]}");
        assertEquals(404, r.status());
        assertTrue(r.error().contains("'nope' not found"), r.error());
        assertEquals(405, get(server, "/v1/models/dense_mlp:predict").status());
        assertEquals(404, get(server, "/v3/whatever").status());
        // Deep nesting: refused by the parser's depth bound, not a stack overflow.
        r = post(server, p, "{\"instances\": " + "[".repeat(5000) + "]".repeat(5000) + "}");
        assertEquals(400, r.status());
        assertTrue(r.error().contains("nesting"), r.error());
        // Over the body limit (1 MiB here): 413 before parsing.
        r = post(server, p, "{\"instances\": [" + "0,".repeat(600_000) + "0]}");
        assertEquals(413, r.status());
        assertTrue(r.error().contains("limit"), r.error());
        // Over the element limit (100,000 values).
        r = post(server, "/v1/models/dense_mlp:predict", "{\"instances\": " + nested(Tensor.zeros(20_000, 6)) + "}");
        assertEquals(413, r.status(), r.body());
        String metrics = get(server, "/metrics").body();
        assertTrue(metrics.contains("rnn4j_serve_requests_total{route=\"tf_predict\",code=\"400\"}"), metrics);
        assertTrue(metrics.contains("rnn4j_serve_requests_total{route=\"tf_predict\",code=\"413\"}"), metrics);
        assertTrue(metrics.contains("rnn4j_serve_request_duration_seconds_bucket{route=\"tf_predict\",le=\"+Inf\"}"), metrics);
        assertTrue(metrics.contains("rnn4j_serve_queue_depth{model=\"lstm_last\"} 0"), metrics);
    }
}
