package dev.portside.network.ipam;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class Eui64Test {
    @Test
    void theInterfaceIdIsTheMacWithFffeInTheMiddleAndTheUniversalBitFlipped() {
        // The example of RFC 4291 appendix A, and Neutron's own test (test_ipv6_utils.py) with a fa:16:3e MAC.
        var prefix = Ip.address("2001:db8::").orElseThrow().getValue();

        assertThat(Ip.text(6, Eui64.address(prefix, "00:16:3e:33:44:55"))).isEqualTo("2001:db8::216:3eff:fe33:4455");
        assertThat(Ip.text(6, Eui64.address(prefix, "fa:16:3e:12:34:56"))).isEqualTo("2001:db8::f816:3eff:fe12:3456");
    }
}
