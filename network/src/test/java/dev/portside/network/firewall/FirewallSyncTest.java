package dev.portside.network.firewall;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.json.Json;
import dev.portside.common.testing.TestClock;
import dev.portside.common.testing.TestDatabase;
import dev.portside.network.Networking;
import dev.portside.network.api.Definitions;
import dev.portside.network.port.PortEvents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The host firewall hears every committed change through the post-commit seam and applies the
 * ruleset again only when the change can alter a port's filter.
 */
class FirewallSyncTest {
    static final AuthContext ADMIN = new AuthContext("admin", "admin", "default",
            Optional.of(new AuthContext.Scope("p1", "admin", "default")), Optional.empty(), Set.of("admin", "member", "reader"),
            List.of("password"), Instant.MAX, List.of());

    final List<String> applied = new ArrayList<>();
    TestDatabase.Instance database;
    Networking networking;
    String network;

    @BeforeEach
    void start() {
        database = TestDatabase.configured().getFirst().create();
        networking = new Networking(database.database(), new Networking.Settings("http://127.0.0.1:1",
                Networking.Settings.NEUTRON_BASE_MAC, 1500, Map.of(), Networking.Settings.DEFAULT_DRIVERS, Map.of(),
                FilterSettings.DEFAULTS, dev.portside.network.net.PhysicalNetworks.NONE), PortEvents.NONE, applied::add,
                new TestClock());
        network = networking.networks().create(ADMIN, Definitions.NETWORK.forCreate(body("network", Json.object()))).id();
        networking.subnets().create(ADMIN, Definitions.SUBNET.forCreate(body("subnet", Json.object()
                .put("network_id", network).put("ip_version", 4).put("cidr", "10.0.0.0/24"))));
        // As at start-up: the host gets what the database says, here nothing to filter.
        networking.resyncFirewall();
        assertThat(applied).hasSize(1);
        applied.clear();
    }

    @AfterEach
    void stop() {
        database.close();
    }

    @Test
    void portsBoundNowhereCostNoApplyUntilAPortIsFiltered() {
        String first = port(Json.object());
        port(unaddressed());
        assertThat(applied).as("no port is filtered yet").isEmpty();

        bind(first, "compute-1");
        assertThat(applied).hasSize(1);
        assertThat(applied.getLast()).contains("tap" + first.substring(0, 11));

        // An addressed port of the default group is a remote-group member of the bound port's rules.
        port(Json.object());
        assertThat(applied).hasSize(2);

        // One with no address contributes nothing, bound nowhere.
        port(unaddressed());
        assertThat(applied).hasSize(2);
    }

    @Test
    void aBoundPortDeletedIsAppliedAtOnceAndTheLastOneLeavesAnEmptyRuleset() {
        String port = port(Json.object());
        bind(port, "compute-1");

        networking.ports().delete(ADMIN, port, Optional.empty());

        assertThat(applied).hasSize(2);
        assertThat(applied.getLast()).doesNotContain("tap" + port.substring(0, 11));
        port(Json.object());
        assertThat(applied).as("nothing filtered again").hasSize(2);
    }

    private static ObjectNode unaddressed() {
        ObjectNode attributes = Json.object();
        attributes.putArray("fixed_ips");
        return attributes;
    }

    private String port(ObjectNode attributes) {
        attributes.put("network_id", network);
        return networking.ports().create(ADMIN, Definitions.PORT.forCreate(body("port", attributes))).id();
    }

    private void bind(String port, String host) {
        networking.ports().update(ADMIN, port, body("port", Json.object().put("binding:host_id", host)), Optional.empty());
    }

    private static ObjectNode body(String member, ObjectNode attributes) {
        ObjectNode body = Json.object();
        body.set(member, attributes);
        return body;
    }
}
