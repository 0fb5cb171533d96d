package dev.portside.compute.server;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The network-vif-plugged events a task waits for (Nova's wait_for_instance_event). A task says
 * which ports it expects before it plugs them, so an event that arrives at once is not missed.
 */
final class VifEvents {
    static final String VIF_PLUGGED = "network-vif-plugged";

    private record Key(String serverId, String portId) {
    }

    private final Map<Key, CompletableFuture<String>> waiting = new ConcurrentHashMap<>();
    // Servers being deleted: a task that starts waiting after the delete came must not wait at all.
    private final java.util.Set<String> cancelled = ConcurrentHashMap.newKeySet();

    /** Expected events for {@code portIds} of a server; close it when done waiting. */
    Expected expect(String serverId, List<String> portIds) {
        if (cancelled.contains(serverId)) {
            throw new BuildFailure("The server was deleted while it was being built.", false);
        }
        Map<String, CompletableFuture<String>> mine = new java.util.LinkedHashMap<>();
        for (String port : portIds) {
            CompletableFuture<String> future = new CompletableFuture<>();
            waiting.put(new Key(serverId, port), future);
            mine.put(port, future);
        }
        if (cancelled.contains(serverId)) {
            mine.forEach((port, future) -> waiting.remove(new Key(serverId, port), future));
            throw new BuildFailure("The server was deleted while it was being built.", false);
        }
        return new Expected(serverId, mine);
    }

    /** An event from the network service; true when a task was waiting for it. */
    boolean deliver(String name, String serverId, String portId, String status) {
        if (!name.equals(VIF_PLUGGED)) {
            return false;
        }
        CompletableFuture<String> future = waiting.get(new Key(serverId, portId));
        if (future == null) {
            return false;
        }
        return future.complete(status);
    }

    /** The server is being deleted: whatever waits for it stops waiting, and nothing waits for it again. */
    void cancel(String serverId) {
        cancelled.add(serverId);
        waiting.forEach((key, future) -> {
            if (key.serverId().equals(serverId)) {
                future.completeExceptionally(new BuildFailure("The server was deleted while it was being built.", false));
            }
        });
    }

    /** The server is gone; its id will not come back. */
    void forget(String serverId) {
        cancelled.remove(serverId);
    }

    final class Expected implements AutoCloseable {
        private final String serverId;
        private final Map<String, CompletableFuture<String>> ports;

        private Expected(String serverId, Map<String, CompletableFuture<String>> ports) {
            this.serverId = serverId;
            this.ports = ports;
        }

        /** Waits until every port's event came; a "failed" event or the deadline fails the step. */
        void await(Duration timeout, String host) {
            long deadline = System.nanoTime() + timeout.toNanos();
            for (var entry : ports.entrySet()) {
                try {
                    String status = entry.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (!status.equals("completed")) {
                        throw new BuildFailure("Port " + entry.getKey() + " failed to plug on host " + host
                                + " (network-vif-plugged: " + status + ").", true);
                    }
                } catch (TimeoutException e) {
                    throw new BuildFailure("Timed out after " + timeout.toSeconds() + " s waiting for network-vif-plugged"
                            + " of port " + entry.getKey() + " on host " + host + ".", true);
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof BuildFailure failure ? failure
                            : new BuildFailure(String.valueOf(e.getCause().getMessage()), false);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BuildFailure("Interrupted while waiting for network-vif-plugged.", false);
                }
            }
        }

        @Override
        public void close() {
            ports.forEach((port, future) -> waiting.remove(new Key(serverId, port), future));
        }
    }
}
