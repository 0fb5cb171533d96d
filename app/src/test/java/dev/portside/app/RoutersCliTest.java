package dev.portside.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end, as root, with the unmodified openstack CLI against a real portside serve and
 * namespace instances: a router between two tenant networks routes, SNATs an instance's traffic
 * to the host's address on {@code public} (the external network the all-in-one ships), and a
 * floating IP makes an instance reachable by SSH from the host, which has no route to its tenant
 * subnet; removing the floating IP cuts that; SIGKILL and a restart keep it all working (a lost
 * leg is made again, a router namespace nobody knows is removed).
 * Traffic stays on this machine: the host only ever talks to addresses on its own bridges.
 */
class RoutersCliTest {
    @TempDir
    Path dataDir;

    @Test
    void aRouterRoutesSnatsAndCarriesFloatingIpsAcrossARestart() throws Exception {
        Path config = dataDir.resolve("portside.yaml");
        Files.writeString(config, "compute_driver: namespace\n");
        ServeProcess portside = new ServeProcess(dataDir.resolve("portside"), "--config", config.toString()).awaitReady();
        try {
            OpenstackCli cli = new OpenstackCli(portside.openrcVariables());
            JsonNode publicNet = cli.json("network", "show", "public");
            assertThat(publicNet.get("router:external").asBoolean()).as("the all-in-one's external network").isTrue();
            for (String[] net : new String[][]{{"net1", "10.151.0.0/24"}, {"net2", "10.152.0.0/24"}}) {
                cli.ok("network", "create", net[0]);
                cli.ok("subnet", "create", "--network", net[0], "--subnet-range", net[1], net[0] + "-subnet");
            }
            cli.ok("router", "create", "r1");
            cli.ok("router", "set", "--external-gateway", "public", "r1");
            cli.ok("router", "add", "subnet", "r1", "net1-subnet");
            cli.ok("router", "add", "subnet", "r1", "net2-subnet");
            String gatewayIp = cli.json("router", "show", "r1").at("/external_gateway_info/external_fixed_ips/0/ip_address")
                    .asText();
            cli.ok("port", "create", "--network", "net1", "--no-fixed-ip", "middle");
            OpenstackCli.Result unaddressed = cli.run("router", "add", "port", "r1", "middle");
            assertThat(unaddressed.exit()).isNotZero();
            assertThat(unaddressed.err()).contains("Router port must have at least one fixed IP");

            cli.ok("security", "group", "rule", "create", "--protocol", "icmp", "default");
            cli.ok("security", "group", "rule", "create", "--protocol", "tcp", "--dst-port", "22", "default");
            Ssh ssh = new Ssh(dataDir, cli.run("keypair", "create", "k").out());
            String vm1 = boot(cli, "vm1", "net1");
            boot(cli, "vm2", "net2");
            String vm1Ip = cli.json("server", "show", "vm1").at("/addresses/net1/0").asText();
            String vm2Ip = cli.json("server", "show", "vm2").at("/addresses/net2/0").asText();

            assertThat(ping(vm1, vm2Ip)).as("vm1 reaches vm2 through r1").isTrue();
            assertThat(HostShell.run("ip", "route", "get", vm1Ip)).as("the gateway is r1's now, not the host's")
                    .doesNotContain("brq");
            assertThat(HostShell.run("ip", "-o", "addr", "show")).contains("172.24.4.1/24");
            assertThat(connectingAddress(vm1)).as("vm1 reaches the host SNATed to r1's gateway address")
                    .isEqualTo(gatewayIp);

            String fip = cli.json("floating", "ip", "create", "public").get("floating_ip_address").asText();
            cli.ok("server", "add", "floating", "ip", "vm1", fip);
            assertThat(cli.json("floating", "ip", "show", fip).get("fixed_ip_address").asText()).isEqualTo(vm1Ip);
            assertThat(ssh.await(fip, "hostname").strip()).as("SSH from the host through the floating IP")
                    .isEqualTo("vm1");
            assertThat(connectingAddress(vm1)).as("vm1 leaves as its floating IP").isEqualTo(fip);

            cli.ok("router", "add", "route", "--route", "destination=192.168.77.0/24,gateway=" + vm2Ip, "r1");
            String routerId = cli.json("router", "show", "r1").get("id").asText();
            assertThat(HostShell.run("ip", "-n", "qrouter-" + routerId, "route", "show", "192.168.77.0/24"))
                    .as("the extra route, in r1's namespace").contains("via " + vm2Ip);

            String net1Leg = cli.json("port", "list", "--device-owner", "network:router_interface", "--network", "net1")
                    .get(0).get("ID").asText();
            portside.kill();
            // While Portside is down: r1 loses its leg on net1, and a router namespace nobody knows appears.
            HostShell.run("ip", "link", "del", "tap" + net1Leg.substring(0, 11));
            String stranger = "qrouter-" + java.util.UUID.randomUUID();
            HostShell.run("ip", "netns", "add", stranger);
            assertThat(ping(vm1, vm2Ip)).isFalse();
            portside = portside.restart("--config", config.toString()).awaitReady();
            assertThat(ping(vm1, vm2Ip)).as("after SIGKILL and a restart, r1 routes again").isTrue();
            assertThat(HostShell.run("ip", "netns", "list")).as("the stranger is gone").doesNotContain(stranger);
            assertThat(HostShell.run("ip", "-n", "qrouter-" + routerId, "route", "show", "192.168.77.0/24"))
                    .contains("via " + vm2Ip);
            assertThat(ssh.await(fip, "hostname").strip()).as("and the floating IP still answers").isEqualTo("vm1");
            assertThat(HostShell.run("ip", "route", "get", vm1Ip)).doesNotContain("brq");

            cli.ok("server", "remove", "floating", "ip", "vm1", fip);
            assertThat(HostShell.succeeds("ping", "-c", "1", "-W", "1", fip)).as("removing it cuts the host off")
                    .isFalse();
            assertThat(connectingAddress(vm1)).as("vm1 is SNATed to the gateway again").isEqualTo(gatewayIp);
            String vm1Port = cli.json("port", "list", "--server", "vm1").get(0).get("ID").asText();
            cli.ok("floating", "ip", "set", "--port", vm1Port, fip);
            assertThat(cli.json("floating", "ip", "list", "--port", vm1Port).get(0).get("Floating IP Address").asText())
                    .isEqualTo(fip);
            assertThat(ssh.await(fip, "hostname").strip()).isEqualTo("vm1");
            cli.ok("floating", "ip", "unset", "--port", fip);
            assertThat(cli.json("floating", "ip", "list", "--status", "ACTIVE")).isEmpty();
            assertThat(HostShell.succeeds("ping", "-c", "1", "-W", "1", fip)).isFalse();
            cli.ok("floating", "ip", "delete", fip);

            // SNAT is the router's by default; an admin turns it off, and the router's table says so.
            cli.ok("router", "set", "--external-gateway", "public", "--disable-snat", "r1");
            assertThat(cli.json("router", "show", "r1").at("/external_gateway_info/enable_snat").asBoolean()).isFalse();
            assertThat(HostShell.run("ip", "netns", "exec", "qrouter-" + routerId, "nft", "list", "table", "ip",
                    "portside_router")).doesNotContain("snat to " + gatewayIp);
            cli.ok("network", "create", "--external", "ext2");
            assertThat(cli.json("network", "show", "ext2").get("router:external").asBoolean()).isTrue();

            cli.ok("router", "remove", "route", "--route", "destination=192.168.77.0/24,gateway=" + vm2Ip, "r1");
            assertThat(HostShell.run("ip", "-n", "qrouter-" + routerId, "route", "show", "192.168.77.0/24")).isBlank();
            cli.ok("router", "remove", "subnet", "r1", "net1-subnet");
            assertThat(HostShell.run("ip", "route", "get", vm1Ip)).as("without a router, the host holds the gateway again")
                    .contains("brq");
            cli.ok("router", "remove", "subnet", "r1", "net2-subnet");
            cli.ok("router", "delete", "r1");
            assertThat(HostShell.run("ip", "netns", "list")).doesNotContain("qrouter-");
            for (String server : new String[]{"vm1", "vm2"}) {
                cli.ok("server", "delete", "--wait", server);
            }
        } finally {
            portside.close();
        }
    }

    private static String boot(OpenstackCli cli, String name, String network) throws Exception {
        return cli.json("server", "create", "--flavor", "m1.tiny", "--image", DefaultImage.NAME, "--network", network,
                "--key-name", "k", "--wait", name).get("id").asText();
    }

    private static boolean ping(String serverId, String address) throws Exception {
        return HostShell.succeeds("ip", "netns", "exec", "portside-" + serverId, "ping", "-c", "1", "-W", "2", address);
    }

    // The source address a TCP connection from the instance to the host's address on public arrives with.
    private static String connectingAddress(String serverId) throws Exception {
        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress(InetAddress.getByName("172.24.4.1"), 0));
            listener.setSoTimeout(10_000);
            Process client = new ProcessBuilder("ip", "netns", "exec", "portside-" + serverId, "bash", "-c",
                    "exec 3<>/dev/tcp/172.24.4.1/" + listener.getLocalPort() + " && echo hi >&3").start();
            try (Socket accepted = listener.accept()) {
                return accepted.getInetAddress().getHostAddress();
            } finally {
                client.waitFor();
            }
        }
    }
}
