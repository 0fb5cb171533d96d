package dev.portside.app;

import dev.portside.network.firewall.FilterSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The port filtering settings of the config file: defaults, values, and refusals that name the key. */
class SettingsTest {
    @TempDir
    Path dir;

    private Settings read(String yaml) throws IOException {
        Path file = dir.resolve("portside.yaml");
        Files.writeString(file, yaml);
        return Settings.resolve(Settings.File.read(file), Settings.Flags.none());
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
