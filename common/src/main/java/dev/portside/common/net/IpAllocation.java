package dev.portside.common.net;

import java.util.List;

/**
 * Neutron's ip_allocation extension, and the one definition of the port this project exists for:
 * an <em>unaddressed</em> port has no fixed IPs and was created as such ({@code ip_allocation: none}).
 * A port that merely lost its addresses, or sits on a network without subnets, stays "immediate":
 * it is an addressed port without addresses, as in Neutron, not an unaddressed one. The network
 * service's binder and firewall and compute's port rule all ask this class.
 */
public final class IpAllocation {
    public static final String IMMEDIATE = "immediate";
    public static final String DEFERRED = "deferred";
    public static final String NONE = "none";

    private IpAllocation() {
    }

    public static boolean unaddressed(List<?> fixedIps, String ipAllocation) {
        return fixedIps.isEmpty() && NONE.equals(ipAllocation);
    }
}
