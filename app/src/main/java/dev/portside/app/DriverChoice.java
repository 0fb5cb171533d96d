package dev.portside.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Which instances this Portside runs: namespaces, QEMU virtual machines, both, or none (the fake
 * driver). {@code compute_driver: auto} runs every real kind this host has the privileges and tools
 * for, and says in one line why when that is none; a kind asked for by name must be possible.
 */
record DriverChoice(boolean namespaces, boolean qemu, String why) {
    static final List<String> NAMESPACE_TOOLS = List.of("/usr/sbin/ip", "/usr/sbin/nft", "/usr/bin/setsid",
            "/usr/bin/unshare", "/usr/bin/jq", "/usr/sbin/sshd", "/usr/bin/ssh-keygen");
    static final List<String> QEMU_TOOLS = List.of("/usr/sbin/ip", "/usr/sbin/nft", "/usr/bin/qemu-system-x86_64",
            "/usr/bin/qemu-img", "/usr/bin/genisoimage");
    private static final String NAMESPACE_PACKAGES = "iproute2 nftables util-linux jq openssh-server";
    private static final String QEMU_PACKAGES = "qemu-system-x86 qemu-utils genisoimage iproute2 nftables";

    /** A controller's: no instances in this process, they run on compute hosts of their own. */
    static final DriverChoice REMOTE = new DriverChoice(false, false, "a controller of compute hosts");

    boolean fake() {
        return !namespaces && !qemu;
    }

    static DriverChoice of(String configured) {
        boolean root = root();
        List<String> nsMissing = missing(NAMESPACE_TOOLS);
        List<String> qemuMissing = missing(QEMU_TOOLS);
        switch (configured) {
            case "fake":
                return new DriverChoice(false, false, "compute_driver: fake");
            case "auto": {
                if (!root) {
                    return new DriverChoice(false, false, "not running as root, so no real instances "
                            + "(namespaces, taps, bridges and nftables need root)");
                }
                List<String> notes = new ArrayList<>();
                if (!nsMissing.isEmpty()) {
                    notes.add("no namespace instances: missing " + nsMissing + " (apt-get install " + NAMESPACE_PACKAGES + ")");
                }
                if (!qemuMissing.isEmpty()) {
                    notes.add("no virtual machines: missing " + qemuMissing + " (apt-get install " + QEMU_PACKAGES + ")");
                }
                return new DriverChoice(nsMissing.isEmpty(), qemuMissing.isEmpty(), String.join("; ", notes));
            }
            default: {
                boolean ns = configured.contains("namespace");
                boolean vm = configured.contains("qemu");
                if (!root) {
                    throw new StartupException("run as root: compute_driver " + configured
                            + " makes namespaces or VMs, taps, bridges and nftables rules");
                }
                if (ns && !nsMissing.isEmpty()) {
                    throw new StartupException("the namespace compute driver needs " + nsMissing + ": apt-get install "
                            + NAMESPACE_PACKAGES);
                }
                if (vm && !qemuMissing.isEmpty()) {
                    throw new StartupException("the qemu compute driver needs " + qemuMissing + ": apt-get install "
                            + QEMU_PACKAGES);
                }
                return new DriverChoice(ns, vm, "compute_driver: " + configured);
            }
        }
    }

    private static List<String> missing(List<String> tools) {
        return tools.stream().filter(tool -> !Files.isExecutable(Path.of(tool))
                && !Files.isExecutable(Path.of(tool.replace("/usr/", "/")))).toList();
    }

    private static boolean root() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException e) {
            return false;
        }
    }
}
