package dev.portside.agent;

import java.util.List;

/**
 * One Linux bridge per network ({@code brq} + the network id). The bridge carries the gateway
 * address of each of the network's subnets that has one, so the host reaches instances' addresses
 * (SSH on the management network) and instances reach their gateway.
 */
public final class Bridges {
    private final HostCommands host;

    public Bridges(HostCommands host) {
        this.host = host;
    }

    /** The network's bridge, made if missing, up, with its MTU and {@code gateways} ("10.0.0.1/24"). */
    public String ensure(String networkId, int mtu, List<String> gateways) {
        String bridge = Names.bridge(networkId);
        if (!exists(bridge)) {
            HostCommands.Result made = host.attempt(List.of("ip", "link", "add", bridge, "mtu", String.valueOf(mtu),
                    "type", "bridge"));
            // Two instances on one network may be spawned at once; the loser finds the bridge made.
            if (made.exit() != 0 && !exists(bridge)) {
                throw new AgentException("cannot make bridge " + bridge + ": " + made.err().strip());
            }
        }
        host.run("ip", "link", "set", bridge, "up");
        for (String gateway : gateways) {
            host.run("ip", "addr", "replace", gateway, "dev", bridge);
        }
        return bridge;
    }

    /** Removes the network's bridge once no port is on it. */
    public void removeIfUnused(String networkId) {
        String bridge = Names.bridge(networkId);
        if (exists(bridge) && host.run("ip", "-o", "link", "show", "master", bridge).isBlank()) {
            host.attempt(List.of("ip", "link", "del", bridge));
        }
    }

    public boolean exists(String bridge) {
        return host.attempt(List.of("ip", "link", "show", "dev", bridge)).exit() == 0;
    }
}
