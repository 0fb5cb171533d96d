package dev.portside.compute.virt;

import dev.portside.compute.network.NetworkPort;

import java.util.List;
import java.util.Map;

/** One interface of an instance: a bound port, with what its binding told the driver to plug. */
public record Vif(String portId, String networkId, String macAddress, List<NetworkPort.FixedIp> fixedIps,
                  String vifType, Map<String, Object> vifDetails) {
    public Vif {
        fixedIps = List.copyOf(fixedIps);
        vifDetails = Map.copyOf(vifDetails);
    }

    public static Vif of(NetworkPort port) {
        return new Vif(port.id(), port.networkId(), port.macAddress(), port.fixedIps(), port.vifType(), port.vifDetails());
    }
}
