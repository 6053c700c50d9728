package org.rnn4j.serve;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rnn4j.models.Model;

/**
 * {@link ModelServer}'s options, with TensorFlow Serving's batching names where they exist
 * ({@code max_batch_size}, {@code batch_timeout_micros}, {@code num_batch_threads}); the request
 * handlers read them once the server is built.
 */
public final class ModelServerBuilder {
    final Map<String, Object> models = new LinkedHashMap<>();
    String host = "127.0.0.1";
    int port = ModelServer.DEFAULT_PORT;
    int backlog = 256;
    int maxBatchSize = 32;
    long batchTimeoutMicros = 1000;
    int batchThreads = Runtime.getRuntime().availableProcessors();
    int maxQueueSize = 1024;
    int httpThreads = 128;
    long maxBodyBytes = 16L << 20;
    long maxElements = 4L << 20;
    int maxInstances = 65536;
    long requestTimeoutMillis = 30_000;
    long watchMillis;
    boolean serialPredict;
    Duration shutdownGrace = Duration.ofSeconds(10);
    ModelLoader loader = ModelLoader.keras();

    ModelServerBuilder() {
    }

    /** Serves the model file at {@code path} (Keras {@code .keras} or {@code .h5}) as {@code name}; reloadable. */
    public ModelServerBuilder model(String name, Path path) {
        return put(name, path);
    }

    /** Serves a model object as {@code name} (replace it with {@link ModelServer#swap}). */
    public ModelServerBuilder model(String name, Model model) {
        return put(name, model);
    }

    /** Serves a file under its stem ({@code forecast.keras} as {@code forecast}). */
    public ModelServerBuilder model(Path path) {
        return model(stem(path), path);
    }

    private ModelServerBuilder put(String name, Object m) {
        if (name == null || name.isEmpty() || name.contains("/") || name.contains(":")) {
            throw new IllegalArgumentException("bad model name '" + name + "': use letters, digits, '-', '_' or '.'");
        }
        if (models.containsKey(name)) {
            throw new IllegalArgumentException("model name '" + name + "' is given twice");
        }
        models.put(name, java.util.Objects.requireNonNull(m, "model"));
        return this;
    }

    public static String stem(Path p) {
        String f = p.getFileName().toString();
        int dot = f.lastIndexOf('.');
        return dot > 0 ? f.substring(0, dot) : f;
    }

    /** Interface to bind; 127.0.0.1 by default. */
    public ModelServerBuilder host(String h) {
        host = h;
        return this;
    }

    /** 0 picks a free port ({@link ModelServer#port()}). */
    public ModelServerBuilder port(int p) {
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + p);
        }
        port = p;
        return this;
    }

    /** Most instances merged into one model call; 1 turns batching off. */
    public ModelServerBuilder maxBatchSize(int n) {
        maxBatchSize = positive(n, "maxBatchSize");
        return this;
    }

    /** Longest a request waits for others to join its batch. */
    public ModelServerBuilder batchTimeoutMicros(long micros) {
        if (micros < 0) {
            throw new IllegalArgumentException("batchTimeoutMicros must be >= 0, got " + micros);
        }
        batchTimeoutMicros = micros;
        return this;
    }

    /** Model calls running at once per model (TF Serving's num_batch_threads). */
    public ModelServerBuilder batchThreads(int n) {
        batchThreads = positive(n, "batchThreads");
        return this;
    }

    /** Requests waiting per model before new ones get 503 + Retry-After. */
    public ModelServerBuilder maxQueueSize(int n) {
        maxQueueSize = positive(n, "maxQueueSize");
        return this;
    }

    public ModelServerBuilder httpThreads(int n) {
        httpThreads = positive(n, "httpThreads");
        return this;
    }

    /** Larger bodies get 413. */
    public ModelServerBuilder maxBodyBytes(long n) {
        maxBodyBytes = positive(n, "maxBodyBytes");
        return this;
    }

    /** Most values in one input tensor of one request (413 past it). */
    public ModelServerBuilder maxElements(long n) {
        maxElements = positive(n, "maxElements");
        return this;
    }

    /** Most instances in one request (413 past it). */
    public ModelServerBuilder maxInstances(int n) {
        maxInstances = positive(n, "maxInstances");
        return this;
    }

    /** A request not answered within this is answered 503 + Retry-After (and not computed if still queued). */
    public ModelServerBuilder requestTimeoutMillis(long ms) {
        requestTimeoutMillis = positive(ms, "requestTimeoutMillis");
        return this;
    }

    /** Polls model files this often and reloads a changed one (0, the default: off). */
    public ModelServerBuilder watchMillis(long ms) {
        if (ms < 0) {
            throw new IllegalArgumentException("watchMillis must be >= 0, got " + ms);
        }
        watchMillis = ms;
        return this;
    }

    /** Serialises predict calls per model even when every layer is stateless. */
    public ModelServerBuilder serialPredict(boolean on) {
        serialPredict = on;
        return this;
    }

    /** How long {@link ModelServer#close()} waits for requests in flight. */
    public ModelServerBuilder shutdownGrace(Duration d) {
        shutdownGrace = d;
        return this;
    }

    public ModelServerBuilder loader(ModelLoader l) {
        loader = java.util.Objects.requireNonNull(l);
        return this;
    }

    /** Loads every model (any failure: nothing starts) and starts accepting requests. */
    public ModelServer start() throws IOException {
        return new ModelServer(this);
    }

    private static int positive(int n, String what) {
        if (n <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + n);
        }
        return n;
    }

    private static long positive(long n, String what) {
        if (n <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + n);
        }
        return n;
    }
}
