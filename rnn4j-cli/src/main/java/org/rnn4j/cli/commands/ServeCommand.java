package org.rnn4j.cli.commands;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.rnn4j.cli.CliException;
import org.rnn4j.serve.ModelServer;
import org.rnn4j.serve.ModelServerBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Serves models over HTTP with TensorFlow Serving's and KServe V2's REST APIs. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serves models over HTTP: TensorFlow Serving's REST API (POST /v1/models/NAME:predict with",
            "{\"instances\": ...} or {\"inputs\": ...}; GET /v1/models/NAME[/metadata]), KServe V2",
            "(POST /v2/models/NAME/infer, GET /v2/models/NAME[/ready]), GET /healthz and Prometheus /metrics.",
            "Concurrent requests are batched; POST /v1/models/NAME:reload (or --watch) reloads a model file.",
            "Stops gracefully on SIGTERM / Ctrl-C, finishing the requests in flight."})
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "[NAME=]PATH",
            description = "A .keras or .h5 model to serve; NAME defaults to the file's stem. Repeatable.")
    List<String> models = new ArrayList<>();

    @Option(names = "--port", defaultValue = "8501", description = "Port (0 picks a free one; default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Interface to bind (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--max-batch-size", defaultValue = "32", description = "Most instances per batched model call; 1 turns batching off (default: ${DEFAULT-VALUE})")
    int maxBatchSize;

    @Option(names = "--batch-timeout-micros", defaultValue = "1000", description = "Longest a request waits for a batch to fill (default: ${DEFAULT-VALUE})")
    long batchTimeoutMicros;

    @Option(names = "--batch-threads", defaultValue = "0", description = "Model calls at once per model (default: the number of cores)")
    int batchThreads;

    @Option(names = "--max-queue", defaultValue = "1024", description = "Requests queued per model before 503 (default: ${DEFAULT-VALUE})")
    int maxQueue;

    @Option(names = "--max-body-bytes", defaultValue = "16777216", description = "Largest request body (default: ${DEFAULT-VALUE})")
    long maxBodyBytes;

    @Option(names = "--timeout-ms", defaultValue = "30000", description = "Per-request timeout (default: ${DEFAULT-VALUE})")
    long timeoutMs;

    @Option(names = "--watch", defaultValue = "0", paramLabel = "MILLIS", description = "Poll model files this often and reload on change (default: off)")
    long watchMillis;

    @Option(names = "--grace-seconds", defaultValue = "10", description = "Shutdown grace for requests in flight (default: ${DEFAULT-VALUE})")
    long graceSeconds;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        ModelServerBuilder b = ModelServer.builder().host(host).port(port).maxBatchSize(maxBatchSize)
                .batchTimeoutMicros(batchTimeoutMicros).maxQueueSize(maxQueue).maxBodyBytes(maxBodyBytes)
                .requestTimeoutMillis(timeoutMs).watchMillis(watchMillis).shutdownGrace(Duration.ofSeconds(graceSeconds));
        if (batchThreads > 0) {
            b.batchThreads(batchThreads);
        }
        for (String spec : models) {
            int eq = spec.indexOf('=');
            Path path = Path.of(eq >= 0 ? spec.substring(eq + 1) : spec);
            String name = eq >= 0 ? spec.substring(0, eq) : ModelServerBuilder.stem(path);
            if (!Files.isRegularFile(path)) {
                throw new CliException("Model file not found: " + path);
            }
            b.model(name, path);
        }
        ModelServer server;
        try {
            server = b.start();
        } catch (IOException e) {
            throw new CliException(e.getMessage(), e);
        }
        server.stopOnShutdown(Duration.ofSeconds(graceSeconds));
        for (String n : server.modelNames()) {
            out.println("Model '" + n + "' version " + server.version(n) + ": POST " + server.url() + "/v1/models/" + n + ":predict");
        }
        out.println("Serving on " + server.url());
        out.flush();
        server.awaitStop();
        return 0;
    }
}
