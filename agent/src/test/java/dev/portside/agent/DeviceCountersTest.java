package dev.portside.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DeviceCountersTest {
    private static final String PORT = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

    @TempDir
    Path sys;

    @Test
    void theHostEndsReceiveIsWhatTheInstanceSentAndItsTransmitWhatReachedIt() throws IOException {
        Path statistics = Files.createDirectories(sys.resolve("tap0f1e2d3c-4b").resolve("statistics"));
        Files.writeString(statistics.resolve("rx_packets"), "12\n");
        Files.writeString(statistics.resolve("rx_bytes"), "1200\n");
        Files.writeString(statistics.resolve("tx_packets"), "7\n");
        Files.writeString(statistics.resolve("tx_bytes"), "700\n");

        assertThat(new DeviceCounters(sys).of(PORT)).contains(new DeviceCounters.Counts(7, 700, 12, 1200));
    }

    @Test
    void aPortWithoutADeviceOnThisHostHasNoCounts() {
        assertThat(new DeviceCounters(sys).of(PORT)).isEmpty();
    }
}
