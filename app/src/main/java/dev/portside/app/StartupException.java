package dev.portside.app;

/** A reason Portside cannot start that the operator can fix: printed as one line, exit status 1. */
public final class StartupException extends RuntimeException {
    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
