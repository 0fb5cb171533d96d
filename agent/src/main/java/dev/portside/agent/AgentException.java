package dev.portside.agent;

/** The host refused a dataplane change; the message names the command and what it said. */
public final class AgentException extends RuntimeException {
    public AgentException(String message) {
        super(message);
    }

    public AgentException(String message, Throwable cause) {
        super(message, cause);
    }
}
