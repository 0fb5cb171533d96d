package dev.portside.network.trunk;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.http.ApiException;
import dev.portside.common.json.Json;
import dev.portside.common.testing.TestDatabase;
import dev.portside.network.LocalNetworking;
import dev.portside.network.Networking;
import dev.portside.network.api.Definitions;
import dev.portside.network.firewall.HostFirewall;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A trunk's status and its sub-ports' statuses follow what the parent's host wired, as Neutron's
 * trunk driver reports them: DOWN while the parent is not up, ACTIVE when every sub-port is wired,
 * DEGRADED when some are not, ERROR when the host could wire nothing. The host here is a script of
 * what it can wire (the seam the real host's wiring sits behind); the database is real.
 */
class TrunkSyncTest {
    static final AuthContext ADMIN = LocalNetworking.ADMIN;
    static final String HOST = "host1";

    /** The host as a script: it records every wiring asked of it, refuses some sub-ports, or fails outright. */
    static final class ScriptedHost implements TrunkWiring {
        record Call(String host, String parent, List<SubPortVlan> subPorts) {
        }

        final List<Call> calls = new ArrayList<>();
        final Set<String> refused = new HashSet<>();
        // What the trunk's status was while the host wired it, call by call.
        final List<String> statusesWhileWiring = new ArrayList<>();
        java.util.function.Supplier<String> status = () -> "";
        boolean failing;

        @Override
        public Set<String> wire(String host, String parentPortId, List<SubPortVlan> subPorts) {
            calls.add(new Call(host, parentPortId, subPorts));
            statusesWhileWiring.add(status.get());
            if (failing) {
                throw new IllegalStateException("the host is unreachable");
            }
            Set<String> wired = new LinkedHashSet<>();
            subPorts.stream().map(SubPortVlan::portId).filter(id -> !refused.contains(id)).forEach(wired::add);
            return wired;
        }
    }

    final ScriptedHost host = new ScriptedHost();
    LocalNetworking local;
    Networking networking;

    void start(TestDatabase kind) {
        local = new LocalNetworking(kind, HostFirewall.NONE, host);
        networking = local.networking;
    }

    @AfterEach
    void stop() {
        if (local != null) {
            local.close();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.portside.common.testing.TestDatabase#configured")
    void aTrunkIsActiveOnceItsParentIsUpAndEverySubPortWiredAndDownWhenTheParentGoes(TestDatabase kind) {
        start(kind);
        String parent = port(Json.object());
        String addressed = port(Json.object());
        String unaddressed = port(LocalNetworking.unaddressed());
        String trunk = trunk(parent, Map.of(addressed, 100, unaddressed, 200));

        bind(parent, HOST);
        assertThat(status(trunk)).as("bound, not yet up").isEqualTo(Trunk.DOWN);
        assertThat(host.calls.getLast().subPorts()).as("nothing to wire on a parent that is not up").isEmpty();

        host.status = () -> status(trunk);
        networking.portStatus().deviceUp(parent, HOST);
        assertThat(host.statusesWhileWiring.getLast()).as("building while the host wires it").isEqualTo(Trunk.BUILD);
        assertThat(host.calls.getLast()).isEqualTo(new ScriptedHost.Call(HOST, parent, List.of(
                new TrunkWiring.SubPortVlan(addressed, 100), new TrunkWiring.SubPortVlan(unaddressed, 200))));
        assertThat(status(trunk)).isEqualTo(Trunk.ACTIVE);
        assertThat(portStatus(addressed)).isEqualTo("ACTIVE");
        assertThat(portStatus(unaddressed)).isEqualTo("ACTIVE");

        networking.portStatus().deviceDown(parent, HOST);
        assertThat(host.calls.getLast().subPorts()).as("everything unwired").isEmpty();
        assertThat(status(trunk)).isEqualTo(Trunk.DOWN);
        assertThat(portStatus(addressed)).isEqualTo("DOWN");
        assertThat(portStatus(unaddressed)).isEqualTo("DOWN");
    }

    @ParameterizedTest
    @MethodSource("dev.portside.common.testing.TestDatabase#configured")
    void aSubPortTheHostCannotWireLeavesTheTrunkDegradedAndAHostThatWiresNothingInError(TestDatabase kind) {
        start(kind);
        String parent = port(Json.object());
        String first = port(Json.object());
        String second = port(LocalNetworking.unaddressed());
        String trunk = trunk(parent, Map.of(first, 100));
        bind(parent, HOST);
        networking.portStatus().deviceUp(parent, HOST);

        host.refused.add(second);
        networking.trunks().addSubPorts(ADMIN, trunk, subPorts(Map.of(second, 200)));
        assertThat(status(trunk)).isEqualTo(Trunk.DEGRADED);
        assertThat(portStatus(first)).isEqualTo("ACTIVE");
        assertThat(portStatus(second)).as("bound with its parent, not wired").isEqualTo("DOWN");

        host.failing = true;
        networking.trunks().removeSubPorts(ADMIN, trunk, subPorts(Map.of(second, 200)));
        assertThat(status(trunk)).isEqualTo(Trunk.ERROR);
        assertThat(portStatus(first)).isEqualTo("DOWN");
        // As Neutron: a trunk in error takes no more sub-ports until its error is resolved.
        assertThatThrownBy(() -> networking.trunks().addSubPorts(ADMIN, trunk, subPorts(Map.of(second, 200))))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.type()).isEqualTo("TrunkInErrorState"));

        // The host is back: a start-up resync wires what the database says.
        host.failing = false;
        host.refused.clear();
        networking.resyncTrunks();
        assertThat(host.calls.getLast().subPorts()).containsExactly(new TrunkWiring.SubPortVlan(first, 100));
        assertThat(status(trunk)).isEqualTo(Trunk.ACTIVE);
        assertThat(portStatus(first)).isEqualTo("ACTIVE");
    }

    @ParameterizedTest
    @MethodSource("dev.portside.common.testing.TestDatabase#configured")
    void portChangesThatDoNotMoveOrSwitchATrunksParentWireNothing(TestDatabase kind) {
        start(kind);
        String parent = port(Json.object());
        String subPort = port(Json.object());
        trunk(parent, Map.of(subPort, 100));
        bind(parent, HOST);
        networking.portStatus().deviceUp(parent, HOST);
        int calls = host.calls.size();

        networking.ports().update(ADMIN, parent, body("port", Json.object().put("name", "renamed")), Optional.empty());
        String other = port(Json.object());
        bind(other, HOST);
        networking.portStatus().deviceUp(other, HOST);

        assertThat(host.calls).hasSize(calls);
    }

    private String trunk(String parent, Map<String, Integer> subPorts) {
        ObjectNode attributes = Json.object().put("port_id", parent);
        attributes.set("sub_ports", subPorts(subPorts));
        return networking.trunks().create(ADMIN, Definitions.TRUNK.forCreate(body("trunk", attributes))).id();
    }

    // In VLAN order, so that the wiring asked of the host is predictable.
    private static ArrayNode subPorts(Map<String, Integer> vlans) {
        ArrayNode list = Json.array();
        vlans.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(e -> list.addObject()
                .put("port_id", e.getKey()).put("segmentation_type", "vlan").put("segmentation_id", e.getValue()));
        return list;
    }

    private String status(String trunk) {
        return networking.trunks().show(ADMIN, trunk).status();
    }

    private String portStatus(String port) {
        return networking.ports().show(ADMIN, port).status();
    }

    private String port(ObjectNode attributes) {
        return local.port(attributes);
    }

    private void bind(String port, String hostId) {
        local.bind(port, hostId);
    }

    private static ObjectNode body(String member, ObjectNode attributes) {
        return LocalNetworking.body(member, attributes);
    }
}
