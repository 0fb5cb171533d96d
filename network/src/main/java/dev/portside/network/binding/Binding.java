package dev.portside.network.binding;

import java.util.Map;

/** A port's binding as the API shows it: binding:vif_type and binding:vif_details. */
public record Binding(String vifType, Map<String, Object> vifDetails) {
    public static final Binding UNBOUND = new Binding("unbound", Map.of());
    public static final Binding FAILED = new Binding("binding_failed", Map.of());

    public Binding {
        vifDetails = Map.copyOf(vifDetails);
    }
}
