package dev.portside.network.change;

import java.util.List;

/**
 * What acts on the network service's committed changes (ML2's postcommit): the host firewall, the
 * compute notifier, and any later agent. Told once per transaction, with every change it made, after
 * the commit; a listener that fails is logged and does not undo or fail the change.
 */
public interface ChangeListener {
    void committed(List<Change> changes);
}
