package dev.portside.agent.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portside.agent.AgentException;
import dev.portside.agent.Bridges;
import dev.portside.agent.ConfigDrive;
import dev.portside.agent.Guest;
import dev.portside.agent.GuestFile;
import dev.portside.agent.HostCommands;
import dev.portside.agent.HostFiles;
import dev.portside.agent.Names;
import dev.portside.agent.Power;
import dev.portside.common.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Virtual machines on this host, one QEMU process each, driven over its QMP socket. Per machine, a
 * directory holds what the host made of it: the record of its ports ({@code guest.json}) and resources
 * ({@code machine.json}), its disk (a qcow2 overlay on a cached base), its config drive
 * ({@code disk.config}, ISO 9660, label config-2), its serial console ({@code console.log}), the
 * monitor socket and QEMU's pid. Each port is a persistent tap ({@code tap} + port id) on the network's
 * bridge, which Portside's port filtering already knows by that name; QEMU attaches to it, so the
 * wiring outlives a stopped VM. QEMU daemonizes: machines keep running while Portside is down.
 */
public final class Machines {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Machines.class);
    private static final String BASES = "_base";

    private final HostCommands host;
    private final Bridges bridges;
    private final Path directory;
    private final DiskImages disks;
    private final Settings settings;
    private final java.util.concurrent.CompletableFuture<Acceleration> acceleration;

    /**
     * {@code qemu} is the emulator binary, {@code shutdownTimeout} how long a guest has to power off on
     * ACPI's request before it is stopped hard (Nova's shutdown_timeout).
     */
    public record Settings(String qemu, Duration shutdownTimeout) {
    }

    /** What a machine is given: its flavor's resources and the image its disk is made from. */
    public record Resources(int vcpus, int memoryMb, int rootGb, String imageId) {
    }

    public Machines(HostCommands host, Path directory, Settings settings, Bridges bridges,
                    java.util.concurrent.CompletableFuture<Acceleration> acceleration) {
        this.host = host;
        this.bridges = bridges;
        this.directory = directory;
        this.disks = new DiskImages(host, directory.resolve(BASES));
        this.settings = settings;
        this.acceleration = acceleration;
    }

    /** What this host made of a machine, as recorded when it was made or last changed. */
    public Optional<Guest> guest(String serverId) {
        return GuestFile.read(dir(serverId).resolve("guest.json"));
    }

    /**
     * Makes the machine and boots it: the base and overlay from the image's data, the config drive, a
     * tap per port on its bridge, then QEMU. Throws (leaving what it made for {@link #destroy}) when
     * the image cannot boot here.
     */
    public void spawn(Guest guest, Resources resources, Path imageData, String diskFormat) {
        Path dir = dir(guest.serverId());
        kill(guest.serverId());
        HostFiles.deleteTree(dir);
        create(dir);
        GuestFile.write(dir.resolve("guest.json"), guest);
        writeResources(dir, resources);
        DiskImages.Base base = disks.base(resources.imageId(), imageData, diskFormat);
        disks.overlay(base, dir.resolve("disk"), resources.rootGb());
        ConfigDrive.writeIso(host, dir.resolve("disk.config"), guest);
        guest.nics().forEach(this::plugTap);
        start(guest.serverId());
    }

    /** Boots the machine from its disk with the ports recorded for it. */
    public void start(String serverId) {
        if (running(serverId)) {
            return;
        }
        Guest guest = known(serverId);
        Resources resources = readResources(dir(serverId));
        Acceleration accel = acceleration.join();
        Path dir = dir(serverId);
        List<String> command = new ArrayList<>(List.of(settings.qemu(),
                "-name", "guest=" + guest.instanceName() + ",process=qemu-" + guest.instanceName(),
                "-machine", "pc,accel=" + accel.accel(), "-cpu", accel.kvm() ? "host" : "qemu64",
                "-smp", String.valueOf(Math.max(1, resources.vcpus())), "-m", String.valueOf(resources.memoryMb()),
                "-nodefaults", "-no-user-config", "-display", "none",
                "-chardev", "file,id=console,path=" + dir.resolve("console.log") + ",append=on", "-serial", "chardev:console",
                "-qmp", "unix:" + dir.resolve("qmp.sock") + ",server=on,wait=off",
                "-drive", "file=" + dir.resolve("disk") + ",format=qcow2,if=virtio,index=0",
                "-drive", "file=" + dir.resolve("disk.config") + ",format=raw,if=virtio,index=1,readonly=on",
                "-daemonize", "-pidfile", dir.resolve("qemu.pid").toString()));
        for (Guest.Nic nic : guest.nics()) {
            command.addAll(List.of("-netdev", netdev(nic), "-device", device(nic)));
        }
        host.run(command);
    }

    /**
     * Stops the machine as Nova does: ACPI's power button, then, if the guest has not powered off
     * within the shutdown timeout, a hard stop. The disk, config drive and taps stay.
     */
    public void stop(String serverId, boolean graceful) {
        if (!running(serverId)) {
            return;
        }
        if (graceful) {
            try (Qmp qmp = Qmp.connect(dir(serverId).resolve("qmp.sock"))) {
                // A paused guest hears the power button only once its vCPUs run.
                qmp.execute("cont", Json.object());
                qmp.execute("system_powerdown", Json.object());
            } catch (AgentException e) {
                LOG.info("machine of server {}: no ACPI shutdown ({}), stopping it hard", serverId, e.getMessage());
            }
            Instant deadline = Instant.now().plus(settings.shutdownTimeout());
            while (running(serverId) && Instant.now().isBefore(deadline)) {
                sleep(200);
            }
            if (running(serverId)) {
                LOG.info("machine of server {} did not power off within {} s; stopping it hard", serverId,
                        settings.shutdownTimeout().toSeconds());
            }
        }
        kill(serverId);
    }

    /** Adds a NIC: a tap on the bridge and, when the machine runs, a virtio-net device hot-plugged into it. */
    public void hotPlug(String serverId, Guest.Nic nic) {
        Guest guest = known(serverId);
        plugTap(nic);
        if (running(serverId)) {
            try (Qmp qmp = Qmp.connect(dir(serverId).resolve("qmp.sock"))) {
                qmp.execute("netdev_add", Json.object().put("type", "tap").put("id", netdevId(nic))
                        .put("ifname", Names.tap(nic.portId())).put("script", "no").put("downscript", "no"));
                qmp.execute("device_add", Json.object().put("driver", "virtio-net-pci").put("id", deviceId(nic))
                        .put("netdev", netdevId(nic)).put("mac", nic.macAddress()));
            }
        }
        List<Guest.Nic> nics = new ArrayList<>(guest.nics());
        nics.add(nic);
        record(guest, nics);
    }

    /** Removes a NIC: unplugged from the running guest (which must agree, as with real PCI), then its tap. */
    public void unplug(String serverId, String portId) {
        Optional<Guest> guest = guest(serverId);
        Optional<Guest.Nic> nic = guest.flatMap(g -> g.nics().stream().filter(n -> n.portId().equals(portId)).findFirst());
        if (nic.isPresent() && running(serverId)) {
            try (Qmp qmp = Qmp.connect(dir(serverId).resolve("qmp.sock"))) {
                qmp.execute("device_del", Json.object().put("id", deviceId(nic.get())));
                if (!qmp.awaitEvent("DEVICE_DELETED", deviceId(nic.get()), Duration.ofSeconds(20))) {
                    LOG.warn("guest of server {} did not release the NIC of port {}; removing its tap", serverId, portId);
                }
                qmp.execute("netdev_del", Json.object().put("id", netdevId(nic.get())));
            } catch (AgentException e) {
                LOG.warn("unplugging port {} from server {}: {}", portId, serverId, e.getMessage());
            }
        }
        host.attempt(List.of("ip", "link", "del", Names.tap(portId)));
        nic.ifPresent(n -> bridges.removeIfUnused(n.networkId()));
        guest.ifPresent(g -> record(g, g.nics().stream().filter(n -> !n.portId().equals(portId)).toList()));
    }

    /** Removes the machine: QEMU, its taps, unused bridges and its directory (disk and config drive). */
    public void destroy(String serverId) {
        Optional<Guest> guest = guest(serverId);
        kill(serverId);
        guest.ifPresent(g -> {
            g.nics().forEach(nic -> host.attempt(List.of("ip", "link", "del", Names.tap(nic.portId()))));
            g.nics().forEach(nic -> bridges.removeIfUnused(nic.networkId()));
        });
        HostFiles.deleteTree(directory.resolve(serverId));
    }

    /**
     * After a Portside restart: the machine's taps are made again where missing, and it runs or not as
     * the database says. A machine that ran on is adopted as it is, never restarted.
     */
    public void recover(String serverId, Power power) {
        boolean shouldRun = power != Power.SHUTDOWN;
        Guest guest = known(serverId);
        guest.nics().forEach(nic -> {
            if (host.attempt(List.of("ip", "link", "show", "dev", Names.tap(nic.portId()))).exit() != 0) {
                plugTap(nic);
            } else {
                bridges.connect(nic, Names.tap(nic.portId()));
            }
        });
        boolean alive = running(serverId);
        if (shouldRun && !alive) {
            start(serverId);
        } else if (!shouldRun && alive) {
            stop(serverId, true);
        }
        if (power == Power.PAUSED) {
            pause(serverId);
        } else if (power == Power.RUNNING && alive) {
            unpause(serverId);
        }
    }

    /**
     * Gives the machine a flavor's vCPUs, RAM and root disk (Nova's resize on the same host): it is
     * stopped, its disk and resources kept aside as they are, the disk grown (never shrunk), and it
     * boots again if it ran. What was kept stays until {@link #confirmResize} drops it or
     * {@link #revertResize} puts it back.
     */
    public void resize(String serverId, int vcpus, int memoryMb, int rootGb) {
        Path dir = dir(serverId);
        Resources from = readResources(dir);
        boolean wasRunning = running(serverId);
        stop(serverId, true);
        try {
            Files.copy(dir.resolve("disk"), dir.resolve("disk.resize"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(dir.resolve("machine.json"), dir.resolve("machine.json.resize"),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        writeResources(dir, new Resources(vcpus, memoryMb, rootGb, from.imageId()));
        long size = (long) rootGb << 30;
        long current = Json.parseObject(host.run(List.of("qemu-img", "info", "--output=json",
                dir.resolve("disk").toString()))).path("virtual-size").asLong();
        if (size > current) {
            host.run(List.of("qemu-img", "resize", "-q", "-f", "qcow2", dir.resolve("disk").toString(),
                    String.valueOf(size)));
        }
        if (wasRunning) {
            start(serverId);
        }
    }

    /** Drops the disk and resources a resize kept. */
    public void confirmResize(String serverId) {
        try {
            Files.deleteIfExists(dir(serverId).resolve("disk.resize"));
            Files.deleteIfExists(dir(serverId).resolve("machine.json.resize"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Puts back the disk and resources a resize kept, booting the machine again if it ran; none kept: nothing to do. */
    public void revertResize(String serverId) {
        Path dir = dir(serverId);
        if (!Files.exists(dir.resolve("disk.resize"))) {
            return;
        }
        boolean wasRunning = running(serverId);
        stop(serverId, true);
        try {
            Files.move(dir.resolve("disk.resize"), dir.resolve("disk"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            Files.move(dir.resolve("machine.json.resize"), dir.resolve("machine.json"),
                    StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (wasRunning) {
            start(serverId);
        }
    }

    /**
     * Writes a self-contained qcow2 copy of the machine's disk, its base folded in, to {@code target}
     * (Nova's libvirt snapshot). A running machine's vCPUs are stopped for the copy so the guest cannot
     * change the disk under it, and run on after; a paused machine stays paused.
     */
    public void snapshot(String serverId, Path target) {
        known(serverId);
        boolean running = running(serverId);
        boolean resume = false;
        if (running) {
            try (Qmp qmp = Qmp.connect(dir(serverId).resolve("qmp.sock"))) {
                resume = qmp.execute("query-status", Json.object()).path("running").asBoolean();
                qmp.execute("stop", Json.object());
            }
        }
        try {
            List<String> command = new ArrayList<>(List.of("qemu-img", "convert", "-f", "qcow2", "-O", "qcow2"));
            if (running) {
                // QEMU holds the disk's write lock; with its vCPUs stopped nothing writes while this reads.
                command.add("-U");
            }
            command.addAll(List.of(dir(serverId).resolve("disk").toString(), target.toString()));
            host.run(command);
        } finally {
            if (resume) {
                qmp(serverId, "cont");
            }
        }
    }

    /** Stops the machine's vCPUs where they are (QMP stop); memory, devices and taps stay. */
    public void pause(String serverId) {
        qmp(serverId, "stop");
    }

    /** Lets a paused machine's vCPUs run on (QMP cont); a running machine is left as it is. */
    public void unpause(String serverId) {
        qmp(serverId, "cont");
    }

    private void qmp(String serverId, String command) {
        if (!running(serverId)) {
            throw new AgentException("the machine of server " + serverId + " is not running");
        }
        try (Qmp qmp = Qmp.connect(dir(serverId).resolve("qmp.sock"))) {
            qmp.execute(command, Json.object());
        }
    }

    /** The server ids of the machines this host has. */
    public List<String> serverIds() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (var dirs = Files.list(directory)) {
            return dirs.filter(d -> Files.exists(d.resolve("machine.json"))).map(d -> d.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Drops cached image bases that no machine's disk is made on. */
    public void removeUnusedBases() {
        Set<String> inUse = serverIds().stream().map(id -> readResources(dir(id)).imageId()).collect(Collectors.toSet());
        disks.removeUnused(inUse);
    }

    public String consoleLog(String serverId) {
        Path log = directory.resolve(serverId).resolve("console.log");
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the machine's QEMU runs: its pid is alive and is the QEMU of this machine's directory. */
    public boolean running(String serverId) {
        return pid(serverId).isPresent();
    }

    private Optional<Long> pid(String serverId) {
        Path dir = directory.resolve(serverId);
        return HostFiles.readPid(dir.resolve("qemu.pid")).filter(pid -> {
            try {
                String cmdline = Files.readString(Path.of("/proc", String.valueOf(pid), "cmdline"));
                return cmdline.contains(dir.resolve("qmp.sock").toString());
            } catch (IOException e) {
                return false;
            }
        });
    }

    private void kill(String serverId) {
        Optional<Long> pid = pid(serverId);
        if (pid.isEmpty()) {
            return;
        }
        host.attempt(List.of("kill", "-KILL", String.valueOf(pid.get())));
        for (int i = 0; i < 100 && Files.exists(Path.of("/proc", String.valueOf(pid.get()))); i++) {
            sleep(20);
        }
        try {
            Files.deleteIfExists(directory.resolve(serverId).resolve("qemu.pid"));
            Files.deleteIfExists(directory.resolve(serverId).resolve("qmp.sock"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void plugTap(Guest.Nic nic) {
        String tap = Names.tap(nic.portId());
        if (host.attempt(List.of("ip", "link", "show", "dev", tap)).exit() != 0) {
            host.run("ip", "tuntap", "add", "dev", tap, "mode", "tap", "vnet_hdr");
        }
        host.run("ip", "link", "set", tap, "mtu", String.valueOf(nic.mtu()));
        bridges.connect(nic, tap);
    }

    private static String netdev(Guest.Nic nic) {
        return "tap,id=" + netdevId(nic) + ",ifname=" + Names.tap(nic.portId()) + ",script=no,downscript=no";
    }

    private static String device(Guest.Nic nic) {
        return "virtio-net-pci,netdev=" + netdevId(nic) + ",id=" + deviceId(nic) + ",mac=" + nic.macAddress()
                + ",host_mtu=" + nic.mtu();
    }

    private static String netdevId(Guest.Nic nic) {
        return "net-" + nic.portId();
    }

    private static String deviceId(Guest.Nic nic) {
        return "nic-" + nic.portId();
    }

    private void record(Guest guest, List<Guest.Nic> nics) {
        Guest changed = new Guest(guest.serverId(), guest.instanceName(), guest.hostname(), nics, guest.publicKeys(),
                guest.userData());
        GuestFile.write(dir(guest.serverId()).resolve("guest.json"), changed);
        // The config drive follows, so a guest that reads it at its next boot sees its NICs as they are.
        ConfigDrive.writeIso(host, dir(guest.serverId()).resolve("disk.config"), changed);
    }

    private Guest known(String serverId) {
        return guest(serverId).orElseThrow(() -> new AgentException("machine of server " + serverId
                + " has no record on this host"));
    }

    private Path dir(String serverId) {
        return directory.resolve(serverId);
    }

    private static void create(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeResources(Path dir, Resources r) {
        try {
            Files.writeString(dir.resolve("machine.json"), Json.write(Json.object().put("vcpus", r.vcpus())
                    .put("memory_mb", r.memoryMb()).put("root_gb", r.rootGb()).put("image_id", r.imageId())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Resources readResources(Path dir) {
        try {
            JsonNode json = Json.parseObject(Files.readString(dir.resolve("machine.json")));
            return new Resources(json.path("vcpus").asInt(), json.path("memory_mb").asInt(), json.path("root_gb").asInt(),
                    json.path("image_id").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
