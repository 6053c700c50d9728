package org.rnn4j.serve;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/** The server's counters in Prometheus's text exposition format (version 0.0.4). */
final class Metrics {
    static final double[] LATENCY_BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};

    /** A cumulative histogram; observations are lock-free. */
    static final class Histogram {
        final double[] bounds;
        final LongAdder[] counts;
        final LongAdder count = new LongAdder();
        final java.util.concurrent.atomic.DoubleAdder sum = new java.util.concurrent.atomic.DoubleAdder();

        Histogram(double[] bounds) {
            this.bounds = bounds;
            this.counts = new LongAdder[bounds.length];
            for (int i = 0; i < bounds.length; i++) {
                counts[i] = new LongAdder();
            }
        }

        void observe(double v) {
            for (int i = 0; i < bounds.length; i++) {
                if (v <= bounds[i]) {
                    counts[i].increment();
                    break;
                }
            }
            count.increment();
            sum.add(v);
        }

        /** Count of observations with value <= bounds[i] (cumulative). */
        long cumulative(int i) {
            long c = 0;
            for (int k = 0; k <= i; k++) {
                c += counts[k].sum();
            }
            return c;
        }
    }

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
    private final Map<String, Histogram> batchSizes = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> reloads = new ConcurrentHashMap<>();
    private final Map<String, Supplier<Number>> gauges = new ConcurrentHashMap<>();
    final AtomicLong inFlight = new AtomicLong();

    void request(String route, int status, double seconds) {
        requests.computeIfAbsent(labels("route", route, "code", Integer.toString(status)), k -> new LongAdder()).increment();
        latency.computeIfAbsent(labels("route", route), k -> new Histogram(LATENCY_BUCKETS)).observe(seconds);
    }

    void batch(String model, int rows) {
        batchSizes.computeIfAbsent(labels("model", model), k -> new Histogram(BATCH_BUCKETS)).observe(rows);
    }

    void reload(String model, boolean ok) {
        reloads.computeIfAbsent(labels("model", model, "result", ok ? "ok" : "refused"), k -> new LongAdder()).increment();
    }

    /** A gauge read when scraped, e.g. {@code rnn4j_serve_queue_depth{model="m"}}. */
    void gauge(String nameAndLabels, Supplier<Number> value) {
        gauges.put(nameAndLabels, value);
    }

    /** The batch-size histogram of a model (tests and the load generator read it). */
    Histogram batchSizes(String model) {
        return batchSizes.get(labels("model", model));
    }

    static String labels(String... kv) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < kv.length; i += 2) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(kv[i]).append("=\"").append(kv[i + 1].replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
                    .append('"');
        }
        return sb.append('}').toString();
    }

    String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("# HELP rnn4j_serve_requests_total HTTP requests answered, by route and status code.\n");
        sb.append("# TYPE rnn4j_serve_requests_total counter\n");
        for (Map.Entry<String, LongAdder> e : new TreeMap<>(requests).entrySet()) {
            sb.append("rnn4j_serve_requests_total").append(e.getKey()).append(' ').append(e.getValue().sum()).append('\n');
        }
        histogram(sb, "rnn4j_serve_request_duration_seconds", "Request latency from first byte read to response written.", latency);
        histogram(sb, "rnn4j_serve_batch_size", "Instances per model call after adaptive batching.", batchSizes);
        sb.append("# HELP rnn4j_serve_reloads_total Model reloads, by result.\n");
        sb.append("# TYPE rnn4j_serve_reloads_total counter\n");
        for (Map.Entry<String, LongAdder> e : new TreeMap<>(reloads).entrySet()) {
            sb.append("rnn4j_serve_reloads_total").append(e.getKey()).append(' ').append(e.getValue().sum()).append('\n');
        }
        sb.append("# HELP rnn4j_serve_in_flight Requests being handled.\n# TYPE rnn4j_serve_in_flight gauge\n");
        sb.append("rnn4j_serve_in_flight ").append(inFlight.get()).append('\n');
        String lastName = null;
        for (Map.Entry<String, Supplier<Number>> e : new TreeMap<>(gauges).entrySet()) {
            String name = e.getKey().substring(0, e.getKey().indexOf('{'));
            if (!name.equals(lastName)) {
                sb.append("# TYPE ").append(name).append(" gauge\n");
                lastName = name;
            }
            sb.append(e.getKey()).append(' ').append(e.getValue().get()).append('\n');
        }
        return sb.toString();
    }

    private static void histogram(StringBuilder sb, String name, String help, Map<String, Histogram> hs) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" histogram\n");
        for (Map.Entry<String, Histogram> e : new TreeMap<>(hs).entrySet()) {
            String l = e.getKey();
            String inner = l.substring(1, l.length() - 1);
            Histogram h = e.getValue();
            for (int i = 0; i < h.bounds.length; i++) {
                sb.append(name).append("_bucket{").append(inner).append(",le=\"").append(fmt(h.bounds[i])).append("\"} ")
                        .append(h.cumulative(i)).append('\n');
            }
            sb.append(name).append("_bucket{").append(inner).append(",le=\"+Inf\"} ").append(h.count.sum()).append('\n');
            sb.append(name).append("_sum").append(l).append(' ').append(h.sum.sum()).append('\n');
            sb.append(name).append("_count").append(l).append(' ').append(h.count.sum()).append('\n');
        }
    }

    private static String fmt(double d) {
        return new java.math.BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
    }
}
