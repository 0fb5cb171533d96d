package dev.portside.compute.server;

import dev.portside.common.auth.AuthContext;
import dev.portside.compute.image.ImageClient;
import dev.portside.compute.scheduler.Scheduler;
import dev.portside.compute.servergroup.ServerGroupStore;
import dev.portside.compute.virt.InstanceSpec;
import dev.portside.compute.virt.VirtDriver;
import dev.portside.compute.virt.VirtException;
import dev.portside.compute.virt.Vif;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * What Nova's conductor and compute manager do for a server, behind the API: the asynchronous build
 * (schedule, claim, make and bind ports, spawn, wait for network-vif-plugged, ACTIVE), power actions,
 * interface attach and detach, and delete. Each task of a server runs after the previous one. A
 * failed step undoes what the attempt did (the driver's instance, bindings, ports compute made, the
 * host claim) and tries another host when that could help; when none is left the server goes to
 * ERROR with a fault that says why, holding nothing.
 */
public final class ComputeManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ComputeManager.class);

    /**
     * How long a boot waits for the network to report its ports plugged, how many hosts it tries,
     * where a snapshot's disk is written before it goes to the image service, and how long a deleted
     * server stays restorable (Nova's reclaim_instance_interval; zero deletes at once).
     */
    public record Settings(Duration vifPluggingTimeout, int maxAttempts, java.nio.file.Path snapshots,
                           Duration reclaimInstanceInterval) {
        // Nova's vif_plugging_timeout is 300 s for real hypervisors; Portside's drivers plug in milliseconds.
        public static final Settings DEFAULT = new Settings(Duration.ofSeconds(60), 3,
                java.nio.file.Path.of(System.getProperty("java.io.tmpdir")), Duration.ZERO);

        public boolean deferredDelete() {
            return reclaimInstanceInterval.isPositive();
        }
    }

    private final Jdbi jdbi;
    private final ServerGroupStore serverGroups;
    private final ServerStore servers;
    private final Scheduler scheduler;
    private final PortWiring wiring;
    private final VirtDriver driver;
    private final ImageClient images;
    private final VifEvents events;
    private final Settings settings;
    private final Clock clock;
    private final InstanceTasks tasks = new InstanceTasks();
    private final ServerMetrics metrics;
    private java.util.concurrent.ScheduledExecutorService reclaimer;

    ComputeManager(Jdbi jdbi, ServerStore servers, ServerGroupStore serverGroups, Scheduler scheduler, PortWiring wiring,
                   VirtDriver driver, ImageClient images, VifEvents events, Settings settings, ServerMetrics metrics,
                   Clock clock) {
        this.jdbi = jdbi;
        this.metrics = metrics;
        this.serverGroups = serverGroups;
        this.servers = servers;
        this.scheduler = scheduler;
        this.wiring = wiring;
        this.driver = driver;
        this.images = images;
        this.events = events;
        this.settings = settings;
        this.clock = clock;
    }

    CompletableFuture<Void> build(String serverId, AuthContext caller) {
        return tasks.submit(serverId, () -> buildNow(serverId, caller));
    }

    private void buildNow(String serverId, AuthContext caller) {
        long start = System.nanoTime();
        // The image's wish for a hypervisor, as Nova's ImagePropertiesFilter reads it; absent: any host that boots disks.
        Optional<String> hypervisorType = load(serverId).flatMap(s -> images.find(caller, s.imageId()))
                .flatMap(ImageClient.ImageRef::hypervisorType);
        onSomeHost(serverId, "build", (server, tried) -> request(server, tried, server.requestedHost(), hypervisorType),
                (server, host) -> buildOn(server, host, caller), this::undo)
                .ifPresent(last -> fail(serverId, last));
        metrics.built(load(serverId).map(Server::vmState).orElse("deleted"), (System.nanoTime() - start) / 1e9);
    }

    /** What is tried on a host, and undone there when it fails. */
    private interface OnHost {
        void run(Server server, String host);
    }

    /**
     * Nova's conductor loop: the scheduler's best host is claimed and {@code attempt} runs there; a
     * failure another host could help is undone and the next host tried, up to maxAttempts. Empty
     * when it succeeded or the server went away; otherwise the failure that ended it (no host at all
     * is the scheduler's reason, or NoValidHost's).
     */
    private Optional<Optional<BuildFailure>> onSomeHost(String serverId, String what,
                                                        java.util.function.BiFunction<Server, Set<String>, Scheduler.Request> request,
                                                        OnHost attempt, OnHost undo) {
        Set<String> tried = new HashSet<>();
        Optional<BuildFailure> last = Optional.empty();
        for (int i = 0; i < settings.maxAttempts(); i++) {
            Optional<Server> current = load(serverId);
            if (current.isEmpty() || current.get().deleting()) {
                return Optional.empty();
            }
            Server server = current.get();
            Scheduler.Request asked = request.apply(server, tried);
            Optional<String> host = claimHost(server, asked);
            if (host.isEmpty()) {
                if (last.isEmpty()) {
                    last = jdbi.withHandle(h -> scheduler.whyNone(h, asked)).map(why -> new BuildFailure(why, false));
                }
                break;
            }
            tried.add(host.get());
            try {
                attempt.run(server, host.get());
                return Optional.empty();
            } catch (BuildFailure | VirtException e) {
                BuildFailure failure = e instanceof BuildFailure f ? f : new BuildFailure(e.getMessage(), true);
                LOG.info("{} of server {} failed on {}: {}", what, serverId, host.get(), failure.getMessage());
                undo.run(server, host.get());
                last = Optional.of(failure);
                if (!failure.reschedule()) {
                    break;
                }
            } catch (RuntimeException e) {
                LOG.error("{} of server {} failed on {}", what, serverId, host.get(), e);
                undo.run(server, host.get());
                last = Optional.of(new BuildFailure("The " + what + " failed unexpectedly: " + e, false));
                break;
            }
        }
        return Optional.of(last);
    }

    // What the scheduler is asked for the server: its flavor, its group's policy, the hosts tried already.
    private Scheduler.Request request(Server server, Set<String> tried, Optional<String> forcedHost,
                                      Optional<String> hypervisorType) {
        Optional<Scheduler.Group> group = jdbi.withHandle(h -> serverGroups.ofServer(h, server.id()))
                .map(g -> new Scheduler.Group(g.id(), g.policy(), g.maxServerPerHost().orElse(1), server.id()));
        return new Scheduler.Request(server.vcpus(), server.memoryMb(), server.rootGb(), tried, forcedHost,
                hypervisorType, group);
    }

    private Optional<String> claimHost(Server server, Scheduler.Request request) {
        for (String candidate : jdbi.withHandle(h -> scheduler.select(h, request))) {
            boolean claimed = jdbi.inTransaction(h -> {
                if (!scheduler.fitsLocked(h, candidate, request)) {
                    return false;
                }
                servers.claimHost(h, server.id(), candidate);
                return true;
            });
            if (claimed) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private void buildOn(Server server, String host, AuthContext caller) {
        step(server.id(), "networking");
        List<Vif> vifs = wiring.wire(server, host, caller);
        step(server.id(), "spawning");
        spawnAndAwait(server, host, spec(server, caller), vifs);
        if (!jdbi.inTransaction(h -> servers.finish(h, server.id(), Server.ACTIVE, Server.RUNNING, Optional.empty(),
                Optional.of(now()), now()))) {
            throw new BuildFailure("The server was deleted while it was being built.", false);
        }
    }

    // Spawns the instance from its image and waits until the network service reports every port up.
    private void spawnAndAwait(Server server, String host, InstanceSpec spec, List<Vif> vifs) {
        try (VifEvents.Expected plugged = events.expect(server.id(), vifs.stream().map(Vif::portId).toList())) {
            driver.spawn(host, spec, vifs);
            plugged.await(settings.vifPluggingTimeout(), host);
        }
    }

    // Records the build's progress; a delete that came in meanwhile ends the build here.
    private void step(String serverId, String taskState) {
        if (!jdbi.inTransaction(h -> servers.setTask(h, serverId, taskState, now()))) {
            throw new BuildFailure("The server was deleted while it was being built.", false);
        }
    }

    private void undo(Server server, String host) {
        try {
            driver.destroy(host, spec(server));
        } catch (RuntimeException e) {
            LOG.warn("destroying server {} on {} after a failed build: {}", server.id(), host, e.getMessage());
        }
        wiring.unwire(server.id(), true);
        jdbi.useTransaction(h -> servers.releaseHost(h, server.id()));
    }

    private void fail(String serverId, Optional<BuildFailure> last) {
        wiring.unwire(serverId, false);
        String message = last.map(Throwable::getMessage)
                .orElse("No valid host was found. There are not enough hosts available.");
        String details = last.isPresent() && last.get().reschedule()
                ? "No other host could take the server after this failure." : "";
        jdbi.useTransaction(h -> {
            Optional<Server> server = servers.find(h, serverId);
            if (server.isPresent() && server.get().deleting()) {
                return;
            }
            servers.finish(h, serverId, Server.ERROR, Server.NOSTATE,
                    Optional.of(new Server.Fault(500, message, details, now())), Optional.empty(), now());
        });
    }

    /** Powers a server off or on, or reboots it; the API has already moved it into the task. */
    CompletableFuture<Void> power(String serverId, PowerAction action) {
        return tasks.submit(serverId, () -> {
            Optional<Server> found = load(serverId);
            if (found.isEmpty() || found.get().deleting()) {
                return;
            }
            Server server = found.get();
            String host = server.host().orElseThrow();
            InstanceSpec spec = spec(server);
            try {
                switch (action) {
                    case STOP -> driver.powerOff(host, spec);
                    case START -> driver.powerOn(host, spec);
                    case SOFT_REBOOT -> driver.reboot(host, spec, false);
                    case HARD_REBOOT -> driver.reboot(host, spec, true);
                    case PAUSE, SUSPEND -> driver.pause(host, spec);
                    case UNPAUSE, RESUME -> driver.unpause(host, spec);
                    case SOFT_DELETE -> driver.powerOff(host, spec);
                    case RESTORE -> driver.powerOn(host, spec);
                }
                jdbi.useTransaction(h -> servers.finish(h, serverId, action.to, PowerAction.powerState(action.to),
                        Optional.empty(), Optional.empty(), now()));
            } catch (VirtException e) {
                LOG.warn("{} of server {} failed: {}", action, serverId, e.getMessage());
                jdbi.useTransaction(h -> servers.finish(h, serverId, server.vmState(), server.powerState(),
                        server.fault(), Optional.empty(), now()));
            }
        });
    }


    /**
     * Rebuilds the server on its host from its image (the API has recorded the new one): the instance
     * is made again with the same ports, still bound, and ends as it was, running or stopped. A
     * failure leaves the server in ERROR on its host, its ports kept, as Nova leaves it.
     */
    CompletableFuture<Void> rebuild(String serverId, boolean stopped, AuthContext caller) {
        return tasks.submit(serverId, () -> {
            Optional<Server> found = load(serverId);
            if (found.isEmpty() || found.get().deleting()) {
                return;
            }
            Server server = found.get();
            String host = server.host().orElseThrow();
            try {
                driver.destroy(host, spec(server));
                step(serverId, "rebuild_spawning");
                spawnAndAwait(server, host, spec(server, caller), wiring.rebind(server, host));
                if (stopped) {
                    driver.powerOff(host, spec(server));
                }
                String to = stopped ? Server.STOPPED : Server.ACTIVE;
                jdbi.useTransaction(h -> servers.finish(h, serverId, to, PowerAction.powerState(to), Optional.empty(),
                        Optional.of(now()), now()));
            } catch (BuildFailure | VirtException e) {
                LOG.info("rebuild of server {} on {} failed: {}", serverId, host, e.getMessage());
                jdbi.useTransaction(h -> servers.finish(h, serverId, Server.ERROR, Server.NOSTATE,
                        Optional.of(new Server.Fault(500, "Rebuild failed: " + e.getMessage(), "", now())),
                        Optional.empty(), now()));
            }
        });
    }

    /**
     * Resizes the server on its host to the flavor the API recorded (the old one kept beside it):
     * the driver gives the instance the new resources, and the server waits in VERIFY_RESIZE,
     * running or shut down as it was. A failure puts the old flavor back, with a fault that says why.
     */
    CompletableFuture<Void> resize(String serverId) {
        return tasks.submit(serverId, () -> {
            Optional<Server> found = load(serverId);
            if (found.isEmpty() || found.get().deleting()) {
                return;
            }
            Server server = found.get();
            String host = server.host().orElseThrow();
            try {
                step(serverId, "resize_migrating");
                driver.resize(host, spec(server));
                step(serverId, "resize_migrated");
                step(serverId, "resize_finish");
                jdbi.useTransaction(h -> servers.finish(h, serverId, Server.RESIZED, server.powerState(),
                        Optional.empty(), Optional.empty(), now()));
            } catch (BuildFailure | VirtException e) {
                LOG.info("resize of server {} failed: {}", serverId, e.getMessage());
                endResize(server, host, true, Optional.of(new Server.Fault(500, "Resize failed: " + e.getMessage(),
                        "", now())));
            }
        });
    }

    /** Confirms or reverts a resize the API has recorded (a revert runs under resize_reverting). */
    CompletableFuture<Void> endResize(String serverId, boolean revert) {
        return tasks.submit(serverId, () -> load(serverId).filter(s -> !s.deleting()).ifPresent(server ->
                endResize(server, server.host().orElseThrow(), revert, Optional.empty())));
    }

    // The instance keeps its new resources or gets its old ones back; the server ends ACTIVE or SHUTOFF
    // as its instance runs, holding one flavor again.
    private void endResize(Server server, String host, boolean revert, Optional<Server.Fault> fault) {
        try {
            if (revert) {
                driver.revertResize(host, spec(server));
            } else {
                driver.confirmResize(host, spec(server));
            }
        } catch (VirtException e) {
            LOG.warn("{} of the resize of server {}: {}", revert ? "revert" : "confirm", server.id(), e.getMessage());
        }
        String to = server.powerState() == Server.RUNNING ? Server.ACTIVE : Server.STOPPED;
        jdbi.useTransaction(h -> {
            servers.endResize(h, server.id(), revert);
            servers.finish(h, server.id(), to, PowerAction.powerState(to), fault, Optional.empty(), now());
        });
    }

    /** A backup's rotation: how many backups of this type the server keeps, the newest first. */
    record Rotation(String backupType, int keep) {
    }

    /**
     * Snapshots the server into {@code imageId}, an image the API made queued: the driver copies the
     * disk (nothing, for instances with none), the copy is uploaded, which makes the image active, and
     * for a backup the oldest backups beyond the rotation are deleted. The server ends as it was; a
     * failure deletes the image, as Nova does, and leaves the server alone.
     */
    CompletableFuture<Void> snapshot(String serverId, String imageId, Optional<Rotation> rotation, AuthContext caller) {
        return tasks.submit(serverId, () -> {
            try {
                Server server = load(serverId).filter(s -> !s.deleting())
                        .orElseThrow(() -> new BuildFailure("The server was deleted.", false));
                step(serverId, "image_pending_upload");
                copyInto(server, imageId, "image_uploading", caller);
                rotation.ifPresent(r -> rotate(serverId, r, caller));
            } catch (BuildFailure | VirtException | java.io.IOException | dev.portside.common.http.ApiException e) {
                LOG.warn("snapshot {} of server {} failed: {}", imageId, serverId, e.getMessage());
                discardImage(imageId, caller);
            } finally {
                jdbi.useTransaction(h -> servers.setTask(h, serverId, null, now()));
            }
        });
    }

    // The driver copies the instance's disk; the copy is uploaded as the image's data, which makes it active.
    private void copyInto(Server server, String imageId, String uploadingStep, AuthContext caller)
            throws java.io.IOException {
        java.nio.file.Files.createDirectories(settings.snapshots());
        java.nio.file.Path file = settings.snapshots().resolve(imageId + ".snapshot");
        try {
            Optional<String> format = driver.snapshot(server.host().orElseThrow(), spec(server), file);
            step(server.id(), uploadingStep);
            try (java.io.InputStream data = format.isPresent() ? java.nio.file.Files.newInputStream(file)
                    : java.io.InputStream.nullInputStream()) {
                images.upload(caller, imageId, data, format.orElse("raw"));
            }
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    /**
     * Shelves the server (Nova's shelve with shelved_offload_time 0): powered off, snapshotted into
     * {@code imageId}, then offloaded - the instance destroyed, its ports unbound from the host but
     * still the server's, the host's resources freed. A failure deletes the image and leaves the
     * server in ERROR on its host.
     */
    CompletableFuture<Void> shelve(String serverId, String imageId, AuthContext caller) {
        return tasks.submit(serverId, () -> {
            Optional<Server> found = load(serverId);
            if (found.isEmpty() || found.get().deleting()) {
                discardImage(imageId, caller);
                return;
            }
            Server server = found.get();
            String host = server.host().orElseThrow();
            try {
                driver.powerOff(host, spec(server));
                step(serverId, "shelving_image_pending_upload");
                copyInto(server, imageId, "shelving_image_uploading", caller);
                step(serverId, "shelving_offloading");
                offload(server, host);
            } catch (BuildFailure | VirtException | java.io.IOException | dev.portside.common.http.ApiException e) {
                LOG.info("shelving server {} failed: {}", serverId, e.getMessage());
                discardImage(imageId, caller);
                jdbi.useTransaction(h -> {
                    servers.setShelvedImage(h, serverId, Optional.empty());
                    servers.finish(h, serverId, Server.ERROR, Server.NOSTATE,
                            Optional.of(new Server.Fault(500, "Shelve failed: " + e.getMessage(), "", now())),
                            Optional.empty(), now());
                });
            }
        });
    }

    // The instance goes from its host; the ports stay the server's, unbound; the host's resources are free.
    private void offload(Server server, String host) {
        driver.destroy(host, spec(server));
        wiring.unbind(server.id());
        jdbi.useTransaction(h -> {
            servers.releaseHost(h, server.id());
            servers.finish(h, server.id(), Server.SHELVED_OFFLOADED, Server.NOSTATE, Optional.empty(),
                    Optional.empty(), now());
        });
    }

    /**
     * Unshelves the server: scheduled again as a build is (a host forced at boot is not kept, as in
     * Nova), its ports bound there, the instance spawned from the shelved snapshot; then ACTIVE, and
     * the snapshot deleted. A failed attempt is undone and another host tried; when none is left the
     * server stays shelved, with a fault that says why.
     */
    CompletableFuture<Void> unshelve(String serverId, AuthContext caller) {
        return tasks.submit(serverId, () -> {
            Optional<Server> found = load(serverId);
            if (found.isEmpty() || found.get().deleting()) {
                return;
            }
            Optional<String> imageId = found.get().shelvedImageId();
            Optional<ImageClient.ImageRef> image = imageId.flatMap(id -> images.find(caller, id));
            Optional<BuildFailure> last = image.isPresent() ? Optional.empty()
                    : Optional.of(new BuildFailure("The shelved snapshot " + imageId.orElse("(none)")
                    + " of the server is gone from the image service.", false));
            if (image.isPresent()) {
                ImageClient.ImageRef snapshot = image.get();
                Optional<Optional<BuildFailure>> ended = onSomeHost(serverId, "unshelve",
                        (server, tried) -> request(server, tried, Optional.empty(), snapshot.hypervisorType()),
                        (server, host) -> {
                            step(serverId, "spawning");
                            spawnAndAwait(server, host, spec(server, snapshot), wiring.rebind(server, host));
                            jdbi.useTransaction(h -> {
                                servers.setShelvedImage(h, serverId, Optional.empty());
                                servers.finish(h, serverId, Server.ACTIVE, Server.RUNNING, Optional.empty(),
                                        Optional.of(now()), now());
                            });
                        }, this::undoUnshelve);
                if (ended.isEmpty()) {
                    discardImage(snapshot.id(), caller);
                    return;
                }
                last = ended.get();
            }
            String why = last.map(Throwable::getMessage).orElse("No valid host was found.");
            jdbi.useTransaction(h -> servers.finish(h, serverId, Server.SHELVED_OFFLOADED, Server.NOSTATE,
                    Optional.of(new Server.Fault(500, "Unshelve failed: " + why, "", now())), Optional.empty(), now()));
        });
    }

    private void undoUnshelve(Server server, String host) {
        try {
            driver.destroy(host, spec(server));
        } catch (RuntimeException e) {
            LOG.warn("destroying server {} on {} after a failed unshelve: {}", server.id(), host, e.getMessage());
        }
        wiring.unbind(server.id());
        jdbi.useTransaction(h -> servers.releaseHost(h, server.id()));
    }

    // Nova's _rotate_backups: the server's backups of that type, newest first, past the first `keep` deleted.
    private void rotate(String serverId, Rotation rotation, AuthContext caller) {
        images.list(caller).stream()
                .filter(i -> serverId.equals(i.properties().get("instance_uuid")))
                .filter(i -> "backup".equals(i.properties().get("image_type")))
                .filter(i -> rotation.backupType().equals(i.properties().get("backup_type")))
                .sorted(java.util.Comparator.comparing(ImageClient.ImageRef::createdAt).reversed()
                        .thenComparing(ImageClient.ImageRef::id, java.util.Comparator.reverseOrder()))
                .skip(rotation.keep())
                .forEach(old -> discardImage(old.id(), caller));
    }

    private void discardImage(String imageId, AuthContext caller) {
        try {
            images.delete(caller, imageId);
        } catch (dev.portside.common.http.ApiException e) {
            LOG.warn("deleting image {}: {}", imageId, e.getMessage());
        }
    }

    /**
     * Attaches a port the API already claimed for the server (or makes one on {@code networkId}):
     * binds it on the server's host, plugs it, waits for it to come up when the server runs.
     */
    CompletableFuture<ServerVif> attach(String serverId, Optional<ServerVif> claimed, Optional<String> networkId,
                                        Optional<String> fixedIp, Optional<String> tag, AuthContext caller) {
        return tasks.submit(serverId, () -> {
            Server server = load(serverId).filter(s -> !s.deleting())
                    .orElseThrow(() -> new BuildFailure("The server was deleted.", false));
            String host = server.host().orElseThrow(() -> new BuildFailure("The server is on no host.", false));
            int position = jdbi.withHandle(h -> servers.nextPosition(h, serverId));
            ServerVif vif = claimed.orElseGet(() -> wiring.create(server, networkId.orElseThrow(), fixedIp, List.of(),
                    position, tag, caller));
            boolean running = server.powerState() == Server.RUNNING;
            try {
                Vif plugged = wiring.bind(server, vif, host);
                try (VifEvents.Expected up = events.expect(serverId, running ? List.of(vif.portId()) : List.of())) {
                    driver.attachInterface(host, spec(server), plugged);
                    up.await(settings.vifPluggingTimeout(), host);
                } catch (RuntimeException e) {
                    driver.detachInterface(host, spec(server), plugged);
                    throw e;
                }
                return jdbi.withHandle(h -> servers.vifs(h, serverId)).stream()
                        .filter(v -> v.portId().equals(vif.portId())).findFirst().orElseThrow();
            } catch (RuntimeException e) {
                wiring.release(vif, false);
                throw e;
            }
        });
    }

    /** Unplugs one of the server's ports and lets go of it. */
    CompletableFuture<Void> detach(String serverId, ServerVif vif) {
        return tasks.submit(serverId, () -> {
            Optional<Server> server = load(serverId);
            server.flatMap(Server::host).ifPresent(host -> driver.detachInterface(host, spec(server.get()),
                    new Vif(vif.portId(), vif.networkId(), vif.macAddress(), vif.fixedIps(), "", java.util.Map.of(), 0,
                            List.of(), vif.tag(), Optional.empty(), List.of())));
            wiring.release(vif, false);
        });
    }

    /**
     * Deletes the server: its instance, its ports (made ones deleted, brought ones unbound and kept),
     * its shelved snapshot when the caller is known, its row.
     */
    CompletableFuture<Void> delete(String serverId, Optional<AuthContext> caller) {
        events.cancel(serverId);
        return tasks.submit(serverId, () -> {
            Optional<Server> server = load(serverId);
            if (server.isEmpty()) {
                events.forget(serverId);
                return;
            }
            server.get().host().ifPresent(host -> {
                try {
                    driver.destroy(host, spec(server.get()));
                } catch (RuntimeException e) {
                    // The instance may be half gone already; the server's ports and row must go regardless.
                    LOG.warn("destroying server {} on {}: {}", serverId, host, e.getMessage());
                }
            });
            wiring.unwire(serverId, false);
            server.get().shelvedImageId().ifPresent(image -> caller.ifPresentOrElse(c -> discardImage(image, c),
                    () -> LOG.info("server {} was deleted shelved; its snapshot {} is left to its owner", serverId,
                            image)));
            jdbi.useTransaction(h -> servers.delete(h, serverId));
            events.forget(serverId);
        });
    }

    /**
     * At start-up, before the API serves (Nova's init_host): what was in flight when Portside stopped
     * is settled (a build is undone and the server goes to ERROR, a delete is finished, a power action
     * ends in its target state), then each host is made to hold exactly the servers placed on it
     * (a soft-deleted one powered off), and the reclaiming of soft-deleted servers starts.
     */
    public void recover(java.util.Set<String> hosts) {
        for (Server server : jdbi.withHandle(h -> servers.list(h, Optional.empty()))) {
            if (server.deleting()) {
                delete(server.id(), Optional.empty()).join();
            } else if (server.vmState().equals(Server.BUILDING)) {
                server.host().ifPresent(host -> undo(server, host));
                fail(server.id(), Optional.of(new BuildFailure("Portside stopped while the server was being built.",
                        false)));
            } else if (server.taskState().filter(t -> t.startsWith("rebuild")).isPresent()) {
                // Half rebuilt: whatever is left of the instance goes (recovery removes what it does not
                // expect); the server says so, and a rebuild or a delete takes it from there.
                jdbi.useTransaction(h -> servers.finish(h, server.id(), Server.ERROR, Server.NOSTATE,
                        Optional.of(new Server.Fault(500, "Portside stopped while the server was being rebuilt.", "",
                                now())), Optional.empty(), now()));
            } else if (server.taskState().equals(Optional.of("confirming_resize"))) {
                server.host().ifPresent(host -> endResize(server, host, false, Optional.empty()));
            } else if (server.taskState().filter(t -> t.startsWith("resize_")).isPresent()) {
                // A resize or a revert in flight is reverted: the server has its old flavor again.
                server.host().ifPresent(host -> endResize(server, host, true, Optional.of(new Server.Fault(500,
                        "Portside stopped while the server was being resized; the resize was reverted.", "", now()))));
            } else if (server.taskState().equals(Optional.of("shelving_offloading"))) {
                // The snapshot is made: the offload is finished (recovery removes the instance below).
                wiring.unbind(server.id());
                jdbi.useTransaction(h -> {
                    servers.releaseHost(h, server.id());
                    servers.finish(h, server.id(), Server.SHELVED_OFFLOADED, Server.NOSTATE, Optional.empty(),
                            Optional.empty(), now());
                });
            } else if (server.taskState().filter(t -> t.startsWith("shelving")).isPresent()) {
                // Stopped before its snapshot was made: the server is left powered off on its host, not
                // shelved; the unfinished snapshot stays queued in the image service.
                jdbi.useTransaction(h -> {
                    servers.setShelvedImage(h, server.id(), Optional.empty());
                    servers.finish(h, server.id(), Server.STOPPED, Server.SHUTDOWN, Optional.empty(), Optional.empty(),
                            now());
                });
            } else if (server.vmState().equals(Server.SHELVED_OFFLOADED) && server.taskState().isPresent()) {
                // An unshelve in flight is undone; the server stays shelved, to be unshelved again.
                server.host().ifPresent(host -> undoUnshelve(server, host));
                jdbi.useTransaction(h -> servers.finish(h, server.id(), Server.SHELVED_OFFLOADED, Server.NOSTATE,
                        Optional.of(new Server.Fault(500, "Portside stopped while the server was being unshelved.", "",
                                now())), Optional.empty(), now()));
            } else if (server.taskState().filter(t -> t.startsWith("image_")).isPresent()) {
                // A snapshot in flight is abandoned, as Nova's init_host does: the server is as it was, and
                // its image stays queued (the image service's own recovery requeues a half-done upload).
                jdbi.useTransaction(h -> servers.setTask(h, server.id(), null, now()));
            } else if (server.taskState().isPresent()) {
                // A power action in flight ends in its target state; the host is made to match below.
                String to = server.taskState().flatMap(PowerAction::ofTask).map(a -> a.to).orElse(server.vmState());
                jdbi.useTransaction(h -> servers.finish(h, server.id(), to, PowerAction.powerState(to), server.fault(),
                        Optional.empty(), now()));
            }
        }
        for (String host : hosts) {
            recoverHost(host);
        }
        startReclaiming();
    }

    /**
     * Makes {@code host} hold exactly the servers placed on it, each running, paused or shut down as
     * its state says (a soft-deleted one powered off): at start-up, and when a host in its own
     * process (re)connects, which may have missed changes while it was away.
     */
    public void recoverHost(String host) {
        List<Server> placed = jdbi.withHandle(h -> servers.list(h, Optional.empty()));
        java.util.Map<InstanceSpec, dev.portside.agent.Power> expected = new java.util.LinkedHashMap<>();
        placed.stream().filter(s -> s.host().equals(Optional.of(host)))
                .filter(s -> Set.of(Server.ACTIVE, Server.STOPPED, Server.PAUSED, Server.SUSPENDED, Server.RESIZED,
                        Server.SOFT_DELETED).contains(s.vmState()))
                .forEach(s -> expected.put(spec(s), s.vmState().equals(Server.RESIZED)
                        ? (s.powerState() == Server.RUNNING ? dev.portside.agent.Power.RUNNING
                        : dev.portside.agent.Power.SHUTDOWN)
                        : PowerAction.hostPower(s.vmState())));
        try {
            driver.recover(host, expected);
        } catch (VirtException e) {
            LOG.error("recovering host {} failed: {}", host, e.getMessage());
        }
    }

    /** The instance's console output so far, straight from its host. */
    String consoleLog(Server server) {
        return server.host().map(host -> driver.consoleLog(host, spec(server))).orElse("");
    }

    private Optional<Server> load(String serverId) {
        return jdbi.withHandle(h -> servers.find(h, serverId));
    }

    /** What the driver needs to act on an instance that exists: no image data. */
    private InstanceSpec spec(Server server) {
        return spec(server, Optional.empty(), Optional.empty());
    }

    /** What the driver needs to spawn, with the image data the user may boot. */
    private InstanceSpec spec(Server server, AuthContext caller) {
        Optional<ImageClient.ImageRef> image = images.find(caller, server.imageId());
        return spec(server, image.flatMap(ImageClient.ImageRef::data), image.flatMap(ImageClient.ImageRef::diskFormat));
    }

    /** What the driver needs to spawn the server from another image than its own (its shelved snapshot). */
    private InstanceSpec spec(Server server, ImageClient.ImageRef image) {
        return spec(server, image.id(), image.data(), image.diskFormat());
    }

    private InstanceSpec spec(Server server, Optional<java.nio.file.Path> data, Optional<String> diskFormat) {
        return spec(server, server.imageId(), data, diskFormat);
    }

    private InstanceSpec spec(Server server, String imageId, Optional<java.nio.file.Path> data,
                              Optional<String> diskFormat) {
        return new InstanceSpec(server.id(), server.instanceName(), server.name(), ServerView.hostname(server.name()),
                server.projectId(), server.vcpus(), server.memoryMb(), server.rootGb(), imageId, data,
                diskFormat, server.keyData(), server.userData(), server.metadata());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    /**
     * Nova's _reclaim_queued_deletes, from the end of recovery on: a server soft-deleted longer ago
     * than reclaim_instance_interval is deleted, checked every interval (at most every minute).
     */
    private void startReclaiming() {
        if (!settings.deferredDelete() || reclaimer != null) {
            return;
        }
        long period = Math.max(1, Math.min(settings.reclaimInstanceInterval().toSeconds(), 60));
        reclaimer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                Thread.ofVirtual().name("reclaim-queued-deletes").factory());
        reclaimer.scheduleWithFixedDelay(this::reclaim, period, period, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Whether a DELETE soft-deletes (a reclaim_instance_interval is set). */
    boolean defersDeletes() {
        return settings.deferredDelete();
    }

    void reclaim() {
        try {
            Instant cutoff = now().minus(settings.reclaimInstanceInterval());
            for (String id : jdbi.withHandle(h -> servers.softDeletedBefore(h, cutoff))) {
                if (jdbi.inTransaction(h -> servers.startTask(h, id, Set.of(Server.SOFT_DELETED), Server.DELETING,
                        now()))) {
                    LOG.info("reclaiming server {}, soft-deleted before {}", id, cutoff);
                    delete(id, Optional.empty());
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("reclaiming soft-deleted servers failed: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        if (reclaimer != null) {
            reclaimer.shutdownNow();
        }
        tasks.close();
    }
}
