package dev.portside.compute.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.json.Fields;
import dev.portside.compute.NovaErrors;
import dev.portside.compute.flavor.Flavor;
import dev.portside.compute.flavor.FlavorStore;
import dev.portside.compute.host.HostStore;
import dev.portside.compute.quota.ComputeQuotas;
import dev.portside.compute.scheduler.Scheduler;
import dev.portside.compute.virt.NamespaceDriver;
import org.jdbi.v3.core.Jdbi;

import java.util.Optional;
import java.util.Set;

/**
 * The {@code resize}, {@code confirmResize} and {@code revertResize} actions. A server is resized on
 * its own host (as DevStack's all-in-one allows with {@code allow_resize_to_same_host}): the new
 * flavor is recorded with the old one kept, under the project's quota lock and the host's row lock,
 * the host holding both until the resize is confirmed (the old one let go) or reverted (the old one
 * back). Namespace instances share the host's resources and are not resized.
 */
final class ServerResize {
    private static final Set<String> RESIZABLE = Set.of(Server.ACTIVE, Server.STOPPED);

    private final Jdbi jdbi;
    private final ServerStore servers;
    private final ServerApi serverApi;
    private final FlavorStore flavors;
    private final HostStore hosts;
    private final Scheduler scheduler;
    private final ComputeQuotas quotas;
    private final ComputeManager manager;

    ServerResize(Jdbi jdbi, ServerStore servers, ServerApi serverApi, FlavorStore flavors, HostStore hosts,
                 Scheduler scheduler, ComputeQuotas quotas, ComputeManager manager) {
        this.jdbi = jdbi;
        this.servers = servers;
        this.serverApi = serverApi;
        this.flavors = flavors;
        this.hosts = hosts;
        this.scheduler = scheduler;
        this.quotas = quotas;
        this.manager = manager;
    }

    /** {"resize": {"flavorRef": F}}: 202, the resize runs behind the API and ends in VERIFY_RESIZE. */
    void resize(AuthContext caller, String id, ObjectNode body) {
        Fields request = Fields.wrapped(body, "resize", Set.of("flavorRef", "OS-DCF:diskConfig"));
        Optional<String> diskConfig = ServerRequest.diskConfig(request);
        String ref = request.node().path("flavorRef").asText("");
        if (ref.isEmpty()) {
            throw NovaErrors.badRequest("Invalid input for field/attribute resize. 'flavorRef' is a required property");
        }
        String flavorId = ref.substring(ref.lastIndexOf('/') + 1);
        Server server = serverApi.changeable(caller, id, "os_compute_api:servers:resize");
        // Nova checks the server's state before the flavor (its check_instance_state); the claim below decides.
        if (!RESIZABLE.contains(server.vmState()) || server.taskState().isPresent()) {
            throw serverApi.notStartable("resize", id);
        }
        Flavor flavor = jdbi.withHandle(h -> flavors.find(h, flavorId))
                .orElseThrow(() -> NovaErrors.badRequest("Unable to locate requested flavor."));
        if (flavor.id().equals(server.flavorId())) {
            throw NovaErrors.badRequest("When resizing, instances must change flavor!");
        }
        if (flavor.disk() < server.rootGb()) {
            throw NovaErrors.badRequest("Resizing to a smaller disk flavor is not allowed.");
        }
        String host = server.host().orElseThrow(() -> NovaErrors.invalidState("resize", id, "vm_state", server.vmState()));
        if (jdbi.withHandle(h -> hosts.find(h, host)).filter(c -> c.hypervisorType()
                .equals(NamespaceDriver.HYPERVISOR_TYPE)).isPresent()) {
            throw NovaErrors.conflict(NamespaceDriver.NOT_RESIZABLE);
        }
        Scheduler.Request room = new Scheduler.Request(flavor.vcpus(), flavor.ram(), flavor.disk(), Set.of(),
                Optional.empty(), Optional.empty(), Optional.empty());
        boolean started = jdbi.inTransaction(h -> {
            if (!servers.startTask(h, id, RESIZABLE, "resize_prep", serverApi.now())) {
                return false;
            }
            quotas.claimResize(h, server.projectId(), flavor.vcpus() - server.vcpus(), flavor.ram() - server.memoryMb());
            // The host holds the old flavor and the new one until the resize is confirmed or reverted.
            if (!scheduler.fitsLocked(h, host, room)) {
                throw NovaErrors.badRequest("No valid host was found. Host " + host + " has no room for flavor "
                        + flavor.name() + " beside the server's current one.");
            }
            servers.resize(h, id, Server.Sizing.of(flavor));
            diskConfig.ifPresent(config -> servers.setDiskConfig(h, id, config));
            return true;
        });
        if (!started) {
            throw serverApi.notStartable("resize", id);
        }
        manager.resize(id);
    }

    /** {"confirmResize": null}: the new flavor is kept and the old one let go. */
    void confirm(AuthContext caller, String id) {
        end(caller, id, "os_compute_api:servers:confirm_resize", "confirming_resize", "confirmResize");
        manager.endResize(id, false);
    }

    /** {"revertResize": null}: the old flavor comes back, and what the instance had with it. */
    void revert(AuthContext caller, String id) {
        end(caller, id, "os_compute_api:servers:revert_resize", "resize_reverting", "revertResize");
        manager.endResize(id, true);
    }

    private void end(AuthContext caller, String id, String rule, String taskState, String method) {
        Server server = serverApi.changeable(caller, id, rule);
        if (!server.vmState().equals(Server.RESIZED)) {
            // Nova finds no finished migration to confirm or revert.
            throw NovaErrors.badRequest("Instance has not been resized.");
        }
        if (!jdbi.inTransaction(h -> servers.startTask(h, id, Set.of(Server.RESIZED), taskState, serverApi.now()))) {
            throw serverApi.notStartable(method, id);
        }
    }
}
