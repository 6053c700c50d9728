package org.rnn4j.serve;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.rnn4j.keras.KerasFormatException;
import org.rnn4j.keras.Json;

/**
 * Reads a request body within the size limit and parses it with rnn4j-keras's strict JSON parser
 * (bounded nesting, offsets in its messages): every problem is a 400 or 413 {@link ApiException}.
 */
final class RequestBody {
    private final long maxBytes;

    RequestBody(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    Object json(HttpExchange ex) {
        String text = new String(bytes(ex), StandardCharsets.UTF_8);
        try {
            return Json.parse(text, "the request body");
        } catch (KerasFormatException e) {
            throw ApiException.badRequest(e.getMessage());
        } catch (StackOverflowError e) {
            throw ApiException.badRequest("the request body is nested too deeply");
        }
    }

    private byte[] bytes(HttpExchange ex) {
        String cl = ex.getRequestHeaders().getFirst("Content-Length");
        long declared = -1;
        if (cl != null) {
            try {
                declared = Long.parseLong(cl.trim());
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("bad Content-Length '" + cl + "'");
            }
            if (declared < 0) {
                throw ApiException.badRequest("bad Content-Length '" + cl + "'");
            }
            if (declared > maxBytes) {
                discard(ex, declared);
                throw new ApiException(413, "request body of " + declared + " bytes is over the limit of " + maxBytes + " bytes");
            }
        }
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream(declared < 0 ? 8192 : (int) declared);
            byte[] chunk = new byte[16384];
            int k;
            while ((k = in.read(chunk)) > 0) {
                buf.write(chunk, 0, k);
                if (buf.size() > maxBytes) {
                    discard(ex, Long.MAX_VALUE);
                    throw new ApiException(413, "request body is over the limit of " + maxBytes + " bytes");
                }
            }
            body = buf.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (body.length == 0) {
            throw ApiException.badRequest("empty request body: send a JSON object");
        }
        return body;
    }

    /**
     * Reads and drops an oversize body (up to a bound, without keeping it) so the client, still
     * sending, can read the 413 instead of a broken pipe; past the bound the connection is dropped.
     */
    private void discard(HttpExchange ex, long declared) {
        long cap = Math.max(8L << 20, 4 * maxBytes);
        if (declared > cap) {
            return;
        }
        try {
            InputStream in = ex.getRequestBody();
            byte[] chunk = new byte[65536];
            long total = 0;
            int k;
            while (total < cap && (k = in.read(chunk)) > 0) {
                total += k;
            }
        } catch (IOException e) {
            // the client gave up
        }
    }

    /** {@code doc} as a JSON object, or a 400 naming {@code what} and what it was instead. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object doc, String what) {
        if (!(doc instanceof Map)) {
            throw ApiException.badRequest(what + " must be a JSON object, got " + TensorCodec.describe(doc));
        }
        return (Map<String, Object>) doc;
    }
}
