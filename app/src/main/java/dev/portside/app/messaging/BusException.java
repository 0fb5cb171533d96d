package dev.portside.app.messaging;

/** A message that could not be sent, or a call that got no answer or an error for one. */
public final class BusException extends RuntimeException {
    public BusException(String message) {
        super(message);
    }

    public BusException(String message, Throwable cause) {
        super(message, cause);
    }
}
