package dev.portside.network.binding;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PortBinderTest {
    final LinuxBridgeDriver l2 = new LinuxBridgeDriver();
    final RoutedDriver l3 = new RoutedDriver();
    final PortBinder binder = new PortBinder(Map.of("r", List.of(l3), "rl", List.of(l3, l2)), List.of(l2));

    static BindingRequest request(String host, boolean addressed) {
        return new BindingRequest("port", "net", host, addressed, !addressed, "normal");
    }

    @Test
    void anEmptyHostIsUnbound() {
        assertThat(binder.bind(request("", true))).isEqualTo(Binding.UNBOUND);
    }

    @Test
    void theFirstDriverOfTheHostThatBindsWins() {
        assertThat(binder.bind(request("rl", true)).vifDetails()).containsEntry("connectivity", "l3");
        assertThat(binder.bind(request("anywhere", true)).vifDetails()).containsEntry("connectivity", "l2");
    }

    @Test
    void onlyL2DriversMayBindAnUnaddressedPort() {
        assertThat(PortBinder.unaddressedPortsMayUse(l2)).isTrue();
        assertThat(PortBinder.unaddressedPortsMayUse(l3)).isFalse();
        assertThat(binder.bind(request("r", false))).isEqualTo(Binding.FAILED);
        assertThat(binder.bind(request("rl", false)).vifType()).isEqualTo("bridge");
    }

    @Test
    void anAddressedPortLeftWithoutAddressesIsNotUnaddressedButNoL3BackendCanRouteIt() {
        BindingRequest noAddressesYet = new BindingRequest("port", "net", "r", false, false, "normal");

        assertThat(l3.bind(noAddressesYet)).isEmpty();
        assertThat(l2.bind(noAddressesYet)).isPresent();
    }
}
