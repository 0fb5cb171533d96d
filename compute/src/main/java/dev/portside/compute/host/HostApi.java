package dev.portside.compute.host;

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

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The admin's view of compute hosts: {@code os-services} (list, enable, disable, force down; by
 * UUID from 2.53), a minimal {@code os-hypervisors} (list, detail, show; UUIDs, a name pattern and
 * the servers each holds from 2.53) with what servers use of each, and the one
 * availability zone, "nova", that every host is in ({@code os-availability-zone}).
 */
public final class HostApi {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS")
            .withZone(ZoneOffset.UTC);
    private static final String BINARY = "nova-compute";

    private final Jdbi jdbi;
    private final HostStore hosts;
    private final Policy policy;
    private final Clock clock;

    public HostApi(Jdbi jdbi, HostStore hosts, Policy policy, Clock clock) {
        this.jdbi = jdbi;
        this.hosts = hosts;
        this.policy = policy;
        this.clock = clock;
    }

    /** GET /os-availability-zone: the zone everyone may boot in, available while a host is enabled. */
    public void zones(Context ctx) {
        policy.enforce("os_compute_api:os-availability-zone:list", Requests.auth(ctx), Map.of());
        List<ComputeHost> all = jdbi.withHandle(hosts::all);
        ObjectNode body = Json.object();
        body.putArray("availabilityZoneInfo").addObject().put("zoneName", "nova").putNull("hosts")
                .putObject("zoneState").put("available", all.stream().anyMatch(ComputeHost::enabled));
        Requests.respond(ctx, 200, body);
    }

    /** GET /os-availability-zone/detail (admins): the zone with its hosts and their compute service. */
    public void zoneDetails(Context ctx) {
        policy.enforce("os_compute_api:os-availability-zone:detail", Requests.auth(ctx), Map.of());
        List<ComputeHost> all = jdbi.withHandle(hosts::all);
        ObjectNode body = Json.object();
        ObjectNode zone = body.putArray("availabilityZoneInfo").addObject().put("zoneName", "nova");
        zone.putObject("zoneState").put("available", all.stream().anyMatch(ComputeHost::enabled));
        ObjectNode byHost = zone.putObject("hosts");
        for (ComputeHost h : all) {
            byHost.putObject(h.host()).putObject(BINARY).put("available", h.enabled()).put("active", h.enabled())
                    .put("updated_at", TIME.format(h.updatedAt()));
        }
        Requests.respond(ctx, 200, body);
    }

    public void services(Context ctx) {
        policy.enforce("os_compute_api:os-services:list", Requests.auth(ctx), Map.of());
        String hostFilter = ctx.queryParam("host");
        String binaryFilter = ctx.queryParam("binary");
        ObjectNode body = Json.object();
        ArrayNode items = body.putArray("services");
        jdbi.withHandle(hosts::all).stream()
                .filter(h -> hostFilter == null || hostFilter.equals(h.host()))
                .filter(h -> binaryFilter == null || BINARY.equals(binaryFilter))
                .forEach(h -> items.add(service(h, Microversion.of(ctx))));
        Requests.respond(ctx, 200, body);
    }

    private static ObjectNode service(ComputeHost h, Microversion version) {
        ObjectNode json = Json.object();
        if (version.atLeast(53)) {
            json.put("id", h.serviceUuid());
        } else {
            json.put("id", h.id());
        }
        json.put("binary", BINARY).put("host", h.host()).put("zone", "nova")
                .put("status", h.enabled() ? "enabled" : "disabled").put("state", h.up() ? "up" : "down")
                .put("updated_at", TIME.format(h.updatedAt())).put("disabled_reason", h.disabledReason().orElse(null));
        if (version.atLeast(11)) {
            json.put("forced_down", h.forcedDown());
        }
        return json;
    }

    /**
     * PUT /os-services/{enable|disable|disable-log-reason|force-down} with {"host", "binary", ...}
     * before 2.53; from 2.53 PUT /os-services/{service_id} with {"status", "disabled_reason",
     * "forced_down"}, answered with the whole service.
     */
    public void update(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        policy.enforce("os_compute_api:os-services:update", caller, Map.of());
        if (Microversion.of(ctx).atLeast(53)) {
            updateById(ctx);
            return;
        }
        String action = ctx.pathParam("action");
        if (!List.of("enable", "disable", "disable-log-reason").contains(action)) {
            throw NovaErrors.notFound("Unknown action");
        }
        Fields fields = Fields.of(Requests.jsonBody(ctx), "", Set.of("host", "binary", "disabled_reason"));
        String host = fields.requiredString("host", 255);
        String binary = fields.requiredString("binary", 255);
        Optional<String> reason = fields.string("disabled_reason", 255);
        if (action.equals("disable-log-reason") && reason.isEmpty()) {
            throw NovaErrors.badRequest("Missing disabled reason field");
        }
        if (!binary.equals(BINARY)) {
            throw NovaErrors.notFound("Service " + binary + " on host " + host + " not found.");
        }
        boolean enable = action.equals("enable");
        jdbi.useTransaction(h -> {
            hosts.lock(h, host).orElseThrow(() -> NovaErrors.notFound("Host '" + host + "' is not mapped to any cell"));
            hosts.setEnabled(h, host, enable, enable ? Optional.empty() : reason, clock.instant());
        });
        ObjectNode service = Json.object().put("host", host).put("binary", binary)
                .put("status", enable ? "enabled" : "disabled");
        reason.filter(r -> !enable).ifPresent(r -> service.put("disabled_reason", r));
        Requests.respond(ctx, 200, Json.object().set("service", service));
    }

    private void updateById(Context ctx) {
        String id = ctx.pathParam("action");
        Fields fields = Fields.of(Requests.jsonBody(ctx), "", Set.of("status", "disabled_reason", "forced_down"));
        Optional<String> status = fields.string("status", 16);
        status.filter(v -> !v.equals("enabled") && !v.equals("disabled")).ifPresent(v -> {
            throw NovaErrors.badRequest("Invalid input for field/attribute status. Value: " + v + ". '" + v
                    + "' is not one of ['enabled', 'disabled']");
        });
        Optional<String> reason = fields.string("disabled_reason", 255);
        Optional<Boolean> forcedDown = fields.bool("forced_down");
        if (status.isEmpty() && reason.isEmpty() && forcedDown.isEmpty()) {
            throw NovaErrors.badRequest("No updates were requested. Fields 'status' or 'forced_down' should be"
                    + " specified.");
        }
        if (reason.isPresent() && !status.equals(Optional.of("disabled"))) {
            throw NovaErrors.badRequest("Specifying 'disabled_reason' with status other than 'disabled' is invalid.");
        }
        ComputeHost host = jdbi.withHandle(hosts::all).stream().filter(h -> h.serviceUuid().equals(id)).findFirst()
                .orElseThrow(() -> NovaErrors.notFound("Service " + id + " could not be found."));
        ComputeHost updated = jdbi.inTransaction(h -> {
            hosts.lock(h, host.host());
            status.ifPresent(v -> hosts.setEnabled(h, host.host(), v.equals("enabled"), reason, clock.instant()));
            forcedDown.ifPresent(down -> hosts.setForcedDown(h, host.host(), down, clock.instant()));
            return hosts.find(h, host.host()).orElseThrow();
        });
        Requests.respond(ctx, 200, Json.object().set("service", service(updated, Microversion.of(ctx))));
    }

    public void hypervisors(Context ctx) {
        respondHypervisors(ctx, false);
    }

    public void hypervisorDetails(Context ctx) {
        respondHypervisors(ctx, true);
    }

    // From 2.53: hypervisor_hostname_pattern (a part of the name) and with_servers filter and widen the list.
    private void respondHypervisors(Context ctx, boolean detail) {
        policy.enforce("os_compute_api:os-hypervisors:list", Requests.auth(ctx), Map.of());
        Microversion version = Microversion.of(ctx);
        Optional<String> pattern = version.atLeast(53) ? Optional.ofNullable(ctx.queryParam("hypervisor_hostname_pattern"))
                : Optional.empty();
        Map<String, Usage> usage = jdbi.withHandle(hosts::usage);
        Optional<Map<String, List<Map.Entry<String, String>>>> servers = withServers(ctx);
        List<ComputeHost> shown = jdbi.withHandle(hosts::all).stream()
                .filter(h -> pattern.map(p -> h.host().contains(p)).orElse(true)).toList();
        if (pattern.isPresent() && shown.isEmpty()) {
            throw NovaErrors.notFound("No hypervisor matching '" + pattern.get() + "' could be found.");
        }
        ObjectNode body = Json.object();
        ArrayNode items = body.putArray("hypervisors");
        shown.forEach(h -> items.add(hypervisor(h, usage.getOrDefault(h.host(), Usage.NONE), detail, version,
                servers.map(all -> all.getOrDefault(h.host(), List.of())))));
        Requests.respond(ctx, 200, body);
    }

    // with_servers=true (2.53): each hypervisor lists the servers it holds.
    private Optional<Map<String, List<Map.Entry<String, String>>>> withServers(Context ctx) {
        String asked = ctx.queryParam("with_servers");
        if (!Microversion.of(ctx).atLeast(53) || asked == null) {
            return Optional.empty();
        }
        String v = asked.toLowerCase(java.util.Locale.ROOT);
        if (!Set.of("true", "false", "1", "0", "yes", "no", "on", "off", "t", "f", "y", "n").contains(v)) {
            throw NovaErrors.badRequest("Invalid input for query parameters with_servers. Value: " + asked + ". '"
                    + asked + "' is not a boolean");
        }
        return Set.of("true", "1", "yes", "on", "t", "y").contains(v) ? Optional.of(jdbi.withHandle(hosts::servers))
                : Optional.empty();
    }

    public void hypervisor(Context ctx) {
        policy.enforce("os_compute_api:os-hypervisors:list", Requests.auth(ctx), Map.of());
        Microversion version = Microversion.of(ctx);
        String id = ctx.pathParam("hypervisor_id");
        ComputeHost host = jdbi.withHandle(hosts::all).stream()
                .filter(h -> (version.atLeast(53) ? h.nodeUuid() : String.valueOf(h.id())).equals(id)).findFirst()
                .orElseThrow(() -> NovaErrors.notFound("Hypervisor with ID '" + id + "' could not be found."));
        Usage used = jdbi.withHandle(h -> hosts.usage(h, host.host()));
        Requests.respond(ctx, 200, Json.object().set("hypervisor", hypervisor(host, used, true, version,
                withServers(ctx).map(all -> all.getOrDefault(host.host(), List.of())))));
    }

    private static ObjectNode hypervisor(ComputeHost h, Usage used, boolean detail, Microversion version,
                                         Optional<List<Map.Entry<String, String>>> servers) {
        ObjectNode json = Json.object();
        if (version.atLeast(53)) {
            json.put("id", h.nodeUuid());
        } else {
            json.put("id", h.id());
        }
        json.put("hypervisor_hostname", h.host()).put("state", h.up() ? "up" : "down")
                .put("status", h.enabled() ? "enabled" : "disabled");
        // Before 2.75 a hypervisor without servers leaves the list out.
        servers.filter(list -> !list.isEmpty() || version.atLeast(75)).ifPresent(list -> {
            ArrayNode items = json.putArray("servers");
            list.forEach(s -> items.addObject().put("uuid", s.getKey()).put("name", s.getValue()));
        });
        if (detail) {
            json.put("hypervisor_type", h.hypervisorType()).put("hypervisor_version", 1).put("host_ip", h.hostIp().orElse("127.0.0.1"))
                    .put("vcpus", h.vcpus()).put("memory_mb", h.memoryMb()).put("local_gb", h.localGb())
                    .put("vcpus_used", used.vcpus()).put("memory_mb_used", used.memoryMb())
                    .put("local_gb_used", used.localGb()).put("free_ram_mb", h.memoryMb() - used.memoryMb())
                    .put("free_disk_gb", h.localGb() - used.localGb()).put("disk_available_least", h.localGb() - used.localGb())
                    .put("running_vms", used.servers()).put("current_workload", 0)
                    .put("cpu_info", "{}");
            ObjectNode service = json.putObject("service").put("host", h.host());
            if (version.atLeast(53)) {
                service.put("id", h.serviceUuid());
            } else {
                service.put("id", h.id());
            }
            service.put("disabled_reason", h.disabledReason().orElse(null));
        }
        return json;
    }
}
