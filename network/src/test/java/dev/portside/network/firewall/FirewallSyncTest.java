package dev.portside.network.firewall;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.json.Json;
import dev.portside.common.testing.TestDatabase;
import dev.portside.network.LocalNetworking;
import dev.portside.network.Networking;
import dev.portside.network.trunk.TrunkWiring;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The host firewall hears every committed change through the post-commit seam and applies the
 * ruleset again only when the change can alter a port's filter.
 */
class FirewallSyncTest {
    final List<String> applied = new ArrayList<>();
    LocalNetworking local;
    Networking networking;

    @BeforeEach
    void start() {
        local = new LocalNetworking(TestDatabase.configured().getFirst(), applied::add, TrunkWiring.NONE);
        networking = local.networking;
        // As at start-up: the host gets what the database says, here nothing to filter.
        networking.resyncFirewall();
        assertThat(applied).hasSize(1);
        applied.clear();
    }

    @AfterEach
    void stop() {
        local.close();
    }

    @Test
    void portsBoundNowhereCostNoApplyUntilAPortIsFiltered() {
        String first = port(Json.object());
        port(LocalNetworking.unaddressed());
        assertThat(applied).as("no port is filtered yet").isEmpty();

        bind(first, "compute-1");
        assertThat(applied).hasSize(1);
        assertThat(applied.getLast()).contains("tap" + first.substring(0, 11));

        // An addressed port of the default group is a remote-group member of the bound port's rules.
        port(Json.object());
        assertThat(applied).hasSize(2);

        // One with no address contributes nothing, bound nowhere.
        port(LocalNetworking.unaddressed());
        assertThat(applied).hasSize(2);
    }

    @Test
    void aBoundPortDeletedIsAppliedAtOnceAndTheLastOneLeavesAnEmptyRuleset() {
        String port = port(Json.object());
        bind(port, "compute-1");

        networking.ports().delete(LocalNetworking.ADMIN, port, Optional.empty());

        assertThat(applied).hasSize(2);
        assertThat(applied.getLast()).doesNotContain("tap" + port.substring(0, 11));
        port(Json.object());
        assertThat(applied).as("nothing filtered again").hasSize(2);
    }

    private String port(ObjectNode attributes) {
        return local.port(attributes);
    }

    private void bind(String port, String host) {
        local.bind(port, host);
    }
}
