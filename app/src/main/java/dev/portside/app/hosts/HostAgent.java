package dev.portside.app.hosts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portside.agent.Vxlans;
import dev.portside.app.messaging.Bus;
import dev.portside.compute.virt.HostResources;
import dev.portside.compute.virt.InstanceSpec;
import dev.portside.compute.virt.PortAgent;
import dev.portside.compute.virt.VirtDriver;
import dev.portside.network.firewall.HostFiltering;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A compute host's side of the broker (Nova's compute service and Neutron's L2 agent in one): it
 * runs what a controller asks of its virt driver, reports itself alive every {@code reportInterval},
 * reports its ports' devices up and down, and keeps its ports' filtering and VXLAN forwarding as
 * the controllers say. It asks for that state when told its ports changed, before it wires an
 * instance, and after it (re)connected, when its first report asks the controller to make it hold
 * exactly its servers again.
 */
public final class HostAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HostAgent.class);

    private final Bus bus;
    private final VirtDriver driver;
    private final HostResources resources;
    private final String hostIp;
    private final HostFiltering filtering;
    private final Vxlans vxlans;
    private final Duration timeout;
    private final ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("host-reports").daemon().factory());
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("host-refresh").daemon().factory());
    private final AtomicBoolean resync = new AtomicBoolean(true);
    private final AtomicBoolean refreshQueued = new AtomicBoolean(false);
    private final Object refreshing = new Object();

    public HostAgent(Bus bus, VirtDriver driver, HostResources resources, String hostIp, HostFiltering filtering,
                     Vxlans vxlans, Duration timeout) {
        this.bus = bus;
        this.driver = driver;
        this.resources = resources;
        this.hostIp = hostIp;
        this.filtering = filtering;
        this.vxlans = vxlans;
        this.timeout = timeout;
    }

    /** The host's reports of its ports' devices, sent to the controllers. */
    public static PortAgent reportingTo(Bus bus) {
        return new PortAgent() {
            @Override
            public void deviceUp(String portId, String host) {
                bus.cast(HostMessages.REPORTS, "device_up", new HostMessages.Device(portId, host));
            }

            @Override
            public void deviceDown(String portId, String host) {
                bus.cast(HostMessages.REPORTS, "device_down", new HostMessages.Device(portId, host));
            }
        };
    }

    /** Starts serving the host's queue, hearing broadcasts and reporting. */
    public void start(Duration reportInterval) {
        bus.serve(HostMessages.queueOf(resources.host()), false, this::handle);
        bus.subscribe(HostMessages.HOSTS, (method, args) -> {
            refreshSoon();
            return null;
        });
        // After the broker came back the host may have missed casts and broadcasts: its next report says so.
        bus.onRecovery(() -> {
            resync.set(true);
            report();
        });
        reporter.scheduleWithFixedDelay(this::report, 0, reportInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void report() {
        boolean again = resync.getAndSet(false);
        try {
            bus.cast(HostMessages.REPORTS, "report", new HostMessages.Report(resources, hostIp, again));
        } catch (RuntimeException e) {
            resync.compareAndSet(false, again);
            LOG.warn("cannot report to the controllers: {}", e.getMessage());
        }
    }

    private Object handle(String method, JsonNode args) {
        String host = resources.host();
        switch (method) {
            case "spawn" -> {
                HostMessages.Spawn spawn = read(args, HostMessages.Spawn.class);
                // The port's filter is in force before its device is.
                refresh();
                driver.spawn(host, spawn.instance(), spawn.vifs());
                refreshSoon();
            }
            case "destroy" -> driver.destroy(host, instance(args));
            case "power_off" -> driver.powerOff(host, instance(args));
            case "power_on" -> driver.powerOn(host, instance(args));
            case "reboot" -> {
                HostMessages.Reboot reboot = read(args, HostMessages.Reboot.class);
                driver.reboot(host, reboot.instance(), reboot.hard());
            }
            case "pause" -> driver.pause(host, instance(args));
            case "unpause" -> driver.unpause(host, instance(args));
            case "snapshot" -> {
                HostMessages.Snapshot snapshot = read(args, HostMessages.Snapshot.class);
                return driver.snapshot(host, snapshot.instance(), Path.of(snapshot.target())).orElse(null);
            }
            case "resize" -> driver.resize(host, instance(args));
            case "confirm_resize" -> driver.confirmResize(host, instance(args));
            case "revert_resize" -> driver.revertResize(host, instance(args));
            case "attach_interface" -> {
                HostMessages.Interface attach = read(args, HostMessages.Interface.class);
                refresh();
                driver.attachInterface(host, attach.instance(), attach.vif());
                refreshSoon();
            }
            case "detach_interface" -> {
                HostMessages.Interface detach = read(args, HostMessages.Interface.class);
                driver.detachInterface(host, detach.instance(), detach.vif());
            }
            case "console_log" -> {
                return driver.consoleLog(host, instance(args));
            }
            case "recover" -> {
                Map<InstanceSpec, dev.portside.agent.Power> expected = new LinkedHashMap<>();
                read(args, HostMessages.Recover.class).instances().forEach(e -> expected.put(e.instance(), e.power()));
                refresh();
                driver.recover(host, expected);
                refreshSoon();
            }
            default -> throw new IllegalArgumentException("a compute host does not know " + method);
        }
        return null;
    }

    private static InstanceSpec instance(JsonNode args) {
        return read(args, HostMessages.Instance.class).instance();
    }

    private static <T> T read(JsonNode args, Class<T> type) {
        return Bus.MAPPER.convertValue(args, type);
    }

    // Refreshes coalesce: a burst of broadcasts while one runs costs one more, not one each.
    private void refreshSoon() {
        if (refreshQueued.compareAndSet(false, true)) {
            refresher.execute(() -> {
                refreshQueued.set(false);
                try {
                    refresh();
                } catch (RuntimeException e) {
                    LOG.warn("cannot refresh this host's ports: {}", e.getMessage());
                }
            });
        }
    }

    /** Asks the controllers what this host's ports need now and makes it so. */
    private void refresh() {
        synchronized (refreshing) {
            HostMessages.HostState state = bus.call(HostMessages.CONTROLLERS, "host_state",
                    new HostMessages.StateQuery(resources.host()), timeout,
                    Bus.MAPPER.constructType(HostMessages.HostState.class));
            filtering.apply(state.filters());
            vxlans.apply(state.tunnels());
        }
    }

    @Override
    public void close() {
        reporter.shutdownNow();
        refresher.shutdownNow();
    }
}
