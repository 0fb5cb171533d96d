package dev.portside.network;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portside.common.testing.Http;
import dev.portside.common.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.portside.network.NetworkServer.assertNeutronError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Neutron's trunk extension: a parent port and VLAN sub-ports (an unaddressed one among them), the
 * add/remove/get_subports actions, the trunk plugin's checks and error types with nothing changed by
 * a refused request, ports kept from deletion while in a trunk, and sub-ports bound where their
 * parent is, owned by "trunk:subport".
 */
@ParameterizedClass(name = "on {0}")
@MethodSource("dev.portside.common.testing.TestDatabase#configured")
class TrunksTest {
    @Parameter
    TestDatabase kind;
    NetworkServer neutron;
    Http http;
    String parentNet;
    String net1;
    String net2;

    @BeforeEach
    void start() {
        neutron = new NetworkServer(kind);
        http = neutron.http;
        parentNet = neutron.network(neutron.alpha, "mgmt");
        neutron.subnet(neutron.alpha, parentNet, "10.1.0.0/24");
        net1 = neutron.network(neutron.alpha, "net1");
        neutron.subnet(neutron.alpha, net1, "10.2.0.0/24");
        net2 = neutron.network(neutron.alpha, "net2");
    }

    @AfterEach
    void stop() {
        neutron.close();
    }

    private String port(String network, String attributes) {
        return neutron.create(neutron.alpha, "port", "\"network_id\": \"" + network + "\"" + attributes).get("id").asText();
    }

    private static String subPort(String port, int vlan) {
        return "{\"port_id\": \"" + port + "\", \"segmentation_type\": \"vlan\", \"segmentation_id\": " + vlan + "}";
    }

    private Http.Reply createTrunk(String token, String parent, String... subPorts) {
        return http.post("/v2.0/trunks", token, "{\"trunk\": {\"name\": \"t1\", \"port_id\": \"" + parent
                + "\", \"sub_ports\": [" + String.join(", ", subPorts) + "]}}");
    }

    private JsonNode trunk(String parent, String... subPorts) {
        Http.Reply reply = createTrunk(neutron.alpha, parent, subPorts);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().get("trunk");
    }

    private Http.Reply action(String trunk, String action, String... subPorts) {
        return http.send("PUT", "/v2.0/trunks/" + trunk + "/" + action, neutron.alpha,
                "{\"sub_ports\": [" + String.join(", ", subPorts) + "]}");
    }

    private JsonNode shown(String trunk) {
        return http.get("/v2.0/trunks/" + trunk, neutron.alpha).json().get("trunk");
    }

    private JsonNode portShown(String port) {
        return http.get("/v2.0/ports/" + port, neutron.admin).json().get("port");
    }

    @Test
    void aTrunkCarriesAnAddressedAndAnUnaddressedSubPortOnTheirVlans() {
        String parent = port(parentNet, "");
        String addressed = port(net1, "");
        String unaddressed = port(net1, ", \"fixed_ips\": []");
        JsonNode trunk = trunk(parent, subPort(addressed, 100), subPort(unaddressed, 200));

        assertThat(trunk.get("status").asText()).as("nothing is wired before the parent is bound").isEqualTo("DOWN");
        assertThat(trunk.get("admin_state_up").asBoolean()).isTrue();
        assertThat(trunk.get("port_id").asText()).isEqualTo(parent);
        assertThat(trunk.get("revision_number").asInt()).isEqualTo(1);
        assertThat(trunk.get("tags")).isEmpty();
        assertThat(trunk.get("sub_ports").findValuesAsText("port_id")).containsExactly(addressed, unaddressed);
        assertThat(trunk.get("sub_ports").findValues("segmentation_id").stream().map(JsonNode::asInt))
                .containsExactly(100, 200);
        assertThat(trunk.get("sub_ports").findValuesAsText("segmentation_type")).containsOnly("vlan");

        String id = trunk.get("id").asText();
        assertThat(shown(id)).isEqualTo(trunk);
        assertThat(http.get("/v2.0/trunks?port_id=" + parent, neutron.alpha).json().get("trunks").findValuesAsText("id"))
                .containsExactly(id);
        assertThat(http.get("/v2.0/trunks?status=ACTIVE", neutron.alpha).json().get("trunks")).isEmpty();
        assertThat(http.get("/v2.0/trunks/" + id + "/get_subports", neutron.alpha).json().get("sub_ports"))
                .isEqualTo(trunk.get("sub_ports"));
        assertThat(http.get("/v2.0/extensions/trunk", neutron.alpha).status()).isEqualTo(200);

        // trunk-details: the parent shows its trunk with each sub-port's VLAN and MAC; other ports have no such key.
        JsonNode details = http.get("/v2.0/ports/" + parent, neutron.alpha).json().at("/port/trunk_details");
        assertThat(details.get("trunk_id").asText()).isEqualTo(id);
        assertThat(details.get("sub_ports").findValuesAsText("port_id")).containsExactly(addressed, unaddressed);
        assertThat(details.get("sub_ports").findValuesAsText("mac_address")).containsExactly(
                portShown(addressed).get("mac_address").asText(), portShown(unaddressed).get("mac_address").asText());
        assertThat(portShown(addressed).has("trunk_details")).isFalse();
        assertThat(http.get("/v2.0/ports?fields=trunk_details&id=" + parent, neutron.alpha).json()
                .at("/ports/0/trunk_details/trunk_id").asText()).isEqualTo(id);
        assertThat(http.get("/v2.0/extensions/trunk-details", neutron.alpha).status()).isEqualTo(200);
    }

    @Test
    void subPortsJoinAndLeaveThroughTheActionsWhichAnswerTheTrunkUnwrapped() {
        String parent = port(parentNet, "");
        String first = port(net1, "");
        String second = port(net2, "");
        String id = trunk(parent, subPort(first, 100)).get("id").asText();

        Http.Reply added = action(id, "add_subports", subPort(second, 300));
        assertThat(added.status()).as(added.toString()).isEqualTo(200);
        assertThat(added.json().get("id").asText()).as("Neutron answers an action unwrapped").isEqualTo(id);
        assertThat(added.json().get("sub_ports").findValuesAsText("port_id")).containsExactly(first, second);
        assertThat(added.json().get("revision_number").asInt()).isEqualTo(2);

        Http.Reply removed = http.send("PUT", "/v2.0/trunks/" + id + "/remove_subports", neutron.alpha,
                "{\"sub_ports\": [{\"port_id\": \"" + first + "\"}]}");
        assertThat(removed.status()).as(removed.toString()).isEqualTo(200);
        assertThat(removed.json().get("sub_ports").findValuesAsText("port_id")).containsExactly(second);
        assertThat(shown(id).get("sub_ports").findValuesAsText("port_id")).containsExactly(second);

        assertThat(http.send("PUT", "/v2.0/trunks/" + id, neutron.alpha, "{\"trunk\": {\"name\": \"edge\","
                + " \"description\": \"vnf uplink\"}}").json().at("/trunk/name").asText()).isEqualTo("edge");
        assertNeutronError(http.send("PUT", "/v2.0/trunks/" + id, neutron.alpha,
                "{\"trunk\": {\"sub_ports\": []}}"), 400, "HTTPBadRequest");
        assertNeutronError(http.send("PUT", "/v2.0/trunks/" + id, neutron.alpha,
                "{\"trunk\": {\"port_id\": \"" + first + "\"}}"), 400, "HTTPBadRequest");
    }

    @Test
    void refusedSubPortsAnswerNeutronsErrorsAndChangeNothing() {
        String parent = port(parentNet, "");
        String inTrunk = port(net1, "");
        String free = port(net2, "");
        String id = trunk(parent, subPort(inTrunk, 100)).get("id").asText();
        JsonNode before = shown(id);

        assertNeutronError(action(id, "add_subports", subPort(free, 100)), 409, "DuplicateSubPort");
        assertNeutronError(action(id, "add_subports", subPort(inTrunk, 101)), 409, "TrunkPortInUse");
        assertNeutronError(action(id, "add_subports", subPort(parent, 102)), 409, "ParentPortInUse");
        assertNeutronError(action(id, "add_subports", "{\"port_id\": \"" + free
                + "\", \"segmentation_type\": \"vxlan\", \"segmentation_id\": 5}"), 400, "InvalidInput");
        assertNeutronError(action(id, "add_subports", subPort(free, 4095)), 400, "InvalidInput");
        assertNeutronError(action(id, "add_subports", "{\"port_id\": \"" + free + "\", \"segmentation_id\": 5}"),
                400, "InvalidInput");
        assertNeutronError(action(id, "add_subports", subPort(free, 7), subPort(port(net2, ""), 7)), 400, "InvalidInput");
        assertNeutronError(action(id, "add_subports", subPort("not-a-uuid", 7)), 400, "InvalidInput");
        assertNeutronError(action(id, "add_subports", subPort("0b6d5fd6-8d3e-4f0b-8a57-2c7e9d3c1a11", 7)), 404,
                "PortNotFound");
        String attached = port(net2, ", \"device_id\": \"7e1a0c36-1b52-4a6a-9a57-2c7e9d3c1a11\"");
        assertNeutronError(action(id, "add_subports", subPort(attached, 8)), 409, "PortInUse");
        // A refused batch adds none of it, not even the sub-ports before the bad one.
        assertNeutronError(action(id, "add_subports", subPort(free, 9), subPort(attached, 10)), 409, "PortInUse");
        assertNeutronError(http.send("PUT", "/v2.0/trunks/" + id + "/remove_subports", neutron.alpha,
                "{\"sub_ports\": [{\"port_id\": \"" + free + "\"}]}"), 404, "SubPortNotFound");
        assertThat(shown(id)).as("every refusal left the trunk as it was").isEqualTo(before);

        http.send("PUT", "/v2.0/trunks/" + id, neutron.alpha, "{\"trunk\": {\"admin_state_up\": false}}");
        assertNeutronError(action(id, "add_subports", subPort(free, 9)), 409, "TrunkDisabled");
        assertNeutronError(http.send("DELETE", "/v2.0/trunks/" + id, neutron.alpha, null), 409, "TrunkDisabled");
    }

    @Test
    void aParentServesOneTrunkAndAPortInATrunkIsNotDeleted() {
        String parent = port(parentNet, "");
        String sub = port(net1, ", \"fixed_ips\": []");
        String id = trunk(parent, subPort(sub, 100)).get("id").asText();

        assertNeutronError(createTrunk(neutron.alpha, parent), 409, "ParentPortInUse");
        assertNeutronError(createTrunk(neutron.alpha, sub), 409, "TrunkPortInUse");
        assertNeutronError(createTrunk(neutron.alpha, port(parentNet, ""), subPort(sub, 100)), 409, "TrunkPortInUse");
        assertNeutronError(createTrunk(neutron.alpha, port(parentNet, ""), subPort("x", 100)), 400, "HTTPBadRequest");
        assertThat(http.get("/v2.0/trunks", neutron.alpha).json().get("trunks")).as("no half-made trunk").hasSize(1);

        assertNeutronError(http.send("DELETE", "/v2.0/ports/" + parent, neutron.alpha, null), 409, "PortInUseAsTrunkParent");
        assertNeutronError(http.send("DELETE", "/v2.0/ports/" + sub, neutron.alpha, null), 409, "PortInUseAsSubPort");
        assertThat(http.send("DELETE", "/v2.0/trunks/" + id, neutron.alpha, null).status()).isEqualTo(204);
        assertThat(http.send("DELETE", "/v2.0/ports/" + sub, neutron.alpha, null).status()).isEqualTo(204);
        assertThat(http.send("DELETE", "/v2.0/ports/" + parent, neutron.alpha, null).status()).isEqualTo(204);
        assertNeutronError(http.get("/v2.0/trunks/" + id, neutron.alpha), 404, "TrunkNotFound");
    }

    @Test
    void subPortsAreBoundWhereTheirParentIsAndATrunkInUseStays() {
        String parent = port(parentNet, "");
        String first = port(net1, ", \"fixed_ips\": []");
        String later = port(net2, "");
        String id = trunk(parent, subPort(first, 100)).get("id").asText();

        http.send("PUT", "/v2.0/ports/" + parent, neutron.admin, "{\"port\": {\"binding:host_id\": \"host1\","
                + " \"device_id\": \"7e1a0c36-1b52-4a6a-9a57-2c7e9d3c1a11\", \"device_owner\": \"compute:nova\"}}");
        JsonNode bound = portShown(first);
        assertThat(bound.get("binding:host_id").asText()).isEqualTo("host1");
        assertThat(bound.get("binding:vif_details").get("connectivity").asText()).as("an unaddressed sub-port is L2")
                .isEqualTo("l2");
        assertThat(bound.get("device_owner").asText()).isEqualTo("trunk:subport");

        assertThat(action(id, "add_subports", subPort(later, 200)).status()).isEqualTo(200);
        assertThat(portShown(later).get("binding:host_id").asText()).as("joined a bound trunk: bound at once")
                .isEqualTo("host1");
        assertNeutronError(http.send("DELETE", "/v2.0/trunks/" + id, neutron.alpha, null), 409, "TrunkInUse");

        // Live migration, as Nova does it: an inactive binding on the target host, then activated there.
        assertThat(http.post("/v2.0/ports/" + parent + "/bindings", neutron.admin, "{\"binding\": {\"host\": \"host2\"}}")
                .status()).isEqualTo(201);
        assertThat(http.send("PUT", "/v2.0/ports/" + parent + "/bindings/host2/activate", neutron.admin, null).status())
                .isEqualTo(200);
        assertThat(portShown(first).get("binding:host_id").asText()).as("sub-ports follow the activated binding")
                .isEqualTo("host2");
        assertThat(portShown(later).get("binding:host_id").asText()).isEqualTo("host2");

        http.send("PUT", "/v2.0/trunks/" + id + "/remove_subports", neutron.alpha, "{\"sub_ports\": [{\"port_id\": \""
                + later + "\"}]}");
        assertThat(portShown(later).get("binding:host_id").asText()).as("left the trunk: unbound").isEmpty();
        assertThat(portShown(later).get("device_owner").asText()).isEmpty();

        http.send("PUT", "/v2.0/ports/" + parent, neutron.admin, "{\"port\": {\"binding:host_id\": \"\"}}");
        assertThat(portShown(first).get("binding:host_id").asText()).isEmpty();
        assertThat(portShown(first).get("device_owner").asText()).isEmpty();
        assertThat(http.send("DELETE", "/v2.0/trunks/" + id, neutron.alpha, null).status()).isEqualTo(204);
    }

    @Test
    void aBoundPortCannotBecomeAParent() {
        String bound = neutron.create(neutron.admin, "port", "\"network_id\": \"" + parentNet
                + "\", \"binding:host_id\": \"host1\"").get("id").asText();
        Http.Reply reply = http.post("/v2.0/trunks", neutron.admin, "{\"trunk\": {\"port_id\": \"" + bound + "\"}}");
        assertNeutronError(reply, 409, "ParentPortInUse");
    }

    @Test
    void anotherProjectSeesNoTrunkAndCannotTrunkPortsItCannotSee() {
        String parent = port(parentNet, "");
        String id = trunk(parent).get("id").asText();
        assertNeutronError(http.get("/v2.0/trunks/" + id, neutron.beta), 404, "TrunkNotFound");
        assertNeutronError(http.send("PUT", "/v2.0/trunks/" + id + "/add_subports", neutron.beta,
                "{\"sub_ports\": []}"), 404, "TrunkNotFound");
        assertThat(http.get("/v2.0/trunks", neutron.beta).json().get("trunks")).isEmpty();
        Http.Reply foreign = http.post("/v2.0/trunks", neutron.beta, "{\"trunk\": {\"port_id\": \"" + port(net1, "")
                + "\"}}");
        assertNeutronError(foreign, 404, "PortNotFound");
        assertThat(http.get("/v2.0/trunks", neutron.admin).json().get("trunks")).hasSize(1);
    }

    @Test
    void racingTrunksForOnePortLeaveItInExactlyOne() throws Exception {
        String parent = port(parentNet, "");
        String contested = port(net1, "");
        List<String> others = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            others.add(port(parentNet, ""));
        }
        List<Future<Integer>> parents = new ArrayList<>();
        List<Future<Integer>> subPorts = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
            for (int i = 0; i < 6; i++) {
                parents.add(pool.submit(() -> createTrunk(neutron.alpha, parent).status()));
            }
            for (String other : others) {
                subPorts.add(pool.submit(() -> createTrunk(neutron.alpha, other, subPort(contested, 100)).status()));
            }
        }
        List<Integer> parentAnswers = new ArrayList<>();
        for (Future<Integer> f : parents) {
            parentAnswers.add(f.get());
        }
        List<Integer> subPortAnswers = new ArrayList<>();
        for (Future<Integer> f : subPorts) {
            subPortAnswers.add(f.get());
        }
        assertThat(parentAnswers).filteredOn(s -> s == 201).as(parentAnswers.toString()).hasSize(1);
        assertThat(parentAnswers).filteredOn(s -> s != 201).containsOnly(409);
        assertThat(subPortAnswers).filteredOn(s -> s == 201).as(subPortAnswers.toString()).hasSize(1);
        assertThat(subPortAnswers).filteredOn(s -> s != 201).containsOnly(409);
        assertThat(http.get("/v2.0/trunks", neutron.alpha).json().get("trunks")).hasSize(2);
    }
}
