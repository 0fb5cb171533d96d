package dev.portside.network;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.json.Json;
import dev.portside.common.testing.TestClock;
import dev.portside.common.testing.TestDatabase;
import dev.portside.network.api.Definitions;
import dev.portside.network.firewall.FilterSettings;
import dev.portside.network.firewall.HostFirewall;
import dev.portside.network.port.PortEvents;
import dev.portside.network.trunk.TrunkWiring;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The network service in this JVM, called without HTTP, over a fresh database, with the host's
 * side ({@code firewall}, {@code trunkWiring}) given by the test: for tests of what happens after a
 * commit. It has one network with an IPv4 /24, where an admin makes and binds ports.
 */
public final class LocalNetworking implements AutoCloseable {
    public static final AuthContext ADMIN = new AuthContext("admin", "admin", "default",
            Optional.of(new AuthContext.Scope("p1", "admin", "default")), Optional.empty(), Set.of("admin", "member", "reader"),
            List.of("password"), Instant.MAX, List.of());

    public final Networking networking;
    public final String network;
    private final TestDatabase.Instance database;

    public LocalNetworking(TestDatabase kind, HostFirewall firewall, TrunkWiring trunkWiring) {
        this.database = kind.create();
        this.networking = new Networking(database.database(), new Networking.Settings("http://127.0.0.1:1",
                Networking.Settings.NEUTRON_BASE_MAC, 1500, Map.of(), Networking.Settings.DEFAULT_DRIVERS, Map.of(),
                FilterSettings.DEFAULTS, dev.portside.network.net.PhysicalNetworks.NONE), PortEvents.NONE, firewall,
                trunkWiring, new TestClock());
        this.network = networking.networks().create(ADMIN, Definitions.NETWORK.forCreate(body("network", Json.object())))
                .id();
        networking.subnets().create(ADMIN, Definitions.SUBNET.forCreate(body("subnet", Json.object()
                .put("network_id", network).put("ip_version", 4).put("cidr", "10.0.0.0/24"))));
    }

    /** A port on the network with {@code attributes}; returns its id. */
    public String port(ObjectNode attributes) {
        attributes.put("network_id", network);
        return networking.ports().create(ADMIN, Definitions.PORT.forCreate(body("port", attributes))).id();
    }

    /** The attributes of a port without addresses. */
    public static ObjectNode unaddressed() {
        ObjectNode attributes = Json.object();
        attributes.putArray("fixed_ips");
        return attributes;
    }

    public void bind(String port, String host) {
        networking.ports().update(ADMIN, port, body("port", Json.object().put("binding:host_id", host)), Optional.empty());
    }

    /** {"member": attributes}, a request body. */
    public static ObjectNode body(String member, ObjectNode attributes) {
        ObjectNode body = Json.object();
        body.set(member, attributes);
        return body;
    }

    @Override
    public void close() {
        database.close();
    }
}
