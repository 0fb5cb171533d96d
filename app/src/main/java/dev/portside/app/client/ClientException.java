package dev.portside.app.client;

/** A request the cloud refused, or could not be sent; its message is what the user reads. */
public final class ClientException extends RuntimeException {
    public ClientException(String message) {
        super(message);
    }
}
