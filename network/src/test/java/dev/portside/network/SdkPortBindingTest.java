package dev.portside.network;

import dev.portside.common.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openstack4j.api.Builders;
import org.openstack4j.api.OSClient;
import org.openstack4j.model.common.Identifier;
import org.openstack4j.model.network.IPVersionType;
import org.openstack4j.model.network.Network;
import org.openstack4j.model.network.Port;
import org.openstack4j.openstack.OSFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Binding seen through openstack4j, a Java OpenStack SDK: it authenticates with Keystone v3, finds
 * the network service in the catalog, and reads binding:vif_type and binding:vif_details.
 * Hosts: "compute-1" binds with linuxbridge (l2), "routed-host" with routed (l3).
 */
class SdkPortBindingTest {
    NetworkServer neutron;
    OSClient.OSClientV3 os;

    @BeforeEach
    void start() {
        neutron = new NetworkServer(TestDatabase.configured().getFirst());
        os = OSFactory.builderV3().endpoint(neutron.identityUrl + "/v3")
                .credentials(neutron.adminCredentials.userName(), neutron.adminCredentials.password(), Identifier.byId("default"))
                .scopeToProject(Identifier.byName("admin"), Identifier.byId("default"))
                .authenticate();
    }

    @AfterEach
    void stop() {
        neutron.close();
    }

    @Test
    void anIpLessPortBindsL2OnALinuxbridgeHostAndFailsOnARoutedOneWhileAnAddressedPortBindsL3() {
        Network bare = os.networking().network().create(Builders.network().name("bare").build());
        Port ipLess = os.networking().port().create(Builders.port().networkId(bare.getId()).name("ip-less").build());
        assertThat(ipLess.getFixedIps()).isEmpty();

        Port onBridge = os.networking().port().update(ipLess.toBuilder().hostId("compute-1").build());
        assertThat(onBridge.getVifType()).isEqualTo("bridge");
        assertThat(onBridge.getVifDetails()).containsEntry("connectivity", "l2");

        Port onRouted = os.networking().port().update(onBridge.toBuilder().hostId("routed-host").build());
        assertThat(onRouted.getVifType()).isEqualTo("binding_failed");

        Network net = os.networking().network().create(Builders.network().name("net").build());
        os.networking().subnet().create(Builders.subnet().networkId(net.getId()).cidr("10.0.0.0/24")
                .ipVersion(IPVersionType.V4).build());
        Port addressed = os.networking().port().create(Builders.port().networkId(net.getId()).build());
        assertThat(addressed.getFixedIps()).hasSize(1);

        Port routed = os.networking().port().update(addressed.toBuilder().hostId("routed-host").build());
        assertThat(routed.getVifType()).isEqualTo("tap");
        assertThat(routed.getVifDetails()).containsEntry("connectivity", "l3");
    }
}
