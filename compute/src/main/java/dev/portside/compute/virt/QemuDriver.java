package dev.portside.compute.virt;

import dev.portside.agent.Guest;
import dev.portside.agent.Power;
import dev.portside.agent.qemu.Machines;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Instances as QEMU virtual machines on this host, booted from their Glance image (Nova's libvirt
 * driver, with QEMU driven directly over QMP). Spawning makes the disk and config drive, a tap per port
 * on its network's bridge, and starts QEMU; then, as the host's agent, it reports each port's device up.
 */
public final class QemuDriver implements VirtDriver {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(QemuDriver.class);
    /** The hypervisor type this driver reports, and that images ask for with {@code hypervisor_type}. */
    public static final String HYPERVISOR_TYPE = "QEMU";

    private final HostResources resources;
    private final Machines machines;
    private final PortAgent agent;

    public QemuDriver(HostResources resources, Machines machines, PortAgent agent) {
        this.resources = resources;
        this.machines = machines;
        this.agent = agent;
    }

    @Override
    public List<HostResources> hosts() {
        return List.of(resources);
    }

    @Override
    public void spawn(String host, InstanceSpec instance, List<Vif> vifs) {
        if (instance.imageData().isEmpty()) {
            throw new VirtException("Image " + instance.imageId() + " has no data to boot from.");
        }
        Guest guest = GuestNics.guest(instance, vifs);
        GuestNics.host(() -> machines.spawn(guest, new Machines.Resources(instance.vcpus(), instance.memoryMb(),
                instance.rootGb(), instance.imageId()), instance.imageData().get(), instance.diskFormat().orElse("")));
        vifs.forEach(vif -> agent.deviceUp(vif.portId(), host));
    }

    @Override
    public void destroy(String host, InstanceSpec instance) {
        Optional<Guest> guest = machines.guest(instance.serverId());
        GuestNics.host(() -> machines.destroy(instance.serverId()));
        guest.ifPresent(g -> g.nics().forEach(nic -> agent.deviceDown(nic.portId(), host)));
    }

    @Override
    public void powerOff(String host, InstanceSpec instance) {
        GuestNics.host(() -> machines.stop(instance.serverId(), true));
    }

    @Override
    public void powerOn(String host, InstanceSpec instance) {
        GuestNics.host(() -> machines.start(instance.serverId()));
    }

    @Override
    public void reboot(String host, InstanceSpec instance, boolean hard) {
        GuestNics.host(() -> {
            machines.stop(instance.serverId(), !hard);
            machines.start(instance.serverId());
        });
    }

    @Override
    public void pause(String host, InstanceSpec instance) {
        GuestNics.host(() -> machines.pause(instance.serverId()));
    }

    @Override
    public void unpause(String host, InstanceSpec instance) {
        GuestNics.host(() -> machines.unpause(instance.serverId()));
    }

    @Override
    public void resize(String host, InstanceSpec instance) {
        GuestNics.host(() -> machines.resize(instance.serverId(), instance.vcpus(), instance.memoryMb(),
                instance.rootGb()));
    }

    @Override
    public void confirmResize(String host, InstanceSpec instance) {
        GuestNics.host(() -> machines.confirmResize(instance.serverId()));
    }

    @Override
    public void revertResize(String host, InstanceSpec instance) {
        GuestNics.host(() -> machines.revertResize(instance.serverId()));
    }

    @Override
    public Optional<String> snapshot(String host, InstanceSpec instance, java.nio.file.Path target) {
        GuestNics.host(() -> machines.snapshot(instance.serverId(), target));
        return Optional.of("qcow2");
    }

    @Override
    public void attachInterface(String host, InstanceSpec instance, Vif vif) {
        GuestNics.host(() -> machines.hotPlug(instance.serverId(), GuestNics.nic(vif)));
        agent.deviceUp(vif.portId(), host);
    }

    @Override
    public void detachInterface(String host, InstanceSpec instance, Vif vif) {
        GuestNics.host(() -> machines.unplug(instance.serverId(), vif.portId()));
        agent.deviceDown(vif.portId(), host);
    }

    @Override
    public String consoleLog(String host, InstanceSpec instance) {
        return machines.consoleLog(instance.serverId());
    }

    @Override
    public void recover(String host, Map<InstanceSpec, Power> expected) {
        Set<String> known = new HashSet<>();
        expected.forEach((instance, power) -> {
            known.add(instance.serverId());
            Optional<Guest> guest = machines.guest(instance.serverId());
            if (guest.isEmpty()) {
                LOG.warn("machine {} of server {} has no record on this host and cannot be rebuilt; delete the server",
                        instance.instanceName(), instance.serverId());
                return;
            }
            boolean wasRunning = machines.running(instance.serverId());
            boolean running = power != Power.SHUTDOWN;
            GuestNics.host(() -> machines.recover(instance.serverId(), power));
            LOG.info("machine {} of server {}: {}", instance.instanceName(), instance.serverId(),
                    wasRunning == running ? (running ? "running, adopted" : "stopped, as recorded")
                            : (running ? "was not running, started" : "was running, stopped as recorded"));
            guest.get().nics().forEach(nic -> agent.deviceUp(nic.portId(), host));
        });
        for (String orphan : machines.serverIds()) {
            if (!known.contains(orphan)) {
                LOG.info("removing machine of server {}: Portside no longer knows it", orphan);
                GuestNics.host(() -> machines.destroy(orphan));
            }
        }
        GuestNics.host(machines::removeUnusedBases);
    }
}
