package dev.portside.network.port;

/**
 * Where the network service tells compute that a server's port came up or went down, as Neutron's
 * Nova notifier posts {@code network-vif-plugged} and {@code network-vif-unplugged} to
 * {@code os-server-external-events}. Called after the change is committed.
 */
public interface PortEvents {
    PortEvents NONE = (event, serverId, portId) -> { };

    String VIF_PLUGGED = "network-vif-plugged";
    String VIF_UNPLUGGED = "network-vif-unplugged";

    void notify(String event, String serverId, String portId);
}
