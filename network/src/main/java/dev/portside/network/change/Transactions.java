package dev.portside.network.change;

import dev.portside.common.http.ApiException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The network service's transactions, and the one seam where work after a commit hangs: a
 * transaction records its changes as it goes, and the subscribed listeners hear them only once the
 * commit succeeded (nothing is told about a rolled-back change). A transaction begun inside another
 * on the same thread joins it (a bulk create is one transaction of several creates): its work
 * commits, retries or rolls back with the outer one, whose listeners hear all of it.
 */
public final class Transactions {
    private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);

    /**
     * Thrown by a transaction's work that lost a race to another transaction not yet committed (whose
     * row it cannot see yet): the work runs again, afresh, after a short wait.
     */
    public static final class Retry extends RuntimeException {
        public Retry(String why) {
            super(why, null, false, false);
        }
    }

    private static final int ATTEMPTS = 8;

    /** A transaction's body: its handle, and where it records what it changed. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Handle h, Consumer<Change> changes);
    }

    private final Jdbi jdbi;
    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Open> open = new ThreadLocal<>();

    // The transaction this thread is in: its handle, and the changes it recorded so far.
    private record Open(Handle handle, List<Change> changes) {
    }

    public Transactions(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Listeners hear changes in the order they subscribed. */
    public void subscribe(ChangeListener listener) {
        listeners.add(listener);
    }

    public <T> T inTransaction(Work<T> work) {
        Open outer = open.get();
        if (outer != null) {
            return work.run(outer.handle(), outer.changes()::add);
        }
        List<Change> changes = new ArrayList<>();
        T result = attempt(work, changes);
        if (!changes.isEmpty()) {
            List<Change> committed = List.copyOf(changes);
            for (ChangeListener listener : listeners) {
                try {
                    listener.committed(committed);
                } catch (RuntimeException e) {
                    LOG.error("after a committed change, {} failed: {}", listener.getClass().getSimpleName(), e.toString());
                }
            }
        }
        return result;
    }

    private <T> T attempt(Work<T> work, List<Change> changes) {
        for (int attempt = 1; ; attempt++) {
            try {
                return jdbi.inTransaction(h -> {
                    changes.clear();
                    open.set(new Open(h, changes));
                    try {
                        return work.run(h, changes::add);
                    } finally {
                        open.remove();
                    }
                });
            } catch (Retry lost) {
                if (attempt == ATTEMPTS) {
                    throw new ApiException(409, "Conflict", "The request conflicted with another in progress ("
                            + lost.getMessage() + "); try it again.");
                }
                pause(attempt);
            }
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(5L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "ServiceUnavailable", "Interrupted while retrying a transaction.");
        }
    }

    /** Reads (and writes nothing outside the database needs to hear about). */
    public <T> T read(java.util.function.Function<Handle, T> work) {
        Open outer = open.get();
        return outer != null ? work.apply(outer.handle()) : jdbi.withHandle(work::apply);
    }
}
