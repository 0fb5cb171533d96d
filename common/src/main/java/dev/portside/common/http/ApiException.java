package dev.portside.common.http;

/**
 * An error a client caused or may see, with the HTTP status and the type name the OpenStack API
 * uses for it (Neutron's "NetworkNotFound", Nova's "badRequest", ...). Each service renders it once,
 * in its own error format, through its {@link ErrorFormat}; handlers never build error bodies.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final String type;

    public ApiException(int status, String type, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "BadRequest", message);
    }

    public static ApiException unauthorized() {
        return new ApiException(401, "Unauthorized", "The request you have made requires authentication.");
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, "Forbidden", message);
    }
}
