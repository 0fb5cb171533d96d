package dev.portside.agent;

/**
 * The names Portside gives what it makes on the host, so that it can find (and only ever touch) its
 * own: Neutron's linuxbridge names for bridges ({@code brq} + network id) and host-side port
 * devices ({@code tap} + port id), Neutron's L3 agent's for routers ({@code qrouter-} + router id,
 * inside it {@code qr-} + port id for an interface and {@code qg-} + port id for the gateway), and a
 * prefix for instance namespaces.
 */
public final class Names {
    public static final String NAMESPACE_PREFIX = "portside-";
    public static final String BRIDGE_PREFIX = "brq";
    public static final String TAP_PREFIX = "tap";
    public static final String ROUTER_PREFIX = "qrouter-";
    public static final String VXLAN_PREFIX = "vxlan-";
    /** IANA's VXLAN port (the kernel's default is Linux's older 8472). */
    public static final int VXLAN_PORT = 4789;
    public static final String ROUTER_INTERFACE_PREFIX = "qr-";
    public static final String ROUTER_GATEWAY_PREFIX = "qg-";
    // Interface names hold 15 characters: a 3-letter prefix and 11 of the id, as Neutron's agents cut them.
    private static final int ID_CHARACTERS = 11;

    private Names() {
    }

    public static String bridge(String networkId) {
        return BRIDGE_PREFIX + networkId.substring(0, ID_CHARACTERS);
    }

    public static String tap(String portId) {
        return TAP_PREFIX + portId.substring(0, ID_CHARACTERS);
    }

    /** The instance end's name until it is moved into the namespace and renamed ethN. */
    public static String peer(String portId) {
        return "pst" + portId.substring(0, ID_CHARACTERS);
    }

    public static String router(String routerId) {
        return ROUTER_PREFIX + routerId;
    }

    /** A router's leg inside its namespace: {@code qr-} or {@code qg-} and 11 characters of the port id. */
    public static String routerLeg(String portId, boolean gateway) {
        return (gateway ? ROUTER_GATEWAY_PREFIX : ROUTER_INTERFACE_PREFIX) + portId.substring(0, ID_CHARACTERS);
    }

    /** A VXLAN network's device, as Neutron's linuxbridge agent names it. */
    public static String vxlan(int vni) {
        return VXLAN_PREFIX + vni;
    }

    public static String namespace(String serverId) {
        return NAMESPACE_PREFIX + serverId;
    }
}
