package dev.portside.network.firewall;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The rendered ruleset: what each kind of port may send and receive, in nft's own syntax (checked by nft). */
class NftRulesetTest {
    private static final PortFilter ADDRESSED = new PortFilter("aaaaaaaa-1111-2222-3333-444444444444", "tapaaaaaaaa-11",
            "fa:16:3e:00:00:0a", true,
            List.of(new PortFilter.Source("10.0.0.5", "fa:16:3e:00:00:0a", 4),
                    new PortFilter.Source("10.9.0.0/24", "fa:16:3e:00:00:0b", 4)),
            List.of(new PortFilter.Rule("ingress", "IPv4", Optional.of("tcp"), Optional.of(22), Optional.of(22),
                            Optional.of(List.of("0.0.0.0/0"))),
                    new PortFilter.Rule("ingress", "IPv4", Optional.of("icmp"), Optional.empty(), Optional.empty(),
                            Optional.empty()),
                    new PortFilter.Rule("ingress", "IPv4", Optional.empty(), Optional.empty(), Optional.empty(),
                            Optional.of(List.of())),
                    new PortFilter.Rule("egress", "IPv6", Optional.empty(), Optional.empty(), Optional.empty(),
                            Optional.empty())));
    private static final PortFilter UNADDRESSED = new PortFilter("bbbbbbbb-1111-2222-3333-444444444444", "tapbbbbbbbb-11",
            "fa:16:3e:00:00:0c", true, List.of(), List.of());
    private static final PortFilter OPEN = new PortFilter("cccccccc-1111-2222-3333-444444444444", "tapcccccccc-11",
            "fa:16:3e:00:00:0d", false, List.of(), List.of());

    @Test
    void anAddressedPortSendsOnlyFromItsMacsAndAddressesAndReceivesWhatItsRulesAllow() {
        String nft = NftRuleset.render(List.of(ADDRESSED));

        assertThat(nft).contains("ether saddr != { fa:16:3e:00:00:0a, fa:16:3e:00:00:0b } drop")
                .contains("ether type arp arp saddr ip { 10.0.0.5, 10.9.0.0/24 } return")
                .contains("ether type ip ip saddr { 10.0.0.5, 10.9.0.0/24 } return")
                .contains("meta nfproto ipv4 ip saddr { 0.0.0.0/0 } tcp dport 22 return")
                .contains("meta nfproto ipv4 meta l4proto icmp return")
                .contains("meta nfproto ipv6 return")
                .contains("ct state established,related accept")
                .contains("ip daddr { 10.0.0.5, 10.9.0.0/24 } jump ingress_1");
        // A remote group with no members allows nothing.
        assertThat(nft).doesNotContain("saddr { }");
    }

    @Test
    void anUnaddressedPortWithPortSecurityMaySendNoIpAtAll() {
        String nft = NftRuleset.render(List.of(UNADDRESSED));
        String from = nft.substring(nft.indexOf("chain from_1"), nft.indexOf("\n\t}\n", nft.indexOf("chain from_1")));

        assertThat(from).contains("ether saddr != { fa:16:3e:00:00:0c } drop")
                .doesNotContain("ether type ip ip saddr").doesNotContain("arp saddr ip")
                .contains("ether type ip6 ip6 saddr { ::, fe80::/10 } return").contains("drop");
    }

    @Test
    void aPortWithoutPortSecurityIsNotFilteredAndNothingToFilterLeavesNoTable() {
        assertThat(NftRuleset.render(List.of(OPEN))).doesNotContain("tapcccccccc-11").doesNotContain("chain");
        assertThat(NftRuleset.render(List.of())).isEqualTo("""
                table bridge portside
                delete table bridge portside
                table inet portside
                delete table inet portside
                """);
    }

    @Test
    void nftAcceptsTheRuleset() throws Exception {
        String nft = NftRuleset.render(List.of(ADDRESSED, UNADDRESSED, OPEN));
        Process check = new ProcessBuilder("nft", "-c", "-f", "-").start();
        try (var in = check.getOutputStream()) {
            in.write(nft.getBytes(StandardCharsets.UTF_8));
        }
        String err = new String(check.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor()).as(err + "\n" + nft).isZero();
    }
}
