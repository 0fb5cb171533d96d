package dev.portside.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Instances on this host: a network namespace per instance, a veth pair per port (the host end,
 * {@code tap...}, on the network's bridge; the instance end named eth0, eth1, ... with the port's
 * MAC), a config drive in the instance's directory, and an init process in the namespace (its own
 * session, so it outlives a Portside restart) whose output is the console log.
 */
public final class Instances {
    private static final String INIT_RESOURCE = "portside-init.sh";
    private static final String GUEST_FILE = "guest.json";
    // Up to 10 s for an instance's init to configure its network (it takes tens of milliseconds).
    private static final int INIT_WAIT_STEPS = 2000;

    private final HostCommands host;
    private final Bridges bridges;
    private final Path directory;
    private final Path init;

    /**
     * {@code directory} holds one directory per instance: config drive, console log, keys, init's pid;
     * {@code bridges} are the networks' bridges, which QEMU guests on this host share.
     */
    public Instances(HostCommands host, Path directory, Bridges bridges) {
        this.host = host;
        this.bridges = bridges;
        this.directory = directory;
        try {
            Files.createDirectories(directory);
            this.init = directory.resolve(INIT_RESOURCE);
            try (InputStream script = Instances.class.getResourceAsStream(INIT_RESOURCE)) {
                Files.copy(script, init, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + directory, e);
        }
    }

    /** What this host made of an instance, as recorded when it was made or last changed. */
    public Optional<Guest> guest(String serverId) {
        return GuestFile.read(directory.resolve(serverId).resolve(GUEST_FILE));
    }

    /** Makes the instance: namespace, interfaces, config drive, and starts its init. */
    public void spawn(Guest guest) {
        String ns = guest.namespace();
        // A spawn starts from nothing: what an earlier, failed attempt left goes first.
        if (namespaces().contains(ns)) {
            stop(guest);
            host.run("ip", "netns", "del", ns);
        }
        GuestFile.write(instanceDirectory(guest.serverId()).resolve(GUEST_FILE), guest);
        host.run("ip", "netns", "add", ns);
        for (int i = 0; i < guest.nics().size(); i++) {
            plug(guest, guest.nics().get(i), "eth" + i);
        }
        writeConfigDrive(guest);
        start(guest);
    }

    /**
     * After a restart: makes the instance as recorded again where anything is missing (its
     * namespace, an interface), and running, paused or stopped as the database says. What is there stays.
     */
    public void recover(Guest guest, Power power) {
        boolean running = power != Power.SHUTDOWN;
        String ns = guest.namespace();
        if (!namespaces().contains(ns)) {
            host.run("ip", "netns", "add", ns);
        }
        String links = host.run("ip", "-n", ns, "-o", "link", "show");
        for (int i = 0; i < guest.nics().size(); i++) {
            Guest.Nic nic = guest.nics().get(i);
            if (!links.contains(nic.macAddress())) {
                plug(guest, nic, freeName(links));
                links = host.run("ip", "-n", ns, "-o", "link", "show");
            } else {
                // The pair is there; its bridge may not be (a host reboot, an operator).
                bridges.connect(nic, Names.tap(nic.portId()));
            }
        }
        writeConfigDrive(guest);
        // Alive means still in the namespace: `kill -0` also answers for a zombie (an init whose parent
        // Portside was killed is reaped only if PID 1 reaps) and for a pid the kernel gave to another.
        boolean alive = readPid(instanceDirectory(guest.serverId()).resolve("init.pid"))
                .map(pid -> pids(guest).contains(String.valueOf(pid))).orElse(false);
        if (running && !alive) {
            stop(guest);
            start(guest);
        } else if (!running && alive) {
            stop(guest);
        }
        if (power == Power.PAUSED) {
            pause(guest);
        } else if (power == Power.RUNNING) {
            unpause(guest);
        }
    }

    /**
     * Pauses the instance: every process in its namespace stops where it is (SIGSTOP), memory kept;
     * its interfaces stay up, so frames to it queue and drop as to a paused machine's NIC.
     */
    public void pause(Guest guest) {
        signalAll(guest, "-STOP");
    }

    /** Lets a paused instance's processes run on (SIGCONT). */
    public void unpause(Guest guest) {
        signalAll(guest, "-CONT");
    }

    private void signalAll(Guest guest, String signal) {
        List<String> pids = pids(guest);
        if (!pids.isEmpty()) {
            List<String> kill = new ArrayList<>(List.of("kill", signal));
            kill.addAll(pids);
            host.attempt(kill);
        }
    }

    /** The server ids of the instances this host has (namespaces Portside made). */
    public List<String> serverIds() {
        return namespaces().stream().map(ns -> ns.substring(Names.NAMESPACE_PREFIX.length())).toList();
    }

    /** Removes an instance Portside no longer knows: whatever runs in its namespace, the namespace, its directory. */
    public void removeOrphan(String serverId) {
        destroy(guest(serverId).orElseGet(() -> new Guest(serverId, serverId, serverId, List.of(), List.of(),
                Optional.empty())));
    }

    /** Removes bridges of Portside's that no port uses any more. */
    public void removeUnusedBridges() {
        bridges.removeUnused();
    }

    /** Adds one interface to a running instance, named after the last one. */
    public void hotPlug(Guest guest, Guest.Nic nic) {
        String ns = guest.namespace();
        String name = freeName(host.run("ip", "-n", ns, "-o", "link", "show"));
        plug(guest, nic, name);
        for (Guest.Address address : nic.addresses()) {
            host.run("ip", "-n", ns, "addr", "add", address.ip() + "/" + address.prefixLength(), "dev", name);
        }
        List<Guest.Nic> nics = new ArrayList<>(guest.nics());
        nics.add(nic);
        GuestFile.write(instanceDirectory(guest.serverId()).resolve(GUEST_FILE), new Guest(guest.serverId(),
                guest.instanceName(), guest.hostname(), nics, guest.publicKeys(), guest.userData()));
    }

    // The lowest free ethN, as a kernel names a hot-plugged NIC.
    private static String freeName(String links) {
        int index = 0;
        while (links.contains(": eth" + index + ":") || links.contains(": eth" + index + "@")) {
            index++;
        }
        return "eth" + index;
    }

    private void plug(Guest guest, Guest.Nic nic, String name) {
        String ns = guest.namespace();
        String tap = Names.tap(nic.portId());
        String peer = Names.peer(nic.portId());
        host.attempt(List.of("ip", "link", "del", tap));
        host.run("ip", "link", "add", tap, "mtu", String.valueOf(nic.mtu()), "type", "veth", "peer", "name", peer,
                "mtu", String.valueOf(nic.mtu()));
        host.run("ip", "link", "set", peer, "netns", ns);
        host.run("ip", "-n", ns, "link", "set", peer, "name", name, "address", nic.macAddress());
        host.run("ip", "-n", ns, "link", "set", name, "up");
        bridges.connect(nic, tap);
    }

    /** Removes one interface: deleting the host end removes its pair in the instance. */
    public void unplug(Guest guest, String portId) {
        host.attempt(List.of("ip", "link", "del", Names.tap(portId)));
        List<Guest.Nic> kept = guest.nics().stream().filter(n -> !n.portId().equals(portId)).toList();
        guest.nics().stream().filter(n -> n.portId().equals(portId))
                .forEach(nic -> bridges.removeIfUnused(nic.networkId()));
        GuestFile.write(instanceDirectory(guest.serverId()).resolve(GUEST_FILE), new Guest(guest.serverId(),
                guest.instanceName(), guest.hostname(), kept, guest.publicKeys(), guest.userData()));
    }

    /**
     * Starts the instance's init in its namespace, in a session of its own, and returns once the init
     * has configured the instance's network (so the ports are up, addressed, when compute hears so).
     */
    public void start(Guest guest) {
        Path dir = instanceDirectory(guest.serverId());
        Path ready = dir.resolve("network-ready");
        try {
            Files.deleteIfExists(ready);
            Process process = new ProcessBuilder("setsid", "ip", "netns", "exec", guest.namespace(), "unshare", "--uts",
                    "--fork", "sh", init.toString(), dir.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("console.log").toFile()))
                    .start();
            Files.writeString(dir.resolve("init.pid"), String.valueOf(process.pid()));
            for (int i = 0; i < INIT_WAIT_STEPS && !Files.exists(ready); i++) {
                if (!process.isAlive()) {
                    break;
                }
                Thread.sleep(5);
            }
        } catch (IOException e) {
            throw new AgentException("cannot start the init of " + guest.instanceName() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException("interrupted while starting " + guest.instanceName(), e);
        }
        if (!Files.exists(ready)) {
            throw new AgentException("the init of " + guest.instanceName() + " did not configure its network; console: "
                    + consoleLog(guest.serverId()).lines().reduce((a, b) -> b).orElse("(empty)"));
        }
    }

    /**
     * Stops every process of the instance: its init's session, and whatever else runs in its
     * namespace (what a user started over SSH lives in sessions of its own). The wiring stays.
     */
    public void stop(Guest guest) {
        Path pidFile = instanceDirectory(guest.serverId()).resolve("init.pid");
        readPid(pidFile).ifPresent(pid -> host.attempt(List.of("kill", "-TERM", "--", "-" + pid)));
        // A paused instance's processes act on the TERM only once continued.
        signalAll(guest, "-CONT");
        for (int i = 0; i < 50 && !pids(guest).isEmpty(); i++) {
            sleep();
        }
        List<String> left = pids(guest);
        if (!left.isEmpty()) {
            List<String> kill = new ArrayList<>(List.of("kill", "-KILL"));
            kill.addAll(left);
            host.attempt(kill);
        }
        readPid(pidFile).ifPresent(pid -> host.attempt(List.of("kill", "-KILL", "--", "-" + pid)));
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> pids(Guest guest) {
        if (!namespaces().contains(guest.namespace())) {
            return List.of();
        }
        return host.run("ip", "netns", "pids", guest.namespace()).lines().map(String::strip)
                .filter(line -> !line.isEmpty()).toList();
    }

    /** Removes the instance: its processes, namespace (and so its interfaces), unused bridges, directory. */
    public void destroy(Guest guest) {
        stop(guest);
        for (Guest.Nic nic : guest.nics()) {
            host.attempt(List.of("ip", "link", "del", Names.tap(nic.portId())));
        }
        if (namespaces().contains(guest.namespace())) {
            host.run("ip", "netns", "del", guest.namespace());
        }
        guest.nics().forEach(nic -> bridges.removeIfUnused(nic.networkId()));
        deleteTree(instanceDirectory(guest.serverId()));
    }

    /** The instance's console log so far. */
    public String consoleLog(String serverId) {
        Path log = instanceDirectory(serverId).resolve("console.log");
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The namespaces Portside made on this host. */
    public List<String> namespaces() {
        List<String> names = new ArrayList<>();
        for (String line : host.run("ip", "netns", "list").split("\n")) {
            String name = line.strip().split("\\s+")[0];
            if (name.startsWith(Names.NAMESPACE_PREFIX)) {
                names.add(name);
            }
        }
        return names;
    }

    private void writeConfigDrive(Guest guest) {
        ConfigDrive.writeTree(instanceDirectory(guest.serverId()), guest);
    }

    private Path instanceDirectory(String serverId) {
        Path dir = directory.resolve(serverId);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    private static Optional<Long> readPid(Path file) {
        return HostFiles.readPid(file);
    }

    private static void deleteTree(Path dir) {
        HostFiles.deleteTree(dir);
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
