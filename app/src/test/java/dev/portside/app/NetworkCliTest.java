package dev.portside.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** End to end: the openstack CLI's network commands against a real portside serve, the unaddressed port first. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetworkCliTest {
    @TempDir
    static Path dataDir;
    static ServeProcess portside;
    static OpenstackCli cli;

    @BeforeAll
    static void serve() throws Exception {
        // Physical networks for provider networks; the API checks names only, so no such interface is needed.
        Path config = dataDir.resolve("portside.yaml");
        java.nio.file.Files.writeString(config, "physical_interface_mappings: {physnet1: pstnone0}\n"
                + "network_vlan_ranges: [\"physnet1:300:301\"]\n");
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

    @Test
    @Order(1)
    void theCatalogNamesTheNetworkService() throws Exception {
        assertThat(json("catalog", "list").findValuesAsText("Type")).contains("identity", "network");
    }

    @Test
    @Order(2)
    void networksAreCreatedListedShownAndSet() throws Exception {
        JsonNode created = json("network", "create", "net1");
        assertThat(created.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(created.get("port_security_enabled").asBoolean()).isTrue();

        assertThat(json("network", "list").findValuesAsText("Name")).contains("net1");
        assertThat(cli.run("network", "set", "--description", "traffic", "net1").exit()).isZero();
        assertThat(json("network", "show", "net1").get("description").asText()).isEqualTo("traffic");
    }

    @Test
    @Order(3)
    void subnetsAreCreatedForIpv4AndIpv6Slaac() throws Exception {
        JsonNode v4 = json("subnet", "create", "--network", "net1", "--subnet-range", "10.0.0.0/24", "sub1");
        assertThat(v4.get("gateway_ip").asText()).isEqualTo("10.0.0.1");

        JsonNode v6 = json("subnet", "create", "--network", "net1", "--ip-version", "6", "--ipv6-ra-mode", "slaac",
                "--ipv6-address-mode", "slaac", "--subnet-range", "2001:db8:1::/64", "sub6");
        assertThat(v6.get("ipv6_address_mode").asText()).isEqualTo("slaac");
    }

    @Test
    @Order(4)
    void aPortCreatedWithNoFixedIpHasNoAddressAndIpAllocationNone() throws Exception {
        json("port", "create", "--network", "net1", "--no-fixed-ip", "traffic0");

        JsonNode shown = json("port", "show", "traffic0");
        assertThat(shown.get("fixed_ips")).isEmpty();
        assertThat(shown.get("ip_allocation").asText()).isEqualTo("none");
    }

    @Test
    @Order(5)
    void aPortGetsTheAddressItAsksFor() throws Exception {
        JsonNode port = json("port", "create", "--network", "net1", "--fixed-ip", "subnet=sub1,ip-address=10.0.0.50", "mgmt0");

        assertThat(port.get("fixed_ips").findValuesAsText("ip_address")).containsExactly("10.0.0.50");
        assertThat(port.get("ip_allocation").asText()).isEqualTo("immediate");
    }

    @Test
    @Order(6)
    void portSecurityIsSwitchedOffTogetherWithTheSecurityGroups() throws Exception {
        OpenstackCli.Result alone = cli.run("port", "set", "--disable-port-security", "traffic0");
        assertThat(alone.exit()).isNotZero();
        assertThat(alone.err()).contains("Port has security group associated");

        assertThat(cli.run("port", "set", "--no-security-group", "--disable-port-security", "traffic0").exit()).isZero();

        JsonNode port = json("port", "show", "traffic0");
        assertThat(port.get("port_security_enabled").asBoolean()).isFalse();
        assertThat(port.get("security_group_ids")).isEmpty();
    }

    @Test
    @Order(7)
    void securityGroupsAndRulesAreCreated() throws Exception {
        json("security", "group", "create", "web");
        JsonNode rule = json("security group rule create --protocol tcp --dst-port 22 web".split(" "));

        assertThat(rule.get("port_range_min").asInt()).isEqualTo(22);
        assertThat(rule.get("protocol").asText()).isEqualTo("tcp");
        assertThat(json("security group rule list web".split(" ")).findValuesAsText("IP Protocol")).contains("tcp");
    }

    @Test
    @Order(8)
    void extensionsListTheIpAllocationExtension() throws Exception {
        assertThat(json("extension", "list", "--network").findValuesAsText("Alias"))
                .contains("ip_allocation", "port-security", "security-group", "binding", "standard-attr-revisions");
    }

    @Test
    @Order(9)
    void portsAreListedByNetworkAndDeletedThenTheNetworkGoes() throws Exception {
        assertThat(json("port", "list", "--network", "net1").findValuesAsText("Name"))
                .containsExactlyInAnyOrder("traffic0", "mgmt0");

        assertThat(cli.run("port", "delete", "traffic0", "mgmt0").exit()).isZero();
        assertThat(cli.run("subnet", "delete", "sub1", "sub6").exit()).isZero();
        assertThat(cli.run("network", "delete", "net1").exit()).isZero();
        assertThat(json("network", "list").findValuesAsText("Name")).as("only the all-in-one's external network is left")
                .containsExactly("public");
    }

    @Test
    @Order(10)
    void networksCarryTagsTheCliSetsAndFiltersBy() throws Exception {
        JsonNode created = json("network", "create", "--tag", "red", "--tag", "blue", "tagged");
        assertThat(created.get("tags").toString()).contains("red", "blue");

        assertThat(json("network", "list", "--tags", "red").findValuesAsText("Name")).containsExactly("tagged");
        assertThat(cli.run("network", "unset", "--tag", "red", "tagged").exit()).isZero();
        assertThat(json("network", "list", "--tags", "red")).isEmpty();
        assertThat(cli.run("network", "delete", "tagged").exit()).isZero();
    }

    @Test
    @Order(11)
    void anAdminMakesProviderNetworksOnAPhysicalNetwork() throws Exception {
        JsonNode flat = json("network", "create", "--share", "--provider-network-type", "flat",
                "--provider-physical-network", "physnet1", "outside");
        assertThat(flat.get("provider:network_type").asText()).isEqualTo("flat");
        assertThat(flat.get("provider:physical_network").asText()).isEqualTo("physnet1");
        JsonNode vlan = json("network", "create", "--provider-network-type", "vlan", "--provider-physical-network",
                "physnet1", "cable-side");
        assertThat(vlan.get("provider:segmentation_id").asInt()).as("the lowest of the range").isEqualTo(300);
        JsonNode named = json("network", "create", "--provider-network-type", "vlan", "--provider-physical-network",
                "physnet1", "--provider-segment", "42", "named");
        assertThat(named.get("provider:segmentation_id").asInt()).isEqualTo(42);

        OpenstackCli.Result again = cli.run("network", "create", "--provider-network-type", "vlan",
                "--provider-physical-network", "physnet1", "--provider-segment", "42", "again");
        assertThat(again.exit()).isNotZero();
        assertThat(again.err()).contains("VLAN 42 on physical network physnet1 is in use");
        assertThat(json("network", "list", "--provider-network-type", "vlan").findValuesAsText("Name"))
                .containsExactlyInAnyOrder("cable-side", "named");
        assertThat(cli.run("network", "delete", "outside", "cable-side", "named").exit()).isZero();
    }

    @Test
    @Order(12)
    void aTrunkIsMadeWithTheCliItsSubPortsSetAndUnsetAndItGoesBeforeItsPorts() throws Exception {
        json("network", "create", "trunk-parent-net");
        json("subnet", "create", "--network", "trunk-parent-net", "--subnet-range", "10.9.0.0/24", "trunk-parent-sub");
        json("network", "create", "vlan-a");
        json("network", "create", "vlan-b");
        json("port", "create", "--network", "trunk-parent-net", "parent0");
        json("port", "create", "--network", "vlan-a", "--no-fixed-ip", "sub-a");
        json("port", "create", "--network", "vlan-b", "--no-fixed-ip", "sub-b");

        JsonNode trunk = json("network", "trunk", "create", "--parent-port", "parent0",
                "--subport", "port=sub-a,segmentation-type=vlan,segmentation-id=100", "t1");
        assertThat(trunk.get("status").asText()).isEqualTo("DOWN");
        assertThat(trunk.get("sub_ports").toString()).contains("100");
        assertThat(cli.run("network", "trunk", "set", "--subport", "port=sub-b,segmentation-type=vlan,segmentation-id=200",
                "t1").exit()).isZero();
        assertThat(json("network", "subport", "list", "--trunk", "t1").findValues("Segmentation ID").stream()
                .map(JsonNode::asInt)).containsExactlyInAnyOrder(100, 200);
        assertThat(json("port", "show", "parent0").get("trunk_details").toString()).as("the parent shows its trunk")
                .contains(trunk.get("id").asText(), json("port", "show", "sub-b").get("mac_address").asText());

        OpenstackCli.Result duplicate = cli.run("network", "trunk", "set", "--subport",
                "port=parent0,segmentation-type=vlan,segmentation-id=100", "t1");
        assertThat(duplicate.exit()).isNotZero();
        assertThat(duplicate.err()).contains("is currently in use and is not eligible for use as a parent port");
        OpenstackCli.Result inUse = cli.run("port", "delete", "sub-a");
        assertThat(inUse.exit()).isNotZero();
        assertThat(inUse.err()).contains("is currently a subport for trunk");

        assertThat(cli.run("network", "trunk", "unset", "--subport", "sub-a", "t1").exit()).isZero();
        assertThat(json("network", "trunk", "show", "t1").get("sub_ports").toString()).doesNotContain("100");
        assertThat(json("network", "trunk", "list").findValuesAsText("Name")).containsExactly("t1");
        assertThat(cli.run("network", "trunk", "delete", "t1").exit()).isZero();
        assertThat(cli.run("port", "delete", "parent0", "sub-a", "sub-b").exit()).isZero();
        assertThat(cli.run("network", "delete", "trunk-parent-net", "vlan-a", "vlan-b").exit()).isZero();
    }
}
