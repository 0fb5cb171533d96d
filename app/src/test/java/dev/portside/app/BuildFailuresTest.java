package dev.portside.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portside.common.testing.Http;
import dev.portside.common.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A boot that fails at any step (no host, port creation, binding, spawn, vif-plugged, a delete
 * midway) leaves no instance, no port compute made, no binding and no resource claim, and a fault
 * that says why; a failure another host can avoid is rescheduled there.
 */
@ParameterizedClass(name = "on {0}")
@MethodSource("dev.portside.common.testing.TestDatabase#configured")
class BuildFailuresTest {
    @Parameter
    TestDatabase kind;
    @TempDir
    Path dataDir;
    Cloud cloud;

    @AfterEach
    void stop() {
        if (cloud != null) {
            cloud.close();
        }
    }

    private void start(String config) throws Exception {
        cloud = new Cloud(kind, dataDir, config);
    }

    @Test
    void onlyAnL3HostFailsTheBootWithAFaultNamingThePortAndLeavesThePortReusable() throws Exception {
        start("""
                fake_hosts: [{name: routed-host, memory_mb: 65536}, {name: l2-host}]
                host_mechanism_drivers: {routed-host: [routed]}
                """);
        disable("l2-host");
        String mgmt = cloud.network(cloud.alpha, "mgmt", "10.0.0.0/24");
        String net1 = cloud.network(cloud.alpha, "net1", "10.1.0.0/24");
        String unaddressed = cloud.port(cloud.alpha, net1, "\"fixed_ips\": []");

        String id = cloud.bootOk(cloud.alpha, "vm1", "[{\"uuid\": \"" + mgmt + "\"}, {\"port\": \"" + unaddressed + "\"}]");
        JsonNode server = cloud.settled(cloud.alpha, id);

        assertThat(server.get("status").asText()).isEqualTo("ERROR");
        assertThat(server.at("/fault/message").asText()).contains(unaddressed).contains("routed-host").contains("l2");
        assertThat(server.at("/fault/code").asInt()).isEqualTo(500);
        assertNothingHeld(List.of(unaddressed), List.of(mgmt, net1));

        // The port is free again: deleting the failed server is clean, and the port boots once an l2 host is back.
        assertThat(cloud.compute.send("DELETE", "/servers/" + id, cloud.alpha, null).status()).isEqualTo(204);
        cloud.gone(cloud.alpha, id);
        enable("l2-host");
        String again = cloud.bootOk(cloud.alpha, "vm2", "[{\"port\": \"" + unaddressed + "\"}]");
        assertThat(cloud.settled(cloud.alpha, again).get("status").asText()).isEqualTo("ACTIVE");
        assertThat(cloud.portShow(unaddressed).get("binding:host_id").asText()).isEqualTo("l2-host");
    }

    @Test
    void withAnL3AndAnL2HostAnUnaddressedPortLandsOnTheL2Host() throws Exception {
        // The routed host has more free RAM, so the weigher tries it first.
        start("""
                fake_hosts: [{name: routed-host, memory_mb: 65536}, {name: l2-host}]
                host_mechanism_drivers: {routed-host: [routed]}
                """);
        String net1 = cloud.network(cloud.alpha, "net1", "10.1.0.0/24");
        String unaddressed = cloud.port(cloud.alpha, net1, "\"fixed_ips\": []");

        String id = cloud.bootOk(cloud.alpha, "vm1", "[{\"port\": \"" + unaddressed + "\"}]");

        assertThat(cloud.settled(cloud.alpha, id).get("status").asText()).isEqualTo("ACTIVE");
        JsonNode server = cloud.compute.get("/servers/" + id, cloud.admin).json().get("server");
        assertThat(server.get("OS-EXT-SRV-ATTR:host").asText()).isEqualTo("l2-host");
        JsonNode port = cloud.portShow(unaddressed);
        assertThat(port.get("binding:host_id").asText()).isEqualTo("l2-host");
        assertThat(port.at("/binding:vif_details/connectivity").asText()).isEqualTo("l2");
        assertThat(cloud.driver().instances("routed-host")).isEmpty();
    }

    @Test
    void aSpawnFailureIsRescheduledToAnotherHost() throws Exception {
        start("fake_hosts: [{name: broken, memory_mb: 65536, behaviour: fail-spawn}, {name: good}]\n");
        String mgmt = cloud.network(cloud.alpha, "mgmt", "10.0.0.0/24");

        String id = cloud.bootOk(cloud.alpha, "vm1", "[{\"uuid\": \"" + mgmt + "\"}]");

        assertThat(cloud.settled(cloud.alpha, id).get("status").asText()).isEqualTo("ACTIVE");
        assertThat(cloud.compute.get("/servers/" + id, cloud.admin).json().at("/server/OS-EXT-SRV-ATTR:host").asText())
                .isEqualTo("good");
        assertThat(cloud.driver().instances("broken")).isEmpty();
        // The port the first attempt made was deleted; the server holds exactly one.
        assertThat(cloud.network.get("/v2.0/ports?network_id=" + mgmt, cloud.admin).json().get("ports")).hasSize(1);
        assertThat(usedVcpus()).isEqualTo(1);
    }

    @Test
    void aSpawnFailureOnTheOnlyHostLeavesNothingAndSaysWhy() throws Exception {
        start("fake_hosts: [{name: broken, behaviour: fail-spawn}]\n");
        String mgmt = cloud.network(cloud.alpha, "mgmt", "10.0.0.0/24");
        String net1 = cloud.network(cloud.alpha, "net1", "10.1.0.0/24");
        String premade = cloud.port(cloud.alpha, net1, "\"fixed_ips\": []");

        String id = cloud.bootOk(cloud.alpha, "vm1", "[{\"uuid\": \"" + mgmt + "\"}, {\"port\": \"" + premade + "\"}]");
        JsonNode server = cloud.settled(cloud.alpha, id);

        assertThat(server.get("status").asText()).isEqualTo("ERROR");
        assertThat(server.at("/fault/message").asText()).contains("failed to spawn");
        assertNothingHeld(List.of(premade), List.of(mgmt, net1));
    }

    @Test
    void aPortThatNeverComesUpTimesOutAndLeavesNothing() throws Exception {
        start("""
                fake_hosts: [{name: silent, behaviour: no-vif-events}]
                vif_plugging_timeout: 1
                """);
        String mgmt = cloud.network(cloud.alpha, "mgmt", "10.0.0.0/24");

        String id = cloud.bootOk(cloud.alpha, "vm1", "[{\"uuid\": \"" + mgmt + "\"}]");
        JsonNode server = cloud.settled(cloud.alpha, id);

        assertThat(server.get("status").asText()).isEqualTo("ERROR");
        assertThat(server.at("/fault/message").asText()).contains("network-vif-plugged");
        assertNothingHeld(List.of(), List.of(mgmt));
    }

    @Test
    void aPortTheNetworkCannotMakeFailsTheBootWithoutRetryingAndLeavesNothing() throws Exception {
        start("fake_hosts: [{name: host1}, {name: host2}]\n");
        // A /30 leaves one address after the gateway: the second server's port cannot get one.
        String tiny = cloud.network(cloud.alpha, "tiny", "10.9.0.0/30");
        String first = cloud.bootOk(cloud.alpha, "vm1", "[{\"uuid\": \"" + tiny + "\"}]");
        assertThat(cloud.settled(cloud.alpha, first).get("status").asText()).isEqualTo("ACTIVE");

        String second = cloud.bootOk(cloud.alpha, "vm2", "[{\"uuid\": \"" + tiny + "\"}]");
        JsonNode server = cloud.settled(cloud.alpha, second);

        assertThat(server.get("status").asText()).isEqualTo("ERROR");
        assertThat(server.at("/fault/message").asText()).contains("Could not create a port on network " + tiny);
        assertThat(cloud.network.get("/v2.0/ports?network_id=" + tiny, cloud.admin).json().get("ports")).hasSize(1);
        assertThat(usedVcpus()).isEqualTo(1);
    }

    @Test
    void noHostWithRoomFailsWithNoValidHostAndClaimsNothing() throws Exception {
        start("fake_hosts: [{name: small, vcpus: 1, memory_mb: 1024, local_gb: 10}]\n");
        String id = cloud.compute.post("/servers", cloud.alpha, """
                {"server": {"name": "big", "imageRef": "%s", "flavorRef": "5", "networks": []}}"""
                .formatted(cloud.defaultImage)).json().at("/server/id").asText();

        JsonNode server = cloud.settled(cloud.alpha, id);

        assertThat(server.get("status").asText()).isEqualTo("ERROR");
        assertThat(server.at("/fault/message").asText()).contains("No valid host was found");
        assertThat(usedVcpus()).isZero();
    }

    @Test
    void concurrentBootsNeverTakeMoreThanAHostHas() throws Exception {
        // Room for two m1.tiny (512 MiB each) and no more.
        start("fake_hosts: [{name: small, vcpus: 4, memory_mb: 1024, local_gb: 100}]\n");
        List<String> ids = new ArrayList<>(IntStream.range(0, 5).parallel()
                .mapToObj(i -> cloud.bootOk(cloud.alpha, "vm" + i, "[]")).toList());

        List<String> statuses = ids.stream().map(id -> cloud.settled(cloud.alpha, id).get("status").asText()).toList();

        assertThat(statuses).containsOnly("ACTIVE", "ERROR");
        assertThat(statuses.stream().filter("ACTIVE"::equals)).hasSize(2);
        JsonNode hypervisor = cloud.compute.get("/os-hypervisors/detail", cloud.admin).json().at("/hypervisors/0");
        assertThat(hypervisor.get("memory_mb_used").asInt()).isEqualTo(1024);
        assertThat(hypervisor.get("running_vms").asInt()).isEqualTo(2);
        assertThat(cloud.driver().instances("small")).hasSize(2);
    }

    @Test
    void deletingAServerWhileItBuildsStopsTheBuildAndLeavesNothing() throws Exception {
        start("""
                fake_hosts: [{name: silent, behaviour: no-vif-events}]
                vif_plugging_timeout: 60
                """);
        String mgmt = cloud.network(cloud.alpha, "mgmt", "10.0.0.0/24");
        String net1 = cloud.network(cloud.alpha, "net1", "10.1.0.0/24");
        String premade = cloud.port(cloud.alpha, net1, "\"fixed_ips\": []");
        String id = cloud.bootOk(cloud.alpha, "vm1", "[{\"uuid\": \"" + mgmt + "\"}, {\"port\": \"" + premade + "\"}]");
        // Wait until the build is waiting for its ports to come up.
        while (!cloud.compute.get("/servers/" + id, cloud.alpha).json().at("/server/OS-EXT-STS:task_state").asText()
                .equals("spawning")) {
            Cloud.pause();
        }

        assertThat(cloud.compute.send("DELETE", "/servers/" + id, cloud.alpha, null).status()).isEqualTo(204);
        cloud.gone(cloud.alpha, id);

        assertNothingHeld(List.of(premade), List.of(mgmt, net1));
    }

    /** Only the user's ports remain on the networks, each free; no instance, no claim. */
    private void assertNothingHeld(List<String> usersPorts, List<String> networks) {
        for (String network : networks) {
            JsonNode ports = cloud.network.get("/v2.0/ports?network_id=" + network, cloud.admin).json().get("ports");
            for (JsonNode port : ports) {
                assertThat(usersPorts).as("a port compute made was left on " + network).contains(port.get("id").asText());
                assertThat(port.get("device_id").asText()).isEmpty();
                assertThat(port.get("binding:host_id").asText()).isEmpty();
            }
        }
        cloud.driver().hosts().forEach(host -> assertThat(cloud.driver().instances(host.host())).isEmpty());
        assertThat(usedVcpus()).isZero();
    }

    private int usedVcpus() {
        int used = 0;
        for (JsonNode hypervisor : cloud.compute.get("/os-hypervisors/detail", cloud.admin).json().get("hypervisors")) {
            used += hypervisor.get("vcpus_used").asInt();
        }
        return used;
    }

    private void disable(String host) {
        Http.Reply reply = cloud.compute.send("PUT", "/os-services/disable", cloud.admin,
                "{\"host\": \"" + host + "\", \"binary\": \"nova-compute\"}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    }

    private void enable(String host) {
        Http.Reply reply = cloud.compute.send("PUT", "/os-services/enable", cloud.admin,
                "{\"host\": \"" + host + "\", \"binary\": \"nova-compute\"}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    }
}
