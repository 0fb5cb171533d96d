package dev.portside.app;

import dev.portside.agent.DeviceCounters;
import dev.portside.network.Networking;
import dev.portside.operator.PortCounters;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** The operator page's counters on this machine, its only host: the ports' devices and their filters' drops. */
final class LocalPortCounters implements PortCounters {
    private final DeviceCounters devices;
    private final Networking networking;

    LocalPortCounters(DeviceCounters devices, Networking networking) {
        this.devices = devices;
        this.networking = networking;
    }

    @Override
    public Map<String, Traffic> read(Collection<String> portIds) {
        Map<String, Map<String, Long>> dropped = networking.droppedPackets();
        Map<String, Traffic> traffic = new HashMap<>();
        for (String id : portIds) {
            devices.of(id).ifPresent(counts -> traffic.put(id, new Traffic(
                    new Flow(counts.inPackets(), counts.inBytes()), new Flow(counts.outPackets(), counts.outBytes()),
                    dropped.getOrDefault(id, Map.of()))));
        }
        return traffic;
    }
}
