package dev.portside.agent;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A router's address translation, as the one nft script that replaces its table whole. */
class RouterNatTest {
    private static final List<RouterNat.FloatingIp> FIP = List.of(new RouterNat.FloatingIp("172.24.4.3", "10.1.0.5"));

    @Test
    void aFloatingIpIsDnatInAndSnatOutThroughTheGatewayBeforeTheRoutersOwnSnat() {
        String nft = RouterNat.render("qg-1234", Optional.of("172.24.4.2"), true, FIP);
        assertThat(nft).startsWith("table ip portside_router {}\ndelete table ip portside_router\n");
        assertThat(nft).contains("ip daddr 172.24.4.3 dnat to 10.1.0.5");
        int own = nft.indexOf("oifname \"qg-1234\" ip saddr 10.1.0.5 snat to 172.24.4.3");
        int shared = nft.indexOf("oifname \"qg-1234\" snat to 172.24.4.2");
        assertThat(own).as("the floating IP's own SNAT").isPositive();
        assertThat(shared).as("everything else takes the gateway's address").isGreaterThan(own);
    }

    @Test
    void withoutSnatOnlyFloatingIpsAreTranslated() {
        String nft = RouterNat.render("qg-1234", Optional.of("172.24.4.2"), false, FIP);
        assertThat(nft).contains("snat to 172.24.4.3").doesNotContain("snat to 172.24.4.2");
    }

    @Test
    void aRouterWithoutAGatewayTranslatesNothing() {
        String nft = RouterNat.render("", Optional.empty(), true, FIP);
        assertThat(nft).doesNotContain("dnat").doesNotContain("snat");
        assertThat(nft).contains("chain prerouting").contains("chain postrouting");
    }
}
