package dev.portside.agent;

import java.util.List;

/**
 * One Linux bridge per network ({@code brq} + the network id). The bridge carries the gateway
 * address of each of the network's subnets that has one, so the host reaches instances' addresses
 * (SSH on the management network) and instances reach their gateway. It forgets a MAC address
 * {@code macAgeing} after its last frame, and forwards LLDP, which a port's allowed ethertypes
 * may let through (the port filtering decides, not the bridge).
 */
public final class Bridges {
    // group_fwd_mask bit 14: 01:80:c2:00:00:0e, LLDP's destination, which bridges keep to themselves by default.
    private static final String FORWARD_LLDP = "0x4000";

    private final HostCommands host;
    private final java.time.Duration macAgeing;

    public Bridges(HostCommands host, java.time.Duration macAgeing) {
        this.host = host;
        this.macAgeing = macAgeing;
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
        // Set on every use, so a changed setting reaches bridges made before it; ageing_time is in 1/100 s.
        host.run("ip", "link", "set", bridge, "up", "type", "bridge", "ageing_time",
                String.valueOf(macAgeing.toMillis() / 10), "group_fwd_mask", FORWARD_LLDP);
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
