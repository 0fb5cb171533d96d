package dev.portside.network.firewall;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The rendered ruleset: what each kind of port may send and receive, in nft's own syntax (checked by nft). */
class NftRulesetTest {
    private static final FilterSettings IN_TREE = new FilterSettings(FilterSettings.Unaddressed.IN_TREE, 256,
            Duration.ofSeconds(300));
    private static final PortFilter ADDRESSED = new PortFilter("aaaaaaaa-1111-2222-3333-444444444444", "tapaaaaaaaa-11",
            "fa:16:3e:00:00:0a", true, false,
            List.of(new PortFilter.Source("10.0.0.5", "fa:16:3e:00:00:0a", 4),
                    new PortFilter.Source("10.9.0.0/24", "fa:16:3e:00:00:0b", 4)),
            List.of(new PortFilter.Rule("ingress", "IPv4", Optional.of("tcp"), Optional.of(22), Optional.of(22),
                            Optional.of(List.of("0.0.0.0/0"))),
                    new PortFilter.Rule("ingress", "IPv4", Optional.of("icmp"), Optional.empty(), Optional.empty(),
                            Optional.empty()),
                    new PortFilter.Rule("ingress", "IPv4", Optional.empty(), Optional.empty(), Optional.empty(),
                            Optional.of(List.of())),
                    new PortFilter.Rule("egress", "IPv6", Optional.empty(), Optional.empty(), Optional.empty(),
                            Optional.empty())),
            List.of());
    private static final PortFilter UNADDRESSED = new PortFilter("bbbbbbbb-1111-2222-3333-444444444444", "tapbbbbbbbb-11",
            "fa:16:3e:00:00:0c", true, true, List.of(),
            List.of(new PortFilter.Rule("ingress", "IPv4", Optional.of("tcp"), Optional.of(80), Optional.of(80),
                    Optional.empty())),
            List.of());
    private static final PortFilter MPLS_ROUTER = new PortFilter("dddddddd-1111-2222-3333-444444444444", "tapdddddddd-11",
            "fa:16:3e:00:00:0e", true, true, List.of(), List.of(), List.of(0x8847, 0x894f));
    private static final PortFilter OPEN = new PortFilter("cccccccc-1111-2222-3333-444444444444", "tapcccccccc-11",
            "fa:16:3e:00:00:0d", false, true, List.of(), List.of(), List.of());

    private static String render(List<PortFilter> ports, FilterSettings settings) {
        return NftRuleset.render(ports, settings, Optional.empty()).text();
    }

    private static String chain(String nft, String name) {
        int start = nft.indexOf("chain " + name + " {");
        assertThat(start).as(nft).isNotNegative();
        return nft.substring(start, nft.indexOf("\n\t}\n", start));
    }

    @Test
    void anAddressedPortSendsOnlyFromItsMacsAndAddressesAndReceivesWhatItsRulesAllow() {
        String nft = render(List.of(ADDRESSED), FilterSettings.DEFAULTS);

        assertThat(chain(nft, "from_1")).contains("ether saddr != { fa:16:3e:00:00:0a, fa:16:3e:00:00:0b } counter name \"drop_aaaaaaaa_1111_2222_3333_444444444444_egress_mac\" drop")
                .contains("arp saddr ether != { fa:16:3e:00:00:0a, fa:16:3e:00:00:0b } counter name \"drop_aaaaaaaa_1111_2222_3333_444444444444_egress_mac\" drop")
                .contains("ether type arp arp saddr ip { 10.0.0.5, 10.9.0.0/24 } return")
                .contains("ether type ip ip saddr { 10.0.0.5, 10.9.0.0/24 } return")
                .doesNotContain("ether type { arp, ip, ip6 } return")
                .contains("ether type { arp, ip, ip6 } counter name \"drop_aaaaaaaa_1111_2222_3333_444444444444_egress_address\" drop")
                .endsWith("\t\tcounter name \"drop_aaaaaaaa_1111_2222_3333_444444444444_egress_ethertype\" drop");
        assertThat(nft).contains("meta nfproto ipv4 ip saddr { 0.0.0.0/0 } tcp dport 22 return")
                .contains("meta nfproto ipv4 meta l4proto icmp return")
                .contains("meta nfproto ipv6 return")
                .contains("ct state established,related accept")
                .contains("ip daddr { 10.0.0.5, 10.9.0.0/24 } jump ingress_1");
        // A remote group with no members allows nothing.
        assertThat(nft).doesNotContain("saddr { }");
    }

    @Test
    void whatAPortSendsIsJudgedBeforeTheBridgeLearnsItsSourceMac() {
        String nft = render(List.of(ADDRESSED), FilterSettings.DEFAULTS);

        assertThat(chain(nft, "prerouting_ports")).contains("hook prerouting priority -200")
                .contains("iifname \"tapaaaaaaaa-11\" jump from_1");
        assertThat(chain(nft, "forward_ports")).contains("oifname \"tapaaaaaaaa-11\" jump to_1")
                .doesNotContain("from_1");
    }

    @Test
    void anUnaddressedPortSendsFromItsMacWithAnyAddressAndItsRulesMatchAnyAddress() {
        String nft = render(List.of(UNADDRESSED), FilterSettings.DEFAULTS);

        assertThat(chain(nft, "from_1")).contains("ether saddr != { fa:16:3e:00:00:0c } counter name \"drop_bbbbbbbb_1111_2222_3333_444444444444_egress_mac\" drop")
                .contains("arp saddr ether != { fa:16:3e:00:00:0c } counter name \"drop_bbbbbbbb_1111_2222_3333_444444444444_egress_mac\" drop")
                .contains("ether type { arp, ip, ip6 } return")
                .doesNotContain("ip saddr").doesNotContain("arp saddr ip");
        assertThat(chain(nft, "ingress_1")).contains("meta nfproto ipv4 tcp dport 80 return").doesNotContain("daddr");
    }

    @Test
    void underTheInTreeSettingAnUnaddressedPortMaySendNoIpAtAll() {
        String from = chain(render(List.of(UNADDRESSED), IN_TREE), "from_1");

        assertThat(from).contains("ether saddr != { fa:16:3e:00:00:0c } counter name \"drop_bbbbbbbb_1111_2222_3333_444444444444_egress_mac\" drop")
                .doesNotContain("ether type ip ip saddr").doesNotContain("arp saddr ip")
                .doesNotContain("ether type { arp, ip, ip6 } return")
                .contains("ether type ip6 ip6 saddr { ::, fe80::/10 } return")
                .contains("ether type { arp, ip, ip6 } counter name \"drop_bbbbbbbb_1111_2222_3333_444444444444_egress_address\" drop").endsWith("\t\tcounter name \"drop_bbbbbbbb_1111_2222_3333_444444444444_egress_ethertype\" drop");
    }

    @Test
    void aPortCarriesOtherEthertypesOnlyWhenAllowedInEitherDirection() {
        String nft = render(List.of(UNADDRESSED, MPLS_ROUTER), FilterSettings.DEFAULTS);

        assertThat(chain(nft, "from_1")).doesNotContain("0x8847");
        assertThat(chain(nft, "to_1")).contains("ether type != { arp, ip, ip6 } counter name \"drop_bbbbbbbb_1111_2222_3333_444444444444_ingress_ethertype\" drop");
        assertThat(chain(nft, "from_2")).contains("ether type { 0x8847, 0x894f } return")
                .endsWith("\t\tcounter name \"drop_dddddddd_1111_2222_3333_444444444444_egress_ethertype\" drop");
        assertThat(chain(nft, "to_2")).contains("ether type != { arp, ip, ip6, 0x8847, 0x894f } counter name \"drop_dddddddd_1111_2222_3333_444444444444_ingress_ethertype\" drop");
    }

    @Test
    void aPortWithoutPortSecurityIsHeldToItsLimitOfSourceMacsThatAgeOut() {
        NftRuleset.Script script = NftRuleset.render(List.of(OPEN), new FilterSettings(FilterSettings.Unaddressed.MAC, 8,
                Duration.ofSeconds(120)), Optional.empty());

        // Made afresh when what the host holds is unknown.
        assertThat(script.text()).contains("table bridge portside_learning\ndelete table bridge portside_learning\n"
                        + "table bridge portside_learning\n")
                .contains("add chain bridge portside_learning prerouting { type filter hook prerouting priority -199;")
                .contains("add set bridge portside_learning learned_tapcccccccc_11 { type ether_addr; size 8;"
                        + " flags dynamic,timeout; timeout 120s; }")
                .contains("iifname \"tapcccccccc-11\" update @learned_tapcccccccc_11 { ether saddr } accept\n")
                .contains("iifname \"tapcccccccc-11\" drop\n");
        assertThat(script.learning()).containsExactly("tapcccccccc-11");
        // Nothing else applies to it: no MAC check, no marks, no rules.
        assertThat(script.text()).doesNotContain("from_").doesNotContain("table inet portside {")
                .doesNotContain("table bridge portside {");
    }

    @Test
    void learnedMacsOutliveARenderAndAPortsSetGoesWithIt() {
        String next = NftRuleset.render(List.of(OPEN), FilterSettings.DEFAULTS,
                Optional.of(java.util.Set.of("tapcccccccc-11", "tapeeeeeeee-11"))).text();

        // The table and the remaining port's set are declared, not replaced: their elements stay.
        assertThat(next).doesNotContain("delete table bridge portside_learning")
                .contains("flush chain bridge portside_learning prerouting")
                .contains("add set bridge portside_learning learned_tapcccccccc_11")
                .contains("delete set bridge portside_learning learned_tapeeeeeeee_11")
                .doesNotContain("add set bridge portside_learning learned_tapeeeeeeee_11");
        // The last such port gone, the table goes.
        assertThat(NftRuleset.render(List.of(ADDRESSED), FilterSettings.DEFAULTS,
                Optional.of(java.util.Set.of("tapcccccccc-11"))).text())
                .contains("delete table bridge portside_learning").doesNotContain("add set");
    }

    @Test
    void withoutALimitOrAnythingToFilterPortsideLeavesNoTable() {
        FilterSettings noLimit = new FilterSettings(FilterSettings.Unaddressed.MAC, 0, Duration.ofSeconds(300));
        String none = """
                table bridge portside
                delete table bridge portside
                table inet portside
                delete table inet portside
                table bridge portside_learning
                delete table bridge portside_learning
                """;
        assertThat(render(List.of(OPEN), noLimit)).isEqualTo(none);
        assertThat(render(List.of(), FilterSettings.DEFAULTS)).isEqualTo(none);
        // Known to hold nothing: nothing to say about the learning table.
        assertThat(NftRuleset.render(List.of(), FilterSettings.DEFAULTS, Optional.of(java.util.Set.of())).text())
                .doesNotContain("portside_learning");
    }

    @Test
    void eachPortCountsWhatItsFilterDropsByDirectionAndReasonFromWhatTheHostCountedBefore() {
        String nft = NftRuleset.render(List.of(ADDRESSED), FilterSettings.DEFAULTS, Optional.empty(),
                java.util.Map.of("drop_aaaaaaaa_1111_2222_3333_444444444444_egress_mac", new HostFirewall.Count(7, 448))).text();

        assertThat(nft).contains("counter drop_aaaaaaaa_1111_2222_3333_444444444444_egress_mac { packets 7 bytes 448 }")
                .contains("counter drop_aaaaaaaa_1111_2222_3333_444444444444_ingress_ethertype { packets 0 bytes 0 }")
                .contains("counter drop_aaaaaaaa_1111_2222_3333_444444444444_egress_security_group { packets 0 bytes 0 }");
        assertThat(chain(nft, "ingress_1")).endsWith("\t\tcounter name \"drop_aaaaaaaa_1111_2222_3333_444444444444_ingress_security_group\" drop");
        assertThat(DropCounters.parse("drop_aaaaaaaa_1111_2222_3333_444444444444_egress_security_group")).contains(new DropCounters.Key(
                "aaaaaaaa-1111-2222-3333-444444444444", "egress", "security_group"));
        assertThat(DropCounters.parse("learned_tapaaaaaaaa_11")).isEmpty();
    }

    @Test
    void nftAcceptsTheRulesetUnderEitherSetting() throws Exception {
        for (FilterSettings settings : List.of(FilterSettings.DEFAULTS, IN_TREE)) {
            String nft = render(List.of(ADDRESSED, UNADDRESSED, MPLS_ROUTER, OPEN), settings);
            Process check = new ProcessBuilder("nft", "-c", "-f", "-").start();
            try (var in = check.getOutputStream()) {
                in.write(nft.getBytes(StandardCharsets.UTF_8));
            }
            String err = new String(check.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(check.waitFor()).as(err + "\n" + nft).isZero();
        }
    }
}
