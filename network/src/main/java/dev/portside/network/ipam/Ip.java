package dev.portside.network.ipam;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv6.IPv6Address;

import java.math.BigInteger;
import java.util.Optional;

/** Strict parsing of addresses and CIDRs as Neutron accepts them (no inet_aton shorthands, no ranges). */
public final class Ip {
    private static final IPAddressStringParameters STRICT = new IPAddressStringParameters.Builder()
            .allowEmpty(false).allowAll(false).allowSingleSegment(false).allowMask(false)
            .setRangeOptions(IPAddressStringParameters.RangeParameters.NO_RANGE)
            .getIPv4AddressParametersBuilder().allow_inet_aton(false).allowLeadingZeros(false).getParentBuilder()
            .toParams();

    private Ip() {
    }

    /** One address, without a prefix length. */
    public static Optional<IPAddress> address(String text) {
        IPAddress address = new IPAddressString(text, STRICT).getAddress();
        return address == null || address.getNetworkPrefixLength() != null ? Optional.empty() : Optional.of(address);
    }

    /** An address with a prefix length; host bits may be set (callers decide whether that is allowed). */
    public static Optional<IPAddress> cidr(String text) {
        IPAddress address = new IPAddressString(text, STRICT).getAddress();
        return address == null || address.getNetworkPrefixLength() == null ? Optional.empty() : Optional.of(address);
    }

    public static int version(IPAddress address) {
        return address.isIPv4() ? 4 : 6;
    }

    public static BigInteger value(IPAddress address) {
        return address.getValue();
    }

    /** The canonical text of an address: dotted quad, or compressed lower-case IPv6. */
    public static String text(int version, BigInteger value) {
        IPAddress address = version == 4 ? new IPv4Address(value.intValue()) : new IPv6Address(value);
        return address.toCanonicalString();
    }

    public static String text(IPAddress address) {
        return text(version(address), value(address));
    }
}
