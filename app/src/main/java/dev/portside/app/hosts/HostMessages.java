package dev.portside.app.hosts;

import dev.portside.agent.Power;
import dev.portside.agent.Vxlans;
import dev.portside.compute.virt.HostResources;
import dev.portside.compute.virt.InstanceSpec;
import dev.portside.compute.virt.Vif;
import dev.portside.network.firewall.PortFilter;

import java.util.List;

/**
 * What controllers and compute hosts say to each other, and where: each host consumes its own
 * queue ({@code compute.HOST}: the virt driver's calls) and hears the hosts' broadcast (refresh:
 * its ports changed); the controllers share a queue for hosts' reports (alive, device up and down)
 * and one for hosts' questions (their ports' filters and tunnels), and hear each other's compute
 * events (a port of a server came up: whichever controller builds the server is waiting for it).
 */
final class HostMessages {
    static final String REPORTS = "portside.reports";
    static final String CONTROLLERS = "portside.controllers";
    static final String HOSTS = "portside.hosts";
    static final String COMPUTE_EVENTS = "portside.compute-events";

    private HostMessages() {
    }

    static String queueOf(String host) {
        return "compute." + host;
    }

    /** An instance to act on. */
    record Instance(InstanceSpec instance) {
    }

    record Spawn(InstanceSpec instance, List<Vif> vifs) {
    }

    /** An interface to attach or detach. */
    record Interface(InstanceSpec instance, Vif vif) {
    }

    record Reboot(InstanceSpec instance, boolean hard) {
    }

    record Snapshot(InstanceSpec instance, String target) {
    }

    /** The servers placed on a host, each in the power state it should be in. */
    record Recover(List<Expected> instances) {
        Recover {
            instances = List.copyOf(instances);
        }
    }

    record Expected(InstanceSpec instance, Power power) {
    }

    /**
     * A host is alive: its capacity and tunnel address; {@code resync} on its first report after it
     * (re)connected, when it may have missed what changed meanwhile.
     */
    record Report(HostResources resources, String hostIp, boolean resync) {
    }

    /** A port's device wired or unwired on a host. */
    record Device(String portId, String host) {
    }

    /** A compute event for a server, as the network service posts it (network-vif-plugged, ...). */
    record ComputeEvent(String name, String serverId, String portId) {
    }

    /** A host asks what its ports need. */
    record StateQuery(String host) {
    }

    /** What the ports bound to a host need there: their filters, and their VXLAN networks' other hosts. */
    record HostState(List<PortFilter> filters, List<Vxlans.Tunnel> tunnels) {
        HostState {
            filters = List.copyOf(filters);
            tunnels = List.copyOf(tunnels);
        }
    }
}
