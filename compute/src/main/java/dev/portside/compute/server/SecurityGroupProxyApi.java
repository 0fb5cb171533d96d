package dev.portside.compute.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.http.Requests;
import dev.portside.common.json.Json;
import dev.portside.common.policy.Policy;
import dev.portside.compute.Microversion;
import dev.portside.compute.NovaErrors;
import dev.portside.compute.network.NetworkClient;
import dev.portside.compute.network.NetworkFailure;
import dev.portside.compute.network.SecurityGroupInfo;
import io.javalin.http.Context;
import org.jdbi.v3.core.Jdbi;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Nova's read side of its security group proxy, {@code /os-security-groups} and
 * {@code /servers/{id}/os-security-groups}: the network service's groups in Nova's format (ingress
 * rules only, ports as from/to, a remote group by name). Nova serves the proxy only up to 2.35;
 * the CLI still finds groups through it when it adds one to a server. Changes go to the Networking
 * API, as they do in Nova since 2.36.
 */
public final class SecurityGroupProxyApi {
    private static final int LAST_PROXY_VERSION = 35;
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}");

    private final Jdbi jdbi;
    private final ServerStore servers;
    private final ServerApi serverApi;
    private final NetworkClient network;
    private final Policy policy;

    SecurityGroupProxyApi(Jdbi jdbi, ServerStore servers, ServerApi serverApi, NetworkClient network, Policy policy) {
        this.jdbi = jdbi;
        this.servers = servers;
        this.serverApi = serverApi;
        this.network = network;
        this.policy = policy;
    }

    /** GET /os-security-groups: the caller's project's groups (every project's for an admin with all_tenants). */
    public void list(Context ctx) {
        AuthContext caller = proxied(ctx);
        String project = caller.projectId().orElse("");
        policy.enforce("os_compute_api:os-security-groups:get", caller, Map.of("project_id", project));
        boolean everyProject = ctx.queryParam("all_tenants") != null
                && policy.allows("context_is_admin", caller, Map.of());
        Map<String, List<String>> filters = everyProject ? Map.of() : Map.of("project_id", List.of(project));
        respond(ctx, "security_groups", call(() -> network.securityGroups(caller, filters)), caller);
    }

    /** GET /os-security-groups/{id}. */
    public void show(Context ctx) {
        AuthContext caller = proxied(ctx);
        policy.enforce("os_compute_api:os-security-groups:show", caller,
                Map.of("project_id", caller.projectId().orElse("")));
        String id = ctx.pathParam("security_group_id");
        if (!UUID.matcher(id).matches()) {
            throw NovaErrors.badRequest("Security group id should be uuid");
        }
        SecurityGroupInfo group = call(() -> network.securityGroups(caller, Map.of("id", List.of(id)))).stream()
                .findFirst().orElseThrow(() -> NovaErrors.notFound("Security group " + id + " not found."));
        Map<String, SecurityGroupInfo> known = new HashMap<>(Map.of(group.id(), group));
        Requests.respond(ctx, 200, Json.object().set("security_group", format(group, known, caller)));
    }

    /** GET /servers/{id}/os-security-groups: the groups of the server's ports. */
    public void server(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        Server server = serverApi.visible(caller, ctx.pathParam("server_id"), "os_compute_api:os-security-groups:list");
        List<ServerVif> vifs = jdbi.withHandle(h -> servers.vifs(h, server.id()));
        List<String> ids = vifs.stream().map(vif -> network.findPort(caller, vif.portId())).flatMap(Optional::stream)
                .flatMap(port -> port.securityGroups().stream()).distinct().toList();
        List<SecurityGroupInfo> groups = ids.isEmpty() ? List.of()
                : call(() -> network.securityGroups(caller, Map.of("id", ids)));
        respond(ctx, "security_groups", groups, caller);
    }

    private AuthContext proxied(Context ctx) {
        if (Microversion.of(ctx).atLeast(LAST_PROXY_VERSION + 1)) {
            throw NovaErrors.notFound("The resource could not be found.");
        }
        return Requests.auth(ctx);
    }

    private void respond(Context ctx, String key, List<SecurityGroupInfo> groups, AuthContext caller) {
        Map<String, SecurityGroupInfo> known = new HashMap<>();
        groups.forEach(g -> known.put(g.id(), g));
        ObjectNode body = Json.object();
        ArrayNode items = body.putArray(key);
        groups.stream().sorted(Comparator.comparing(SecurityGroupInfo::projectId).thenComparing(SecurityGroupInfo::name))
                .forEach(g -> items.add(format(g, known, caller)));
        Requests.respond(ctx, 200, body);
    }

    // Nova's _format_security_group over its conversion of a Neutron group.
    private ObjectNode format(SecurityGroupInfo group, Map<String, SecurityGroupInfo> known, AuthContext caller) {
        ObjectNode json = Json.object().put("id", group.id()).put("name", group.name())
                .put("description", group.description()).put("tenant_id", group.projectId());
        ArrayNode rules = json.putArray("rules");
        for (SecurityGroupInfo.Rule rule : group.rules()) {
            if (!rule.direction().equals("ingress")) {
                continue;
            }
            ObjectNode item = Json.object().put("id", rule.id()).put("parent_group_id", group.id())
                    .put("ip_protocol", rule.protocol().orElse(null));
            boolean anyPort = rule.protocol().isPresent() && rule.portRangeMin().isEmpty() && rule.portRangeMax().isEmpty();
            boolean tcpOrUdp = rule.protocol().map(p -> p.equalsIgnoreCase("tcp") || p.equalsIgnoreCase("udp")).orElse(false);
            if (anyPort) {
                item.put("from_port", tcpOrUdp ? 1 : -1).put("to_port", tcpOrUdp ? 65535 : -1);
            } else {
                item.put("from_port", rule.portRangeMin().orElse(null)).put("to_port", rule.portRangeMax().orElse(null));
            }
            ObjectNode remote = item.putObject("group");
            ObjectNode range = item.putObject("ip_range");
            if (rule.remoteGroupId().isPresent()) {
                Optional<SecurityGroupInfo> source = Optional.ofNullable(known.computeIfAbsent(rule.remoteGroupId().get(),
                        id -> call(() -> network.securityGroups(caller, Map.of("id", List.of(id)))).stream()
                                .findFirst().orElse(null)));
                if (source.isEmpty()) {
                    // A remote group deleted meanwhile: Nova leaves the rule out.
                    continue;
                }
                remote.put("name", source.get().name()).put("tenant_id", source.get().projectId());
            } else {
                range.put("cidr", rule.remoteIpPrefix().orElse("0.0.0.0/0"));
            }
            rules.add(item);
        }
        return json;
    }

    private static <T> T call(Supplier<T> operation) {
        try {
            return operation.get();
        } catch (NetworkFailure e) {
            throw e.asApiError();
        }
    }
}
