package dev.portside.compute.server;

import dev.portside.common.http.ApiException;
import dev.portside.compute.NovaErrors;
import dev.portside.compute.network.NetworkPort;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The spec's rule, case by case: which ports a server may be given, and which bindings can serve them. */
class PortRulesTest {
    private static final ApiException MISSING = NovaErrors.badRequest("Port id p could not be found.");
    private static final NetworkPort.FixedIp IP = new NetworkPort.FixedIp("s", "10.0.0.5");

    private static NetworkPort port(String ipAllocation, List<NetworkPort.FixedIp> ips, String deviceId) {
        return new NetworkPort("p", "n", "proj", "fa:16:3e:00:00:01", "DOWN", deviceId, "", ipAllocation, ips, true,
                List.of(), "", "unbound", Map.of(), List.of());
    }

    private static NetworkPort bound(String ipAllocation, List<NetworkPort.FixedIp> ips, String vifType, String connectivity) {
        return new NetworkPort("p", "n", "proj", "fa:16:3e:00:00:01", "DOWN", "server", "compute:nova", ipAllocation,
                ips, true, List.of(), "host", vifType, connectivity == null ? Map.of() : Map.of("connectivity", connectivity), List.of());
    }

    @Test
    void aPortWithAddressesOrMarkedNoneOrDeferredIsAccepted() {
        assertThat(PortRules.requestable("p", Optional.of(port("immediate", List.of(IP), "")), MISSING)).isNotNull();
        assertThat(PortRules.requestable("p", Optional.of(port("none", List.of(), "")), MISSING)).isNotNull();
        assertThat(PortRules.requestable("p", Optional.of(port("deferred", List.of(), "")), MISSING)).isNotNull();
    }

    @Test
    void anImmediatePortWithoutAddressesIsPortRequiresFixedIp() {
        assertThatThrownBy(() -> PortRules.requestable("p", Optional.of(port("immediate", List.of(), "")), MISSING))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).isEqualTo("Port p requires a FixedIP in order to be used.");
                });
    }

    @Test
    void aPortInUseIsAConflictAndAMissingOneIsWhatTheApiSays() {
        assertThatThrownBy(() -> PortRules.requestable("p", Optional.of(port("none", List.of(), "router-1")), MISSING))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(409));
        assertThatThrownBy(() -> PortRules.requestable("p", Optional.empty(), MISSING)).isSameAs(MISSING);
    }

    @Test
    void anUnaddressedPortNeedsAnL2Binding() {
        assertThat(PortRules.bindingProblem(bound("none", List.of(), "bridge", "l2"), "h")).isEmpty();
        assertThat(PortRules.bindingProblem(bound("none", List.of(), "routed", "l3"), "h"))
                .hasValueSatisfying(why -> assertThat(why).contains("p").contains("h").contains("l3"));
        assertThat(PortRules.bindingProblem(bound("none", List.of(), "binding_failed", null), "h"))
                .hasValueSatisfying(why -> assertThat(why).contains("connectivity l2"));
        // Deferred ports get addresses later, from their segment: an l3 binding serves them.
        assertThat(PortRules.bindingProblem(bound("deferred", List.of(), "routed", "l3"), "h")).isEmpty();
        assertThat(PortRules.bindingProblem(bound("immediate", List.of(IP), "routed", "l3"), "h")).isEmpty();
        assertThat(PortRules.bindingProblem(bound("immediate", List.of(IP), "binding_failed", null), "h")).isPresent();
    }
}
