package dev.portside.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portside.common.testing.Http;
import dev.portside.common.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;

import static dev.portside.app.Cloud.assertNovaError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Servers over HTTP with the fake driver on one l2 host: the spec's rule for the ports a server is
 * given, what a server shows of them, and what its deletion leaves.
 */
@ParameterizedClass(name = "on {0}")
@MethodSource("dev.portside.common.testing.TestDatabase#configured")
class ServersTest {
    @Parameter
    TestDatabase kind;
    @TempDir
    Path dataDir;
    Cloud cloud;
    String mgmt;
    String net1;

    @BeforeEach
    void start() throws Exception {
        cloud = new Cloud(kind, dataDir, "fake_hosts: [{name: host1}]\n");
        mgmt = cloud.network(cloud.alpha, "mgmt", "10.0.0.0/24");
        net1 = cloud.network(cloud.alpha, "net1", "10.1.0.0/24");
    }

    @AfterEach
    void stop() {
        cloud.close();
    }

    @Test
    void aServerBootsWithAManagementNetworkAndAnUnaddressedPortBoundL2() {
        String unaddressed = cloud.port(cloud.alpha, net1, "\"fixed_ips\": []");

        String id = cloud.bootOk(cloud.alpha, "vm1", "[{\"uuid\": \"" + mgmt + "\"}, {\"port\": \"" + unaddressed + "\"}]");
        JsonNode server = cloud.settled(cloud.alpha, id);

        assertThat(server.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(server.get("OS-EXT-STS:power_state").asInt()).isEqualTo(1);
        assertThat(server.at("/addresses/mgmt/0/addr").asText()).startsWith("10.0.0.");
        assertThat(server.at("/addresses/mgmt/0/version").asInt()).isEqualTo(4);
        assertThat(server.at("/addresses/net1")).as("an unaddressed port's network, with no address").isEmpty();
        assertThat(server.has("OS-EXT-SRV-ATTR:host")).as("host attributes are for admins").isFalse();
        JsonNode port = cloud.portShow(unaddressed);
        assertThat(port.get("device_id").asText()).isEqualTo(id);
        assertThat(port.get("device_owner").asText()).isEqualTo("compute:nova");
        assertThat(port.get("binding:host_id").asText()).isEqualTo("host1");
        assertThat(port.at("/binding:vif_details/connectivity").asText()).isEqualTo("l2");
        assertThat(port.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(port.get("ip_allocation").asText()).isEqualTo("none");
        assertThat(cloud.driver().instances("host1")).containsOnlyKeys(id);
        assertThat(cloud.driver().instances("host1").get(id).portIds()).hasSize(2).contains(unaddressed);
        JsonNode asAdmin = cloud.compute.get("/servers/" + id, cloud.admin).json().get("server");
        assertThat(asAdmin.get("OS-EXT-SRV-ATTR:host").asText()).isEqualTo("host1");
        assertThat(asAdmin.get("OS-EXT-SRV-ATTR:instance_name").asText()).matches("instance-[0-9a-f]{8}");
    }

    @Test
    void deletingAServerKeepsTheUsersPortsUnboundAndDeletesThePortsComputeMade() {
        String unaddressed = cloud.port(cloud.alpha, net1, "\"fixed_ips\": []");
        String id = cloud.bootOk(cloud.alpha, "vm1", "[{\"uuid\": \"" + mgmt + "\"}, {\"port\": \"" + unaddressed + "\"}]");
        cloud.settled(cloud.alpha, id);
        String made = cloud.network.get("/v2.0/ports?network_id=" + mgmt, cloud.alpha).json().at("/ports/0/id").asText();
        assertThat(cloud.portShow(made).get("device_id").asText()).isEqualTo(id);

        assertThat(cloud.compute.send("DELETE", "/servers/" + id, cloud.alpha, null).status()).isEqualTo(204);
        cloud.gone(cloud.alpha, id);

        JsonNode kept = cloud.portShow(unaddressed);
        assertThat(kept.get("device_id").asText()).isEmpty();
        assertThat(kept.get("device_owner").asText()).isEmpty();
        assertThat(kept.get("binding:host_id").asText()).isEmpty();
        assertThat(kept.get("binding:vif_type").asText()).isEqualTo("unbound");
        assertThat(kept.get("status").asText()).isEqualTo("DOWN");
        assertThat(cloud.network.get("/v2.0/ports/" + made, cloud.admin).status()).isEqualTo(404);
        assertThat(cloud.driver().instances("host1")).isEmpty();
        // The kept port serves another server.
        String again = cloud.bootOk(cloud.alpha, "vm2", "[{\"port\": \"" + unaddressed + "\"}]");
        assertThat(cloud.settled(cloud.alpha, again).get("status").asText()).isEqualTo("ACTIVE");
    }

    @Test
    void aPortWithAnAddressOrNoneAskedForBoots() {
        String addressed = cloud.port(cloud.alpha, net1, "");
        String id = cloud.bootOk(cloud.alpha, "vm1", "[{\"port\": \"" + addressed + "\"}]");
        JsonNode server = cloud.settled(cloud.alpha, id);
        assertThat(server.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(server.at("/addresses/net1/0/addr").asText()).startsWith("10.1.0.");

        // A network asked for with an address gets a port with that address.
        String fixed = cloud.bootOk(cloud.alpha, "vm2", "[{\"uuid\": \"" + net1 + "\", \"fixed_ip\": \"10.1.0.77\"}]");
        assertThat(cloud.settled(cloud.alpha, fixed).at("/addresses/net1/0/addr").asText()).isEqualTo("10.1.0.77");
    }

    @Test
    void aPortWhoseAddressesWereRemovedIsRefusedWithPortRequiresFixedIp() {
        String port = cloud.port(cloud.alpha, net1, "");
        Http.Reply removed = cloud.network.send("PUT", "/v2.0/ports/" + port, cloud.alpha, "{\"port\": {\"fixed_ips\": []}}");
        assertThat(removed.json().at("/port/ip_allocation").asText()).isEqualTo("immediate");

        Http.Reply reply = cloud.boot(cloud.alpha, "vm1", "[{\"port\": \"" + port + "\"}]");

        assertNovaError(reply, 400, "badRequest", "Port " + port + " requires a FixedIP in order to be used.");
        assertThat(cloud.compute.get("/servers", cloud.alpha).json().get("servers")).isEmpty();
        assertThat(cloud.portShow(port).get("device_id").asText()).isEmpty();
    }

    @Test
    void aPortInUseIsRefusedWith409AndTwoServersNeverShareAPort() {
        String used = cloud.port(cloud.alpha, net1, "\"fixed_ips\": [], \"device_id\": \"some-router\"");
        assertNovaError(cloud.boot(cloud.alpha, "vm1", "[{\"port\": \"" + used + "\"}]"), 409, "conflictingRequest",
                "Port " + used + " is still in use.");

        String port = cloud.port(cloud.alpha, net1, "\"fixed_ips\": []");
        String first = cloud.bootOk(cloud.alpha, "vm1", "[{\"port\": \"" + port + "\"}]");
        // Asked for again before the first build bound it, the port is still the first server's.
        Http.Reply second = cloud.boot(cloud.alpha, "vm2", "[{\"port\": \"" + port + "\"}]");
        assertThat(second.status()).as(second.toString()).isEqualTo(409);
        assertThat(cloud.settled(cloud.alpha, first).get("status").asText()).isEqualTo("ACTIVE");
        assertThat(cloud.compute.get("/servers", cloud.alpha).json().get("servers")).hasSize(1);
    }

    @Test
    void requestsNamingWhatIsNotThereOrCannotServeAreRefusedAndLeaveNothing() {
        String empty = cloud.network(cloud.alpha, "no-subnets");
        assertNovaError(cloud.boot(cloud.alpha, "vm", "[{\"uuid\": \"" + empty + "\"}]"), 400, "badRequest",
                "Network " + empty + " requires a subnet in order to boot instances on.");
        String missing = "8a2d5b4e-0000-4000-8000-000000000000";
        assertNovaError(cloud.boot(cloud.alpha, "vm", "[{\"port\": \"" + missing + "\"}]"), 400, "badRequest",
                "Port id " + missing + " could not be found.");
        assertNovaError(cloud.boot(cloud.alpha, "vm", "[{\"uuid\": \"" + missing + "\"}]"), 400, "badRequest",
                "Network " + missing + " could not be found.");
        assertNovaError(cloud.compute.post("/servers", cloud.alpha, """
                {"server": {"name": "vm", "imageRef": "%s", "flavorRef": "99", "networks": []}}""".formatted(cloud.defaultImage)),
                400, "badRequest", "Flavor 99 could not be found.");
        assertNovaError(cloud.compute.post("/servers", cloud.alpha, """
                {"server": {"name": "vm", "imageRef": "%s", "flavorRef": "1", "networks": []}}""".formatted(missing)),
                400, "badRequest", "Image " + missing + " could not be found.");
        assertNovaError(cloud.compute.post("/servers", cloud.alpha, """
                {"server": {"name": "vm", "imageRef": "%s", "flavorRef": "1", "key_name": "nope"}}""".formatted(cloud.defaultImage)),
                400, "badRequest", "Invalid key_name provided.");
        assertNovaError(cloud.compute.post("/servers", cloud.alpha, """
                {"server": {"name": "vm", "imageRef": "%s", "flavorRef": "1", "colour": "red"}}""".formatted(cloud.defaultImage)),
                400, "badRequest", "colour");
        assertNovaError(cloud.compute.post("/servers", cloud.alpha, "{\"server\": {\"name\": \"vm\", \"imageRef\": \""
                + cloud.defaultImage + "\"}}"), 400, "badRequest", "flavorRef");
        assertNovaError(cloud.compute.post("/servers", cloud.alpha, "{not json"), 400, "badRequest", "JSON");
        assertThat(cloud.compute.get("/servers", cloud.alpha).json().get("servers")).isEmpty();
        assertThat(cloud.network.get("/v2.0/ports", cloud.admin).json().get("ports")).isEmpty();
    }

    @Test
    void pauseAndSuspendHoldTheInstanceWhereItIsAndOnlyTheirCounterpartOrAHardRebootGoesOn() {
        String id = cloud.bootOk(cloud.alpha, "vm1", "[{\"uuid\": \"" + mgmt + "\"}]");
        cloud.settled(cloud.alpha, id);

        assertThat(action(id, "{\"pause\": null}").status()).isEqualTo(202);
        JsonNode paused = cloud.settled(cloud.alpha, id);
        assertThat(paused.get("status").asText()).isEqualTo("PAUSED");
        assertThat(paused.get("OS-EXT-STS:power_state").asInt()).isEqualTo(3);
        assertThat(cloud.driver().instances("host1").get(id).power()).isEqualTo(dev.portside.agent.Power.PAUSED);
        assertNovaError(action(id, "{\"pause\": null}"), 409, "conflictingRequest",
                "Cannot 'pause' instance " + id + " while it is in vm_state paused");
        assertNovaError(action(id, "{\"os-stop\": null}"), 409, "conflictingRequest", "vm_state paused");
        assertNovaError(action(id, "{\"resume\": null}"), 409, "conflictingRequest", "Cannot 'resume'");
        assertThat(action(id, "{\"unpause\": null}").status()).isEqualTo(202);
        assertThat(cloud.settled(cloud.alpha, id).get("status").asText()).isEqualTo("ACTIVE");
        assertThat(cloud.driver().instances("host1").get(id).running()).isTrue();

        assertThat(action(id, "{\"suspend\": null}").status()).isEqualTo(202);
        JsonNode suspended = cloud.settled(cloud.alpha, id);
        assertThat(suspended.get("status").asText()).isEqualTo("SUSPENDED");
        assertThat(suspended.get("OS-EXT-STS:power_state").asInt()).isEqualTo(7);
        assertNovaError(action(id, "{\"unpause\": null}"), 409, "conflictingRequest", "vm_state suspended");
        assertNovaError(action(id, "{\"reboot\": {\"type\": \"SOFT\"}}"), 409, "conflictingRequest",
                "vm_state suspended");
        assertThat(action(id, "{\"reboot\": {\"type\": \"HARD\"}}").status()).as("a hard reboot wakes it").isEqualTo(202);
        assertThat(cloud.settled(cloud.alpha, id).get("status").asText()).isEqualTo("ACTIVE");
        assertThat(cloud.driver().instances("host1").get(id).running()).isTrue();

        assertThat(action(id, "{\"suspend\": null}").status()).isEqualTo(202);
        cloud.settled(cloud.alpha, id);
        assertThat(action(id, "{\"resume\": null}").status()).isEqualTo(202);
        assertThat(cloud.settled(cloud.alpha, id).get("status").asText()).isEqualTo("ACTIVE");
        assertNovaError(cloud.compute.post("/servers/" + id + "/action", cloud.beta, "{\"pause\": null}"), 404,
                "itemNotFound", "could not be found");
    }

    @Test
    void rebuildMakesTheInstanceAgainFromTheNewImageWithTheSamePortsAndKeepsAStoppedServerStopped() {
        String unaddressed = cloud.port(cloud.alpha, net1, "\"fixed_ips\": []");
        String id = cloud.bootOk(cloud.alpha, "vm1", "[{\"uuid\": \"" + mgmt + "\"}, {\"port\": \"" + unaddressed + "\"}]");
        JsonNode before = cloud.settled(cloud.alpha, id);
        String image = cloud.image.post("/v2/images", cloud.alpha,
                "{\"name\": \"router-2\", \"disk_format\": \"raw\", \"container_format\": \"bare\"}").json()
                .get("id").asText();
        assertThat(cloud.image.send("PUT", "/v2/images/" + image + "/file", cloud.alpha, "bytes",
                java.util.Map.of("Content-Type", "application/octet-stream")).status()).isEqualTo(204);

        Http.Reply rebuilt = action(id, "{\"rebuild\": {\"imageRef\": \"" + image + "\", \"name\": \"router\","
                + " \"metadata\": {\"v\": \"2\"}}}");
        assertThat(rebuilt.status()).as(rebuilt.toString()).isEqualTo(202);
        assertThat(rebuilt.json().at("/server/adminPass").asText()).isNotEmpty();
        JsonNode after = cloud.settled(cloud.alpha, id);
        assertThat(after.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(after.at("/image/id").asText()).isEqualTo(image);
        assertThat(after.get("name").asText()).isEqualTo("router");
        assertThat(after.at("/metadata/v").asText()).isEqualTo("2");
        assertThat(after.get("addresses")).as("the same ports, the same addresses").isEqualTo(before.get("addresses"));
        assertThat(cloud.driver().instances("host1").get(id).portIds()).contains(unaddressed).hasSize(2);
        assertThat(cloud.portShow(unaddressed).get("device_id").asText()).isEqualTo(id);

        action(id, "{\"os-stop\": null}");
        cloud.settled(cloud.alpha, id);
        assertThat(action(id, "{\"rebuild\": {\"imageRef\": \"" + cloud.defaultImage + "\"}}").status()).isEqualTo(202);
        JsonNode stopped = cloud.settled(cloud.alpha, id);
        assertThat(stopped.get("status").asText()).as("Nova leaves a stopped server stopped").isEqualTo("SHUTOFF");
        assertThat(stopped.at("/image/id").asText()).isEqualTo(cloud.defaultImage);
        assertThat(cloud.driver().instances("host1").get(id).running()).isFalse();
    }

    @Test
    void rebuildRefusesWhatNovaRefuses() {
        String id = cloud.bootOk(cloud.alpha, "vm1", "[]");
        cloud.settled(cloud.alpha, id);
        assertNovaError(action(id, "{\"rebuild\": {\"imageRef\": \"" + java.util.UUID.randomUUID() + "\"}}"), 400,
                "badRequest", "could not be found");
        assertNovaError(action(id, "{\"rebuild\": {}}"), 400, "badRequest", "imageRef");
        assertNovaError(action(id, "{\"rebuild\": {\"imageRef\": \"" + cloud.defaultImage + "\", \"colour\": 1}}"),
                400, "badRequest", "colour");
        assertNovaError(action(id, "{\"rebuild\": {\"imageRef\": \"" + cloud.defaultImage + "\", \"name\": \"\"}}"),
                400, "badRequest", "name");
        action(id, "{\"pause\": null}");
        cloud.settled(cloud.alpha, id);
        assertNovaError(action(id, "{\"rebuild\": {\"imageRef\": \"" + cloud.defaultImage + "\"}}"), 409,
                "conflictingRequest", "Cannot 'rebuild' instance " + id + " while it is in vm_state paused");
        action(id, "{\"unpause\": null}");
        cloud.settled(cloud.alpha, id);
        action(id, "{\"lock\": null}");
        assertNovaError(action(id, "{\"rebuild\": {\"imageRef\": \"" + cloud.defaultImage + "\"}}"), 409,
                "conflictingRequest", "is locked");
    }

    private Http.Reply action(String serverId, String body) {
        return cloud.compute.post("/servers/" + serverId + "/action", cloud.alpha, body);
    }

    @Test
    void stopStartAndRebootChangeThePowerStateAndRefuseWhatTheStateDoesNotAllow() {
        String id = cloud.bootOk(cloud.alpha, "vm1", "[{\"uuid\": \"" + mgmt + "\"}]");
        cloud.settled(cloud.alpha, id);

        assertThat(cloud.compute.post("/servers/" + id + "/action", cloud.alpha, "{\"os-stop\": null}").status()).isEqualTo(202);
        JsonNode stopped = cloud.settled(cloud.alpha, id);
        assertThat(stopped.get("status").asText()).isEqualTo("SHUTOFF");
        assertThat(stopped.get("OS-EXT-STS:power_state").asInt()).isEqualTo(4);
        assertThat(cloud.driver().instances("host1").get(id).running()).isFalse();
        assertNovaError(cloud.compute.post("/servers/" + id + "/action", cloud.alpha, "{\"os-stop\": null}"), 409,
                "conflictingRequest", "while it is in vm_state stopped");

        assertThat(cloud.compute.post("/servers/" + id + "/action", cloud.alpha, "{\"os-start\": null}").status()).isEqualTo(202);
        assertThat(cloud.settled(cloud.alpha, id).get("status").asText()).isEqualTo("ACTIVE");
        assertThat(cloud.driver().instances("host1").get(id).running()).isTrue();

        assertThat(cloud.compute.post("/servers/" + id + "/action", cloud.alpha,
                "{\"reboot\": {\"type\": \"HARD\"}}").status()).isEqualTo(202);
        assertThat(cloud.settled(cloud.alpha, id).get("status").asText()).isEqualTo("ACTIVE");
        assertNovaError(cloud.compute.post("/servers/" + id + "/action", cloud.alpha, "{\"reboot\": {\"type\": \"gentle\"}}"),
                400, "badRequest", "reboot");
        assertNovaError(cloud.compute.post("/servers/" + id + "/action", cloud.alpha, "{\"os-levitate\": null}"),
                400, "badRequest", "There is no such action: os-levitate");
    }

    @Test
    void listsAndDetailsFilterByNameAndStatusAndPage() {
        String a = cloud.bootOk(cloud.alpha, "web-1", "[{\"uuid\": \"" + mgmt + "\"}]");
        String b = cloud.bootOk(cloud.alpha, "web-2", "[{\"uuid\": \"" + mgmt + "\"}]");
        String c = cloud.bootOk(cloud.alpha, "db-1", "[]");
        List.of(a, b, c).forEach(id -> cloud.settled(cloud.alpha, id));

        assertThat(cloud.compute.get("/servers?name=web", cloud.alpha).json().findValuesAsText("name"))
                .containsExactlyInAnyOrder("web-1", "web-2");
        assertThat(cloud.compute.get("/servers/detail?status=ACTIVE", cloud.alpha).json().get("servers")).hasSize(3);
        JsonNode page = cloud.compute.get("/servers?limit=2", cloud.alpha).json();
        assertThat(page.get("servers")).hasSize(2);
        String next = page.at("/servers_links/0/href").asText();
        assertThat(next).contains("marker=");
        JsonNode rest = cloud.compute.get(next.substring(next.indexOf("/servers")), cloud.alpha).json();
        assertThat(rest.get("servers")).hasSize(1);
        assertThat(cloud.compute.get("/servers/detail", cloud.alpha).json().at("/servers/0/addresses")).isNotNull();
    }
}
