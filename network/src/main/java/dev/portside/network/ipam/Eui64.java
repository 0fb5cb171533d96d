package dev.portside.network.ipam;

import java.math.BigInteger;

/**
 * The address a port gets on an IPv6 SLAAC or DHCPv6-stateless subnet: the /64 prefix and an
 * interface identifier made from the MAC (RFC 4291 appendix A: ff:fe in the middle, the
 * universal/local bit flipped), as Neutron's ipv6_utils.get_ipv6_addr_by_EUI64 computes it.
 */
public final class Eui64 {
    private Eui64() {
    }

    public static BigInteger address(BigInteger prefix, String mac) {
        String[] octets = mac.split(":");
        long id = 0;
        for (int i = 0; i < 6; i++) {
            int octet = Integer.parseInt(octets[i], 16);
            if (i == 0) {
                octet ^= 0x02;
            }
            id = (id << 8) | octet;
            if (i == 2) {
                id = (id << 16) | 0xfffe;
            }
        }
        BigInteger interfaceId = new BigInteger(Long.toUnsignedString(id));
        return prefix.shiftRight(64).shiftLeft(64).or(interfaceId);
    }
}
