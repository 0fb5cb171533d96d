package dev.portside.compute.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.compute.NovaErrors;
import org.jdbi.v3.core.Jdbi;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code shelve}, {@code unshelve} and {@code shelveOffload} actions, as Nova runs them with its
 * default {@code shelved_offload_time} of 0: a shelved server is snapshotted into
 * "&lt;name&gt;-shelved" and offloaded at once (SHELVED_OFFLOADED: no host, its ports still its own),
 * and unshelving schedules it again and boots it from that snapshot.
 */
final class ServerShelving {
    private static final Set<String> UNSHELVABLE = Set.of(Server.SHELVED, Server.SHELVED_OFFLOADED);

    private final Jdbi jdbi;
    private final ServerStore servers;
    private final ServerApi serverApi;
    private final ServerImages images;
    private final ComputeManager manager;

    ServerShelving(Jdbi jdbi, ServerStore servers, ServerApi serverApi, ServerImages images, ComputeManager manager) {
        this.jdbi = jdbi;
        this.servers = servers;
        this.serverApi = serverApi;
        this.images = images;
        this.manager = manager;
    }

    void shelve(AuthContext caller, String id) {
        Server server = serverApi.changeable(caller, id, "os_compute_api:os-shelve:shelve");
        String imageId = images.claim(caller, server, "shelve", "shelving", "snapshot", shelvedName(server.name()),
                Map.of());
        jdbi.useTransaction(h -> servers.setShelvedImage(h, id, Optional.of(imageId)));
        manager.shelve(id, imageId, caller);
    }

    /** {"unshelve": null}, or from 2.77 {"unshelve": {"availability_zone": Z}} naming this cloud's one zone. */
    void unshelve(AuthContext caller, String id, JsonNode request, dev.portside.compute.Microversion version) {
        // Before 2.77 Nova reads no unshelve body.
        if (!version.atLeast(77)) {
            request = null;
        }
        if (request != null && !request.isNull()) {
            JsonNode zone = request.get("availability_zone");
            if (!request.isObject() || request.size() > 1 || (request.size() == 1 && zone == null)) {
                throw NovaErrors.badRequest("Invalid input for field/attribute unshelve. Value: " + request
                        + ". Additional properties are not allowed or it is not of type 'object', 'null'");
            }
            if (zone != null && !zone.isNull() && !zone.asText().equals("nova")) {
                throw NovaErrors.badRequest("The requested availability zone is not available");
            }
        }
        Server server = serverApi.changeable(caller, id, "os_compute_api:os-shelve:unshelve");
        if (!jdbi.inTransaction(h -> servers.startTask(h, server.id(), UNSHELVABLE, "unshelving", serverApi.now()))) {
            throw serverApi.notStartable("unshelve", id);
        }
        manager.unshelve(id, caller);
    }

    /** A shelved server is offloaded as it is shelved, so there is never one left to offload, as in Nova with offload time 0. */
    void shelveOffload(AuthContext caller, String id) {
        Server server = serverApi.visible(caller, id, "os_compute_api:os-shelve:shelve_offload");
        throw server.taskState().isPresent()
                ? NovaErrors.invalidState("shelve_offload", id, "task_state", server.taskState().get())
                : NovaErrors.invalidState("shelve_offload", id, "vm_state", server.vmState());
    }

    // Nova's shelve names the snapshot after the server; an image name holds 255 characters.
    private static String shelvedName(String name) {
        String suffix = "-shelved";
        return (name.length() + suffix.length() > 255 ? name.substring(0, 255 - suffix.length()) : name) + suffix;
    }
}
