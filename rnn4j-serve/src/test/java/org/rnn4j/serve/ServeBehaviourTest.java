package org.rnn4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnn4j.serve.ServeSupport.assertBits;
import static org.rnn4j.serve.ServeSupport.get;
import static org.rnn4j.serve.ServeSupport.nested;
import static org.rnn4j.serve.ServeSupport.post;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.io.Npy;
import org.rnn4j.keras.KerasModels;
import org.rnn4j.models.Model;
import org.rnn4j.serve.ServeSupport.Reply;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.SharedFiles;

/** Batching, overload, timeouts, hot reload, graceful shutdown and a bounded fuzz of the request parser. */
class ServeBehaviourTest {
    @Test
    void concurrentRequestsAreMergedIntoBatchesAndSplitBackExactly() throws Exception {
        Model heads = ServeSupport.twoHeads();
        int clients = 16;
        try (ModelServer s = ModelServer.builder().port(0).model("m", heads).maxBatchSize(64)
                .batchTimeoutMicros(300_000).batchThreads(1).start()) {
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            List<Future<Reply>> replies = new ArrayList<>();
            List<Tensor> xs = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                Tensor x = ServeSupport.random(100 + i, 1 + i % 3, 4);
                xs.add(x);
                replies.add(pool.submit(() -> post(s, "/v1/models/m:predict", "{\"instances\": " + nested(x) + "}")));
            }
            int rows = 0;
            for (int i = 0; i < clients; i++) {
                Reply r = replies.get(i).get();
                assertEquals(200, r.status(), r.body());
                List<Tensor> expected = heads.predict(List.of(xs.get(i)));
                List<?> preds = (List<?>) r.map().get("predictions");
                assertEquals(xs.get(i).dim(0), preds.size());
                for (int k = 0; k < preds.size(); k++) {
                    assertBits(expected.get(0).slice(k, k + 1), ((java.util.Map<?, ?>) preds.get(k)).get("reg"), "client " + i);
                    assertBits(expected.get(1).slice(k, k + 1), ((java.util.Map<?, ?>) preds.get(k)).get("cls"), "client " + i);
                }
                rows += xs.get(i).dim(0);
            }
            pool.shutdown();
            long[] stats = s.batchStats("m");
            assertEquals(rows, stats[1], "every instance went through exactly one batch");
            assertTrue(stats[0] < clients, "requests were merged: " + stats[0] + " batches for " + clients + " requests");
            String metrics = get(s, "/metrics").body();
            assertTrue(metrics.contains("rnn4j_serve_batch_size_count{model=\"m\"} " + stats[0]), metrics);
            assertTrue(metrics.contains("rnn4j_serve_batch_size_sum{model=\"m\"} " + rows + ".0"), metrics);
        }
    }

    @Test
    void aFullQueueAnswers503WithRetryAfterAndTimeoutsAre503() throws Exception {
        try (ModelServer s = ModelServer.builder().port(0).model("slow", ServeSupport.slow(400, 2)).maxBatchSize(1)
                .batchThreads(1).maxQueueSize(2).start()) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                replies.add(pool.submit(() -> post(s, "/v1/models/slow:predict", "{\"instances\": [[1, 2, 3, 4]]}")));
            }
            int ok = 0;
            int busy = 0;
            for (Future<Reply> f : replies) {
                Reply r = f.get();
                if (r.status() == 200) {
                    ok++;
                } else {
                    assertEquals(503, r.status(), r.body());
                    assertEquals("1", r.raw().headers().firstValue("Retry-After").orElse(null));
                    assertTrue(r.error().contains("overloaded"), r.error());
                    busy++;
                }
            }
            pool.shutdown();
            assertTrue(ok >= 1 && busy >= 1, ok + " answered, " + busy + " refused");
        }
        try (ModelServer s = ModelServer.builder().port(0).model("slow", ServeSupport.slow(1500, 2))
                .requestTimeoutMillis(200).start()) {
            Reply r = post(s, "/v1/models/slow:predict", "{\"instances\": [[1, 2, 3, 4]]}");
            assertEquals(503, r.status(), r.body());
            assertTrue(r.error().contains("timeout"), r.error());
            assertTrue(r.raw().headers().firstValue("Retry-After").isPresent());
        }
    }

    @Test
    void hotReloadSwapsAtomicallyAndABadFileIsRefused(@TempDir Path tmp) throws Exception {
        Path fx = SharedFiles.find("fixtures/keras");
        Path file = tmp.resolve("model.keras");
        Files.copy(fx.resolve("lstm_last.keras"), file);
        Tensor x = Npy.read(fx.resolve("lstm_last.x.npy"));
        Tensor lstmY = KerasModels.load(fx.resolve("lstm_last.keras")).predict(x);
        Tensor gruY = KerasModels.load(fx.resolve("gru_last.keras")).predict(x);
        String body = "{\"instances\": " + nested(x) + "}";
        try (ModelServer s = ModelServer.builder().port(0).model(file).watchMillis(100).start()) {
            assertEquals("model", s.modelNames().get(0));
            assertBits(lstmY, post(s, "/v1/models/model:predict", body).map().get("predictions"), "v1");
            // A corrupt file: the POST reload is refused and version 1 keeps serving.
            Path bad = tmp.resolve("bad.tmp");
            Files.write(bad, "not a model".getBytes());
            Files.move(bad, file, StandardCopyOption.REPLACE_EXISTING);
            Reply r = post(s, "/v1/models/model:reload", "");
            assertEquals(422, r.status(), r.body());
            assertTrue(r.error().contains("refused") && r.error().contains("still serving version 1"), r.error());
            Thread.sleep(400); // the watcher saw the bad file too and left it alone
            assertEquals(1, s.version("model"));
            assertBits(lstmY, post(s, "/v1/models/model:predict", body).map().get("predictions"), "still v1");
            // A good new file: the watcher swaps it in.
            Path good = tmp.resolve("good.tmp");
            Files.copy(fx.resolve("gru_last.keras"), good);
            Files.move(good, file, StandardCopyOption.REPLACE_EXISTING);
            long end = System.currentTimeMillis() + 20_000;
            while (s.version("model") == 1 && System.currentTimeMillis() < end) {
                Thread.sleep(50);
            }
            assertEquals(2, s.version("model"));
            assertBits(gruY, post(s, "/v1/models/model:predict", body).map().get("predictions"), "v2");
            r = post(s, "/v2/repository/models/model/load", "");
            assertEquals(200, r.status(), r.body());
            assertEquals("3", r.map().get("version"));
            assertEquals("3", ((java.util.Map<?, ?>) ((List<?>) get(s, "/v1/models/model").map().get("model_version_status"))
                    .get(0)).get("version"));
            assertTrue(get(s, "/metrics").body().contains("rnn4j_serve_reloads_total{model=\"model\",result=\"refused\"}"));
        }
    }

    @Test
    void requestsInFlightFinishOnTheOldVersion() throws Exception {
        Model slow = ServeSupport.slow(600, 2);
        Model next = ServeSupport.slow(0, 2);
        Tensor x = ServeSupport.random(7, 2, 4);
        Tensor oldY = slow.predict(List.of(x)).get(0);
        Tensor newY = next.predict(List.of(x)).get(0);
        assertTrue(oldY.maxAbsDiff(newY) > 0);
        try (ModelServer s = ModelServer.builder().port(0).model("m", slow).start()) {
            String body = "{\"instances\": " + nested(x) + "}";
            CompletableFuture<Reply> inFlight = CompletableFuture.supplyAsync(() -> call(s, body));
            Thread.sleep(200);
            assertEquals(2, s.swap("m", next));
            assertBits(newY, post(s, "/v1/models/m:predict", body).map().get("predictions"), "after swap");
            Reply r = inFlight.get();
            assertEquals(200, r.status(), r.body());
            assertBits(oldY, r.map().get("predictions"), "in flight");
        }
    }

    @Test
    void shutdownFinishesRequestsInFlightAndRefusesNewOnes() throws Exception {
        ModelServer s = ModelServer.builder().port(0).model("m", ServeSupport.slow(700, 2)).start();
        String body = "{\"instances\": [[1, 2, 3, 4]]}";
        List<CompletableFuture<Reply>> inFlight = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            inFlight.add(CompletableFuture.supplyAsync(() -> call(s, body)));
        }
        Thread.sleep(250);
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> s.stop(Duration.ofSeconds(20)));
        Thread.sleep(100);
        Reply late = call(s, "{\"instances\": [[1, 2, 3, 4]]}");
        assertTrue(late == null || late.status() == 503, "a request during shutdown is refused");
        for (CompletableFuture<Reply> f : inFlight) {
            Reply r = f.get();
            assertEquals(200, r.status(), r.body());
        }
        stopping.get();
        assertThrows(java.io.IOException.class, () -> post(s, "/v1/models/m:predict", body));
    }

    @Test
    void fuzzedBodiesAlwaysGetA4xxJsonError() throws Exception {
        Model heads = ServeSupport.twoHeads();
        try (ModelServer s = ModelServer.builder().port(0).model("m", heads).model("two", ServeSupport.twoInputs())
                .maxBodyBytes(64 << 10).start()) {
            String[] seeds = {
                "{\"instances\": [[1,2,3,4]]}", "{\"inputs\": {\"features\": [[1,2,3,4]]}}",
                "{\"inputs\": {\"a\": [[1,2,3,4]], \"b\": [[[1,2,3],[4,5,6]]]}}",
                "{\"inputs\": [{\"name\": \"features\", \"shape\": [1,4], \"datatype\": \"FP32\", \"data\": [1,2,3,4]}]}",
            };
            String[] paths = {"/v1/models/m:predict", "/v1/models/m:predict", "/v1/models/two:predict", "/v2/models/m/infer"};
            String alphabet = "[]{}\",:0123456789.-eE truefalsnulNaInfity\\u";
            Random rnd = new Random(11);
            long end = System.currentTimeMillis() + 20_000;
            int n = 0;
            for (; n < 400 && System.currentTimeMillis() < end; n++) {
                int k = rnd.nextInt(seeds.length);
                StringBuilder b = new StringBuilder(seeds[k]);
                int edits = 1 + rnd.nextInt(4);
                for (int e = 0; e < edits; e++) {
                    int at = rnd.nextInt(b.length() + 1);
                    switch (rnd.nextInt(4)) {
                        case 0 -> b.insert(at, alphabet.charAt(rnd.nextInt(alphabet.length())));
                        case 1 -> { if (at < b.length()) b.deleteCharAt(at); }
                        case 2 -> b.insert(at, "[".repeat(rnd.nextInt(400)));
                        default -> b.insert(at, rnd.nextBoolean() ? "1e999" : "\"x\"");
                    }
                }
                Reply r = post(s, paths[k], b.toString());
                assertTrue(r.status() == 200 || (r.status() >= 400 && r.status() < 500), r.status() + " for " + b + ": " + r.body());
                if (r.status() != 200) {
                    assertTrue(r.error().length() > 5);
                    assertTrue(!r.body().contains("Exception") || r.body().contains("refused"), r.body());
                }
            }
            assertTrue(n >= 50, "fuzz ran " + n + " cases");
            assertEquals(200, get(s, "/healthz").status());
        }
    }

    private static Reply call(ModelServer s, String body) {
        try {
            return post(s, "/v1/models/m:predict", body);
        } catch (Exception e) {
            return null;
        }
    }
}
