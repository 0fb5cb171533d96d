package dev.portside.compute.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.http.Requests;
import dev.portside.common.json.Json;
import dev.portside.common.policy.Policy;
import dev.portside.compute.Microversion;
import dev.portside.compute.NovaErrors;
import dev.portside.compute.image.ImageClient;
import dev.portside.compute.quota.ComputeQuotas;
import io.javalin.http.Context;
import org.jdbi.v3.core.Jdbi;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /servers/{id}/action}, each action with its policy rule and Nova's checks: the
 * power actions ({@link PowerAction}: stop, start, reboot, pause, unpause, suspend, resume) claim
 * the server in the states Nova allows and refuse a locked one; the console; add and remove
 * security group; rebuild; snapshots and backups ({@link ServerImages});
 * shelving ({@link ServerShelving}); resize ({@link ServerResize}); lock and unlock.
 */
final class ServerActions {
    private final Jdbi jdbi;
    private final ServerStore servers;
    private final ServerApi serverApi;
    private final ServerSecurityGroups securityGroups;
    private final ComputeManager manager;
    private final Policy policy;
    private final ComputeQuotas quotas;
    private final ServerImages images;
    private final ServerShelving shelving;
    private final ServerResize resize;
    private final InstanceActions instanceActions;
    // The actions Nova records as instance actions, by the body's name: Nova's name for each.
    private static final java.util.Map<String, String> RECORDED = java.util.Map.ofEntries(
            java.util.Map.entry("os-stop", "stop"), java.util.Map.entry("os-start", "start"),
            java.util.Map.entry("reboot", "reboot"), java.util.Map.entry("pause", "pause"),
            java.util.Map.entry("unpause", "unpause"), java.util.Map.entry("suspend", "suspend"),
            java.util.Map.entry("resume", "resume"), java.util.Map.entry("rebuild", "rebuild"),
            java.util.Map.entry("resize", "resize"), java.util.Map.entry("confirmResize", "confirmResize"),
            java.util.Map.entry("revertResize", "revertResize"), java.util.Map.entry("shelve", "shelve"),
            java.util.Map.entry("unshelve", "unshelve"), java.util.Map.entry("createImage", "createImage"),
            java.util.Map.entry("createBackup", "createBackup"), java.util.Map.entry("lock", "lock"),
            java.util.Map.entry("unlock", "unlock"), java.util.Map.entry("restore", "restore"),
            java.util.Map.entry("forceDelete", "forceDelete"));

    ServerActions(Jdbi jdbi, ServerStore servers, ServerApi serverApi, ServerSecurityGroups securityGroups,
                  ComputeManager manager, Policy policy, ComputeQuotas quotas, InstanceActions instanceActions,
                  ServerImages images,
                  ServerShelving shelving, ServerResize resize) {
        this.resize = resize;
        this.instanceActions = instanceActions;
        this.images = images;
        this.shelving = shelving;
        this.quotas = quotas;
        this.jdbi = jdbi;
        this.servers = servers;
        this.serverApi = serverApi;
        this.securityGroups = securityGroups;
        this.manager = manager;
        this.policy = policy;
    }

    public void handle(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        ObjectNode body = Requests.jsonBody(ctx);
        if (body.size() != 1) {
            throw NovaErrors.badRequest("The action body names exactly one action.");
        }
        String action = body.fieldNames().next();
        String id = ctx.pathParam("server_id");
        dispatch(ctx, caller, id, action, body);
        Optional.ofNullable(RECORDED.get(action)).ifPresent(name -> jdbi.useTransaction(h ->
                instanceActions.record(h, ctx, id, name, caller)));
    }

    private void dispatch(Context ctx, AuthContext caller, String id, String action, ObjectNode body) {
        Optional<PowerAction> power = PowerAction.ofAction(action);
        if (power.isPresent()) {
            start(caller, id, power.get());
            ctx.status(202);
            return;
        }
        switch (action) {
            case "reboot" -> {
                JsonNode reboot = body.get("reboot");
                String type = reboot.path("type").asText("");
                if (!reboot.isObject() || !(type.equals("SOFT") || type.equals("HARD")) || reboot.size() != 1) {
                    throw NovaErrors.badRequest("Invalid input for field/attribute reboot. Value: " + reboot
                            + ". 'type' is one of ['HARD', 'Hard', 'hard', 'SOFT', 'Soft', 'soft']");
                }
                start(caller, id, type.equals("HARD") ? PowerAction.HARD_REBOOT : PowerAction.SOFT_REBOOT);
            }
            case "os-getConsoleOutput" -> {
                consoleOutput(ctx, caller, id, body.get("os-getConsoleOutput"));
                return;
            }
            case "addSecurityGroup" -> securityGroups.add(caller,
                    serverApi.visible(caller, id, "os_compute_api:os-security-groups:add"), body.get(action));
            case "removeSecurityGroup" -> securityGroups.remove(caller,
                    serverApi.visible(caller, id, "os_compute_api:os-security-groups:remove"), body.get(action));
            case "rebuild" -> {
                rebuild(ctx, caller, id, body.get(action));
                return;
            }
            case "createImage" -> {
                images.createImage(ctx, caller, id, body);
                return;
            }
            case "createBackup" -> {
                images.createBackup(ctx, caller, id, body);
                return;
            }
            case "resize" -> resize.resize(caller, id, body);
            case "confirmResize" -> {
                resize.confirm(caller, id);
                ctx.status(204);
                return;
            }
            case "revertResize" -> resize.revert(caller, id);
            // Nova's deferred delete: forceDelete deletes now, a soft-deleted server or any other.
            case "forceDelete" -> serverApi.delete(ctx, caller,
                    serverApi.changeable(caller, id, "os_compute_api:os-deferred-delete:force"));
            case "restore" -> restore(caller, id);
            case "shelve" -> shelving.shelve(caller, id);
            case "unshelve" -> shelving.unshelve(caller, id, body.get(action), Microversion.of(ctx));
            case "shelveOffload" -> shelving.shelveOffload(caller, id);
            case "lock" -> lock(caller, id, body.get(action), Microversion.of(ctx));
            case "unlock" -> unlock(caller, id);
            default -> throw NovaErrors.badRequest("There is no such action: " + action);
        }
        ctx.status(202);
    }

    /** {"os-getConsoleOutput": {"length": N}}: the last N lines of the console (all when N is absent or null). */
    private void consoleOutput(Context ctx, AuthContext caller, String id, JsonNode request) {
        Server server = serverApi.visible(caller, id, "os_compute_api:os-console-output");
        JsonNode length = request == null ? null : request.get("length");
        if (request == null || !request.isObject() || (length != null && !length.isNull() && !length.canConvertToInt())) {
            throw NovaErrors.badRequest("Invalid input for field/attribute os-getConsoleOutput. Value: " + request
                    + ". 'length' is an integer, -1 or null");
        }
        if (server.host().isEmpty()) {
            throw NovaErrors.conflict("Instance " + id + " is not ready: it runs on no host.");
        }
        String output = manager.consoleLog(server);
        if (length != null && !length.isNull() && length.asInt() >= 0) {
            // Nova's _tail_log: the last N pieces between newlines, a final newline making an empty last piece.
            List<String> pieces = List.of(output.split("\n", -1));
            output = String.join("\n", pieces.subList(Math.max(0, pieces.size() - length.asInt()), pieces.size()));
        }
        Requests.respond(ctx, 200, Json.object().put("output", output));
    }

    /**
     * {"restore": null}: a soft-deleted server is powered on again, ACTIVE, once its instance, cores
     * and RAM fit the project's quotas again (a soft-deleted server holds none, as in Nova).
     */
    private void restore(AuthContext caller, String id) {
        PowerAction restore = PowerAction.RESTORE;
        Server server = serverApi.changeable(caller, id, restore.rule);
        boolean started = jdbi.inTransaction(h -> {
            if (!servers.startTask(h, id, restore.from, restore.taskState, serverApi.now())) {
                return false;
            }
            quotas.claimServers(h, server.projectId(), server.vcpus(), server.memoryMb(), 1, 1);
            servers.setSoftDeleted(h, id, Optional.empty());
            return true;
        });
        if (!started) {
            throw serverApi.notStartable(restore.method, id);
        }
        manager.power(id, restore);
    }

    private void start(AuthContext caller, String id, PowerAction action) {
        Server server = serverApi.changeable(caller, id, action.rule);
        // A server on no host (its build failed) has nothing to power.
        if (server.host().isEmpty()) {
            throw NovaErrors.invalidState(action.method, id, "vm_state", server.vmState());
        }
        boolean started = jdbi.inTransaction(h -> servers.startTask(h, id, action.from, action.taskState, serverApi.now()));
        if (!started) {
            throw serverApi.notStartable(action.method, id);
        }
        manager.power(id, action);
    }


    /**
     * {"rebuild": {"imageRef": ...}}: from ACTIVE, SHUTOFF or ERROR, with an image the flavor can
     * hold and the server's host can run; 202 with the server as it will be and an adminPass.
     */
    private void rebuild(Context ctx, AuthContext caller, String id, JsonNode request) {
        Server server = serverApi.changeable(caller, id, "os_compute_api:servers:rebuild");
        Microversion version = Microversion.of(ctx);
        ServerRequest.Rebuild rebuild = ServerRequest.Rebuild.read(request, version, server);
        ImageClient.ImageRef image = serverApi.usableImage(caller, rebuild.imageRef(), server.rootGb(), server.memoryMb());
        Optional<Optional<dev.portside.compute.keypair.Keypair>> keypair = rebuild.keyName()
                .map(name -> name.map(n -> serverApi.keypair(caller, n)));
        if (server.host().isEmpty()) {
            throw NovaErrors.invalidState("rebuild", id, "vm_state", server.vmState());
        }
        if (!serverApi.hostRuns(server, image)) {
            throw NovaErrors.badRequest("Image " + image.id() + " cannot run on host " + server.host().get()
                    + ": its hypervisor_type is " + image.hypervisorType().orElse("none (a disk)") + ".");
        }
        boolean started = jdbi.inTransaction(h -> {
            if (!servers.startTask(h, id, Set.of(Server.ACTIVE, Server.STOPPED, Server.ERROR), "rebuilding",
                    serverApi.now())) {
                return false;
            }
            quotas.checkMetadata(h, server.projectId(), rebuild.metadata().size());
            servers.rebuild(h, id, image.id(), rebuild.name(), rebuild.description(), rebuild.accessIps(),
                    rebuild.metadata(), serverApi.now());
            rebuild.diskConfig().ifPresent(config -> servers.setDiskConfig(h, id, config));
            keypair.ifPresent(key -> servers.setKey(h, id, key.map(dev.portside.compute.keypair.Keypair::name),
                    key.map(dev.portside.compute.keypair.Keypair::publicKey)));
            rebuild.userData().ifPresent(data -> servers.setUserData(h, id, data));
            return true;
        });
        if (!started) {
            throw serverApi.notStartable("rebuild", id);
        }
        manager.rebuild(id, server.vmState().equals(Server.STOPPED), caller);
        Server shown = jdbi.withHandle(h -> servers.find(h, id)).orElseThrow(() -> NovaErrors.serverNotFound(id));
        ObjectNode json = serverApi.changedView(ctx, caller, shown).put("adminPass",
                rebuild.adminPass().orElseGet(ServerApi::password));
        // Nova's rebuild answer adds the key from 2.54 and the user data from 2.57 to the changed view.
        if (version.atLeast(54)) {
            json.put("key_name", shown.keyName().orElse(null));
        }
        if (version.atLeast(57)) {
            json.put("user_data", shown.userData().orElse(null));
        }
        Requests.respond(ctx, 202, Json.object().set("server", json));
    }

    /**
     * {"lock": null | {"locked_reason": R}}: by the server's own project the lock is the owner's,
     * by an admin of another the admin's; the owner locking again changes nothing.
     */
    private void lock(AuthContext caller, String id, JsonNode request, Microversion version) {
        Server server = serverApi.visible(caller, id, "os_compute_api:os-lock-server:lock");
        // Before 2.73 Nova reads no lock body; from 2.73 it takes null or {"locked_reason": R}.
        if (!version.atLeast(73)) {
            request = null;
        } else if (request != null && !request.isNull() && !validLock(request)) {
            throw NovaErrors.badRequest("Invalid input for field/attribute lock. Value: " + request
                    + ". It must be null or {\"locked_reason\": a string of at most 255 characters}");
        }
        boolean owner = caller.projectId().equals(Optional.of(server.projectId()));
        if (server.locked() && owner) {
            return;
        }
        Optional<String> reason = Optional.ofNullable(request).map(r -> r.get("locked_reason"))
                .filter(JsonNode::isTextual).map(JsonNode::asText);
        Server.Lock lock = new Server.Lock(owner ? Server.Lock.OWNER : Server.Lock.ADMIN, reason);
        jdbi.useTransaction(h -> servers.lock(h, id, Optional.of(lock), serverApi.now()));
    }

    private static boolean validLock(JsonNode request) {
        if (!request.isObject()) {
            return false;
        }
        java.util.List<String> names = new java.util.ArrayList<>();
        request.fieldNames().forEachRemaining(names::add);
        JsonNode reason = request.get("locked_reason");
        return Set.of("locked_reason").containsAll(names)
                && (reason == null || reason.isTextual() && reason.asText().length() <= 255);
    }

    /** {"unlock": null}: a lock of the other kind (an admin's, for the owner) takes an admin to lift; none is no-op. */
    private void unlock(AuthContext caller, String id) {
        Server server = serverApi.visible(caller, id, "os_compute_api:os-lock-server:unlock");
        boolean owner = caller.projectId().equals(Optional.of(server.projectId()));
        String expected = owner ? Server.Lock.OWNER : Server.Lock.ADMIN;
        if (server.lock().filter(lock -> !lock.lockedBy().equals(expected)).isPresent()) {
            policy.enforce("os_compute_api:os-lock-server:unlock:unlock_override", caller, server.target());
        }
        jdbi.useTransaction(h -> servers.lock(h, id, Optional.empty(), serverApi.now()));
    }
}
