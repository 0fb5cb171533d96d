package dev.portside.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.json.Json;
import dev.portside.network.Networking;
import dev.portside.network.api.Definitions;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The external network the all-in-one makes on its first start, as DevStack's {@code public}: the
 * admin project's, {@code router:external}, one IPv4 subnet whose gateway (the first address) the
 * host holds on the network's bridge once a router's gateway is there. Routers reach the host
 * through it, and floating IPs from it make instances reachable from the host. Traffic stays on
 * this machine: the host routes nothing from it elsewhere.
 */
final class PublicNetwork {
    static final String NAME = "public";

    private PublicNetwork() {
    }

    static void create(Networking networking, String adminProjectId, String cidr) {
        // The admin, scoped to its project, as DevStack's stack.sh makes the network.
        AuthContext admin = new AuthContext("portside-bootstrap", "admin", "default",
                Optional.of(new AuthContext.Scope(adminProjectId, "admin", "default")), Optional.empty(),
                Set.of("admin", "member", "reader"), List.of("internal"), Instant.MAX, List.of());
        ObjectNode network = Json.object();
        network.putObject("network").put("name", NAME).put("router:external", true)
                .put("description", "External network: routers' gateways and floating IPs");
        String networkId = networking.networks().create(admin, Definitions.NETWORK.forCreate(network)).id();
        ObjectNode subnet = Json.object();
        subnet.putObject("subnet").put("name", NAME + "-subnet").put("network_id", networkId).put("ip_version", 4)
                .put("cidr", cidr).put("enable_dhcp", false);
        networking.subnets().create(admin, Definitions.SUBNET.forCreate(subnet));
    }
}
