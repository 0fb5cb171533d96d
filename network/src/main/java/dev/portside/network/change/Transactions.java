package dev.portside.network.change;

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
 * commit succeeded (nothing is told about a rolled-back change).
 */
public final class Transactions {
    private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);

    /** A transaction's body: its handle, and where it records what it changed. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Handle h, Consumer<Change> changes);
    }

    private final Jdbi jdbi;
    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();

    public Transactions(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Listeners hear changes in the order they subscribed. */
    public void subscribe(ChangeListener listener) {
        listeners.add(listener);
    }

    public <T> T inTransaction(Work<T> work) {
        List<Change> changes = new ArrayList<>();
        T result = jdbi.inTransaction(h -> {
            changes.clear();
            return work.run(h, changes::add);
        });
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

    /** Reads (and writes nothing outside the database needs to hear about). */
    public <T> T read(java.util.function.Function<Handle, T> work) {
        return jdbi.withHandle(work::apply);
    }

    public Jdbi jdbi() {
        return jdbi;
    }
}
