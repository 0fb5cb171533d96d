package dev.portside.common.http;

import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.io.EofException;

import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Failures that reach the server's last handler but were caused by the client or by a concurrent
 * request, not by a bug: they are the client's 4xx, never a 500.
 * <ul>
 * <li>A body that ends before its Content-Length, or a connection closed mid-body: 400.
 * <li>A body that stops arriving: 408.
 * <li>A write the database refused for a constraint (the row a request refers to was deleted by a
 * concurrent request, or another request took the same unique value first) or a serialization
 * failure between two transactions: 409. The transaction was rolled back, so nothing was written;
 * each service still names the cases it can foresee with its own error type.
 * </ul>
 */
final class ClientFaults {
    private ClientFaults() {
    }

    static Optional<ApiException> of(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof EofException || cause instanceof BadMessageException) {
                return Optional.of(ApiException.badRequest(
                        "The request body ended before its declared length, or was malformed."));
            }
            if (cause instanceof TimeoutException) {
                return Optional.of(new ApiException(408, "RequestTimeout", "The request body was not received in time."));
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("23") || state.equals("40001") || state.equals("40P01") || state.equals("HYT00")) {
                    return Optional.of(new ApiException(409, "Conflict",
                            "The request conflicts with a concurrent change; nothing was changed. Retry it."));
                }
            }
        }
        return Optional.empty();
    }
}
