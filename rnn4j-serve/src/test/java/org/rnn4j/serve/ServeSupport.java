package org.rnn4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rnn4j.keras.Json;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.SymbolicTensor;
import org.rnn4j.models.Input;
import org.rnn4j.models.Model;
import org.rnn4j.tensor.Tensor;

/** Loopback HTTP and small models for the server tests. */
final class ServeSupport {
    private ServeSupport() {
    }

    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    record Reply(int status, String body, HttpResponse<String> raw) {
        Object json() {
            try {
                return Json.parse(body, "response");
            } catch (Exception e) {
                throw new AssertionError("response is not JSON: " + body, e);
            }
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> map() {
            return (Map<String, Object>) json();
        }

        String error() {
            Object e = map().get("error");
            assertTrue(e instanceof String, "no error field in " + body);
            return (String) e;
        }
    }

    static Reply post(ModelServer s, String path, String body) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(s.url() + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> r = CLIENT.send(req, HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body(), r);
    }

    static Reply get(ModelServer s, String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(s.url() + path)).timeout(Duration.ofSeconds(60)).GET().build();
        HttpResponse<String> r = CLIENT.send(req, HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body(), r);
    }

    /** A tensor as nested JSON lists with the batch axis (floats written in full). */
    static String nested(Tensor t) {
        StringBuilder sb = new StringBuilder();
        TensorCodec.appendRows(sb, t, 0, t.dim(0));
        return sb.toString();
    }

    static String row(Tensor t, int r) {
        StringBuilder sb = new StringBuilder();
        TensorCodec.appendRow(sb, t, r);
        return sb.toString();
    }

    static String flat(Tensor t) {
        StringBuilder sb = new StringBuilder();
        TensorCodec.appendFlat(sb, t, 0, t.dim(0));
        return sb.toString();
    }

    /** Flattens parsed JSON numbers to float32 values. */
    static float[] floats(Object v) {
        List<Float> out = new ArrayList<>();
        collect(v, out);
        float[] f = new float[out.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = out.get(i);
        }
        return f;
    }

    private static void collect(Object v, List<Float> out) {
        if (v instanceof List) {
            for (Object o : (List<?>) v) {
                collect(o, out);
            }
        } else {
            out.add(((Number) v).floatValue());
        }
    }

    /** Bit-for-bit equality of float32 values. */
    static void assertBits(Tensor expected, Object json, String what) {
        float[] got = floats(json);
        float[] exp = expected.data();
        assertEquals(exp.length, got.length, what + ": value count");
        for (int i = 0; i < exp.length; i++) {
            assertEquals(Float.floatToIntBits(exp[i]), Float.floatToIntBits(got[i]),
                    what + ": value " + i + " expected " + exp[i] + " got " + got[i]);
        }
    }

    static Tensor random(long seed, int... shape) {
        java.util.Random r = new java.util.Random(seed);
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
            d[i] = (float) r.nextGaussian();
        }
        return Tensor.of(d, shape);
    }

    /** One input (4), two Dense heads: "reg" (3) and "cls" (2, softmax). */
    static Model twoHeads() {
        SymbolicTensor in = Input.of(4).name("features");
        SymbolicTensor reg = new Dense(3).name("reg").call(in);
        SymbolicTensor cls = new Dense(2).activation("softmax").name("cls").call(in);
        return new Model(List.of(in), List.of(reg, cls), "two_heads");
    }

    /** Two inputs "a" (4) and "b" (2, 3), each through its own Dense, into two outputs. */
    static Model twoInputs() {
        SymbolicTensor a = Input.of(4).name("a");
        SymbolicTensor b = Input.of(2, 3).name("b");
        SymbolicTensor oa = new Dense(3).name("out_a").call(a);
        SymbolicTensor ob = new Dense(5).activation("tanh").name("out_b").call(b);
        return new Model(List.of(a, b), List.of(oa, ob), "two_inputs");
    }

    /** A single Dense model whose predict sleeps first: stands for a slow model under load. */
    static Model slow(long millis, int units) {
        SymbolicTensor in = Input.of(4).name("x");
        SymbolicTensor out = new Dense(units).name("y").call(in);
        return new Model(List.of(in), List.of(out), "slow") {
            @Override
            public List<Tensor> predict(List<Tensor> xs, int batchSize) {
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.predict(xs, batchSize);
            }
        };
    }
}
