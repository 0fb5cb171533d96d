package dev.portside.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Allowed ethertypes as users reach them on a real portside serve: the unmodified openstack CLI
 * (with its --extra-property, and Portside's command hooks installed beside it by
 * bin/install-openstack-plugin), the portside command, and openstacksdk.
 */
class AllowedEthertypesCliTest {
    @TempDir
    static Path dataDir;
    static ServeProcess serve;
    static OpenstackCli openstack;
    static PortsideCli portside;

    @BeforeAll
    static void start() throws Exception {
        serve = new ServeProcess(dataDir.resolve("portside")).awaitReady();
        openstack = new OpenstackCli(serve.openrcVariables());
        portside = new PortsideCli(serve.openrcVariables());
        openstack.ok("network", "create", "ethernet");
    }

    @AfterAll
    static void stop() throws Exception {
        serve.close();
    }

    private static String ethertypes(String port) throws Exception {
        JsonNode shown = openstack.json("port", "show", port);
        assertThat(shown.has("allowed_ethertypes")).as("openstack port show lists allowed_ethertypes (run-tests installs"
                + " bin/install-openstack-plugin): " + shown).isTrue();
        return shown.get("allowed_ethertypes").asText();
    }

    @Test
    void theOpenstackCliListsTheExtensionSetsTheAttributeAndShowsIt() throws Exception {
        assertThat(openstack.json("extension", "list", "--network").findValuesAsText("Alias"))
                .contains("port-allowed-ethertypes");
        // The unmodified CLI passes attributes it does not know with --extra-property.
        openstack.ok("port", "create", "--network", "ethernet", "--no-fixed-ip", "--extra-property",
                "type=list,name=allowed_ethertypes,value=0x8847;0x88CC", "router-port");
        assertThat(ethertypes("router-port")).isEqualTo("0x8847, 0x88cc");

        openstack.ok("port", "set", "--allowed-ethertype", "0x894f", "router-port");
        assertThat(ethertypes("router-port")).isEqualTo("0x8847, 0x88cc, 0x894f");
        openstack.ok("port", "unset", "--allowed-ethertype", "0x88cc", "router-port");
        assertThat(ethertypes("router-port")).isEqualTo("0x8847, 0x894f");
        openstack.ok("port", "set", "--no-allowed-ethertype", "router-port");
        assertThat(ethertypes("router-port")).isEmpty();

        OpenstackCli.Result refused = openstack.run("port", "set", "--allowed-ethertype", "0x0806", "router-port");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).contains("0x0806 (ARP) always passes");
    }

    @Test
    void thePortsideCommandAddsRemovesClearsAndExplainsRefusals() throws Exception {
        openstack.ok("port", "create", "--network", "ethernet", "--no-fixed-ip", "sfc-port");

        OpenstackCli.Result set = portside.ok("port", "set", "--allowed-ethertype", "0x894F", "--allowed-ethertype",
                "0x8847", "sfc-port");
        assertThat(set.out()).contains("allowed_ethertypes     0x8847, 0x894f");
        assertThat(portside.ok("port", "unset", "--allowed-ethertype", "0x894f", "sfc-port").out())
                .contains("allowed_ethertypes     0x8847");
        assertThat(ethertypes("sfc-port")).isEqualTo("0x8847");
        assertThat(portside.ok("port", "set", "--no-allowed-ethertype", "--allowed-ethertype", "0x88a8", "sfc-port")
                .out()).contains("allowed_ethertypes     0x88a8");
        String id = openstack.json("port", "show", "sfc-port").get("id").asText();
        assertThat(portside.ok("port", "show", id).out()).contains("name                   sfc-port");

        OpenstackCli.Result refused = portside.run("port", "set", "--allowed-ethertype", "0x05dc", "sfc-port");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("'0x05dc' is not an ethertype").contains("(HTTP 400)");
        OpenstackCli.Result missing = portside.run("port", "show", "no-such-port");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("no port named no-such-port");
        OpenstackCli.Result unauthenticated = new PortsideCli(Map.of()).run("port", "show", "sfc-port");
        assertThat(unauthenticated.exit()).isEqualTo(1);
        assertThat(unauthenticated.err()).contains("OS_AUTH_URL");
    }

    @Test
    void openstacksdkSetsAndReadsTheAttribute() throws Exception {
        openstack.ok("port", "create", "--network", "ethernet", "--no-fixed-ip", "sdk-port");
        String script = """
                import openstack
                conn = openstack.connect()
                port = conn.network.find_port("sdk-port")
                port = conn.network.update_port(port, allowed_ethertypes=["0x8864", "0x8863"])
                print(",".join(conn.network.get_port(port.id).allowed_ethertypes))
                """;
        ProcessBuilder python = new ProcessBuilder("/usr/bin/python3", "-c", script).redirectErrorStream(true);
        python.environment().keySet().removeIf(name -> name.startsWith("OS_"));
        python.environment().putAll(serve.openrcVariables());
        Process process = python.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(out).isZero();
        assertThat(out.strip()).isEqualTo("0x8863,0x8864");
        assertThat(ethertypes("sdk-port")).isEqualTo("0x8863, 0x8864");
    }
}
