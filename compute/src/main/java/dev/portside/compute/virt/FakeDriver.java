package dev.portside.compute.virt;

import dev.portside.agent.Power;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A driver with no hypervisor, for functional tests and benchmarks (Nova's fake driver): instances
 * are entries in memory, and plugging an interface reports its device up at once, as an agent
 * would. Each fake host can be told to misbehave, so tests can fail every step of a boot.
 */
public final class FakeDriver implements VirtDriver {
    public static final String HYPERVISOR_TYPE = "fake";

    /** How a fake host behaves. */
    public enum Behaviour {
        /** Everything works. */
        NORMAL,
        /** Spawning fails, as a hypervisor error would. */
        FAIL_SPAWN,
        /** Interfaces are plugged but no agent ever reports them up: boots wait for vif-plugged until they time out. */
        NO_VIF_EVENTS
    }

    /**
     * A fake host: its resources, how it behaves, and how long it takes to copy a disk for a
     * snapshot (none by default; a client that races a snapshot, as tempest does, needs one that
     * takes a moment, as a real copy does).
     */
    public record Host(HostResources resources, Behaviour behaviour, java.time.Duration snapshotTime) {
        public Host(HostResources resources, Behaviour behaviour) {
            this(resources, behaviour, java.time.Duration.ZERO);
        }

        public static Host normal(String name) {
            return new Host(new HostResources(name, HYPERVISOR_TYPE, 16, 32768, 1024), Behaviour.NORMAL);
        }
    }

    private final Map<String, Host> hosts;
    private final PortAgent agent;
    private final Map<String, Map<String, Instance>> instances = new ConcurrentHashMap<>();

    /** An instance on a fake host: whether it runs, and the ports plugged into it. */
    public record Instance(String serverId, Power power, Set<String> portIds) {
        public boolean running() {
            return power == Power.RUNNING;
        }

        public Instance {
            portIds = Set.copyOf(portIds);
        }
    }

    public FakeDriver(List<Host> hosts, PortAgent agent) {
        this.hosts = new java.util.LinkedHashMap<>();
        hosts.forEach(h -> this.hosts.put(h.resources().host(), h));
        this.agent = agent;
    }

    @Override
    public List<HostResources> hosts() {
        return hosts.values().stream().map(Host::resources).toList();
    }

    @Override
    public void spawn(String host, InstanceSpec instance, List<Vif> vifs) {
        if (behaviour(host) == Behaviour.FAIL_SPAWN) {
            throw new VirtException("The fake hypervisor on " + host + " failed to spawn " + instance.instanceName() + ".");
        }
        on(host).put(instance.serverId(), new Instance(instance.serverId(), Power.RUNNING,
                vifs.stream().map(Vif::portId).collect(java.util.stream.Collectors.toSet())));
        vifs.forEach(vif -> plugged(host, vif));
    }

    @Override
    public void destroy(String host, InstanceSpec instance) {
        Instance gone = on(host).remove(instance.serverId());
        if (gone != null) {
            gone.portIds().forEach(port -> agent.deviceDown(port, host));
        }
    }

    @Override
    public void powerOff(String host, InstanceSpec instance) {
        on(host).computeIfPresent(instance.serverId(), (id, i) -> new Instance(id, Power.SHUTDOWN, i.portIds()));
    }

    @Override
    public void powerOn(String host, InstanceSpec instance) {
        on(host).computeIfPresent(instance.serverId(), (id, i) -> new Instance(id, Power.RUNNING, i.portIds()));
    }

    @Override
    public void reboot(String host, InstanceSpec instance, boolean hard) {
        powerOn(host, instance);
    }

    @Override
    public void pause(String host, InstanceSpec instance) {
        setPower(host, instance, Power.PAUSED);
    }

    @Override
    public void unpause(String host, InstanceSpec instance) {
        setPower(host, instance, Power.RUNNING);
    }

    private void setPower(String host, InstanceSpec instance, Power power) {
        if (on(host).computeIfPresent(instance.serverId(), (id, i) -> new Instance(id, power, i.portIds())) == null) {
            throw new VirtException("Instance " + instance.instanceName() + " is not on " + host + ".");
        }
    }

    /** Fake instances have no resources of their own to change; the instance must be there. */
    @Override
    public void resize(String host, InstanceSpec instance) {
        if (!on(host).containsKey(instance.serverId())) {
            throw new VirtException("Instance " + instance.instanceName() + " is not on " + host + ".");
        }
    }

    @Override
    public void confirmResize(String host, InstanceSpec instance) {
    }

    @Override
    public void revertResize(String host, InstanceSpec instance) {
    }

    /** Fake instances have no disk; the snapshot is of an instance that must be there. */
    @Override
    public java.util.Optional<String> snapshot(String host, InstanceSpec instance, java.nio.file.Path target) {
        if (!on(host).containsKey(instance.serverId())) {
            throw new VirtException("Instance " + instance.instanceName() + " is not on " + host + ".");
        }
        try {
            Thread.sleep(hosts.get(host).snapshotTime());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VirtException("The snapshot of " + instance.instanceName() + " was interrupted.");
        }
        return java.util.Optional.empty();
    }

    @Override
    public void attachInterface(String host, InstanceSpec instance, Vif vif) {
        Instance existing = on(host).get(instance.serverId());
        if (existing == null) {
            throw new VirtException("Instance " + instance.instanceName() + " is not on " + host + ".");
        }
        Set<String> ports = new java.util.HashSet<>(existing.portIds());
        ports.add(vif.portId());
        on(host).put(instance.serverId(), new Instance(instance.serverId(), existing.power(), ports));
        plugged(host, vif);
    }

    @Override
    public void detachInterface(String host, InstanceSpec instance, Vif vif) {
        on(host).computeIfPresent(instance.serverId(), (id, i) -> {
            Set<String> ports = new java.util.HashSet<>(i.portIds());
            ports.remove(vif.portId());
            return new Instance(id, i.power(), ports);
        });
        agent.deviceDown(vif.portId(), host);
    }

    @Override
    public String consoleLog(String host, InstanceSpec instance) {
        Instance running = on(host).get(instance.serverId());
        // A few lines, as a boot prints them, so that a console's "length" has something to cut.
        return running == null ? "" : "fake instance " + instance.instanceName() + " on " + host + "\n"
                + "ports " + new java.util.TreeSet<>(running.portIds()) + "\n"
                + "power " + running.power().name().toLowerCase(java.util.Locale.ROOT) + "\n"
                + "hostname " + instance.hostname() + "\n"
                + "login:\n";
    }

    @Override
    public void recover(String host, Map<InstanceSpec, Power> expected) {
        Map<String, Instance> now = on(host);
        now.keySet().removeIf(id -> expected.keySet().stream().noneMatch(spec -> spec.serverId().equals(id)));
        expected.forEach((spec, power) -> now.compute(spec.serverId(), (id, had) ->
                new Instance(id, power, had == null ? Set.of() : had.portIds())));
    }

    /** The instances on a fake host now, for tests to see what a boot or a delete left behind. */
    public Map<String, Instance> instances(String host) {
        return Map.copyOf(on(host));
    }

    private void plugged(String host, Vif vif) {
        if (behaviour(host) != Behaviour.NO_VIF_EVENTS) {
            agent.deviceUp(vif.portId(), host);
        }
    }

    private Behaviour behaviour(String host) {
        Host known = hosts.get(host);
        if (known == null) {
            throw new VirtException("The fake driver does not serve host " + host + ".");
        }
        return known.behaviour();
    }

    private Map<String, Instance> on(String host) {
        return instances.computeIfAbsent(host, h -> new ConcurrentHashMap<>());
    }
}
