package dev.portside.compute.virt;

/** A host could not do what compute asked; the message says why and ends up in the server's fault. */
public final class VirtException extends RuntimeException {
    public VirtException(String message) {
        super(message);
    }

    public VirtException(String message, Throwable cause) {
        super(message, cause);
    }
}
