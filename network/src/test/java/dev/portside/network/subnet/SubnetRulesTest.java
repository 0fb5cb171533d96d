package dev.portside.network.subnet;

import dev.portside.common.http.ApiException;
import dev.portside.network.ipam.Ip;
import dev.portside.network.ipam.Ipam.Range;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubnetRulesTest {
    static String text(List<Range> pools, int version) {
        return pools.stream().map(r -> Ip.text(version, r.first()) + "-" + Ip.text(version, r.last())).toList().toString();
    }

    @Test
    void defaultPoolsAreEveryHostAddressButTheGatewayAsNeutronGeneratesThem() {
        SubnetRules.Block v4 = SubnetRules.block("10.0.0.0/24", 4);
        SubnetRules.Block v6 = SubnetRules.block("2001:db8::/64", 6);

        assertThat(text(SubnetRules.pools(Optional.empty(), v4, SubnetRules.gateway(Optional.empty(), v4)), 4))
                .isEqualTo("[10.0.0.2-10.0.0.254]");
        assertThat(text(SubnetRules.pools(Optional.empty(), v4, Optional.of(Ip.address("10.0.0.100").orElseThrow().getValue())), 4))
                .isEqualTo("[10.0.0.1-10.0.0.99, 10.0.0.101-10.0.0.254]");
        assertThat(text(SubnetRules.pools(Optional.empty(), v4, Optional.empty()), 4)).isEqualTo("[10.0.0.1-10.0.0.254]");
        assertThat(text(SubnetRules.pools(Optional.empty(), v6, SubnetRules.gateway(Optional.empty(), v6)), 6))
                .isEqualTo("[2001:db8::2-2001:db8::ffff:ffff:ffff:ffff]");
    }

    @Test
    void aSlash32HasItsOneAddressAndNoGateway() {
        SubnetRules.Block host = SubnetRules.block("192.0.2.7/32", 4);

        assertThat(SubnetRules.gateway(Optional.empty(), host)).isEmpty();
        assertThat(text(SubnetRules.pools(Optional.empty(), host, Optional.empty()), 4)).isEqualTo("[192.0.2.7-192.0.2.7]");
    }

    @Test
    void poolsMustStayInsideTheCidrAndApart() {
        SubnetRules.Block v4 = SubnetRules.block("10.0.0.0/24", 4);
        BigInteger a = Ip.address("10.0.0.10").orElseThrow().getValue();
        BigInteger b = Ip.address("10.0.0.20").orElseThrow().getValue();
        BigInteger outside = Ip.address("10.0.1.5").orElseThrow().getValue();

        assertThatThrownBy(() -> SubnetRules.pools(Optional.of(List.of(new Range(a, outside))), v4, Optional.empty()))
                .isInstanceOf(ApiException.class).hasMessageContaining("spans beyond");
        assertThatThrownBy(() -> SubnetRules.pools(Optional.of(List.of(new Range(a, b), new Range(b, b))), v4, Optional.empty()))
                .isInstanceOf(ApiException.class).hasMessageContaining("overlapping");
        assertThatThrownBy(() -> SubnetRules.pools(Optional.of(List.of(new Range(b, a))), v4, Optional.empty()))
                .isInstanceOf(ApiException.class);
    }

    @Test
    void strictParsingRefusesShorthandsAndHostBits() {
        assertThat(Ip.address("10.1")).isEmpty();
        assertThat(Ip.address("010.0.0.1")).isEmpty();
        assertThat(Ip.address("10.0.0.1/24")).isEmpty();
        assertThat(Ip.cidr("10.0.0.0")).isEmpty();
        assertThatThrownBy(() -> SubnetRules.block("10.0.0.1/24", 4)).hasMessageContaining("10.0.0.0/24");
        assertThat(SubnetRules.block("2001:DB8:0:0::/64", 6).text()).isEqualTo("2001:db8::/64");
    }
}
