package dev.portside.compute.server;

import dev.portside.compute.network.NetworkPort;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A port a server holds (Nova's virtual interface plus its network info cache): whether compute
 * made it (and so deletes it), its device tag, and what the server shows of it under "addresses". The row exists
 * from the moment the port is claimed, so a port is never given to two servers.
 */
public record ServerVif(String portId, String serverId, int position, boolean createdByCompute, String networkId,
                        String networkLabel, String macAddress, List<NetworkPort.FixedIp> fixedIps, Instant attachedAt,
                        Optional<String> tag) {
    public ServerVif {
        fixedIps = List.copyOf(fixedIps);
    }

    public ServerVif with(NetworkPort port) {
        return new ServerVif(portId, serverId, position, createdByCompute, port.networkId(), networkLabel,
                port.macAddress(), port.fixedIps(), attachedAt, tag);
    }
}
