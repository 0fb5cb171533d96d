package dev.portside.compute.server;

import dev.portside.common.policy.Policy;
import dev.portside.compute.quota.ComputeQuotas;
import dev.portside.compute.flavor.FlavorStore;
import dev.portside.compute.host.HostStore;
import dev.portside.compute.image.ImageClient;
import dev.portside.compute.keypair.KeypairApi;
import dev.portside.compute.network.NetworkClient;
import dev.portside.compute.scheduler.Scheduler;
import dev.portside.compute.servergroup.ServerGroupApi;
import dev.portside.compute.servergroup.ServerGroupStore;
import dev.portside.compute.virt.VirtDriver;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;

/** The server side of compute, wired: its APIs, the manager that runs its tasks, and where events come in. */
public final class Servers implements AutoCloseable {
    private final ServerApi api;
    private final InterfaceApi interfaces;
    private final SecurityGroupProxyApi securityGroups;
    private final ServerTagApi tags;
    private final ServerMetadataApi metadata;
    private final ExternalEvents events;
    private final ComputeManager manager;
    private final InstanceActions instanceActions;
    private final ServerMetrics metrics;

    public Servers(Jdbi jdbi, FlavorStore flavors, HostStore hosts, KeypairApi keypairs, NetworkClient network,
                   ImageClient images, VirtDriver driver, Scheduler scheduler, ComputeManager.Settings settings,
                   Policy policy, Clock clock, String baseUrl, ComputeQuotas quotas, ServerGroupStore serverGroups,
                   ServerGroupApi serverGroupApi) {
        ServerStore servers = new ServerStore();
        VifEvents vifEvents = new VifEvents();
        this.metrics = new ServerMetrics(jdbi);
        this.manager = new ComputeManager(jdbi, servers, serverGroups, scheduler, new PortWiring(jdbi, servers, network, clock), driver,
                images, vifEvents, settings, metrics, clock);
        this.instanceActions = new InstanceActions(jdbi, servers, policy, clock, baseUrl);
        this.api = new ServerApi(jdbi, servers, flavors, hosts, keypairs, network, images, manager, policy, clock, baseUrl,
                quotas, serverGroupApi, scheduler, instanceActions);
        this.interfaces = new InterfaceApi(jdbi, servers, api, network, manager, clock, instanceActions);
        this.securityGroups = new SecurityGroupProxyApi(jdbi, servers, api, network, policy);
        this.tags = new ServerTagApi(jdbi, servers, api, baseUrl);
        this.metadata = new ServerMetadataApi(jdbi, servers, api, quotas);
        this.events = new ExternalEvents(jdbi, servers, vifEvents, policy);
    }

    /** Settles what a stopped Portside left in flight and makes the hosts match the database; see ComputeManager. */
    public void recover(java.util.Set<String> hosts) {
        manager.recover(hosts);
    }

    /** Makes one host hold the servers placed on it; see ComputeManager. */
    public void recoverHost(String host) {
        manager.recoverHost(host);
    }

    public ServerApi api() {
        return api;
    }

    public InterfaceApi interfaces() {
        return interfaces;
    }

    public ServerTagApi tags() {
        return tags;
    }

    public ServerMetadataApi metadata() {
        return metadata;
    }

    public SecurityGroupProxyApi securityGroups() {
        return securityGroups;
    }

    public InstanceActions instanceActions() {
        return instanceActions;
    }

    /** Builds and servers by vm_state, for /metrics. */
    public java.util.List<io.prometheus.metrics.model.registry.Collector> metrics() {
        return metrics.collectors();
    }

    public ExternalEvents events() {
        return events;
    }

    @Override
    public void close() {
        manager.close();
    }
}
