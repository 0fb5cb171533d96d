package dev.portside.compute.server;

/**
 * A step of placing a server on a host failed. {@code reschedule} says whether another host could
 * do better (a binding or hypervisor failure) or not (the network refused to make a port).
 */
final class BuildFailure extends RuntimeException {
    private final boolean reschedule;

    BuildFailure(String message, boolean reschedule) {
        super(message);
        this.reschedule = reschedule;
    }

    boolean reschedule() {
        return reschedule;
    }
}
