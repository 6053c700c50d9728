package org.rnn4j.serve;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.rnn4j.keras.Json;

/**
 * Maps a method and path to its handler: TF Serving's {@code /v1/models/...}, KServe V2's
 * {@code /v2/...}, reload, {@code /healthz} and {@code /metrics}; names the route for the metrics.
 */
final class Router {
    /** One request: the exchange, and the route name recorded in the metrics once known. */
    static final class Call {
        final HttpExchange exchange;
        String route = "other";

        Call(HttpExchange exchange) {
            this.exchange = exchange;
        }
    }

    private final ModelSlots models;
    private final TfServingApi tf;
    private final KServeApi v2;
    private final RequestBody body;
    private final Metrics metrics;
    private final BooleanSupplier draining;

    Router(ModelSlots models, TfServingApi tf, KServeApi v2, RequestBody body, Metrics metrics, BooleanSupplier draining) {
        this.models = models;
        this.tf = tf;
        this.v2 = v2;
        this.body = body;
        this.metrics = metrics;
        this.draining = draining;
    }

    Response route(Call call) {
        HttpExchange ex = call.exchange;
        String path = ex.getRequestURI().getRawPath();
        try {
            path = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("bad URL path " + ex.getRequestURI().getRawPath() + ": " + e.getMessage());
        }
        String method = ex.getRequestMethod();
        if (path.equals("/healthz")) {
            call.route = "healthz";
            requireMethod(method, "GET");
            return draining.getAsBoolean() ? Response.json(503, "{\"status\": \"shutting down\"}") : Response.json(200, "{\"status\": \"ok\"}");
        }
        if (path.equals("/metrics")) {
            call.route = "metrics";
            requireMethod(method, "GET");
            return new Response(200, metrics.render(), "text/plain; version=0.0.4; charset=utf-8");
        }
        if (draining.getAsBoolean()) {
            throw ApiException.unavailable("the server is shutting down");
        }
        if (path.startsWith("/v1/models/")) {
            return v1(call, method, path.substring("/v1/models/".length()));
        }
        if (path.equals("/v2") || path.equals("/v2/")) {
            call.route = "v2_server";
            requireMethod(method, "GET");
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", "rnn4j");
            m.put("version", "0.1.0");
            m.put("extensions", List.of("model_repository"));
            return Response.ok(m);
        }
        if (path.equals("/v2/health/live") || path.equals("/v2/health/ready")) {
            call.route = "v2_health";
            requireMethod(method, "GET");
            return Response.json(200, path.endsWith("live") ? "{\"live\": true}" : "{\"ready\": true}");
        }
        if (path.startsWith("/v2/models/")) {
            return v2(call, method, path.substring("/v2/models/".length()));
        }
        if (path.startsWith("/v2/repository/models/") && path.endsWith("/load")) {
            call.route = "reload";
            requireMethod(method, "POST");
            String name = path.substring("/v2/repository/models/".length(), path.length() - "/load".length());
            return reloadResponse(name);
        }
        call.route = "not_found";
        throw ApiException.notFound("no route for " + method + " " + path + "; see /v1/models/NAME, /v1/models/NAME:predict, "
                + "/v2/models/NAME/infer, /healthz, /metrics");
    }

    private static void requireMethod(String method, String... allowed) {
        for (String a : allowed) {
            if (a.equals(method) || (a.equals("GET") && method.equals("HEAD"))) {
                return;
            }
        }
        throw new ApiException(405, "method " + method + " not allowed here; use " + String.join(" or ", allowed));
    }

    /** {@code NAME[/versions/V][/metadata]} or {@code NAME[/versions/V]:predict}. */
    private Response v1(Call call, String method, String rest) {
        String verb = null;
        int colon = rest.lastIndexOf(':');
        if (colon >= 0) {
            verb = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        String[] seg = rest.split("/", -1);
        String name = seg[0];
        int i = 1;
        String version = null;
        if (seg.length >= 3 && seg[1].equals("versions")) {
            version = seg[2];
            i = 3;
        } else if (seg.length >= 3 && seg[1].equals("labels")) {
            call.route = "tf_status";
            throw ApiException.notFound("version labels are not supported; use /v1/models/" + name + "[/versions/N]");
        }
        String tail = i < seg.length ? String.join("/", Arrays.copyOfRange(seg, i, seg.length)) : "";
        if (verb != null) {
            if (!tail.isEmpty()) {
                call.route = "not_found";
                throw ApiException.notFound("no route for /v1/models/" + rest + ":" + verb);
            }
            switch (verb) {
                case "predict":
                    call.route = "tf_predict";
                    requireMethod(method, "POST");
                    String v = version;
                    try (Batcher.Arrival a = models.slot(name).batcher.arrive()) {
                        return tf.predict(models.served(name, v), body.json(call.exchange), a);
                    }
                case "reload":
                    call.route = "reload";
                    requireMethod(method, "POST");
                    return reloadResponse(name);
                case "classify":
                case "regress":
                    call.route = "tf_predict";
                    throw ApiException.notFound(verb + " is not supported (needs tf.Example signatures); use :predict");
                default:
                    call.route = "not_found";
                    throw ApiException.notFound("unknown verb ':" + verb + "'; use :predict");
            }
        }
        if (tail.isEmpty()) {
            call.route = "tf_status";
            requireMethod(method, "GET");
            return tf.status(models.served(name, version));
        }
        if (tail.equals("metadata")) {
            call.route = "tf_metadata";
            requireMethod(method, "GET");
            return tf.metadata(models.served(name, version));
        }
        call.route = "not_found";
        throw ApiException.notFound("no route for /v1/models/" + rest);
    }

    /** {@code NAME[/versions/V][/ready|/infer]}. */
    private Response v2(Call call, String method, String rest) {
        String[] seg = rest.split("/", -1);
        String name = seg[0];
        int i = 1;
        String version = null;
        if (seg.length >= 3 && seg[1].equals("versions")) {
            version = seg[2];
            i = 3;
        }
        String tail = i < seg.length ? String.join("/", Arrays.copyOfRange(seg, i, seg.length)) : "";
        switch (tail) {
            case "":
                call.route = "v2_metadata";
                requireMethod(method, "GET");
                return v2.metadata(models.served(name, version));
            case "ready":
                call.route = "v2_ready";
                requireMethod(method, "GET");
                models.served(name, version);
                return Response.json(200, "{\"name\": " + Json.write(name) + ", \"ready\": true}");
            case "infer":
                call.route = "v2_infer";
                requireMethod(method, "POST");
                String v = version;
                try (Batcher.Arrival a = models.slot(name).batcher.arrive()) {
                    return v2.infer(models.served(name, v), body.json(call.exchange), a);
                }
            default:
                call.route = "not_found";
                throw ApiException.notFound("no route for /v2/models/" + rest);
        }
    }

    private Response reloadResponse(String name) {
        ModelSlot s = models.slot(name);
        long old = s.current().version;
        try {
            long v = models.reload(name);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", name);
            m.put("version", Long.toString(v));
            m.put("previous_version", Long.toString(old));
            return Response.ok(m);
        } catch (IOException e) {
            throw new ApiException(422, "reload of model '" + name + "' from " + s.path + " refused: " + e.getMessage()
                    + "; still serving version " + s.current().version);
        }
    }
}
