package dev.portside.compute.server;

import dev.portside.common.auth.AuthContext;
import dev.portside.compute.network.NetworkClient;
import dev.portside.compute.network.NetworkFailure;
import dev.portside.compute.network.NetworkInfo;
import dev.portside.compute.network.NetworkPort;
import dev.portside.compute.virt.Vif;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A server's ports on a host: makes the ports its requested networks need, binds every port to the
 * host for the server, and undoes both. Ports compute made are deleted when undone; ports the user
 * brought are unbound and kept.
 */
final class PortWiring {
    static final String DEVICE_OWNER = "compute:nova";
    private static final Logger LOG = LoggerFactory.getLogger(PortWiring.class);

    private final Jdbi jdbi;
    private final ServerStore servers;
    private final NetworkClient network;
    private final Clock clock;

    PortWiring(Jdbi jdbi, ServerStore servers, NetworkClient network, Clock clock) {
        this.jdbi = jdbi;
        this.servers = servers;
        this.network = network;
        this.clock = clock;
    }

    /** Binds the server's ports on {@code host} again (a rebuild); the interfaces to plug, in order. */
    List<Vif> rebind(Server server, String host) {
        List<Vif> vifs = new ArrayList<>();
        for (ServerVif vif : jdbi.withHandle(h -> servers.vifs(h, server.id()))) {
            vifs.add(bind(server, vif, host));
        }
        return vifs;
    }

    /** Makes and binds every port of the server on {@code host}; the interfaces to plug, in order. */
    List<Vif> wire(Server server, String host, AuthContext caller) {
        List<ServerVif> claimed = jdbi.withHandle(h -> servers.vifs(h, server.id()));
        List<ServerVif> all = new ArrayList<>(claimed);
        List<Server.RequestedNetwork> requested = server.requestedNetworks();
        for (int position = 0; position < requested.size(); position++) {
            Server.RequestedNetwork asked = requested.get(position);
            if (asked.networkId().isPresent()) {
                all.add(create(server, asked.networkId().get(), asked.fixedIp(), server.securityGroups(), position,
                        asked.tag(), caller));
            }
        }
        all.sort(java.util.Comparator.comparingInt(ServerVif::position));
        List<Vif> vifs = new ArrayList<>();
        for (ServerVif vif : all) {
            vifs.add(bind(server, vif, host));
        }
        return vifs;
    }

    /**
     * Makes a port on a network for the server, with {@code securityGroups} (ids; none: the network
     * service's default), and records it as the server's; not bound yet.
     */
    ServerVif create(Server server, String networkId, Optional<String> fixedIp, List<String> securityGroups,
                     int position, Optional<String> tag, AuthContext caller) {
        Optional<NetworkInfo> info = network.findNetwork(caller, networkId);
        if (!securityGroups.isEmpty() && info.isPresent() && !info.get().portSecurityEnabled()) {
            // Nova's SecurityGroupCannotBeApplied: groups would not filter anything there.
            throw new BuildFailure("Network requires port_security_enabled and subnet associated in order to apply"
                    + " security groups.", false);
        }
        String label = info.map(NetworkInfo::name).orElse(networkId);
        NetworkPort port;
        try {
            port = network.createPort(caller, new NetworkClient.PortRequest(networkId, fixedIp, server.id(), DEVICE_OWNER,
                    securityGroups));
        } catch (NetworkFailure e) {
            throw new BuildFailure("Could not create a port on network " + networkId + ": " + e.getMessage(), false);
        }
        ServerVif vif = new ServerVif(port.id(), server.id(), position, true, networkId, label, port.macAddress(),
                port.fixedIps(), clock.instant(), tag);
        jdbi.useTransaction(h -> servers.insertVif(h, vif));
        return vif;
    }

    /** Binds one of the server's ports on {@code host} and checks the binding can serve it. */
    Vif bind(Server server, ServerVif vif, String host) {
        NetworkPort bound;
        try {
            bound = network.bindPort(vif.portId(), host, server.id(), DEVICE_OWNER);
        } catch (NetworkFailure e) {
            throw new BuildFailure("Binding port " + vif.portId() + " on host " + host + " failed: " + e.getMessage(), true);
        }
        Optional<String> problem = PortRules.bindingProblem(bound, host);
        if (problem.isPresent()) {
            throw new BuildFailure(problem.get(), true);
        }
        jdbi.useTransaction(h -> servers.updateVif(h, vif.with(bound)));
        try {
            return Vif.of(bound, network.topology(bound), vif.tag()).withVlans(trunkVlans(bound));
        } catch (NetworkFailure e) {
            throw new BuildFailure("Reading the network of port " + vif.portId() + " failed: " + e.getMessage(), true);
        }
    }

    // A trunk's sub-ports, bound with their parent: the instance's config drive describes them as VLANs.
    private List<Vif.Vlan> trunkVlans(NetworkPort parent) {
        List<Vif.Vlan> vlans = new ArrayList<>();
        for (NetworkPort.TrunkSubPort subPort : parent.trunkSubPorts()) {
            network.findAnyPort(subPort.portId()).ifPresent(port -> vlans.add(new Vif.Vlan(subPort.segmentationId(),
                    Vif.of(port, network.topology(port), Optional.empty()))));
        }
        return vlans;
    }

    /** Unbinds the server's ports from their host, keeping them the server's (a shelved server's stay reserved). */
    void unbind(String serverId) {
        for (ServerVif vif : jdbi.withHandle(h -> servers.vifs(h, serverId))) {
            try {
                network.bindPort(vif.portId(), "", serverId, DEVICE_OWNER);
            } catch (RuntimeException e) {
                LOG.warn("unbinding port {} of server {}: {}", vif.portId(), serverId, e.getMessage());
            }
        }
    }

    /**
     * Undoes the server's ports: deletes those compute made, unbinds the others. With
     * {@code keepClaims} the user's ports stay the server's (to try another host); otherwise they are free.
     */
    void unwire(String serverId, boolean keepClaims) {
        for (ServerVif vif : jdbi.withHandle(h -> servers.vifs(h, serverId))) {
            release(vif, keepClaims);
        }
    }

    void release(ServerVif vif, boolean keepClaim) {
        try {
            if (vif.createdByCompute()) {
                network.deletePort(vif.portId());
            } else {
                network.unbindPort(vif.portId());
            }
        } catch (RuntimeException e) {
            // The port may already be gone (a user deleted it); the server must still let go of it.
            LOG.warn("releasing port {} of server {}: {}", vif.portId(), vif.serverId(), e.getMessage());
        }
        if (vif.createdByCompute() || !keepClaim) {
            jdbi.useTransaction(h -> servers.deleteVif(h, vif.portId()));
        }
    }
}
