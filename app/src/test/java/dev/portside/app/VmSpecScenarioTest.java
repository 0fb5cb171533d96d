package dev.portside.app;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The spec's scenario with VM2, the middle box, as a QEMU virtual machine booted from an image the
 * user uploaded (VM1 and VM3 stay namespace instances, to keep the run short): the NAT, the port
 * security that follows its unaddressed ports, and a delete that leaves no QEMU, tap or disk behind.
 */
class VmSpecScenarioTest extends MiddleBoxScenario {

    @BeforeAll
    static void serveWithVirtualMachines() throws Exception {
        serve("compute_driver: namespace,qemu\nshutdown_timeout: 10\n", "middlebox");
        ok("image", "create", "--disk-format", "qcow2", "--container-format", "bare", "--file",
                TestImage.qcow2().toString(), "middlebox");
    }

    @Test
    @Order(5)
    void theMiddleBoxIsAVirtualMachineOnTheQemuHost() throws Exception {
        var vm2 = json("server", "show", "vm2");
        assertThat(vm2.get("OS-EXT-SRV-ATTR:host").asText()).endsWith("-qemu");
        String id = vm2.get("id").asText();
        assertThat(HostShell.run("pgrep", "-af", "qemu-system-x86_64")).contains(id);
        assertThat(json("server", "show", "vm1").get("OS-EXT-SRV-ATTR:host").asText()).doesNotEndWith("-qemu");
        // Its unaddressed NICs are the ports' MACs, as the guest sees them.
        assertThat(onVm("vm2", "cat /sys/class/net/eth1/address /sys/class/net/eth2/address"))
                .contains(mac("vm2-net1")).contains(mac("vm2-net2"));
    }

    @Test
    @Order(7)
    void deletingEverythingLeavesNoQemuTapDiskOrNftTable() throws Exception {
        for (String vm : new String[]{"vm1", "vm2", "vm3"}) {
            ok("server", "delete", "--wait", vm);
        }
        assertThat(HostShell.run("pgrep", "-f", "qemu-system-x86_64 -name guest=")).isBlank();
        assertThat(HostShell.run("ip", "-o", "link", "show")).doesNotContain("brq").doesNotContain(": tap");
        assertThat(HostShell.run("nft", "list", "tables")).doesNotContain("portside");
        try (var left = java.nio.file.Files.list(portside.dataDir.resolve("machines"))) {
            assertThat(left.map(p -> p.getFileName().toString()).filter(n -> !n.equals("_base")).toList()).isEmpty();
        }
    }
}
