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
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * QEMU virtual machines through the unmodified openstack CLI, as a user meets them (as root): the
 * test image uploaded with {@code image create --file}, a VM with a management port and an unaddressed
 * port reached over SSH with its key pair, its console log, a hot-plugged NIC, a snapshot that boots
 * another VM, shelve and unshelve, resize with revert and confirm, stop and start, a
 * Portside killed with SIGKILL while the VM runs, images that cannot boot, a delete that leaves
 * nothing on the host, and a VLAN-aware VM on a trunk.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VirtualMachinesTest {
    @TempDir
    static Path dir;
    static ServeProcess portside;
    static OpenstackCli cli;
    static Ssh ssh;
    static String address;
    static String serverId;
    private static final String MARK = "portside-snapshot-mark";

    @BeforeAll
    static void serve() throws Exception {
        Path config = dir.resolve("portside.yaml");
        Files.writeString(config, "compute_driver: namespace,qemu\nshutdown_timeout: 20\n");
        portside = new ServeProcess(dir.resolve("data"), "--config", config.toString()).awaitReady();
        cli = new OpenstackCli(portside.openrcVariables());
    }

    @AfterAll
    static void stop() throws Exception {
        cli.run("server", "delete", "--wait", "vm1");
        portside.close();
    }

    static JsonNode json(String... args) throws Exception {
        return cli.json(args);
    }

    @Test
    @Order(1)
    void anUploadedImageBootsAVmWhoseUnaddressedNicIsUpWithThePortsMacAndNoAddress() throws Exception {
        cli.ok("image", "create", "--disk-format", "qcow2", "--container-format", "bare", "--file",
                TestImage.qcow2().toString(), "--public", "portside-test");
        assertThat(json("image", "show", "portside-test").get("status").asText()).isEqualTo("active");
        cli.ok("network", "create", "mgmt");
        cli.ok("subnet", "create", "--network", "mgmt", "--subnet-range", "10.110.0.0/24", "mgmt-sub");
        cli.ok("network", "create", "net1");
        cli.ok("security", "group", "rule", "create", "--protocol", "tcp", "--dst-port", "22", "default");
        String mac = json("port", "create", "--network", "net1", "--no-fixed-ip", "traffic0").get("mac_address").asText();
        Path key = dir.resolve("key.pem");
        Files.writeString(key, cli.ok("keypair", "create", "mykey").out());
        ssh = new Ssh(dir, Files.readString(key));

        JsonNode server = json("server", "create", "--flavor", "m1.tiny", "--image", "portside-test", "--nic",
                "net-id=mgmt", "--nic", "port-id=traffic0", "--key-name", "mykey", "vm1", "--wait");
        assertThat(server.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(server.get("OS-EXT-SRV-ATTR:host").asText()).endsWith("-qemu");
        serverId = server.get("id").asText();
        address = json("port", "list", "--server", serverId, "--network", "mgmt").at("/0/Fixed IP Addresses/0/ip_address")
                .asText();

        assertThat(ssh.await(address, "hostname").strip()).isEqualTo("vm1");
        String eth1 = ssh.await(address, "ip -o link show eth1; ip -o -4 addr show eth1");
        assertThat(eth1).contains(mac).contains("state UP").doesNotContain("inet ");
        assertThat(json("hypervisor", "list").toString()).contains("QEMU");
    }

    @Test
    @Order(2)
    void theConsoleLogIsTheGuestsBoot() throws Exception {
        String log = cli.ok("console", "log", "show", "vm1").out();
        assertThat(log).contains("Linux version").contains("portside-guest: config drive on");
    }

    @Test
    @Order(3)
    void aSecondUnaddressedPortIsHotPluggedIntoTheRunningGuest() throws Exception {
        String mac = json("port", "create", "--network", "net1", "--no-fixed-ip", "traffic1").get("mac_address").asText();
        cli.ok("server", "add", "port", "vm1", "traffic1");
        // The NIC appears first; the guest's hot-plug loop then brings it up, and its carrier follows.
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        String link;
        do {
            link = ssh.await(address, "ip -o link show").lines().filter(l -> l.contains(mac)).findFirst().orElse("");
        } while (!link.contains("state UP") && Instant.now().isBefore(deadline));
        assertThat(link).as("the hot-plugged NIC with " + mac).contains(mac).contains("state UP");
    }

    @Test
    @Order(4)
    void pauseStopsTheGuestWhereItIsAndUnpauseLetsItRunOn() throws Exception {
        String before = qemuPids().strip();
        cli.ok("server", "pause", "vm1");
        awaitStatus("PAUSED");
        assertThat(ssh.run(address, "true").exit()).as("a paused guest answers nothing").isNotZero();
        assertThat(qemuPids().strip()).as("the same QEMU, its vCPUs stopped").isEqualTo(before);
        cli.ok("server", "unpause", "vm1");
        awaitStatus("ACTIVE");
        assertThat(ssh.await(address, "hostname").strip()).isEqualTo("vm1");
    }

    @Test
    @Order(5)
    void rebuildBootsTheGuestAgainFromItsImageWithTheSameNics() throws Exception {
        String before = qemuPids().strip();
        String image = json("server", "show", "vm1").at("/image").toString();
        cli.ok("server", "rebuild", "--image", "portside-test", "--wait", "vm1");
        awaitStatus("ACTIVE");
        assertThat(qemuPids().strip()).as("a new QEMU").isNotEqualTo(before).isNotEmpty();
        assertThat(ssh.await(address, "hostname").strip()).isEqualTo("vm1");
        String mac = json("port", "show", "traffic0").get("mac_address").asText();
        assertThat(ssh.await(address, "ip -o link")).contains(mac);
        assertThat(json("server", "show", "vm1").at("/image").toString()).isEqualTo(image);
    }

    @Test
    @Order(6)
    void aSnapshotIsTheGuestsDiskAsTheGuestLeftItAndBootsAnotherVm() throws Exception {
        // A mark written past the image's own data: only a copy of the disk as the guest changed it has it.
        ssh.await(address, "echo " + MARK + " | dd of=/dev/vda bs=1M seek=512 conv=fsync 2>/dev/null; echo ok");
        cli.ok("server", "image", "create", "--name", "vm1-snap", "--wait", "vm1");
        JsonNode image = json("image", "show", "vm1-snap");
        assertThat(image.get("status").asText()).isEqualTo("active");
        assertThat(image.get("disk_format").asText()).isEqualTo("qcow2");
        assertThat(image.get("properties").toString()).contains("\"image_type\":\"snapshot\"")
                .contains(serverId);
        Path saved = dir.resolve("vm1-snap.qcow2");
        cli.ok("image", "save", "--file", saved.toString(), "vm1-snap");
        assertThat(HostShell.run("qemu-img", "info", "--output=json", saved.toString()))
                .as("self-contained: the base folded in").doesNotContain("backing-filename");
        Path raw = dir.resolve("vm1-snap.raw");
        HostShell.run("qemu-img", "convert", "-f", "qcow2", "-O", "raw", saved.toString(), raw.toString());
        byte[] mark = new byte[MARK.length()];
        try (var disk = new java.io.RandomAccessFile(raw.toFile(), "r")) {
            disk.seek(512L << 20);
            disk.readFully(mark);
        }
        assertThat(new String(mark, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo(MARK);
        awaitStatus("ACTIVE");
        assertThat(ssh.await(address, "hostname").strip()).as("the guest runs on after the copy").isEqualTo("vm1");

        JsonNode vm2 = json("server", "create", "--flavor", "m1.tiny", "--image", "vm1-snap", "--nic", "net-id=mgmt",
                "--key-name", "mykey", "vm2", "--wait");
        assertThat(vm2.get("status").asText()).isEqualTo("ACTIVE");
        String address2 = json("port", "list", "--server", vm2.get("id").asText(), "--network", "mgmt")
                .at("/0/Fixed IP Addresses/0/ip_address").asText();
        assertThat(ssh.await(address2, "hostname").strip()).isEqualTo("vm2");
        assertThat(ssh.await(address2, "dd if=/dev/vda bs=1M skip=512 count=1 2>/dev/null | head -c " + MARK.length()))
                .as("the booted snapshot's disk").isEqualTo(MARK);
        cli.ok("server", "delete", "--wait", "vm2");
        cli.ok("image", "delete", "vm1-snap");
    }

    @Test
    @Order(7)
    void shelvingOffloadsTheVmAndUnshelvingBootsItFromItsSnapshotWithItsDiskAndNics() throws Exception {
        ssh.await(address, "echo " + MARK + " | dd of=/dev/vda bs=1M seek=512 conv=fsync 2>/dev/null; echo ok");
        cli.ok("server", "shelve", "vm1");
        awaitStatus("SHELVED_OFFLOADED");
        assertThat(qemuPids().strip()).as("no QEMU left on the host").isEmpty();
        assertThat(Files.exists(portside.dataDir.resolve("machines").resolve(serverId))).isFalse();
        assertThat(json("port", "show", "traffic0").get("device_id").asText()).isEqualTo(serverId);

        cli.ok("server", "unshelve", "vm1");
        awaitStatus("ACTIVE");
        assertThat(ssh.await(address, "hostname").strip()).isEqualTo("vm1");
        assertThat(ssh.await(address, "dd if=/dev/vda bs=1M skip=512 count=1 2>/dev/null | head -c " + MARK.length()))
                .as("the disk as the guest left it").isEqualTo(MARK);
        String mac = json("port", "show", "traffic0").get("mac_address").asText();
        assertThat(ssh.await(address, "ip -o link")).contains(mac);
        assertThat(json("image", "list", "--property", "instance_uuid=" + serverId).size())
                .as("the shelved snapshot is spent").isZero();
    }

    @Test
    @Order(8)
    void resizeGivesTheGuestTheNewFlavorsMemoryAndDiskAndRevertGivesBackTheOld() throws Exception {
        cli.ok("server", "resize", "--flavor", "m1.small", "--wait", "vm1");
        awaitStatus("VERIFY_RESIZE");
        assertThat(memTotalMb()).as("m1.small's 2048 MB").isGreaterThan(1500);
        assertThat(ssh.await(address, "cat /sys/block/vda/size").strip()).as("a 20 GB disk, in sectors")
                .isEqualTo(String.valueOf(20L * 1024 * 1024 * 2));
        cli.ok("server", "resize", "revert", "vm1");
        awaitStatus("ACTIVE");
        assertThat(memTotalMb()).as("m1.tiny's 512 MB again").isLessThan(600);
        assertThat(ssh.await(address, "dd if=/dev/vda bs=1M skip=512 count=1 2>/dev/null | head -c " + MARK.length()))
                .as("the disk as it was before the resize").isEqualTo(MARK);

        cli.ok("server", "resize", "--flavor", "m1.small", "--wait", "vm1");
        awaitStatus("VERIFY_RESIZE");
        cli.ok("server", "resize", "--confirm", "vm1");
        awaitStatus("ACTIVE");
        assertThat(json("server", "show", "vm1").at("/flavor").toString()).contains("m1.small");
        assertThat(memTotalMb()).isGreaterThan(1500);
        try (var files = Files.list(portside.dataDir.resolve("machines").resolve(serverId))) {
            assertThat(files.map(f -> f.getFileName().toString())).as("nothing kept for a revert").noneMatch(
                    name -> name.endsWith(".resize"));
        }
    }

    private static long memTotalMb() throws Exception {
        String line = ssh.await(address, "grep MemTotal /proc/meminfo");
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
    }

    @Test
    @Order(9)
    void stopPowersTheGuestOffAndStartBootsItAgain() throws Exception {
        cli.ok("server", "stop", "vm1");
        awaitStatus("SHUTOFF");
        assertThat(qemuPids()).isBlank();
        assertThat(cli.ok("console", "log", "show", "vm1").out()).contains("portside-guest: power button pressed");
        cli.ok("server", "start", "vm1");
        awaitStatus("ACTIVE");
        assertThat(ssh.await(address, "hostname").strip()).isEqualTo("vm1");
    }

    @Test
    @Order(10)
    void aVmOutlivesPortsideKilledWithSigkillAndIsManagedAgainAfterTheRestart() throws Exception {
        String before = qemuPids().strip();
        assertThat(before).isNotEmpty();
        portside.kill();
        assertThat(qemuPids().strip()).isEqualTo(before);
        assertThat(ssh.await(address, "hostname").strip()).isEqualTo("vm1");

        portside = portside.restart("--config", dir.resolve("portside.yaml").toString()).awaitReady();
        assertThat(qemuPids().strip()).isEqualTo(before);
        assertThat(cli.ok("console", "log", "show", "vm1").out()).contains("Linux version");
        cli.ok("server", "stop", "vm1");
        awaitStatus("SHUTOFF");
        assertThat(qemuPids()).isBlank();
    }

    @Test
    @Order(11)
    void imagesThatCannotBootEndInErrorWithAFaultThatSaysWhy() throws Exception {
        Path notADisk = Files.writeString(dir.resolve("notes.txt"), "these are not the sectors you are looking for\n");
        cli.ok("image", "create", "--disk-format", "raw", "--container-format", "bare", "--file", notADisk.toString(),
                "not-a-disk");
        assertThat(bootFault("not-a-disk", "m1.tiny")).contains("is not a bootable disk");

        cli.ok("image", "create", "--disk-format", "raw", "--container-format", "bare", "--file",
                TestImage.qcow2().toString(), "qcow2-called-raw");
        assertThat(bootFault("qcow2-called-raw", "m1.tiny")).contains("has disk_format raw but its data is qcow2");

        cli.ok("image", "create", "--disk-format", "vmdk", "--container-format", "bare", "--file",
                TestImage.qcow2().toString(), "a-vmdk");
        assertThat(bootFault("a-vmdk", "m1.tiny")).contains("disk_format vmdk").contains("qcow2 and raw");

        Path big = dir.resolve("big.qcow2");
        HostShell.run("qemu-img", "convert", "-q", "-f", "raw", "-O", "qcow2", TestImage.raw().toString(), big.toString());
        HostShell.run("qemu-img", "resize", "-q", big.toString(), "3G");
        cli.ok("flavor", "create", "--ram", "256", "--disk", "1", "--vcpus", "1", "small-disk");
        cli.ok("image", "create", "--disk-format", "qcow2", "--container-format", "bare", "--file", big.toString(),
                "three-gigabytes");
        assertThat(bootFault("three-gigabytes", "small-disk")).contains("Flavor's disk is too small for requested image");

        cli.ok("image", "create", "--disk-format", "qcow2", "--container-format", "bare", "--property",
                "hypervisor_type=xen", "--file", TestImage.qcow2().toString(), "for-xen");
        assertThat(bootFault("for-xen", "m1.tiny")).contains("No valid host was found")
                .contains("hypervisor_type xen");

        assertThat(Files.list(portside.dataDir.resolve("machines")).map(p -> p.getFileName().toString())
                .filter(n -> !n.equals("_base") && !n.equals("kvm-probe.log")).toList()).containsOnly(serverId);
        assertThat(HostShell.run("ip", "-o", "link", "show")).doesNotContain("tap" + "0000"); // nothing half-made
    }

    @Test
    @Order(12)
    void deleteLeavesNoProcessTapDiskOrRule() throws Exception {
        JsonNode ports = json("port", "list", "--server", serverId);
        cli.ok("server", "delete", "--wait", "vm1");
        assertThat(qemuPids()).isBlank();
        String links = HostShell.run("ip", "-o", "link", "show");
        for (JsonNode port : ports) {
            assertThat(links).doesNotContain("tap" + port.get("ID").asText().substring(0, 11));
        }
        assertThat(Files.exists(portside.dataDir.resolve("machines").resolve(serverId))).isFalse();
        assertThat(HostShell.run("nft", "list", "ruleset")).doesNotContain(serverId);
    }

    /**
     * A VLAN-aware VM: booted on a trunk's parent, it makes its sub-port's VLAN interface itself from
     * the config drive's vlan link (its kernel has 802.1Q) and reaches a namespace instance on the
     * sub-port's network over that VLAN.
     */
    @Test
    @Order(13)
    void aVmOnATrunkMakesItsVlanInterfaceFromTheConfigDriveAndReachesTheSubPortsNetwork() throws Exception {
        cli.ok("network", "create", "vlan-a");
        cli.ok("subnet", "create", "--network", "vlan-a", "--subnet-range", "10.111.0.0/24", "vlan-a-sub");
        cli.ok("security", "group", "rule", "create", "--protocol", "icmp", "default");
        cli.ok("port", "create", "--network", "mgmt", "trunk-parent");
        JsonNode subPort = json("port", "create", "--network", "vlan-a", "trunk-sub");
        cli.ok("network", "trunk", "create", "--parent-port", "trunk-parent",
                "--subport", "port=trunk-sub,segmentation-type=vlan,segmentation-id=101", "vm-trunk");
        JsonNode peer = json("server", "create", "--flavor", "m1.tiny", "--image", DefaultImage.NAME, "--nic",
                "net-id=vlan-a", "peer", "--wait");
        String peerIp = json("port", "list", "--server", peer.get("id").asText()).at("/0/Fixed IP Addresses/0/ip_address")
                .asText();
        JsonNode vm = json("server", "create", "--flavor", "m1.tiny", "--image", "portside-test", "--nic",
                "port-id=trunk-parent", "--key-name", "mykey", "vm-vlan", "--wait");
        assertThat(vm.get("OS-EXT-SRV-ATTR:host").asText()).endsWith("-qemu");
        String vmAddress = json("port", "show", "trunk-parent").at("/fixed_ips/0/ip_address").asText();

        assertThat(json("network", "trunk", "show", "vm-trunk").get("status").asText()).isEqualTo("ACTIVE");
        String vlan = ssh.await(vmAddress, "ip -o link show eth0.101; ip -o -4 addr show eth0.101");
        assertThat(vlan).contains(subPort.get("mac_address").asText())
                .contains(subPort.at("/fixed_ips/0/ip_address").asText() + "/24");
        assertThat(ssh.await(vmAddress, "ping -c 1 -W 5 -I eth0.101 " + peerIp + " >/dev/null && echo reached").strip())
                .as("the VM reaches the namespace instance on vlan-a over VLAN 101").isEqualTo("reached");

        cli.ok("server", "delete", "--wait", "vm-vlan", "peer");
        assertThat(json("network", "trunk", "show", "vm-trunk").get("status").asText()).isEqualTo("DOWN");
    }

    private static String bootFault(String image, String flavor) throws Exception {
        String name = "bad-" + image;
        // --wait exits non-zero when the server ends in ERROR, as it must here.
        cli.run("server", "create", "--flavor", flavor, "--image", image, "--nic", "net-id=mgmt", name, "--wait");
        JsonNode shown = json("server", "show", name);
        assertThat(shown.get("status").asText()).isEqualTo("ERROR");
        String fault = shown.get("fault").toString();
        cli.ok("server", "delete", "--wait", name);
        return fault;
    }

    private static void awaitStatus(String status) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        String now;
        do {
            now = json("server", "show", "vm1").get("status").asText();
            if (now.equals(status)) {
                return;
            }
            Thread.sleep(500);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("vm1 stayed " + now + ", expected " + status);
    }

    private static String qemuPids() throws Exception {
        return HostShell.run("pgrep", "-f", "qemu-system-x86_64 -name guest=.*" + serverId);
    }
}
