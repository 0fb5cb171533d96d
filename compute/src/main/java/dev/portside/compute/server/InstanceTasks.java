package dev.portside.compute.server;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs each server's tasks (build, actions, interface changes, delete) one after another, as Nova's
 * per-instance lock serialises them, while different servers' tasks run in parallel on virtual
 * threads.
 */
final class InstanceTasks implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(InstanceTasks.class);
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, CompletableFuture<?>> tails = new ConcurrentHashMap<>();

    <T> CompletableFuture<T> submit(String serverId, Supplier<T> task) {
        CompletableFuture<T> next = new CompletableFuture<>();
        CompletableFuture<?> previous = tails.put(serverId, next);
        CompletableFuture<?> after = previous == null ? CompletableFuture.completedFuture(null) : previous;
        after.handle((result, error) -> null).thenRunAsync(() -> {
            try {
                next.complete(task.get());
            } catch (Throwable e) {
                // Callers of build, shelve and the like do not wait on the future: said here, or never.
                LOG.error("a task of server {} failed", serverId, e);
                next.completeExceptionally(e);
            } finally {
                tails.remove(serverId, next);
            }
        }, threads);
        return next;
    }

    CompletableFuture<Void> submit(String serverId, Runnable task) {
        return submit(serverId, () -> {
            task.run();
            return null;
        });
    }

    /** Waits for running tasks to end (a build may wait for a vif event), then stops. */
    @Override
    public void close() {
        threads.shutdown();
        try {
            threads.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
