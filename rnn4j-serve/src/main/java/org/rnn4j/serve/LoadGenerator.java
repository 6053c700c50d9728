package org.rnn4j.serve;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import org.rnn4j.tensor.Tensor;

/**
 * A closed-loop load generator for a running server: N clients on loopback, each sending one
 * TF Serving row-format request at a time for a fixed time; prints requests/s, latency percentiles,
 * status counts and the server's batch-size histogram over the run (from {@code /metrics}).
 *
 * <pre>java -cp rnn4j-cli-all.jar org.rnn4j.serve.LoadGenerator --url http://127.0.0.1:8501 --model w1
 *      --instances 1 --concurrency 1,8,64 --seconds 20 [--input x.npy]</pre>
 * Without {@code --input}, instances are random normal values of the model's input shape (from its metadata).
 */
public final class LoadGenerator {
    private LoadGenerator() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new TreeMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String url = a.getOrDefault("url", "http://127.0.0.1:8501");
        String model = a.get("model");
        int instances = Integer.parseInt(a.getOrDefault("instances", "1"));
        double seconds = Double.parseDouble(a.getOrDefault("seconds", "10"));
        double warmup = Double.parseDouble(a.getOrDefault("warmup", "3"));
        String label = a.getOrDefault("label", "");
        HttpClient client = client();
        String body = body(client, url, model, instances, a.get("input"));
        for (String c : a.getOrDefault("concurrency", "1,8,64").split(",")) {
            int n = Integer.parseInt(c.trim());
            Result r = measure(client, url, model, body, n, warmup, seconds);
            System.out.println(label + " clients=" + n + " instances/req=" + instances + ": " + r.summary(instances));
        }
    }

    /** A loopback HTTP/1.1 client as the load generator uses it. */
    public static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /**
     * {@code clients} closed-loop clients POST {@code body} to {@code model}'s predict route for
     * {@code warmupSeconds} (not measured), then for {@code seconds} (measured).
     */
    public static Result measure(HttpClient client, String url, String model, String body, int clients,
                                 double warmupSeconds, double seconds) throws Exception {
        if (warmupSeconds > 0) {
            run(client, url, model, body, clients, warmupSeconds, false);
        }
        return run(client, url, model, body, clients, seconds, true);
    }

    /** A TF Serving row-format body of {@code instances} random instances shaped like the model's first input. */
    public static String randomBody(HttpClient client, String url, String model, int instances) throws Exception {
        return body(client, url, model, instances, null);
    }

    /** One measured run: requests, statuses (-1: connection error), latencies and the server's batch sizes. */
    public static final class Result {
        long count;
        double seconds;
        long[] latNanos;
        Map<Integer, Long> statuses = new TreeMap<>();
        String batchHistogram = "";
        double meanBatch;

        public long count() {
            return count;
        }

        public double requestsPerSecond() {
            return count / seconds;
        }

        /** Status code -> count; -1 counts requests that got no answer (reset, refused, timeout). */
        public Map<Integer, Long> statuses() {
            return statuses;
        }

        /** Batches by size over the run, e.g. {@code {<=1: 20, <=2: 7}} (bucket upper bounds). */
        public String batchHistogram() {
            return batchHistogram;
        }

        public double meanBatch() {
            return meanBatch;
        }

        public String summary(int instances) {
            return String.format(Locale.ROOT,
                    "%.0f req/s (%.0f instances/s), p50 %.2f ms, p99 %.2f ms, max %.1f ms, status %s, batches %s (mean %.1f)",
                    count / seconds, count * instances / seconds, p(0.50), p(0.99), p(1.0), statuses, batchHistogram, meanBatch);
        }

        /** The latency quantile {@code q} in milliseconds. */
        public double p(double q) {
            if (latNanos.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.min(latNanos.length - 1, Math.ceil(q * latNanos.length) - 1);
            return latNanos[Math.max(0, i)] / 1e6;
        }
    }

    private static Result run(HttpClient client, String url, String model, String body, int clients, double seconds,
                              boolean measure) throws Exception {
        Map<String, Double> before = batchMetrics(client, url, model);
        HttpRequest req = HttpRequest.newBuilder(URI.create(url + "/v1/models/" + model + ":predict"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        List<long[]> lats = new ArrayList<>();
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(clients);
        long t0 = System.nanoTime();
        for (int i = 0; i < clients; i++) {
            long[][] mine = {new long[1024]};
            int[] n = {0};
            Thread t = new Thread(() -> {
                try {
                    while (System.nanoTime() < end) {
                        long s = System.nanoTime();
                        int code;
                        try {
                            code = client.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
                        } catch (Exception e) {
                            code = -1; // reset / refused
                        }
                        long d = System.nanoTime() - s;
                        statuses.computeIfAbsent(code, k -> new LongAdder()).increment();
                        if (n[0] == mine[0].length) {
                            mine[0] = Arrays.copyOf(mine[0], n[0] * 2);
                        }
                        mine[0][n[0]++] = d;
                    }
                } finally {
                    synchronized (lats) {
                        lats.add(Arrays.copyOf(mine[0], n[0]));
                    }
                    done.countDown();
                }
            });
            t.setDaemon(true);
            t.start();
        }
        done.await();
        Result r = new Result();
        r.seconds = (System.nanoTime() - t0) / 1e9;
        if (!measure) {
            return r;
        }
        int total = 0;
        for (long[] l : lats) {
            total += l.length;
        }
        r.latNanos = new long[total];
        int off = 0;
        for (long[] l : lats) {
            System.arraycopy(l, 0, r.latNanos, off, l.length);
            off += l.length;
        }
        Arrays.sort(r.latNanos);
        r.count = total;
        statuses.forEach((k, v) -> r.statuses.put(k, v.sum()));
        Map<String, Double> after = batchMetrics(client, url, model);
        StringBuilder h = new StringBuilder("{");
        double prev = 0;
        for (String le : after.keySet()) {
            if (!le.startsWith("le=")) {
                continue;
            }
            double cum = after.get(le) - before.getOrDefault(le, 0.0);
            if (cum - prev > 0) {
                h.append(h.length() > 1 ? ", " : "").append("<=").append(le.substring(3)).append(": ").append((long) (cum - prev));
            }
            prev = cum;
        }
        r.batchHistogram = h.append('}').toString();
        double cnt = after.getOrDefault("count", 0.0) - before.getOrDefault("count", 0.0);
        double sum = after.getOrDefault("sum", 0.0) - before.getOrDefault("sum", 0.0);
        r.meanBatch = cnt == 0 ? 0 : sum / cnt;
        return r;
    }

    /** The model's batch-size histogram from /metrics: le=BOUND (sorted by bound) -> cumulative, count, sum. */
    private static Map<String, Double> batchMetrics(HttpClient client, String url, String model) throws Exception {
        String text = client.send(HttpRequest.newBuilder(URI.create(url + "/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Double> out = new TreeMap<>((x, y) -> {
            double dx = x.startsWith("le=") ? bound(x) : Double.MAX_VALUE;
            double dy = y.startsWith("le=") ? bound(y) : Double.MAX_VALUE;
            return dx != dy ? Double.compare(dx, dy) : x.compareTo(y);
        });
        String key = "model=\"" + model + "\"";
        for (String line : text.split("\n")) {
            if (!line.startsWith("rnn4j_serve_batch_size") || !line.contains(key)) {
                continue;
            }
            double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            if (line.startsWith("rnn4j_serve_batch_size_bucket")) {
                String le = line.substring(line.indexOf("le=\"") + 4, line.lastIndexOf('"'));
                if (!le.equals("+Inf")) {
                    out.put("le=" + le, v);
                }
            } else if (line.startsWith("rnn4j_serve_batch_size_count")) {
                out.put("count", v);
            } else if (line.startsWith("rnn4j_serve_batch_size_sum")) {
                out.put("sum", v);
            }
        }
        return out;
    }

    private static double bound(String le) {
        return Double.parseDouble(le.substring(3));
    }

    private static String body(HttpClient client, String url, String model, int instances, String input) throws Exception {
        Tensor x;
        if (input != null) {
            x = org.rnn4j.io.Npy.read(Path.of(input));
            int[] s = x.shape();
            List<Tensor> rows = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                rows.add(x.slice(i % s[0], i % s[0] + 1));
            }
            x = Tensor.concatRows(rows);
        } else {
            String meta = client.send(HttpRequest.newBuilder(URI.create(url + "/v2/models/" + model)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Map<?, ?> m = (Map<?, ?>) org.rnn4j.keras.Json.parse(meta, "metadata");
            List<?> shape = (List<?>) ((Map<?, ?>) ((List<?>) m.get("inputs")).get(0)).get("shape");
            int[] s = new int[shape.size()];
            s[0] = instances;
            int n = instances;
            for (int i = 1; i < s.length; i++) {
                s[i] = Math.max(1, ((Number) shape.get(i)).intValue());
                n *= s[i];
            }
            java.util.Random r = new java.util.Random(1);
            float[] d = new float[n];
            for (int i = 0; i < n; i++) {
                d[i] = (float) r.nextGaussian();
            }
            x = Tensor.of(d, s);
        }
        StringBuilder sb = new StringBuilder("{\"instances\": ");
        TensorCodec.appendRows(sb, x, 0, x.dim(0));
        return sb.append('}').toString();
    }
}
