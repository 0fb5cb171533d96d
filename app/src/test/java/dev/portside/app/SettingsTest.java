package dev.portside.app;

import dev.portside.network.firewall.FilterSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.portside.network.net.PhysicalNetworks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The config file's port filtering and multi-host settings: defaults, values, and refusals that name
 * the key.
 */
class SettingsTest {
    @TempDir
    Path dir;

    private Settings read(String yaml) throws IOException {
        Path file = dir.resolve("portside.yaml");
        Files.writeString(file, yaml);
        return Settings.resolve(Settings.File.read(file), Settings.Flags.none());
    }

    private Settings readController(String yaml) throws IOException {
        Path file = dir.resolve("controller.yaml");
        Files.writeString(file, yaml);
        Settings.Flags none = Settings.Flags.none();
        return Settings.resolve(Settings.File.read(file), new Settings.Flags(none.dataDir(), none.bind(),
                none.databaseUrl(), none.identityPort(), none.networkPort(), none.imagePort(), none.computePort(),
                none.operatorPort(), true));
    }

    @Test
    void aControllerNeedsItsBrokerAndGivesTenantNetworksVxlanIdsFromItsRange() throws IOException {
        Settings controller = readController("transport_url: rabbit://portside:secret@10.0.0.1:5672/\n"
                + "vni_ranges: \"100:199\"\nservice_down_time: 20\n");
        assertThat(controller.transportUrl()).contains("rabbit://portside:secret@10.0.0.1:5672/");
        assertThat(controller.physicalNetworks().vniRange()).contains(new PhysicalNetworks.VniRange(100, 199));
        assertThat(controller.serviceDownTime()).isEqualTo(Duration.ofSeconds(20));
        assertThat(readController("transport_url: rabbit://h/\n").physicalNetworks().vniRange())
                .as("ML2's default range").contains(new PhysicalNetworks.VniRange(1, 1000));
        assertThat(controller.rpcResponseTimeout()).as("oslo's default").isEqualTo(Duration.ofSeconds(60));

        assertThatThrownBy(() -> readController("region: RegionOne\n")).isInstanceOf(StartupException.class)
                .hasMessageContaining("transport_url");
        assertThatThrownBy(() -> read("transport_url: rabbit://h/\n")).isInstanceOf(StartupException.class)
                .hasMessageContaining("portside controller");
        assertThatThrownBy(() -> read("vni_ranges: \"1:10\"\n")).isInstanceOf(StartupException.class)
                .hasMessageContaining("vni_ranges");
        assertThatThrownBy(() -> readController("transport_url: rabbit://h/\nvni_ranges: \"0:10\"\n"))
                .isInstanceOf(StartupException.class).hasMessageContaining("VXLAN id range");
        assertThatThrownBy(() -> readController("transport_url: rabbit://h/\nservice_down_time: 0\n"))
                .isInstanceOf(StartupException.class).hasMessageContaining("service_down_time");
    }

    @Test
    void portsideFiltersUnaddressedPortsByMacAndLimitsLearnedMacsByDefault() throws IOException {
        FilterSettings filtering = read("region: RegionOne\n").filtering();

        assertThat(filtering.unaddressed()).isEqualTo(FilterSettings.Unaddressed.MAC);
        assertThat(filtering.macLearningLimit()).isEqualTo(256);
        assertThat(filtering.macAgeing()).isEqualTo(Duration.ofSeconds(300));
    }

    @Test
    void theOperatorCanAskForTheInTreeBehaviourAndOtherLearningKnobs() throws IOException {
        FilterSettings filtering = read("""
                unaddressed_port_security: in-tree
                mac_learning_limit: 0
                mac_ageing_time: 30
                """).filtering();

        assertThat(filtering.unaddressed()).isEqualTo(FilterSettings.Unaddressed.IN_TREE);
        assertThat(filtering.macLearningLimit()).isZero();
        assertThat(filtering.macAgeing()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void badValuesStopTheStartWithAMessageNamingTheKey() {
        assertThatThrownBy(() -> read("unaddressed_port_security: off\n")).isInstanceOf(StartupException.class)
                .hasMessage("unknown unaddressed_port_security 'off' (mac, in-tree)");
        assertThatThrownBy(() -> read("mac_learning_limit: -1\n")).isInstanceOf(StartupException.class)
                .hasMessageContaining("mac_learning_limit");
        assertThatThrownBy(() -> read("mac_ageing_time: 0\n")).isInstanceOf(StartupException.class)
                .hasMessageContaining("mac_ageing_time");
    }
}
