package dev.portside.app.hosts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portside.agent.Vxlans;
import dev.portside.app.messaging.Bus;
import dev.portside.compute.Compute;
import dev.portside.compute.server.ExternalEvents;
import dev.portside.network.Networking;
import dev.portside.network.change.Change;
import dev.portside.network.port.AddressPair;
import dev.portside.network.port.FixedIp;
import dev.portside.network.port.Port;
import dev.portside.network.port.PortEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A controller's side of the compute hosts: it records their reports (alive, with capacity and
 * tunnel address; a host new or back from a lost connection is made to hold its servers again),
 * takes their device reports to the network service, answers what a host's ports need (their
 * filters, their VXLAN networks' other hosts and the MACs behind them), and after every committed
 * change that may alter that, tells every host to ask again. Any controller may take any of this:
 * they share the queues, and state lives in the database.
 */
public final class ComputeHosts {
    private static final Logger LOG = LoggerFactory.getLogger(ComputeHosts.class);

    private final Bus bus;
    private final Networking networking;
    private final Compute compute;
    // A host's resync waits for the host's own answers, and the host asks controllers while it resyncs:
    // off the broker's handler threads, so many hosts coming back at once cannot take them all.
    private final ExecutorService resyncs = Executors.newFixedThreadPool(RESYNCS,
            Thread.ofPlatform().name("host-resync-", 0).daemon().factory());
    private static final int RESYNCS = 4;

    public ComputeHosts(Bus bus, Networking networking, Compute compute) {
        this.bus = bus;
        this.networking = networking;
        this.compute = compute;
    }

    /**
     * The network service's compute events, sent to every controller: the one building the server
     * waits for its ports' network-vif-plugged, and it may not be the one that heard the device come up.
     */
    public static PortEvents broadcastingOn(Bus bus) {
        return (event, serverId, portId) -> bus.broadcast(HostMessages.COMPUTE_EVENTS, "event",
                new HostMessages.ComputeEvent(event, serverId, portId));
    }

    /** Starts taking hosts' reports and questions, and compute events for this controller's compute. */
    public void start() {
        ExternalEvents events = compute.events();
        bus.subscribe(HostMessages.COMPUTE_EVENTS, (method, args) -> {
            HostMessages.ComputeEvent event = Bus.MAPPER.convertValue(args, HostMessages.ComputeEvent.class);
            events.deliver(event.name(), event.serverId(), event.portId(), "completed");
            return null;
        });
        networking.subscribe(changes -> {
            if (!changes.stream().allMatch(ComputeHosts::concernsNoHost)) {
                refreshHosts();
            }
        });
        bus.serve(HostMessages.REPORTS, true, this::report);
        bus.serve(HostMessages.CONTROLLERS, true, this::answer);
    }

    // A port bound nowhere before and after is on no host, and a change to what no filter or tunnel reads
    // (its status as the host reports it, its name) changes nothing there; trunks and routers change
    // through their ports.
    private static boolean concernsNoHost(Change change) {
        return change instanceof Change.TrunkChange || change instanceof Change.RouterChange
                || change instanceof Change.PortChange(var original, var current)
                && (java.util.stream.Stream.of(original, current).flatMap(Optional::stream)
                        .allMatch(p -> p.binding().hostId().isEmpty())
                    || original.map(Wiring::of).equals(current.map(Wiring::of)));
    }

    /** What of a port its host's filters and tunnels, and the other ports' remote groups, are made of. */
    private record Wiring(String networkId, String host, String macAddress, boolean portSecurity,
                          List<FixedIp> fixedIps, List<String> securityGroups, List<AddressPair> allowedAddressPairs,
                          List<Integer> allowedEthertypes) {
        static Wiring of(Port port) {
            return new Wiring(port.networkId(), port.binding().hostId(), port.macAddress(), port.portSecurityEnabled(),
                    port.fixedIps(), port.securityGroups(), port.allowedAddressPairs(), port.allowedEthertypes());
        }
    }

    private void refreshHosts() {
        try {
            bus.broadcast(HostMessages.HOSTS, "refresh", Map.of());
        } catch (RuntimeException e) {
            // Committed all the same: each host asks again when it reconnects.
            LOG.warn("cannot tell the compute hosts their ports changed: {}", e.getMessage());
        }
    }

    private Object report(String method, JsonNode args) {
        switch (method) {
            case "report" -> {
                HostMessages.Report report = Bus.MAPPER.convertValue(args, HostMessages.Report.class);
                String host = report.resources().host();
                boolean isNew = compute.hostReported(report.resources(), report.hostIp());
                if (isNew || report.resync()) {
                    LOG.info("compute host {} ({}) {}: making it hold its servers", host, report.hostIp(),
                            isNew ? "is new" : "(re)connected");
                    resyncs.execute(() -> {
                        compute.recoverHost(host);
                        // Its tunnel address may be new to the others too.
                        refreshHosts();
                    });
                }
            }
            case "device_up" -> {
                HostMessages.Device device = Bus.MAPPER.convertValue(args, HostMessages.Device.class);
                networking.portStatus().deviceUp(device.portId(), device.host());
            }
            case "device_down" -> {
                HostMessages.Device device = Bus.MAPPER.convertValue(args, HostMessages.Device.class);
                networking.portStatus().deviceDown(device.portId(), device.host());
            }
            default -> throw new IllegalArgumentException("a controller does not know the report " + method);
        }
        return null;
    }

    private Object answer(String method, JsonNode args) {
        if (!method.equals("host_state")) {
            throw new IllegalArgumentException("a controller does not answer " + method);
        }
        String host = Bus.MAPPER.convertValue(args, HostMessages.StateQuery.class).host();
        return new HostMessages.HostState(networking.portFilters(host), tunnels(host));
    }

    /** The VXLAN networks with ports on {@code host}, each with the other hosts that have ports on it. */
    List<Vxlans.Tunnel> tunnels(String host) {
        Map<String, String> addresses = compute.hostIps();
        // network id -> its VXLAN id, and host -> MACs there
        Map<String, Integer> vnis = new LinkedHashMap<>();
        Map<String, Map<String, List<String>>> macs = new LinkedHashMap<>();
        for (Networking.TunnelEndpoint endpoint : networking.tunnelEndpoints()) {
            vnis.put(endpoint.networkId(), endpoint.vni());
            macs.computeIfAbsent(endpoint.networkId(), n -> new TreeMap<>())
                    .computeIfAbsent(endpoint.host(), h -> new ArrayList<>()).add(endpoint.macAddress());
        }
        List<Vxlans.Tunnel> tunnels = new ArrayList<>();
        macs.forEach((network, byHost) -> {
            if (!byHost.containsKey(host)) {
                return;
            }
            List<Vxlans.Peer> peers = new ArrayList<>();
            byHost.forEach((other, behind) -> {
                if (!other.equals(host) && addresses.containsKey(other)) {
                    peers.add(new Vxlans.Peer(addresses.get(other), behind));
                }
            });
            tunnels.add(new Vxlans.Tunnel(network, vnis.get(network), peers));
        });
        return tunnels;
    }
}
