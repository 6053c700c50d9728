package org.rnn4j.serve;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * The one {@code HttpHandler}: times the request, has the {@link Router} answer it, turns every
 * refusal into a JSON {@code {"error": ...}} answer (never a stack trace), writes the response and
 * records it in the metrics.
 */
final class HttpFront {
    private final Router router;
    private final Metrics metrics;
    private final BooleanSupplier draining;

    HttpFront(Router router, Metrics metrics, BooleanSupplier draining) {
        this.router = router;
        this.metrics = metrics;
        this.draining = draining;
    }

    void handle(HttpExchange ex) {
        long start = System.nanoTime();
        metrics.inFlight.incrementAndGet();
        Router.Call call = new Router.Call(ex);
        Response r;
        boolean retry = false;
        try {
            r = router.route(call);
        } catch (ApiException e) {
            r = Response.error(e.status(), e.getMessage());
            retry = e.retry();
        } catch (UncheckedIOException e) {
            r = Response.error(400, "cannot read the request: " + e.getCause().getMessage());
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            // A bug, not a bad request: still a JSON answer naming the failure, and the server goes on.
            r = Response.error(500, "internal error: " + e.getClass().getSimpleName() + ": " + ModelSlot.message(e));
        }
        try {
            write(ex, r, retry);
        } catch (IOException e) {
            // The client went away; nothing to answer.
        } finally {
            ex.close();
            metrics.request(call.route, r.status(), (System.nanoTime() - start) / 1e9);
            metrics.inFlight.decrementAndGet();
        }
    }

    private void write(HttpExchange ex, Response r, boolean retry) throws IOException {
        byte[] bytes = r.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", r.contentType());
        if (retry) {
            ex.getResponseHeaders().set("Retry-After", "1");
        }
        if (draining.getAsBoolean()) {
            ex.getResponseHeaders().set("Connection", "close");
        }
        boolean head = "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(r.status(), head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream os = ex.getResponseBody()) {
                os.write(bytes);
            }
        }
    }
}
