package dev.portside.agent;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The config drive in OpenStack's format: an addressed port is a link and a network, an unaddressed
 * one a link only; tagged NICs are listed as devices.
 */
class NetworkDataTest {
    private static final Guest GUEST = new Guest("server-1", "instance-00000001", "vm1", List.of(
            new Guest.Nic("11111111-2222-3333-4444-555555555555", "net-mgmt", "fa:16:3e:00:00:01", 1500,
                    List.of(new Guest.Address("10.0.0.5", 24, 4, Optional.of("10.0.0.1"), List.of("10.0.0.2"))),
                    List.of("10.0.0.1/24"), Optional.empty(), Optional.empty(), List.of()),
            new Guest.Nic("66666666-7777-8888-9999-000000000000", "net-traffic", "fa:16:3e:00:00:02", 1450, List.of(),
                    List.of(), Optional.of("uplink"), Optional.empty(), List.of())),
            List.of("ssh-ed25519 AAAA test"), Optional.empty());

    @Test
    void everyPortIsALinkAndOnlyAddressesMakeNetworks() {
        JsonNode data = NetworkData.networkData(GUEST);

        assertThat(data.get("links")).hasSize(2);
        assertThat(data.at("/links/1/ethernet_mac_address").asText()).isEqualTo("fa:16:3e:00:00:02");
        assertThat(data.at("/links/1/mtu").asInt()).isEqualTo(1450);
        assertThat(data.at("/links/1/vif_id").asText()).isEqualTo("66666666-7777-8888-9999-000000000000");
        assertThat(data.get("networks")).hasSize(1);
        JsonNode mgmt = data.at("/networks/0");
        assertThat(mgmt.get("link").asText()).isEqualTo(data.at("/links/0/id").asText());
        assertThat(mgmt.get("type").asText()).isEqualTo("ipv4");
        assertThat(mgmt.get("ip_address").asText()).isEqualTo("10.0.0.5");
        assertThat(mgmt.get("netmask").asText()).isEqualTo("255.255.255.0");
        assertThat(mgmt.at("/routes/0/gateway").asText()).isEqualTo("10.0.0.1");
        assertThat(data.at("/services/0/address").asText()).isEqualTo("10.0.0.2");
    }

    @Test
    void aTrunksSubPortsAreVlanLinksOnTheirParentsLinkWithTheirOwnMacAndAddresses() {
        Guest.Nic addressed = new Guest.Nic("aaaaaaaa-0000-0000-0000-000000000000", "vlan-a", "fa:16:3e:00:01:00", 1500,
                List.of(new Guest.Address("10.1.0.5", 24, 4, Optional.empty(), List.of())), List.of(), Optional.empty(),
                Optional.empty(), List.of());
        Guest.Nic unaddressed = new Guest.Nic("bbbbbbbb-0000-0000-0000-000000000000", "vlan-b", "fa:16:3e:00:02:00", 1400,
                List.of(), List.of(), Optional.empty(), Optional.empty(), List.of());
        Guest.Nic parent = new Guest.Nic("cccccccc-0000-0000-0000-000000000000", "net-parent", "fa:16:3e:00:00:03", 1500,
                List.of(), List.of(), Optional.empty(), Optional.empty(),
                List.of(new Guest.Vlan(100, addressed), new Guest.Vlan(200, unaddressed)));
        JsonNode data = NetworkData.networkData(new Guest("server-2", "instance-00000002", "vm2", List.of(parent),
                List.of(), Optional.empty()));

        assertThat(data.get("links")).hasSize(3);
        JsonNode vlan100 = data.at("/links/1");
        assertThat(vlan100.get("type").asText()).isEqualTo("vlan");
        assertThat(vlan100.get("vlan_link").asText()).isEqualTo(data.at("/links/0/id").asText());
        assertThat(vlan100.get("vlan_id").asInt()).isEqualTo(100);
        assertThat(vlan100.get("vlan_mac_address").asText()).isEqualTo("fa:16:3e:00:01:00");
        assertThat(vlan100.get("vif_id").asText()).isEqualTo("aaaaaaaa-0000-0000-0000-000000000000");
        assertThat(data.at("/links/2/vlan_id").asInt()).isEqualTo(200);
        assertThat(data.at("/links/2/mtu").asInt()).isEqualTo(1400);
        assertThat(data.get("networks")).as("only the addressed sub-port has a network").hasSize(1);
        assertThat(data.at("/networks/0/link").asText()).isEqualTo(vlan100.get("id").asText());
        assertThat(data.at("/networks/0/ip_address").asText()).isEqualTo("10.1.0.5");
    }

    @Test
    void metaDataCarriesTheHostnameAndPublicKeys() {
        JsonNode meta = NetworkData.metaData(GUEST);
        assertThat(meta.get("hostname").asText()).isEqualTo("vm1");
        assertThat(meta.at("/public_keys/key-0").asText()).isEqualTo("ssh-ed25519 AAAA test");
        assertThat(meta.get("uuid").asText()).isEqualTo("server-1");
    }

    @Test
    void metaDataListsTheTaggedNicsByMacSoTheGuestCanTellThemApart() {
        JsonNode devices = NetworkData.metaData(GUEST).get("devices");
        assertThat(devices).hasSize(1);
        assertThat(devices.at("/0/type").asText()).isEqualTo("nic");
        assertThat(devices.at("/0/mac").asText()).isEqualTo("fa:16:3e:00:00:02");
        assertThat(devices.at("/0/tags/0").asText()).isEqualTo("uplink");
    }

    @Test
    void netmasksFollowThePrefix() {
        assertThat(NetworkData.netmask(24)).isEqualTo("255.255.255.0");
        assertThat(NetworkData.netmask(30)).isEqualTo("255.255.255.252");
        assertThat(NetworkData.netmask(0)).isEqualTo("0.0.0.0");
        assertThat(NetworkData.netmask(32)).isEqualTo("255.255.255.255");
    }
}
