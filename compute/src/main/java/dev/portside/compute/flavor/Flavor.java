package dev.portside.compute.flavor;

import java.util.Optional;

/** A flavor: the resources a server gets (RAM in MiB, disks in GiB, swap in MiB). */
public record Flavor(String id, String name, int vcpus, int ram, int disk, int ephemeral, int swap, double rxtxFactor,
                     boolean isPublic, Optional<String> description) {
}
