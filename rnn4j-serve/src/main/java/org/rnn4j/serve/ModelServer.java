package org.rnn4j.serve;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.rnn4j.models.Model;

/**
 * Serves models over HTTP on the JDK's own server ({@code com.sun.net.httpserver}), with TensorFlow
 * Serving's REST API ({@code /v1/models/NAME:predict}, status, metadata), KServe's V2 inference
 * protocol ({@code /v2/models/NAME/infer}, ready, metadata), {@code /healthz}, Prometheus
 * {@code /metrics}, adaptive batching, hot reload and graceful shutdown. This class owns the
 * lifecycle; {@link Router}, {@link TfServingApi}, {@link KServeApi} answer requests.
 *
 * <pre>{@code
 * ModelServer server = ModelServer.builder()
 *         .model("forecast", Path.of("forecast.keras"))
 *         .port(8501).maxBatchSize(32).batchTimeoutMicros(1000)
 *         .start();
 * ...
 * server.close(); // finishes the requests in flight
 * }</pre>
 */
public final class ModelServer implements AutoCloseable {
    /** Builder defaults. */
    public static final int DEFAULT_PORT = 8501;

    private final ModelServerBuilder cfg;
    private final Metrics metrics = new Metrics();
    private final ModelSlots models;
    private final HttpServer http;
    private final ExecutorService httpThreads;
    private final ScheduledExecutorService watcher;
    private volatile boolean draining;
    private volatile boolean stopped;

    ModelServer(ModelServerBuilder b) throws IOException {
        this.cfg = b;
        if (b.models.isEmpty()) {
            throw new IllegalArgumentException("no model to serve: add one with model(name, path)");
        }
        models = new ModelSlots(b.loader, metrics);
        for (Map.Entry<String, Object> e : b.models.entrySet()) {
            String name = e.getKey();
            Path path = e.getValue() instanceof Path ? (Path) e.getValue() : null;
            Batcher batcher = new Batcher(name, b.maxBatchSize, b.batchTimeoutMicros, b.maxQueueSize, b.batchThreads, metrics);
            ModelSlot slot = new ModelSlot(name, path, batcher, b.serialPredict);
            try {
                if (path != null) {
                    slot.reload(b.loader);
                } else {
                    slot.install((Model) e.getValue());
                }
            } catch (IOException | RuntimeException ex) {
                try {
                    batcher.close(0);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
                models.closeBatchers();
                throw new IOException("cannot serve model '" + name + "'" + (path == null ? "" : " from " + path) + ": "
                        + ModelSlot.message(ex), ex);
            }
            slot.seenStamp = slot.loadedStamp;
            models.add(slot);
        }
        // Without TCP_NODELAY the response's header and body writes meet the client's delayed ACK:
        // ~40 ms per request on loopback (measured: 52 ms p50 for a 45 µs model). Read once, at the
        // JDK server's first use, so set before it is created; an explicit -D setting wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        Inference inference = new Inference(b.maxInstances, b.requestTimeoutMillis);
        Router router = new Router(models, new TfServingApi(inference, b.maxElements), new KServeApi(inference, b.maxElements),
                new RequestBody(b.maxBodyBytes), metrics, () -> draining);
        HttpFront front = new HttpFront(router, metrics, () -> draining);
        this.httpThreads = Executors.newFixedThreadPool(b.httpThreads, daemon("rnn4j-serve-http"));
        try {
            http = HttpServer.create(new InetSocketAddress(b.host, b.port), b.backlog);
        } catch (IOException e) {
            models.closeBatchers();
            httpThreads.shutdownNow();
            throw new IOException("cannot listen on " + b.host + ":" + b.port + ": " + e.getMessage(), e);
        }
        http.setExecutor(httpThreads);
        http.createContext("/", front::handle);
        if (b.watchMillis > 0) {
            watcher = Executors.newSingleThreadScheduledExecutor(daemon("rnn4j-serve-watch"));
            watcher.scheduleWithFixedDelay(models::watch, b.watchMillis, b.watchMillis, TimeUnit.MILLISECONDS);
        } else {
            watcher = null;
        }
        http.start();
    }

    public static ModelServerBuilder builder() {
        return new ModelServerBuilder();
    }

    /** The port accepting requests (the one picked when the builder asked for port 0). */
    public int port() {
        return http.getAddress().getPort();
    }

    /** {@code http://HOST:PORT}. */
    public String url() {
        String h = http.getAddress().getAddress().getHostAddress();
        if (h.contains(":")) {
            h = "[" + h + "]";
        }
        return "http://" + h + ":" + port();
    }

    /** The names served, in the order given. */
    public List<String> modelNames() {
        return models.names();
    }

    /** The version number now serving {@code name} (1 at start, +1 per reload or swap). */
    public long version(String name) {
        return models.slot(name).current().version;
    }

    /**
     * Reloads {@code name} from its file and swaps it in atomically; requests in flight finish on the
     * old version. A file that does not load or run is refused: the old version keeps serving and the
     * reason is thrown. Returns the new version number.
     */
    public long reload(String name) throws IOException {
        return models.reload(name);
    }

    /** Swaps in a model object as the next version of {@code name} (embedded use). */
    public long swap(String name, Model model) {
        return models.swap(name, model);
    }

    /** The Prometheus text of {@code /metrics}. */
    public String metricsText() {
        return metrics.render();
    }

    /** Instances per batch seen so far for {@code name}: {@code [count, sum]} of the batch-size histogram. */
    public long[] batchStats(String name) {
        Metrics.Histogram h = metrics.batchSizes(name);
        return h == null ? new long[] {0, 0} : new long[] {h.count.sum(), Math.round(h.sum.sum())};
    }

    /** Graceful stop with the builder's grace period. */
    @Override
    public void close() {
        stop(cfg.shutdownGrace);
    }

    /**
     * Graceful stop: new requests get 503, queued and running requests finish (batches stop waiting
     * to fill) for up to {@code grace}, then the listener closes.
     */
    public synchronized void stop(Duration grace) {
        if (stopped) {
            return;
        }
        draining = true;
        for (ModelSlot s : models.all()) {
            s.batcher.flush();
        }
        long end = System.nanoTime() + grace.toNanos();
        while (metrics.inFlight.get() > 0 && System.nanoTime() < end) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (watcher != null) {
            watcher.shutdownNow();
        }
        http.stop(0);
        models.closeBatchers();
        httpThreads.shutdown();
        stopped = true;
        notifyAll();
    }

    /**
     * Stops gracefully when the JVM is asked to exit (SIGTERM, SIGINT / Ctrl-C): the hook refuses new
     * requests and waits up to {@code grace} for those in flight, which finish on the HTTP threads
     * still running while shutdown hooks run.
     */
    public ModelServer stopOnShutdown(Duration grace) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(grace), "rnn4j-serve-shutdown"));
        return this;
    }

    /** Blocks until {@link #stop} has run (the CLI's main thread waits here). */
    public synchronized void awaitStop() throws InterruptedException {
        while (!stopped) {
            wait();
        }
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
