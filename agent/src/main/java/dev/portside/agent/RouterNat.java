package dev.portside.agent;

import java.util.List;
import java.util.Optional;

/**
 * A router's address translation, as one nftables table in its namespace, rendered in one place
 * and replaced whole on every change: each floating IP is DNAT to its fixed address on the way in
 * and SNAT from it on the way out through the gateway; anything else leaving through the gateway
 * takes the gateway's address when the router SNATs (ext-gw-mode's enable_snat), as Neutron's L3
 * agent's iptables rules do.
 */
public final class RouterNat {
    static final String TABLE = "portside_router";

    private RouterNat() {
    }

    /** One floating IP the router translates. */
    public record FloatingIp(String floatingIpAddress, String fixedIpAddress) {
    }

    /** The nft script for a router whose gateway device is {@code gatewayDevice} ("" without a gateway). */
    public static String render(String gatewayDevice, Optional<String> gatewayAddress, boolean snat,
                                List<FloatingIp> floatingIps) {
        StringBuilder nft = new StringBuilder();
        // Declaring the table first makes the delete valid whether or not it exists; the script is one transaction.
        nft.append("table ip ").append(TABLE).append(" {}\n");
        nft.append("delete table ip ").append(TABLE).append("\n");
        nft.append("table ip ").append(TABLE).append(" {\n");
        nft.append("    chain prerouting {\n        type nat hook prerouting priority dstnat; policy accept;\n");
        if (!gatewayDevice.isEmpty()) {
            for (FloatingIp f : floatingIps) {
                nft.append("        ip daddr ").append(f.floatingIpAddress()).append(" dnat to ")
                        .append(f.fixedIpAddress()).append("\n");
            }
        }
        nft.append("    }\n");
        nft.append("    chain postrouting {\n        type nat hook postrouting priority srcnat; policy accept;\n");
        if (!gatewayDevice.isEmpty()) {
            String out = "        oifname \"" + gatewayDevice + "\" ";
            for (FloatingIp f : floatingIps) {
                nft.append(out).append("ip saddr ").append(f.fixedIpAddress()).append(" snat to ")
                        .append(f.floatingIpAddress()).append("\n");
            }
            if (snat && gatewayAddress.isPresent()) {
                nft.append(out).append("snat to ").append(gatewayAddress.get()).append("\n");
            }
        }
        nft.append("    }\n}\n");
        return nft.toString();
    }
}
