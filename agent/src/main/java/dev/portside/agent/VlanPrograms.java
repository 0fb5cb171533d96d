package dev.portside.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * 802.1Q tagging on a device's ingress, done by tc programs (eBPF on the clsact qdisc), compiled
 * with clang for each use from {@code vlan.bpf.c}. Portside's hosts were seen without VLAN
 * interfaces (CONFIG_VLAN_8021Q) and without VLAN-filtering bridges, the two ways Neutron's agents
 * tag; tc and BPF are in every kernel they run on. A program's VLANs and target devices are
 * compiled in (ifindexes), so a change compiles a new one and {@code tc filter replace} swaps it in
 * one step: no frame meets a half-updated table.
 */
public final class VlanPrograms {
    private static final String SOURCE_RESOURCE = "vlan.bpf.c";
    private static final String PRIORITY = "1";
    private static final String MISSING_TOOLS = "VLAN tagging on this host needs clang and libbpf-dev"
            + " (apt-get install clang libbpf-dev)";

    /** What an untagging program does with a frame of a VLAN it does not know. */
    public enum OtherVlans {
        /** Dropped: a trunk's parent carries only its sub-ports' VLANs. */
        DROP("TC_ACT_SHOT"),
        /** Left to the device's normal path, as a kernel without that VLAN interface treats it. */
        PASS("TC_ACT_UNSPEC");

        private final String action;

        OtherVlans(String action) {
            this.action = action;
        }
    }

    private final HostCommands host;
    private final Path source;
    private final Path scratch;

    public VlanPrograms(HostCommands host, Path scratch) {
        this.host = host;
        this.scratch = scratch;
        try {
            // Only root compiles and loads programs from here.
            Files.createDirectories(scratch, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            this.source = scratch.resolve(SOURCE_RESOURCE);
            try (InputStream in = VlanPrograms.class.getResourceAsStream(SOURCE_RESOURCE)) {
                Files.copy(in, source, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + scratch, e);
        }
    }

    /**
     * On {@code device}'s ingress (in {@code namespace}, or the host's): a frame tagged with one of
     * {@code vlanDevices}' VLANs loses its tag and leaves through that VLAN's device; untagged frames
     * go on as before.
     */
    public void untag(Optional<String> namespace, String device, SortedMap<Integer, String> vlanDevices,
                      OtherVlans others) {
        StringBuilder cases = new StringBuilder();
        vlanDevices.forEach((vlan, target) -> cases.append("case ").append(vlan).append(": target = ")
                .append(ifindex(namespace, target)).append("; break; "));
        attach(namespace, device, List.of("-DUNTAG_CASES=" + cases, "-DOTHER_VLANS=" + others.action));
    }

    /** On {@code device}'s ingress: every frame gets {@code vlan}'s tag and leaves through {@code trunk}. */
    public void tag(Optional<String> namespace, String device, int vlan, String trunk) {
        attach(namespace, device, List.of("-DVLAN_ID=" + vlan, "-DTARGET=" + ifindex(namespace, trunk)));
    }

    private void attach(Optional<String> namespace, String device, List<String> defines) {
        Path object = compile(defines);
        try {
            host.run(tc(namespace, "qdisc", "replace", "dev", device, "clsact"));
            host.run(tc(namespace, "filter", "replace", "dev", device, "ingress", "protocol", "all", "pref", PRIORITY,
                    "handle", "1", "bpf", "direct-action", "obj", object.toString(), "sec", "tc"));
        } finally {
            delete(object);
        }
    }

    private Path compile(List<String> defines) {
        Path object;
        try {
            object = Files.createTempFile(scratch, "vlan", ".o");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of("clang", "-O2", "-g0", "-target", "bpf",
                "-I/usr/include/" + multiarch()));
        command.addAll(defines);
        command.addAll(List.of("-c", source.toString(), "-o", object.toString()));
        HostCommands.Result made;
        try {
            made = host.attempt(command);
        } catch (AgentException e) {
            delete(object);
            throw new AgentException(MISSING_TOOLS + " (" + e.getMessage() + ")", e);
        }
        if (made.exit() != 0) {
            delete(object);
            throw new AgentException(made.err().contains("bpf_helpers.h") ? MISSING_TOOLS
                    : "cannot compile a VLAN program: " + made.err().strip());
        }
        return object;
    }

    // Debian keeps asm/ headers, which linux/ headers include, under the architecture's triplet.
    private static String multiarch() {
        return switch (System.getProperty("os.arch")) {
            case "aarch64" -> "aarch64-linux-gnu";
            default -> "x86_64-linux-gnu";
        };
    }

    private int ifindex(Optional<String> namespace, String device) {
        // "12: tap1234@if11: <BROADCAST,...": the index comes first.
        String line = host.run(ip(namespace, "-o", "link", "show", "dev", device));
        return Integer.parseInt(line.substring(0, line.indexOf(':')).strip());
    }

    private static List<String> tc(Optional<String> namespace, String... args) {
        return withNamespace("tc", namespace, args);
    }

    static List<String> ip(Optional<String> namespace, String... args) {
        return withNamespace("ip", namespace, args);
    }

    private static List<String> withNamespace(String tool, Optional<String> namespace, String... args) {
        List<String> command = new ArrayList<>();
        command.add(tool);
        namespace.ifPresent(ns -> command.addAll(List.of("-n", ns)));
        command.addAll(List.of(args));
        return command;
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
