package dev.portside.common.http;

import dev.portside.common.json.Json;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What Jetty answers before a request reaches the API's routes - a request line or URI it will not
 * parse (a {@code %00}, an ambiguous {@code ../}), headers too large (431), Content-Length together
 * with Transfer-Encoding, control characters - rendered in the service's own error format instead of
 * Jetty's HTML page, so a client's error handling never meets a body it cannot read. Statuses below
 * 500 keep Jetty's status; the message is a fixed sentence per status, never the raw input.
 */
final class ProtocolErrors extends ErrorHandler {
    private final ErrorFormat format;

    ProtocolErrors(ErrorFormat format) {
        this.format = format;
        setShowServlet(false);
        setShowStacks(false);
    }

    // Errors of the request line and headers, found while parsing: Jetty sends this body and closes.
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(body(status));
    }

    // Errors Jetty raises once the request is parsed but before the API handles it (bad URI paths).
    @Override
    public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        baseRequest.setHandled(true);
        int status = response.getStatus();
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (code instanceof Integer given) {
            status = given;
        }
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType("application/json");
        response.getOutputStream().write(body(status));
    }

    private byte[] body(int status) {
        ApiException error = new ApiException(status, HttpStatusTitles.of(status).replace(" ", ""), message(status));
        return Json.write(format.render(error)).getBytes(StandardCharsets.UTF_8);
    }

    static String message(int status) {
        return switch (status) {
            case 400 -> "The request could not be understood: its request line, URI, headers or framing are malformed.";
            case 404 -> "The resource could not be found.";
            case 405 -> "The method is not allowed for the requested URL.";
            case 408 -> "The request was not received in time.";
            case 413 -> "The request body is larger than this server accepts.";
            case 414 -> "The request URI is longer than this server accepts.";
            case 431 -> "The request's headers are larger than this server accepts.";
            case 501 -> "The request uses a transfer encoding or method this server does not implement.";
            case 505 -> "The HTTP version of the request is not supported.";
            default -> status >= 500 ? "An unexpected error prevented the server from fulfilling your request."
                    : "The request was refused.";
        };
    }
}
