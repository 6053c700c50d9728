package org.rnn4j.serve;

import java.time.Duration;

/**
 * The child JVM of {@link ShutdownSignalTest}: serves a model whose predict takes {@code args[0]} ms,
 * stops on SIGTERM as {@code ./rnn4j serve} does ({@link ModelServer#stopOnShutdown}), and prints
 * the CLI's {@code Serving on URL} line once it accepts requests.
 */
public final class SlowServeMain {
    private SlowServeMain() {
    }

    public static void main(String[] args) throws Exception {
        ModelServer s = ModelServer.builder().port(0).model("m", ServeSupport.slow(Long.parseLong(args[0]), 2))
                .maxBatchSize(1).batchThreads(8).start().stopOnShutdown(Duration.ofSeconds(20));
        System.out.println("Serving on " + s.url());
        System.out.flush();
        s.awaitStop();
    }
}
