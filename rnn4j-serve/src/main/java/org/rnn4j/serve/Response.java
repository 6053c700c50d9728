package org.rnn4j.serve;

import java.util.LinkedHashMap;
import java.util.Map;
import org.rnn4j.keras.Json;

/** An answer to write: status, body text and content type. */
record Response(int status, String body, String contentType) {
    static Response json(int status, String body) {
        return new Response(status, body, "application/json");
    }

    static Response ok(Object document) {
        return json(200, Json.write(document));
    }

    /** {@code {"error": message}}. */
    static Response error(int status, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", message);
        return json(status, Json.write(m));
    }
}
