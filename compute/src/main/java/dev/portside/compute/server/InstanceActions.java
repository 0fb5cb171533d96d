package dev.portside.compute.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.http.ApiServer;
import dev.portside.common.http.Requests;
import dev.portside.common.json.Json;
import dev.portside.common.policy.Policy;
import dev.portside.compute.Microversion;
import dev.portside.compute.NovaErrors;
import dev.portside.compute.NovaQuery;
import dev.portside.common.paging.Page;
import io.javalin.http.Context;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Nova's instance actions: each request that acts on a server is recorded (which action, who, when,
 * its request id), and {@code /servers/{id}/os-instance-actions} lists them, a deleted server's too
 * from 2.21, paged from 2.58. Portside records no per-step events, so an action's {@code events}
 * list is empty (and with it 2.62's host and hostId of an event).
 */
public final class InstanceActions {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS")
            .withZone(ZoneOffset.UTC);
    private static final Microversion DELETED_LISTED = new Microversion(2, 21);
    private static final Microversion EVENTS_FOR_ALL = new Microversion(2, 51);
    private static final Microversion UPDATED_AT = new Microversion(2, 58);
    private static final Microversion CHANGES_BEFORE = new Microversion(2, 66);
    private static final int MAX_PAGE = 1000;

    record Action(String serverId, String requestId, String action, String projectId, String userId, Instant startTime) {
    }

    private final Jdbi jdbi;
    private final ServerStore servers;
    private final Policy policy;
    private final java.time.Clock clock;
    private final String baseUrl;

    InstanceActions(Jdbi jdbi, ServerStore servers, Policy policy, java.time.Clock clock, String baseUrl) {
        this.clock = clock;
        this.baseUrl = baseUrl;
        this.jdbi = jdbi;
        this.servers = servers;
        this.policy = policy;
    }

    /** Records that the request {@code ctx} did {@code action} to the server, in the caller's transaction. */
    void record(Handle h, Context ctx, String serverId, String action, AuthContext caller) {
        // To the millisecond, so the actions of one second still list in the order they came.
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        h.createUpdate("INSERT INTO compute_instance_action (server_id, request_id, action, project_id, user_id,"
                        + " start_time) VALUES (:server, :request, :action, :project, :user, :time)")
                .bind("server", serverId).bind("request", ApiServer.requestId(ctx)).bind("action", action)
                .bind("project", caller.projectId().orElse("")).bind("user", caller.userId())
                .bind("time", Timestamp.from(now)).execute();
    }

    /** GET /servers/{id}/os-instance-actions: newest first. */
    public void list(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        String id = ctx.pathParam("server_id");
        List<Action> actions = new java.util.ArrayList<>(authorised(ctx, caller, id, "os_compute_api:os-instance-actions:list"));
        Microversion version = Microversion.of(ctx);
        // From 2.58: changes-since and paging by request id; from 2.66 changes-before (an action's
        // updated_at is its start: Portside records no later events).
        Optional<Instant> since = Optional.empty();
        Optional<Instant> before = Optional.empty();
        if (version.compareTo(UPDATED_AT) >= 0) {
            since = Optional.ofNullable(ctx.queryParam("changes-since")).map(t -> NovaQuery.dateTime("changes-since", t));
        }
        if (version.compareTo(CHANGES_BEFORE) >= 0) {
            before = Optional.ofNullable(ctx.queryParam("changes-before")).map(t -> NovaQuery.dateTime("changes-before", t));
        }
        if (since.isPresent() && before.isPresent() && since.get().isAfter(before.get())) {
            throw NovaErrors.badRequest("The value of changes-since must be less than or equal to changes-before.");
        }
        since.ifPresent(t -> actions.removeIf(a -> a.startTime().isBefore(t)));
        before.ifPresent(t -> actions.removeIf(a -> a.startTime().isAfter(t)));
        ObjectNode body = Json.object();
        ArrayNode items = body.putArray("instanceActions");
        if (version.compareTo(UPDATED_AT) < 0) {
            actions.forEach(a -> items.add(view(ctx, a)));
            Requests.respond(ctx, 200, body);
            return;
        }
        int limit = Optional.ofNullable(ctx.queryParam("limit")).map(v -> NovaQuery.nonNegativeInteger("limit", v)).orElse(MAX_PAGE);
        String marker = ctx.queryParam("marker");
        Page<Action> page = Page.after(actions, Action::requestId, Optional.ofNullable(marker), Math.min(limit, MAX_PAGE),
                () -> NovaErrors.badRequest("Marker " + marker + " could not be found."));
        page.items().forEach(a -> items.add(view(ctx, a)));
        if (page.more() && !page.items().isEmpty()) {
            body.putArray("links").addObject().put("rel", "next").put("href", baseUrl + "/v2.1/servers/" + id
                    + "/os-instance-actions?limit=" + limit + "&marker=" + page.items().getLast().requestId());
        }
        Requests.respond(ctx, 200, body);
    }

    /** GET /servers/{id}/os-instance-actions/{request_id}. */
    public void show(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        String id = ctx.pathParam("server_id");
        String requestId = ctx.pathParam("request_id");
        Action action = authorised(ctx, caller, id, "os_compute_api:os-instance-actions:show").stream()
                .filter(a -> a.requestId().equals(requestId)).findFirst()
                .orElseThrow(() -> NovaErrors.notFound("Action for request_id " + requestId + " on instance " + id
                        + " not found"));
        ObjectNode json = view(ctx, action);
        if (Microversion.of(ctx).compareTo(EVENTS_FOR_ALL) >= 0
                || policy.allows("os_compute_api:os-instance-actions:events", caller, Map.of())) {
            json.putArray("events");
        }
        Requests.respond(ctx, 200, Json.object().set("instanceAction", json));
    }

    // The server's actions if the caller may see them: by the server, or for a deleted one (from
    // 2.21) by the project its actions were recorded for.
    private List<Action> authorised(Context ctx, AuthContext caller, String id, String rule) {
        Optional<Map<String, String>> target = jdbi.withHandle(h -> servers.find(h, id)).map(Server::target);
        List<Action> actions = jdbi.withHandle(h -> h.createQuery("SELECT * FROM compute_instance_action"
                        + " WHERE server_id = :server ORDER BY start_time DESC, request_id DESC").bind("server", id)
                .map((rs, c) -> new Action(rs.getString("server_id"), rs.getString("request_id"), rs.getString("action"),
                        rs.getString("project_id"), rs.getString("user_id"), rs.getTimestamp("start_time").toInstant()))
                .list());
        if (target.isEmpty() && Microversion.of(ctx).compareTo(DELETED_LISTED) >= 0 && !actions.isEmpty()) {
            target = Optional.of(Map.of("project_id", actions.getFirst().projectId()));
        }
        if (target.isEmpty() || !policy.allows(rule, caller, target.get())) {
            throw NovaErrors.serverNotFound(id);
        }
        return actions;
    }

    private static ObjectNode view(Context ctx, Action a) {
        ObjectNode json = Json.object().put("action", a.action()).put("instance_uuid", a.serverId()).putNull("message")
                .put("project_id", a.projectId()).put("request_id", a.requestId())
                .put("start_time", TIME.format(a.startTime())).put("user_id", a.userId());
        if (Microversion.of(ctx).compareTo(UPDATED_AT) >= 0) {
            json.put("updated_at", TIME.format(a.startTime()));
        }
        return json;
    }
}
