package dev.portside.compute;

import dev.portside.common.db.Database;
import dev.portside.common.http.ErrorFormat;
import dev.portside.common.policy.Policy;
import dev.portside.compute.flavor.FlavorApi;
import dev.portside.compute.flavor.FlavorStore;
import dev.portside.compute.host.HostApi;
import dev.portside.compute.host.HostStore;
import dev.portside.compute.image.ImageClient;
import dev.portside.compute.image.ImageProxyApi;
import dev.portside.compute.keypair.KeypairApi;
import dev.portside.compute.keypair.KeypairStore;
import dev.portside.compute.network.NetworkClient;
import dev.portside.compute.quota.ComputeQuotas;
import dev.portside.compute.quota.QuotaSetApi;
import dev.portside.compute.scheduler.Scheduler;
import dev.portside.compute.servergroup.ServerGroupApi;
import dev.portside.compute.servergroup.ServerGroupStore;
import dev.portside.compute.server.ComputeManager;
import dev.portside.compute.server.ExternalEvents;
import dev.portside.compute.server.Servers;
import dev.portside.compute.virt.VirtDriver;
import io.javalin.Javalin;

import java.time.Clock;
import java.util.Map;

/**
 * The compute service, wired: its schema, the hosts its virt driver serves (registered as compute
 * services at start), the scheduler, the manager that builds servers, and its routes. It reaches the
 * network and image services only through the clients it is given.
 */
public final class Compute implements AutoCloseable {
    /**
     * Where clients reach it, the build's timeouts and attempts, allocation ratios, policy overrides,
     * and how long a host in its own process may be silent before it is down (service_down_time).
     */
    public record Settings(String publicUrl, ComputeManager.Settings build, Scheduler.AllocationRatios ratios,
                           Map<String, String> policyOverrides, java.time.Duration serviceDownTime) {
        public Settings(String publicUrl, ComputeManager.Settings build, Scheduler.AllocationRatios ratios,
                        Map<String, String> policyOverrides) {
            this(publicUrl, build, ratios, policyOverrides, HostStore.SERVICE_DOWN_TIME);
        }
    }

    private final ComputeApi api;
    private final Servers servers;
    private final HostStore hosts;
    private final org.jdbi.v3.core.Jdbi jdbi;
    private final Clock clock;

    public Compute(Database database, Settings settings, NetworkClient network, ImageClient images, VirtDriver driver,
                   Clock clock) {
        database.migrate("compute");
        var jdbi = database.jdbi();
        Policy policy = Policy.of(ComputePolicy.DEFAULTS, settings.policyOverrides());
        HostStore hosts = new HostStore(clock, settings.serviceDownTime());
        this.hosts = hosts;
        this.jdbi = jdbi;
        this.clock = clock;
        jdbi.useTransaction(h -> driver.hosts().forEach(host -> hosts.register(h, host, clock.instant())));
        FlavorStore flavors = new FlavorStore();
        ComputeQuotas quotas = new ComputeQuotas();
        KeypairApi keypairs = new KeypairApi(jdbi, new KeypairStore(), policy, clock, quotas);
        String url = settings.publicUrl();
        ServerGroupStore serverGroups = new ServerGroupStore();
        ServerGroupApi serverGroupApi = new ServerGroupApi(jdbi, serverGroups, policy, quotas, clock);
        this.servers = new Servers(jdbi, flavors, hosts, keypairs, network, images, driver,
                new Scheduler(hosts, serverGroups, settings.ratios()), settings.build(), policy, clock, url, quotas,
                serverGroups, serverGroupApi);
        this.api = new ComputeApi(url, new FlavorApi(jdbi, flavors, policy, url), keypairs,
                new HostApi(jdbi, hosts, policy, clock), servers, new QuotaSetApi(jdbi, quotas, policy), serverGroupApi,
                new ImageProxyApi(jdbi, images, quotas, url));
        servers.recover(driver.hosts().stream().map(dev.portside.compute.virt.HostResources::host)
                .collect(java.util.stream.Collectors.toSet()));
    }

    /**
     * A compute host in its own process reported (at its start, then every report interval): it is
     * recorded with its capacity and tunnel address, and alive for another service_down_time. True
     * when it is new to compute.
     */
    public boolean hostReported(dev.portside.compute.virt.HostResources host, String hostIp) {
        return !jdbi.inTransaction(h -> hosts.report(h, host, hostIp, clock.instant()));
    }

    /**
     * Makes one host hold exactly the servers placed on it (after the host restarted, or lost its
     * messages): those it should not have go, missing ones are made again, each in its power state.
     */
    public void recoverHost(String host) {
        servers.recoverHost(host);
    }

    /** The tunnel address of each compute host that reported one, by host. */
    public Map<String, String> hostIps() {
        Map<String, String> ips = new java.util.HashMap<>();
        jdbi.withHandle(hosts::all).forEach(h -> h.hostIp().ifPresent(ip -> ips.put(h.host(), ip)));
        return ips;
    }

    /** Where the network service posts server events in-process (its Nova notifier). */
    public ExternalEvents events() {
        return servers.events();
    }

    /** What /metrics shows of compute: server builds and servers by vm_state. */
    public java.util.List<io.prometheus.metrics.model.registry.Collector> metrics() {
        return servers.metrics();
    }

    public ErrorFormat errors() {
        return new NovaErrors();
    }

    public void register(Javalin app) {
        api.register(app);
    }

    /** Lets running tasks finish; call before the database closes. */
    @Override
    public void close() {
        servers.close();
    }
}
