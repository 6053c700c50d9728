package org.rnn4j.serve;

/** A request the server refuses: an HTTP status and a message for the JSON {@code {"error": ...}} body. */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final boolean retry;

    public ApiException(int status, String message) {
        this(status, message, false);
    }

    ApiException(int status, String message, boolean retry) {
        super(message, null, false, false);
        this.status = status;
        this.retry = retry;
    }

    public int status() {
        return status;
    }

    /** Whether the answer carries {@code Retry-After} (overload, timeout, shutdown). */
    boolean retry() {
        return retry;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    static ApiException unavailable(String message) {
        return new ApiException(503, message, true);
    }
}
