package dev.portside.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end: the spec's workflow with the unmodified openstack CLI against a real portside serve
 * with two fake hosts, one whose backend is routed (l3) and one l2: an image, a key pair, a server
 * with a management network and an unaddressed port, interfaces added and removed, and delete; then
 * the calls users type every day on a server (groups, set, lock, pause, snapshots, backups, shelve).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComputeCliTest {
    @TempDir
    static Path dataDir;
    static ServeProcess portside;
    static OpenstackCli cli;

    @BeforeAll
    static void serve() throws Exception {
        Path config = dataDir.resolve("portside.yaml");
        // The routed host has more RAM, so the scheduler tries it first.
        Files.writeString(config, """
                fake_hosts: [{name: routed-host, memory_mb: 65536}, {name: l2-host}]
                host_mechanism_drivers: {routed-host: [routed]}
                """);
        portside = new ServeProcess(dataDir.resolve("portside"), "--config", config.toString()).awaitReady();
        cli = new OpenstackCli(portside.openrcVariables());
    }

    @AfterAll
    static void stop() throws Exception {
        portside.close();
    }

    static JsonNode json(String... args) throws Exception {
        return cli.json(args);
    }

    static OpenstackCli.Result ok(String... args) throws Exception {
        return cli.ok(args);
    }

    @Test
    @Order(1)
    void anImageIsUploadedFromAFileAndFlavorsAndKeypairsAreThere() throws Exception {
        Path file = dataDir.resolve("img.raw");
        Files.write(file, new byte[4096]);
        JsonNode image = json("image", "create", "--file", file.toString(), "--disk-format", "raw",
                "--container-format", "bare", "img");
        assertThat(image.get("name").asText()).isEqualTo("img");
        assertThat(json("image", "show", "img").get("status").asText()).isEqualTo("active");
        assertThat(json("image", "list").findValuesAsText("Name")).contains("img", DefaultImage.NAME);
        assertThat(json("flavor", "list").findValuesAsText("Name")).contains("m1.tiny", "m1.small");
        OpenstackCli.Result key = ok("keypair", "create", "k1");
        assertThat(key.out()).contains("PRIVATE KEY");
        assertThat(json("keypair", "list").findValuesAsText("Name")).containsExactly("k1");
        assertThat(json("catalog", "list").findValuesAsText("Type")).contains("compute", "image");
    }

    @Test
    @Order(2)
    void aServerBootsWithAManagementNetworkAndAnUnaddressedPortOnTheL2Host() throws Exception {
        ok("network", "create", "mgmt");
        ok("subnet", "create", "--network", "mgmt", "--subnet-range", "10.0.0.0/24", "mgmt-sub");
        ok("network", "create", "net1");
        ok("subnet", "create", "--network", "net1", "--subnet-range", "10.1.0.0/24", "net1-sub");
        String p1 = json("port", "create", "--network", "net1", "--no-fixed-ip", "p1").get("id").asText();
        json("port", "create", "--network", "net1", "--no-fixed-ip", "p2");

        JsonNode server = json("server", "create", "--flavor", "m1.tiny", "--image", "img", "--nic", "net-id=mgmt",
                "--nic", "port-id=" + p1, "--key-name", "k1", "vm1", "--wait");

        assertThat(server.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(server.get("OS-EXT-SRV-ATTR:host").asText()).isEqualTo("l2-host");
        JsonNode port = json("port", "show", "p1");
        assertThat(port.get("device_id").asText()).isEqualTo(server.get("id").asText());
        assertThat(port.get("binding_host_id").asText()).isEqualTo("l2-host");
        assertThat(port.at("/binding_vif_details/connectivity").asText()).isEqualTo("l2");
        assertThat(port.get("ip_allocation").asText()).isEqualTo("none");
    }

    @Test
    @Order(3)
    void anotherUnaddressedPortIsAddedAndRemoved() throws Exception {
        ok("server", "add", "port", "vm1", "p2");
        JsonNode added = json("port", "show", "p2");
        assertThat(added.get("device_id").asText()).isEqualTo(json("server", "show", "vm1").get("id").asText());
        assertThat(added.at("/binding_vif_details/connectivity").asText()).isEqualTo("l2");

        ok("server", "remove", "port", "vm1", "p2");
        JsonNode removed = json("port", "show", "p2");
        for (int i = 0; i < 100 && !removed.get("device_id").asText().isEmpty(); i++) {
            Thread.sleep(50);
            removed = json("port", "show", "p2");
        }
        assertThat(removed.get("device_id").asText()).isEmpty();
        assertThat(removed.get("binding_host_id").asText()).isEmpty();
    }

    @Test
    @Order(4)
    void aPortWhoseAddressesWereRemovedIsRefused() throws Exception {
        ok("port", "create", "--network", "net1", "stripped");
        ok("port", "set", "--no-fixed-ip", "stripped");
        OpenstackCli.Result refused = cli.run("server", "create", "--flavor", "m1.tiny", "--image", "img",
                "--nic", "port-id=" + json("port", "show", "stripped").get("id").asText(), "vm-bad");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).contains("requires a FixedIP in order to be used").contains("HTTP 400");
    }

    @Test
    @Order(5)
    void withOnlyTheL3HostTheBootFailsNamingThePortAndThePortStaysReusable() throws Exception {
        ok("compute", "service", "set", "--disable", "l2-host", "nova-compute");
        String p2 = json("port", "show", "p2").get("id").asText();
        OpenstackCli.Result failed = cli.run("server", "create", "--flavor", "m1.tiny", "--image", "img",
                "--nic", "port-id=" + p2, "vm-l3", "--wait");
        // OSC 6.0 reports the failed build but exits 0 (it raises a bare SystemExit); the server says what happened.
        assertThat(failed.err() + failed.out()).contains("Error creating server");
        JsonNode server = json("server", "show", "vm-l3");
        assertThat(server.get("status").asText()).isEqualTo("ERROR");
        assertThat(server.at("/fault/message").asText()).contains(p2).contains("routed-host");
        assertThat(json("port", "show", "p2").get("device_id").asText()).isEmpty();
        ok("server", "delete", "--wait", "vm-l3");
        ok("compute", "service", "set", "--enable", "l2-host", "nova-compute");
    }

    @Test
    @Order(6)
    void deletingTheServerLeavesBothUnaddressedPortsExistingAndUnbound() throws Exception {
        ok("server", "delete", "--wait", "vm1");
        for (String name : new String[]{"p1", "p2"}) {
            JsonNode port = json("port", "show", name);
            assertThat(port.get("device_id").asText()).isEmpty();
            assertThat(port.get("binding_host_id").asText()).isEmpty();
        }
        assertThat(json("server", "list").size()).isZero();
        // The management port compute made is gone with the server.
        assertThat(json("port", "list", "--network", "mgmt").size()).isZero();
    }

    @Test
    @Order(7)
    void aServerBootsWithTheGroupsNamedOnTheCommandLineAndTheyAreAddedAndRemoved() throws Exception {
        String web = json("security", "group", "create", "web").get("id").asText();
        json("server", "create", "--flavor", "m1.tiny", "--image", "img", "--security-group", "web",
                "--nic", "net-id=mgmt", "vm-web", "--wait");
        assertThat(json("server", "show", "vm-web").get("security_groups").toString()).contains("web")
                .doesNotContain("default");
        String port = json("port", "list", "--server", "vm-web").at("/0/ID").asText();
        assertThat(json("port", "show", port).get("security_group_ids").toString()).contains(web);

        ok("server", "add", "security", "group", "vm-web", "default");
        ok("server", "remove", "security", "group", "vm-web", "web");

        assertThat(json("server", "show", "vm-web").get("security_groups").toString()).contains("default")
                .doesNotContain("web");
        assertThat(json("port", "show", port).get("security_group_ids").toString()).doesNotContain(web);
        OpenstackCli.Result missing = cli.run("server", "remove", "security", "group", "vm-web", "web");
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err()).contains("not associated with the instance");
        ok("server", "delete", "--wait", "vm-web");
    }

    @Test
    @Order(8)
    void aServerIsRenamedTaggedGivenPropertiesAndLocked() throws Exception {
        json("server", "create", "--flavor", "m1.tiny", "--image", "img", "--nic", "net-id=mgmt", "vm-set", "--wait");
        ok("server", "set", "--name", "vm-renamed", "--property", "role=router", "vm-set");
        ok("--os-compute-api-version", "2.26", "server", "set", "--tag", "edge", "--tag", "nat", "vm-renamed");
        ok("server", "lock", "vm-renamed");

        JsonNode server = json("--os-compute-api-version", "2.26", "server", "show", "vm-renamed");
        assertThat(server.get("properties").toString()).contains("role").contains("router");
        assertThat(server.get("tags").toString()).contains("edge").contains("nat");
        assertThat(server.get("locked").asBoolean()).isTrue();

        for (String[] step : new String[][]{{"pause", "PAUSED"}, {"unpause", "ACTIVE"}, {"suspend", "SUSPENDED"},
                {"resume", "ACTIVE"}}) {
            ok("server", step[0], "vm-renamed");
            awaitStatus("vm-renamed", step[1]);
        }
        ok("server", "unlock", "vm-renamed");
        ok("server", "unset", "--property", "role", "vm-renamed");
        assertThat(json("server", "show", "vm-renamed").get("properties").toString()).doesNotContain("role");
        ok("server", "delete", "--wait", "vm-renamed");
    }

    @Test
    @Order(9)
    void anAntiAffinityGroupPutsItsTwoMembersOnDifferentHosts() throws Exception {
        String group = json("server", "group", "create", "--policy", "anti-affinity", "pair").get("id").asText();
        for (String name : new String[]{"a1", "a2"}) {
            json("server", "create", "--flavor", "m1.tiny", "--image", "img", "--nic", "net-id=mgmt",
                    "--hint", "group=" + group, name, "--wait");
        }
        String host1 = json("server", "show", "a1").get("OS-EXT-SRV-ATTR:host").asText();
        String host2 = json("server", "show", "a2").get("OS-EXT-SRV-ATTR:host").asText();
        assertThat(host1).isNotEqualTo(host2);
        assertThat(json("server", "group", "show", "pair").get("members").toString())
                .contains(json("server", "show", "a1").get("id").asText());
        ok("server", "delete", "--wait", "a1", "a2");
        ok("server", "group", "delete", "pair");
        assertThat(json("server", "group", "list").size()).isZero();
    }

    @Test
    @Order(10)
    void aServerIsSnapshottedBackedUpShelvedAndUnshelved() throws Exception {
        json("server", "create", "--flavor", "m1.tiny", "--image", "img", "--nic", "net-id=mgmt", "vm-img", "--wait");
        JsonNode snapshot = json("server", "image", "create", "--name", "vm-img-snap", "--wait", "vm-img");
        assertThat(snapshot.get("status").asText()).isEqualTo("active");
        assertThat(json("image", "show", "vm-img-snap").get("properties").toString()).contains("snapshot");
        ok("server", "backup", "create", "--name", "vm-img-daily", "--type", "daily", "--rotate", "1", "--wait", "vm-img");
        awaitStatus("vm-img", "ACTIVE");
        assertThat(json("image", "list", "--property", "image_type=backup").size()).isEqualTo(1);

        ok("server", "shelve", "vm-img");
        awaitStatus("vm-img", "SHELVED_OFFLOADED");
        ok("server", "unshelve", "vm-img");
        awaitStatus("vm-img", "ACTIVE");
        JsonNode booted = json("server", "create", "--flavor", "m1.tiny", "--image", "vm-img-snap", "--nic",
                "net-id=mgmt", "vm-from-snap", "--wait");
        assertThat(booted.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(json("server", "event", "list", "vm-img").findValuesAsText("Action"))
                .contains("create", "createImage", "createBackup", "shelve", "unshelve");
        ok("server", "delete", "--wait", "vm-img", "vm-from-snap");
        ok("image", "delete", "vm-img-snap", "vm-img-daily");
    }

    private static void awaitStatus(String server, String status) throws Exception {
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(30);
        String now;
        do {
            now = json("server", "show", server).get("status").asText();
            if (now.equals(status)) {
                return;
            }
            Thread.sleep(200);
        } while (java.time.Instant.now().isBefore(deadline));
        throw new AssertionError(server + " stayed " + now + ", expected " + status);
    }
}
