package dev.portside.compute.virt;

import dev.portside.agent.Guest;
import dev.portside.agent.Instances;
import dev.portside.agent.Power;

import java.util.List;
import java.util.Optional;

/**
 * Instances as Linux network namespaces on this host (one compute host: this machine). Spawning
 * wires each port (a veth on its network's bridge, the port's MAC inside), writes the config drive
 * and starts the instance's init, which configures addresses and runs an SSH server; then, as the
 * host's agent, it reports each port's device up. Host failures become {@link VirtException}s.
 */
public final class NamespaceDriver implements VirtDriver {
    /** The hypervisor type of namespace hosts; an image runs there only if its hypervisor_type names it. */
    public static final String HYPERVISOR_TYPE = "namespace";
    /** Why a namespace instance cannot be resized; the API says it before anything changes. */
    public static final String NOT_RESIZABLE = "A namespace instance has no vCPUs, RAM or disk of its own: it"
            + " shares the host's, so a flavor change means nothing to it and it cannot be resized.";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NamespaceDriver.class);
    private final HostResources resources;
    private final Instances instances;
    private final PortAgent agent;

    public NamespaceDriver(HostResources resources, Instances instances, PortAgent agent) {
        this.resources = resources;
        this.instances = instances;
        this.agent = agent;
    }

    @Override
    public List<HostResources> hosts() {
        return List.of(resources);
    }

    @Override
    public void spawn(String host, InstanceSpec instance, List<Vif> vifs) {
        Guest guest = GuestNics.guest(instance, vifs);
        GuestNics.host(() -> instances.spawn(guest));
        vifs.forEach(vif -> agent.deviceUp(vif.portId(), host));
    }

    @Override
    public void destroy(String host, InstanceSpec instance) {
        Optional<Guest> guest = instances.guest(instance.serverId());
        Guest known = guest.orElseGet(() -> new Guest(instance.serverId(), instance.instanceName(), instance.hostname(),
                List.of(), List.of(), Optional.empty()));
        GuestNics.host(() -> instances.destroy(known));
        known.nics().forEach(nic -> agent.deviceDown(nic.portId(), host));
    }

    @Override
    public void powerOff(String host, InstanceSpec instance) {
        instances.guest(instance.serverId()).ifPresent(guest -> GuestNics.host(() -> instances.stop(guest)));
    }

    @Override
    public void powerOn(String host, InstanceSpec instance) {
        Guest guest = known(instance);
        GuestNics.host(() -> instances.start(guest));
    }

    @Override
    public void reboot(String host, InstanceSpec instance, boolean hard) {
        Guest guest = known(instance);
        GuestNics.host(() -> {
            instances.stop(guest);
            instances.start(guest);
        });
    }

    @Override
    public void pause(String host, InstanceSpec instance) {
        Guest guest = known(instance);
        GuestNics.host(() -> instances.pause(guest));
    }

    @Override
    public void unpause(String host, InstanceSpec instance) {
        Guest guest = known(instance);
        GuestNics.host(() -> instances.unpause(guest));
    }

    /** A namespace instance shares the host's CPUs, memory and file system: a flavor means nothing to it. */
    @Override
    public void resize(String host, InstanceSpec instance) {
        throw new VirtException(NOT_RESIZABLE);
    }

    @Override
    public void confirmResize(String host, InstanceSpec instance) {
    }

    @Override
    public void revertResize(String host, InstanceSpec instance) {
    }

    /** A namespace instance runs on the host's own file system: it has no disk to copy. */
    @Override
    public Optional<String> snapshot(String host, InstanceSpec instance, java.nio.file.Path target) {
        known(instance);
        return Optional.empty();
    }

    @Override
    public void attachInterface(String host, InstanceSpec instance, Vif vif) {
        Guest guest = known(instance);
        GuestNics.host(() -> instances.hotPlug(guest, GuestNics.nic(vif)));
        agent.deviceUp(vif.portId(), host);
    }

    @Override
    public void detachInterface(String host, InstanceSpec instance, Vif vif) {
        instances.guest(instance.serverId()).ifPresent(guest -> GuestNics.host(() -> instances.unplug(guest, vif.portId())));
        agent.deviceDown(vif.portId(), host);
    }

    @Override
    public String consoleLog(String host, InstanceSpec instance) {
        return instances.consoleLog(instance.serverId());
    }

    @Override
    public void recover(String host, java.util.Map<InstanceSpec, Power> expected) {
        java.util.Set<String> known = new java.util.HashSet<>();
        expected.forEach((instance, power) -> {
            known.add(instance.serverId());
            Optional<Guest> guest = instances.guest(instance.serverId());
            if (guest.isEmpty()) {
                // Killed before its record was written: nothing on the host says how it was wired.
                LOG.warn("instance {} of server {} has no record on this host and cannot be rebuilt; delete the server",
                        instance.instanceName(), instance.serverId());
                return;
            }
            GuestNics.host(() -> instances.recover(guest.get(), power));
            guest.get().nics().forEach(nic -> agent.deviceUp(nic.portId(), host));
        });
        for (String orphan : instances.serverIds()) {
            if (!known.contains(orphan)) {
                LOG.info("removing instance of server {}: Portside no longer knows it", orphan);
                GuestNics.host(() -> instances.removeOrphan(orphan));
            }
        }
        GuestNics.host(instances::removeUnusedBridges);
    }

    private Guest known(InstanceSpec instance) {
        return instances.guest(instance.serverId()).orElseThrow(() -> new VirtException("Instance "
                + instance.instanceName() + " was never made on this host."));
    }
}
