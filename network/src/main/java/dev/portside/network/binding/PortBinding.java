package dev.portside.network.binding;

import java.util.Map;

/**
 * Everything the binding extension says of a port: the host asked for (binding:host_id, "" when
 * unbound), the vNIC type and profile asked for, and the driver's answer.
 */
public record PortBinding(String hostId, String vnicType, Map<String, Object> profile, Binding binding) {
    public static final PortBinding NONE = new PortBinding("", "normal", Map.of(), Binding.UNBOUND);

    public PortBinding {
        profile = Map.copyOf(profile);
    }
}
