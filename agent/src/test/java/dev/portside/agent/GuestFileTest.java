package dev.portside.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The host's record of an instance reads back as it was written, a trunk's VLANs and a provider uplink included. */
class GuestFileTest {
    @TempDir
    Path dir;

    @Test
    void anInstanceReadsBackAsItWasWritten() {
        Guest.Nic subPort = new Guest.Nic("bbbbbbbb-0000-0000-0000-000000000000", "vlan-b", "fa:16:3e:00:02:00", 1400,
                List.of(new Guest.Address("10.2.0.7", 24, 4, Optional.of("10.2.0.1"), List.of("10.2.0.2"))),
                List.of("10.2.0.1/24"), Optional.empty(), Optional.empty(), List.of());
        Guest.Nic parent = new Guest.Nic("cccccccc-0000-0000-0000-000000000000", "net-parent", "fa:16:3e:00:00:03", 1500,
                List.of(), List.of(), Optional.of("trunk"), Optional.of(new Guest.Uplink(Guest.Uplink.VLAN, Optional.of("physnet1"), Optional.of(200))),
                List.of(new Guest.Vlan(200, subPort)));
        Guest guest = new Guest("server-3", "instance-00000003", "vm3", List.of(parent), List.of("ssh-ed25519 AAAA k"),
                Optional.of("#!/bin/sh\necho hi\n"));
        Path file = dir.resolve("guest.json");

        GuestFile.write(file, guest);

        assertThat(GuestFile.read(file)).contains(guest);
        assertThat(GuestFile.read(dir.resolve("missing.json"))).isEmpty();
    }
}
