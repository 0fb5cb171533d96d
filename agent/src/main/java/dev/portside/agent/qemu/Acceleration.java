package dev.portside.agent.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * How QEMU runs guests here: KVM when it demonstrably works, TCG (software emulation) otherwise.
 * The device node is not evidence: on some machines {@code /dev/kvm} opens and a KVM guest then hangs
 * once its kernel starts. So the probe boots a Linux kernel under KVM (this host's own, or the test
 * image's) with no root file system and expects it to print its banner and panic in seconds. A hung
 * probe costs a core for its 20 s, so the verdict is kept for the rest of the machine's boot
 * ({@code /run/portside/kvm-probe}, keyed by the boot id, QEMU and the kernel).
 */
public record Acceleration(String accel, String reason) {
    private static final long PROBE_SECONDS = 20;

    public boolean kvm() {
        return accel.equals("kvm");
    }

    /** {@code configured} is {@code auto}, {@code kvm} or {@code tcg}; {@code kernels} are tried in order. */
    public static Acceleration choose(String qemu, String configured, List<Path> kernels, Path scratch) {
        if (configured.equals("tcg")) {
            return new Acceleration("tcg", "qemu_accel: tcg in the configuration");
        }
        if (configured.equals("kvm")) {
            return new Acceleration("kvm", "qemu_accel: kvm in the configuration (not probed)");
        }
        if (!Files.isReadable(Path.of("/dev/kvm")) || !Files.isWritable(Path.of("/dev/kvm"))) {
            return new Acceleration("tcg", "no usable /dev/kvm");
        }
        Optional<Path> kernel = kernels.stream().filter(Files::isReadable).findFirst();
        if (kernel.isEmpty()) {
            return new Acceleration("tcg", "/dev/kvm exists but no kernel was found to prove that KVM runs a guest "
                    + "(looked at /boot and the test image cache); set qemu_accel: kvm to use it unproven");
        }
        return cached(qemu, kernel.get(), scratch);
    }

    private static Acceleration cached(String qemu, Path kernel, Path scratch) {
        Path cache = Path.of("/run/portside/kvm-probe");
        String key;
        try {
            key = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip() + " " + qemu + " " + kernel + " "
                    + Files.getLastModifiedTime(kernel).toMillis();
            if (Files.exists(cache)) {
                List<String> lines = Files.readAllLines(cache);
                if (lines.size() == 3 && lines.get(0).equals(key)) {
                    return new Acceleration(lines.get(1), lines.get(2) + " (probed earlier in this boot)");
                }
            }
        } catch (IOException e) {
            return probe(qemu, kernel, scratch);
        }
        Acceleration verdict = probe(qemu, kernel, scratch);
        try {
            Files.createDirectories(cache.getParent());
            Files.write(cache, List.of(key, verdict.accel(), verdict.reason()));
        } catch (IOException e) {
            // No /run to remember it in: the next start probes again.
        }
        return verdict;
    }

    private static Acceleration probe(String qemu, Path kernel, Path scratch) {
        Path console = scratch.resolve("kvm-probe.log");
        // Under timeout(1), so a probe outlives neither its deadline nor a Portside that exits meanwhile.
        List<String> command = new ArrayList<>(List.of("timeout", "--signal=KILL", String.valueOf(PROBE_SECONDS),
                qemu, "-accel", "kvm", "-machine", "pc", "-m", "128",
                "-nodefaults", "-display", "none", "-no-user-config", "-no-reboot", "-kernel", kernel.toString(),
                "-append", "console=ttyS0 panic=-1", "-serial", "file:" + console));
        try {
            Files.deleteIfExists(console);
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            // timeout(1) ends QEMU at its deadline: killing timeout itself first would orphan a spinning QEMU.
            process.waitFor(PROBE_SECONDS + 10, TimeUnit.SECONDS);
            if (process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
            }
            boolean exited = process.exitValue() == 0;
            String printed = Files.exists(console) ? Files.readString(console) : "";
            Files.deleteIfExists(console);
            if (exited && printed.contains("Linux version")) {
                return new Acceleration("kvm", "a kernel booted under KVM (" + kernel.getFileName() + ")");
            }
            String last = printed.lines().map(String::strip).filter(l -> !l.isEmpty()).reduce((a, b) -> b)
                    .orElse("nothing");
            return new Acceleration("tcg", "/dev/kvm exists but a kernel did not boot under KVM within "
                    + PROBE_SECONDS + " s (its console's last line: \"" + last + "\"); guests run under TCG, "
                    + "software emulation, several times slower");
        } catch (IOException e) {
            return new Acceleration("tcg", "cannot run " + qemu + " to probe KVM: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Acceleration("tcg", "interrupted while probing KVM");
        }
    }
}
