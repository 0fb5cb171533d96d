package dev.portside.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the kernel counted on a port's host-side device ({@code tap} + port id: a VM's tap, a
 * namespace instance's veth end, a sub-port's tagging pair). The host end sees the instance's
 * traffic mirrored: what it receives the instance sent, what it transmits reaches the instance.
 */
public final class DeviceCounters {
    private final Path sysClassNet;

    public DeviceCounters() {
        this(Path.of("/sys/class/net"));
    }

    /** Reads the statistics under {@code sysClassNet} (the tests' own tree). */
    DeviceCounters(Path sysClassNet) {
        this.sysClassNet = sysClassNet;
    }

    /** Packets and bytes the port's instance sent and received; none when its device is not on this host. */
    public Optional<Counts> of(String portId) {
        Path statistics = sysClassNet.resolve(Names.tap(portId)).resolve("statistics");
        try {
            return Optional.of(new Counts(read(statistics, "tx_packets"), read(statistics, "tx_bytes"),
                    read(statistics, "rx_packets"), read(statistics, "rx_bytes")));
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        } catch (IOException e) {
            throw new AgentException("cannot read the counters of " + statistics + ": " + e.getMessage(), e);
        }
    }

    private static long read(Path statistics, String counter) throws IOException {
        return Long.parseLong(Files.readString(statistics.resolve(counter)).strip());
    }

    /** From the instance's side: what reached it ({@code in}) and what it sent ({@code out}). */
    public record Counts(long inPackets, long inBytes, long outPackets, long outBytes) {
    }
}
