package dev.portside.compute.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.http.Requests;
import dev.portside.common.json.Fields;
import dev.portside.common.json.Json;
import dev.portside.common.policy.Policy;
import dev.portside.compute.Microversion;
import dev.portside.compute.NovaErrors;
import io.javalin.http.Context;
import org.jdbi.v3.core.Jdbi;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code os-server-external-events}: how the network service tells compute a server's port came up
 * (network-vif-plugged) or changed. The in-process network service calls {@link #deliver}; any other
 * caller (an admin, or a Neutron) posts to the API.
 */
public final class ExternalEvents {
    private static final Set<String> NAMES = Set.of("network-changed", "network-vif-plugged", "network-vif-unplugged",
            "network-vif-deleted");
    // Event names later microversions add (Portside's maximum has the first two); none is acted on.
    private static final Map<String, Integer> LATER_NAMES = Map.of("volume-extended", 51, "power-update", 76,
            "accelerator-request-bound", 82, "volume-reimaged", 93);
    private static final Set<String> STATUSES = Set.of("failed", "completed", "in-progress");

    private final Jdbi jdbi;
    private final ServerStore servers;
    private final VifEvents events;
    private final Policy policy;

    ExternalEvents(Jdbi jdbi, ServerStore servers, VifEvents events, Policy policy) {
        this.jdbi = jdbi;
        this.servers = servers;
        this.events = events;
        this.policy = policy;
    }

    /** One event for a server; false when there is no such server. */
    public boolean deliver(String name, String serverId, String tag, String status) {
        boolean exists = jdbi.withHandle(h -> servers.find(h, serverId)).isPresent();
        if (exists) {
            events.deliver(name, serverId, tag, status);
        }
        return exists;
    }

    public void create(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        policy.enforce("os_compute_api:os-server-external-events:create", caller, Map.of());
        List<Fields> posted = Fields.of(Requests.jsonBody(ctx), "", Set.of("events"))
                .objects("events", Set.of("name", "server_uuid", "tag", "status"))
                .orElseThrow(() -> NovaErrors.badRequest("Invalid input for field/attribute events: 'events' is a required property"));
        if (posted.isEmpty()) {
            throw NovaErrors.badRequest("Invalid input for field/attribute events. Value: []. [] is too short");
        }
        ObjectNode body = Json.object();
        ArrayNode results = body.putArray("events");
        int found = 0;
        for (Fields event : posted) {
            String name = event.requiredString("name", 64);
            if (!NAMES.contains(name) && !Microversion.of(ctx).atLeast(LATER_NAMES.getOrDefault(name, Integer.MAX_VALUE))) {
                throw NovaErrors.badRequest("Invalid input for field/attribute name. Value: " + name + ".");
            }
            String status = event.string("status", 32).orElse("completed");
            if (!STATUSES.contains(status)) {
                throw NovaErrors.badRequest("Invalid input for field/attribute status. Value: " + status + ".");
            }
            String server = event.requiredString("server_uuid", 36);
            String tag = event.string("tag", 255).orElse("");
            // power-update (2.76) is for hosts whose machines change power outside the cloud (Nova's
            // Ironic driver); like Nova's libvirt driver, Portside's drivers take it and change nothing.
            if (name.equals("power-update") && !Set.of("POWER_ON", "POWER_OFF").contains(tag)) {
                throw NovaErrors.badRequest("Invalid input for tag: " + tag + ". The tag of a power-update event"
                        + " must be POWER_ON or POWER_OFF.");
            }
            boolean delivered = deliver(name, server, tag, status);
            found += delivered ? 1 : 0;
            results.addObject().put("name", name).put("server_uuid", server).put("tag", tag).put("status", status)
                    .put("code", delivered ? 200 : 404);
        }
        // As Nova: 200 when every event found its server, 207 when some did, 404 when none did.
        int status = found == posted.size() ? 200 : found == 0 ? 404 : 207;
        if (status == 404) {
            throw NovaErrors.notFound("No instances found for any event");
        }
        Requests.respond(ctx, status, body);
    }
}
