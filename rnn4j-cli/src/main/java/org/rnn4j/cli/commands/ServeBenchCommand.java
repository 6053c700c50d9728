package org.rnn4j.cli.commands;

import java.io.PrintStream;
import java.net.http.HttpClient;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnn4j.bench.Workloads;
import org.rnn4j.cli.CliException;
import org.rnn4j.models.Model;
import org.rnn4j.serve.LoadGenerator;
import org.rnn4j.serve.ModelServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The serving load test of issue #11: a workload's model (W1 by default) behind an in-process
 * {@link ModelServer} on loopback, N closed-loop clients for a fixed time, once with adaptive
 * batching and once without ({@code maxBatchSize 1}).
 */
@Command(name = "serve-bench", mixinStandardHelpOptions = true,
        description = {"Load-tests ./rnn4j serve on loopback: N concurrent clients POST one TF Serving row-format",
            "instance each to a workload's model (default W1) for a fixed time, with and without batching;",
            "prints requests/s, p50/p99 latency, status counts and the server's batch-size histogram."})
public final class ServeBenchCommand implements Callable<Integer> {
    @Option(names = "--workload", defaultValue = "W1", description = "Model to serve: W0..W5 (default: ${DEFAULT-VALUE})")
    String workload;

    @Option(names = "--clients", defaultValue = "64", description = "Concurrent clients (default: ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--seconds", defaultValue = "30", description = "Measured seconds per mode (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--warmup", defaultValue = "5", description = "Unmeasured warm-up seconds per mode (default: ${DEFAULT-VALUE})")
    double warmup;

    @Option(names = "--max-batch-size", defaultValue = "32", description = "Batched mode's max batch size (default: ${DEFAULT-VALUE})")
    int maxBatchSize;

    @Option(names = "--batch-timeout-micros", defaultValue = "1000", description = "Batched mode's max wait (default: ${DEFAULT-VALUE})")
    long batchTimeoutMicros;

    @Option(names = "--mode", defaultValue = "both", description = "batched|unbatched|both (default: ${DEFAULT-VALUE})")
    String mode;

    @Override
    public Integer call() throws Exception {
        if (clients <= 0 || seconds <= 0 || warmup < 0) {
            throw new CliException("serve-bench: --clients and --seconds must be positive, --warmup >= 0");
        }
        if (!mode.equals("both") && !mode.equals("batched") && !mode.equals("unbatched")) {
            throw new CliException("serve-bench: --mode must be batched, unbatched or both, got '" + mode + "'");
        }
        PrintStream out = System.out;
        out.println("serve-bench: " + workload + ", " + clients + " clients, " + seconds + " s per mode (warm-up " + warmup
                + " s), " + Runtime.getRuntime().availableProcessors() + " cores");
        LoadGenerator.Result batched = null;
        LoadGenerator.Result unbatched = null;
        if (!mode.equals("unbatched")) {
            batched = run(maxBatchSize, out);
        }
        if (!mode.equals("batched")) {
            unbatched = run(1, out);
        }
        if (batched != null && unbatched != null) {
            out.printf(java.util.Locale.ROOT, "batched / unbatched throughput: %.2fx%n",
                    batched.requestsPerSecond() / unbatched.requestsPerSecond());
        }
        boolean clean = (batched == null || onlyOkOr503(batched)) && (unbatched == null || onlyOkOr503(unbatched));
        out.println(clean ? "every request was answered 2xx or 503" : "SOME REQUESTS GOT ANOTHER STATUS OR NO ANSWER");
        return clean ? 0 : 1;
    }

    private LoadGenerator.Result run(int batch, PrintStream out) throws Exception {
        Model model;
        try {
            model = Workloads.model(workload);
        } catch (IllegalArgumentException e) {
            throw new CliException("serve-bench: " + e.getMessage());
        }
        String name = workload.toLowerCase(java.util.Locale.ROOT);
        try (ModelServer server = ModelServer.builder().port(0).model(name, model).maxBatchSize(batch)
                .batchTimeoutMicros(batchTimeoutMicros).start()) {
            HttpClient client = LoadGenerator.client();
            String body = LoadGenerator.randomBody(client, server.url(), name, 1);
            LoadGenerator.Result r = LoadGenerator.measure(client, server.url(), name, body, clients, warmup, seconds);
            out.println((batch > 1 ? "batched (max " + batch + ", " + batchTimeoutMicros + " µs)" : "unbatched") + ": "
                    + r.summary(1));
            out.flush();
            return r;
        }
    }

    private static boolean onlyOkOr503(LoadGenerator.Result r) {
        for (Map.Entry<Integer, Long> e : r.statuses().entrySet()) {
            int c = e.getKey();
            if (!(c >= 200 && c < 300) && c != 503) {
                return false;
            }
        }
        return true;
    }
}
