package org.rnn4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Graceful shutdown on a real SIGTERM: a child JVM serves a slow model (1.5 s per predict), six
 * requests are sent, the child gets SIGTERM ({@code Process.destroy()}) while they run, and every
 * one is answered 200; a request sent after the signal is refused or finds the port closed, and
 * the child exits by itself (status 143, the JVM's answer to SIGTERM, after its hooks ran).
 */
class ShutdownSignalTest {
    @Test
    void sigtermFinishesTheRequestsInFlight() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), SlowServeMain.class.getName(), "1500");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String url = null;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (String line; url == null && System.nanoTime() < end && (line = out.readLine()) != null; ) {
                if (line.startsWith("Serving on ")) {
                    url = line.substring("Serving on ".length()).trim();
                }
            }
            assertTrue(url != null, "the child never printed 'Serving on'");
            HttpRequest req = HttpRequest.newBuilder(URI.create(url + "/v1/models/m:predict")).timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"instances\": [[1, 2, 3, 4]]}")).build();
            List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                inFlight.add(ServeSupport.CLIENT.sendAsync(req, HttpResponse.BodyHandlers.ofString()));
            }
            Thread.sleep(500); // all six are being computed (1.5 s each, eight batch threads)
            p.destroy(); // SIGTERM
            Thread.sleep(200);
            int late;
            try {
                late = ServeSupport.CLIENT.send(req, HttpResponse.BodyHandlers.ofString()).statusCode();
            } catch (java.io.IOException e) {
                late = -1; // the listener is already closed
            }
            assertTrue(late == 503 || late == -1, "a request after SIGTERM got " + late);
            for (CompletableFuture<HttpResponse<String>> f : inFlight) {
                HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
                assertEquals(200, r.statusCode(), r.body());
                assertTrue(r.body().contains("predictions"), r.body());
            }
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the child did not exit after SIGTERM");
            assertEquals(143, p.exitValue());
        } finally {
            p.destroyForcibly();
        }
    }
}
