package dev.portside.compute.network;

import java.util.List;

/**
 * A network as compute needs it: its name (a server's "addresses" are keyed by it), its owner and
 * whether it is shared or external (to pick one for {@code "networks": "auto"}), whether its ports get port
 * security by default (security groups apply only then), and whether it has subnets.
 */
public record NetworkInfo(String id, String name, String projectId, boolean shared, boolean routerExternal, int mtu,
                          boolean portSecurityEnabled, List<String> subnetIds) {
    public NetworkInfo {
        subnetIds = List.copyOf(subnetIds);
    }
}
