package dev.portside.compute.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.db.Constraints;
import dev.portside.common.http.ApiException;
import dev.portside.common.http.Requests;
import dev.portside.common.json.Json;
import dev.portside.common.paging.Page;
import dev.portside.common.policy.Policy;
import dev.portside.compute.Microversion;
import dev.portside.compute.NovaErrors;
import dev.portside.compute.NovaQuery;
import dev.portside.compute.flavor.Flavor;
import dev.portside.compute.flavor.FlavorStore;
import dev.portside.compute.host.HostStore;
import dev.portside.compute.image.ImageClient;
import dev.portside.compute.keypair.Keypair;
import dev.portside.compute.keypair.KeypairApi;
import dev.portside.compute.network.NetworkClient;
import dev.portside.compute.network.NetworkInfo;
import dev.portside.compute.network.NetworkPort;
import dev.portside.compute.quota.ComputeQuotas;
import dev.portside.compute.scheduler.Scheduler;
import dev.portside.compute.servergroup.ServerGroup;
import dev.portside.compute.servergroup.ServerGroupApi;
import io.javalin.http.Context;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** {@code /servers}: create (the spec's checks, then an asynchronous build), list, detail, show, update, delete. */
public final class ServerApi {
    private static final String PASSWORD_CHARACTERS = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int DEFAULT_PAGE = 1000;

    private final Jdbi jdbi;
    private final ServerStore servers;
    private final FlavorStore flavors;
    private final HostStore hosts;
    private final KeypairApi keypairs;
    private final NetworkClient network;
    private final ImageClient images;
    private final ComputeManager manager;
    private final Policy policy;
    private final Clock clock;
    private final String baseUrl;

    public ServerApi(Jdbi jdbi, ServerStore servers, FlavorStore flavors, HostStore hosts, KeypairApi keypairs,
                     NetworkClient network, ImageClient images, ComputeManager manager, Policy policy, Clock clock,
                     String baseUrl, ComputeQuotas quotas, ServerGroupApi serverGroups, Scheduler scheduler,
                     InstanceActions instanceActions) {
        this.instanceActions = instanceActions;
        this.quotas = quotas;
        this.serverGroups = serverGroups;
        this.jdbi = jdbi;
        this.servers = servers;
        this.flavors = flavors;
        this.hosts = hosts;
        this.keypairs = keypairs;
        this.network = network;
        this.images = images;
        this.manager = manager;
        this.policy = policy;
        this.clock = clock;
        this.baseUrl = baseUrl;
        this.securityGroups = new ServerSecurityGroups(jdbi, servers, network);
        ServerImages snapshots = new ServerImages(jdbi, servers, this, images, manager, quotas);
        this.actions = new ServerActions(jdbi, servers, this, securityGroups, manager, policy, quotas, instanceActions,
                snapshots,
                new ServerShelving(jdbi, servers, this, snapshots, manager),
                new ServerResize(jdbi, servers, this, flavors, hosts, scheduler, quotas, manager));
    }

    /** POST /servers/{id}/action. */
    public void action(Context ctx) {
        actions.handle(ctx);
    }

    private final ComputeQuotas quotas;
    private final ServerGroupApi serverGroups;
    private final ServerSecurityGroups securityGroups;
    private final ServerActions actions;
    // Every status Nova derives from vm_state and task_state: what the list's status filter accepts.
    private static final Set<String> STATUSES = Set.of("ACTIVE", "BUILD", "DELETED", "ERROR", "HARD_REBOOT",
            "MIGRATING", "PASSWORD", "PAUSED", "REBOOT", "REBUILD", "RESCUE", "RESIZE", "REVERT_RESIZE", "SHELVED",
            "SHELVED_OFFLOADED", "SHUTOFF", "SOFT_DELETED", "SUSPENDED", "UNKNOWN", "VERIFY_RESIZE");
    private final InstanceActions instanceActions;
    // The list's query parameters in Nova's schema at 2.75 (the filters Portside does not apply match every server).
    private static final Set<String> LIST_QUERY = Set.of("user_id", "project_id", "tenant_id", "launch_index",
            "image_ref", "image", "kernel_id", "ramdisk_id", "hostname", "key_name", "power_state", "vm_state",
            "task_state", "host", "node", "flavor", "reservation_id", "launched_at", "terminated_at",
            "availability_zone", "name", "display_name", "description", "display_description", "locked_by", "uuid",
            "root_device_name", "config_drive", "access_ip_v4", "access_ip_v6", "auto_disk_config", "progress",
            "sort_key", "sort_dir", "all_tenants", "soft_deleted", "deleted", "status", "changes-since", "ip", "ip6",
            "created_at", "block_device_mapping", "services", "metadata", "system_metadata", "info_cache",
            "security_groups", "pci_devices", "limit", "marker", "tags", "tags-any", "not-tags", "not-tags-any",
            "changes-before", "locked");

    public void create(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        Microversion version = Microversion.of(ctx);
        ServerRequest request = ServerRequest.read(Requests.jsonBody(ctx), version);
        String project = caller.projectId().orElseThrow(() -> ApiException.forbidden("Creating a server needs a project-scoped token."));
        policy.enforce("os_compute_api:servers:create", caller, Map.of("project_id", project, "user_id", caller.userId()));
        Optional<String> zoneHost = forcedHost(caller, request.availabilityZone());
        Optional<String> forcedHost = zoneHost;
        if (request.host().isPresent()) {
            // 2.74's requested destination: the scheduler's filters still run, on that host alone.
            if (zoneHost.isPresent()) {
                throw NovaErrors.badRequest("The host and hypervisor_hostname cannot be given with an availability"
                        + " zone that names a host.");
            }
            policy.enforce("compute:servers:create:requested_destination", caller, Map.of());
            forcedHost = Optional.of(existingHost(request.host().get()));
        }
        Optional<String> destination = forcedHost;
        Flavor flavor = jdbi.withHandle(h -> flavors.find(h, request.flavorRef()))
                .orElseThrow(() -> NovaErrors.badRequest("Flavor " + request.flavorRef() + " could not be found."));
        ImageClient.ImageRef image = usableImage(caller, request.imageRef(), flavor.disk(), flavor.ram());
        // Not given: the image's auto_disk_config property decides, as in Nova; MANUAL without one.
        String diskConfig = request.diskConfig().orElse(Optional.ofNullable(image.properties().get("auto_disk_config"))
                .filter(v -> Set.of("true", "1", "yes", "on").contains(v.toLowerCase(java.util.Locale.ROOT)))
                .map(v -> "AUTO").orElse("MANUAL"));
        Optional<Keypair> keypair = request.keyName().map(name -> keypair(caller, name));
        List<Server.RequestedNetwork> requested = requestedNetworks(caller, request.networks());
        List<String> groupIds = securityGroups.forBoot(caller, request.securityGroups());
        Optional<ServerGroup> serverGroup = request.group().map(id -> serverGroups.forBoot(caller, id));
        List<NetworkPort> ports = new ArrayList<>();
        for (Server.RequestedNetwork r : requested) {
            if (r.portId().isPresent()) {
                String portId = r.portId().get();
                ports.add(PortRules.requestable(portId, network.findPort(caller, portId),
                        NovaErrors.badRequest("Port id " + portId + " could not be found.")));
            } else {
                requireSubnets(caller, r.networkId().orElseThrow());
            }
        }
        if (request.maxCount() > 1 && !ports.isEmpty()) {
            throw NovaErrors.badRequest("Unable to launch multiple instances with a single configured port ID. Please"
                    + " launch your instance one by one with different ports.");
        }
        Map<String, String> labels = new java.util.HashMap<>();
        for (NetworkPort port : ports) {
            labels.computeIfAbsent(port.networkId(), id -> network.findNetwork(caller, id).map(NetworkInfo::name).orElse(id));
        }
        List<Server> created = new ArrayList<>();
        Instant now = now();
        try {
            jdbi.useTransaction(h -> {
                // The whole request is one claim, made before any row: as many servers as the quota allows
                // between min_count and max_count, or none (Nova's TooManyInstances).
                int count = quotas.claimServers(h, project, flavor.vcpus(), flavor.ram(), request.minCount(),
                        request.maxCount());
                quotas.checkMetadata(h, project, request.metadata().size());
                serverGroup.ifPresent(g -> serverGroups.checkRoom(h, g, count));
                String reservation = reservationId();
                for (int i = 1; i <= count; i++) {
                    String name = request.maxCount() > 1 ? request.name() + "-" + i : request.name();
                    Server server = new Server(UUID.randomUUID().toString(), 0, project, caller.userId(), name,
                            request.description(), Server.Sizing.of(flavor), image.id(),
                            keypair.map(Keypair::name), keypair.map(Keypair::publicKey), request.userData(),
                            request.metadata(), requested, groupIds, request.accessIps(), Optional.empty(), destination, Optional.empty(), Server.BUILDING,
                            Optional.of("scheduling"), Server.NOSTATE, Optional.empty(), now, now, Optional.empty(),
                            Optional.empty(), Optional.empty(), reservation, diskConfig);
                    long number = servers.insert(h, server);
                    servers.replaceTags(h, server.id(), request.tags());
                    instanceActions.record(h, ctx, server.id(), "create", caller);
                    serverGroup.ifPresent(g -> serverGroups.admit(h, g, server.id()));
                    created.add(server);
                    for (int position = 0; position < requested.size(); position++) {
                        Optional<String> portId = requested.get(position).portId();
                        if (portId.isPresent()) {
                            NetworkPort port = ports.stream().filter(p -> p.id().equals(portId.get())).findFirst().orElseThrow();
                            servers.insertVif(h, new ServerVif(port.id(), server.id(), position, false, port.networkId(),
                                    labels.get(port.networkId()), port.macAddress(), port.fixedIps(), now,
                                    requested.get(position).tag()));
                        }
                    }
                }
            });
        } catch (UnableToExecuteStatementException e) {
            if (Constraints.isUniqueViolation(e)) {
                throw NovaErrors.conflict("A port requested is already in use by another server.");
            }
            throw e;
        }
        created.forEach(server -> manager.build(server.id(), caller));
        Server first = created.getFirst();
        if (request.returnReservationId()) {
            Requests.respond(ctx, 202, Json.object().put("reservation_id", first.reservationId()));
            return;
        }
        ObjectNode json = Json.object().put("id", first.id()).put("OS-DCF:diskConfig", first.diskConfig())
                .put("adminPass", request.adminPass().orElseGet(ServerApi::password));
        json.set("links", view(ctx, caller).links("servers", first.id()));
        ArrayNode groups = json.putArray("security_groups");
        (request.securityGroups().isEmpty() ? List.of("default") : request.securityGroups())
                .forEach(name -> groups.addObject().put("name", name));
        Requests.respond(ctx, 202, Json.object().set("server", json));
    }

    // "nova:host" (or "nova::host") in availability_zone is how an admin forces a host, as in Nova.
    private Optional<String> forcedHost(AuthContext caller, Optional<String> zone) {
        if (zone.isEmpty()) {
            return Optional.empty();
        }
        String[] parts = zone.get().split(":", -1);
        if (!parts[0].equals("nova") && !parts[0].isEmpty()) {
            throw NovaErrors.badRequest("The requested availability zone is not available");
        }
        if (parts.length < 2 || parts[1].isEmpty()) {
            return parts.length == 3 && !parts[2].isEmpty() ? forced(caller, parts[2]) : Optional.empty();
        }
        return forced(caller, parts[1]);
    }

    private Optional<String> forced(AuthContext caller, String host) {
        policy.enforce("os_compute_api:servers:create:forced_host", caller, Map.of());
        return Optional.of(existingHost(host));
    }

    private String existingHost(String host) {
        jdbi.withHandle(h -> hosts.find(h, host)).orElseThrow(() ->
                NovaErrors.badRequest("Compute host " + host + " could not be found."));
        return host;
    }

    private List<Server.RequestedNetwork> requestedNetworks(AuthContext caller, ServerRequest.Networks networks) {
        return switch (networks.kind()) {
            case NONE -> List.of();
            case LIST -> networks.requested();
            case AUTO, OMITTED -> {
                List<NetworkInfo> candidates = autoNetwork(caller, NovaErrors::conflict);
                // Before 2.37 a server asked for no network boots without one; "auto" needs one to be found.
                if (candidates.isEmpty() && networks.kind() == ServerRequest.Networks.Kind.AUTO) {
                    throw NovaErrors.badRequest("Unable to automatically allocate a network for project " + caller.projectId().orElse("")
                            + ": it has no network of its own and none is shared with it.");
                }
                yield candidates.stream().map(n -> new Server.RequestedNetwork(Optional.empty(), Optional.of(n.id()),
                        Optional.empty(), Optional.empty())).toList();
            }
        };
    }

    /**
     * Nova's "get me a network": the project's own network, else a shared one; at most one, or it is
     * ambiguous ({@code ambiguous} makes the error: 409 on boot, 400 on attach, as in Nova). An external
     * network is never picked unasked: it is where floating IPs come from, not where servers go.
     */
    List<NetworkInfo> autoNetwork(AuthContext caller,
                                  java.util.function.Function<String, dev.portside.common.http.ApiException> ambiguous) {
        List<NetworkInfo> visible = network.networks(caller).stream().filter(n -> !n.routerExternal()).toList();
        String project = caller.projectId().orElse("");
        List<NetworkInfo> own = visible.stream().filter(n -> n.projectId().equals(project)).toList();
        List<NetworkInfo> candidates = own.isEmpty() ? visible.stream().filter(NetworkInfo::shared).toList() : own;
        if (candidates.size() > 1) {
            throw ambiguous.apply("Multiple possible networks found, use a Network ID to be more specific.");
        }
        return candidates;
    }

    private void requireSubnets(AuthContext caller, String networkId) {
        NetworkInfo info = network.findNetwork(caller, networkId)
                .orElseThrow(() -> NovaErrors.badRequest("Network " + networkId + " could not be found."));
        if (info.subnetIds().isEmpty()) {
            throw NovaErrors.badRequest("Network " + networkId + " requires a subnet in order to boot instances on.");
        }
    }

    public void list(Context ctx) {
        respondList(ctx, false);
    }

    public void detail(Context ctx) {
        respondList(ctx, true);
    }

    private void respondList(Context ctx, boolean detail) {
        AuthContext caller = Requests.auth(ctx);
        refuseUnknownQuery(ctx);
        boolean allTenants = isTrue(ctx.queryParam("all_tenants"));
        String project = caller.projectId().orElse("");
        policy.enforce("os_compute_api:servers:index", caller, Map.of("project_id", project, "user_id", caller.userId()));
        Optional<String> scope = Optional.of(project);
        if (allTenants) {
            policy.enforce("os_compute_api:servers:index:get_all_tenants", caller, Map.of());
            scope = Optional.ofNullable(ctx.queryParam("project_id")).or(() -> Optional.ofNullable(ctx.queryParam("tenant_id")));
        }
        boolean admin = policy.allows("os_compute_api:os-extended-server-attributes", caller, Map.of());
        Optional<String> finalScope = scope;
        List<Server> found = new ArrayList<>(jdbi.withHandle(h -> servers.list(h, finalScope)));
        filter(found, ctx, admin);
        if (Microversion.of(ctx).atLeast(26)) {
            filterByTags(found, ctx);
        }
        int limit = Optional.ofNullable(ctx.queryParam("limit")).map(ServerApi::limit).orElse(DEFAULT_PAGE);
        String marker = ctx.queryParam("marker");
        Page<Server> page = Page.after(found, Server::id, Optional.ofNullable(marker), limit,
                () -> NovaErrors.badRequest("marker [" + marker + "] not found"));
        Map<String, ServerView.Related> related = detail ? related(page.items()) : Map.of();
        ServerView view = view(ctx, caller);
        ObjectNode body = Json.object();
        ArrayNode items = body.putArray("servers");
        page.items().forEach(s -> items.add(detail ? view.detail(s, related.get(s.id())) : view.brief(s)));
        if (ctx.queryParam("limit") != null && page.more() && !page.items().isEmpty()) {
            body.putArray("servers_links").addObject().put("rel", "next").put("href", baseUrl + "/v2.1/servers"
                    + (detail ? "/detail" : "") + "?limit=" + limit + "&marker=" + page.items().getLast().id());
        }
        Requests.respond(ctx, 200, body);
    }

    private void filter(List<Server> found, Context ctx, boolean admin) {
        String name = ctx.queryParam("name");
        if (name != null) {
            Pattern pattern;
            try {
                pattern = Pattern.compile(name);
            } catch (PatternSyntaxException e) {
                throw NovaErrors.badRequest("Invalid name filter: " + e.getDescription());
            }
            found.removeIf(s -> !pattern.matcher(s.name()).find());
        }
        Optional.ofNullable(ctx.queryParam("status")).ifPresent(status -> {
            // From 2.38 a status no server can have is refused rather than matching nothing.
            if (Microversion.of(ctx).atLeast(38) && !STATUSES.contains(status.toUpperCase(java.util.Locale.ROOT))) {
                throw NovaErrors.badRequest("Invalid status value");
            }
            found.removeIf(s -> !s.status().equalsIgnoreCase(status));
        });
        Optional.ofNullable(ctx.queryParam("image")).ifPresent(image -> found.removeIf(s -> !s.imageId().equals(image)));
        Optional.ofNullable(ctx.queryParam("flavor")).ifPresent(flavor -> found.removeIf(s -> !s.flavorId().equals(flavor)));
        for (String family : List.of("ip", "ip6")) {
            Optional.ofNullable(ctx.queryParam(family)).ifPresent(regex -> filterByAddress(found, family, regex));
        }
        Microversion version = Microversion.of(ctx);
        Optional<Instant> since = Optional.ofNullable(ctx.queryParam("changes-since")).map(t -> NovaQuery.dateTime("changes-since", t));
        since.ifPresent(t -> found.removeIf(s -> s.updatedAt().isBefore(t)));
        if (version.atLeast(66)) {
            Optional<Instant> before = Optional.ofNullable(ctx.queryParam("changes-before"))
                    .map(t -> NovaQuery.dateTime("changes-before", t));
            if (since.isPresent() && before.isPresent() && since.get().isAfter(before.get())) {
                throw NovaErrors.badRequest("The value of changes-since must be less than or equal to changes-before.");
            }
            before.ifPresent(t -> found.removeIf(s -> s.updatedAt().isAfter(t)));
        }
        if (version.atLeast(73)) {
            Optional.ofNullable(ctx.queryParam("locked")).map(ServerApi::strictBoolean)
                    .ifPresent(locked -> found.removeIf(s -> s.locked() != locked));
        }
        if (admin) {
            Optional.ofNullable(ctx.queryParam("host")).ifPresent(host ->
                    found.removeIf(s -> !s.host().equals(Optional.of(host))));
        }
    }

    // Nova's ip and ip6 filters: a regular expression found in one of the server's fixed addresses of that family.
    private void filterByAddress(List<Server> found, String family, String regex) {
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw NovaErrors.badRequest("Invalid " + family + " filter: " + e.getDescription());
        }
        int version = family.equals("ip") ? 4 : 6;
        Map<String, List<ServerVif>> vifs = jdbi.withHandle(h -> servers.vifs(h, found.stream().map(Server::id).toList()));
        found.removeIf(s -> vifs.getOrDefault(s.id(), List.of()).stream().flatMap(v -> v.fixedIps().stream())
                .noneMatch(ip -> ip.version() == version && pattern.matcher(ip.ipAddress()).find()));
    }

    // Nova's tag filters (2.26): comma-separated; tags = all of them, tags-any = any, not-tags = not all, not-tags-any = none.
    private void filterByTags(List<Server> found, Context ctx) {
        Map<String, java.util.function.BiPredicate<Set<String>, List<String>>> filters = Map.of(
                "tags", (has, wanted) -> has.containsAll(wanted),
                "tags-any", (has, wanted) -> wanted.stream().anyMatch(has::contains),
                "not-tags", (has, wanted) -> !has.containsAll(wanted),
                "not-tags-any", (has, wanted) -> wanted.stream().noneMatch(has::contains));
        if (filters.keySet().stream().allMatch(key -> ctx.queryParam(key) == null) || found.isEmpty()) {
            return;
        }
        Map<String, List<String>> tags = jdbi.withHandle(h -> servers.tags(h, found.stream().map(Server::id).toList()));
        filters.forEach((key, test) -> Optional.ofNullable(ctx.queryParam(key)).ifPresent(value -> {
            List<String> wanted = List.of(value.split(","));
            found.removeIf(s -> !test.test(Set.copyOf(tags.getOrDefault(s.id(), List.of())), wanted));
        }));
    }

    private static int limit(String text) {
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 0) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // falls through
        }
        throw NovaErrors.badRequest("limit param must be an integer");
    }

    public void show(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        Server server = visible(caller, ctx.pathParam("server_id"), "os_compute_api:servers:show");
        Requests.respond(ctx, 200, Json.object().set("server", view(ctx, caller).detail(server, relatedOne(server))));
    }

    /**
     * GET /servers/{id}/os-server-password: the password a guest posted to the metadata service,
     * encrypted with its key pair. Portside has no metadata service, so no guest ever posts one: "".
     */
    public void password(Context ctx) {
        visible(Requests.auth(ctx), ctx.pathParam("server_id"), "os_compute_api:os-server-password:show");
        Requests.respond(ctx, 200, Json.object().put("password", ""));
    }

    /** DELETE /servers/{id}/os-server-password: there is none to clear; 204 as Nova answers. */
    public void clearPassword(Context ctx) {
        visible(Requests.auth(ctx), ctx.pathParam("server_id"), "os_compute_api:os-server-password:clear");
        ctx.status(204);
    }

    /** GET /servers/{id}/os-virtual-interfaces (to 2.43): nova-network's, which a cloud with Neutron does not list. */
    public void virtualInterfaces(Context ctx) {
        if (dev.portside.compute.Microversion.of(ctx).atLeast(44)) {
            throw NovaErrors.notFound("The resource could not be found.");
        }
        visible(Requests.auth(ctx), ctx.pathParam("server_id"), "os_compute_api:os-virtual-interfaces:list");
        throw NovaErrors.badRequest("Listing virtual interfaces is not supported by this cloud.");
    }

    /**
     * GET /servers/{id}/topology (2.78): the guest's NUMA nodes. Portside's flavors define no NUMA
     * topology (no hw:numa_* extra specs), so, as Nova answers for such a server, there are none.
     */
    public void topology(Context ctx) {
        if (!Microversion.of(ctx).atLeast(78)) {
            throw NovaErrors.notFound("The resource could not be found.");
        }
        visible(Requests.auth(ctx), ctx.pathParam("server_id"), "compute:server:topology:index");
        ObjectNode body = Json.object();
        body.putArray("nodes");
        body.putNull("pagesize_kb");
        Requests.respond(ctx, 200, body);
    }

    /** GET /servers/{id}/ips: the server's addresses by network, version and address only. */
    public void ips(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        Server server = visible(caller, ctx.pathParam("server_id"), "os_compute_api:ips:index");
        Requests.respond(ctx, 200, Json.object().set("addresses", basicAddresses(server)));
    }

    /** GET /servers/{id}/ips/{network_label}. */
    public void ipsOf(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        Server server = visible(caller, ctx.pathParam("server_id"), "os_compute_api:ips:show");
        String label = ctx.pathParam("network_label");
        ObjectNode addresses = basicAddresses(server);
        if (!addresses.has(label)) {
            throw NovaErrors.notFound("There are no records for this network.");
        }
        Requests.respond(ctx, 200, Json.object().set(label, addresses.get(label)));
    }

    private ObjectNode basicAddresses(Server server) {
        ObjectNode addresses = ServerView.addresses(jdbi.withHandle(h -> servers.vifs(h, server.id())));
        addresses.forEach(list -> list.forEach(address -> ((ObjectNode) address)
                .remove(List.of("OS-EXT-IPS:type", "OS-EXT-IPS-MAC:mac_addr"))));
        return addresses;
    }

    /** PUT /servers/{id}: the name, the description (2.19), the access addresses. */
    public void update(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        Server server = visible(caller, ctx.pathParam("server_id"), "os_compute_api:servers:update");
        ServerRequest.Update update = ServerRequest.Update.read(Requests.jsonBody(ctx), Microversion.of(ctx), server);
        jdbi.useTransaction(h -> {
            servers.update(h, server.id(), update.name(), update.description(), update.accessIps(), now());
            update.diskConfig().ifPresent(config -> servers.setDiskConfig(h, server.id(), config));
        });
        Server updated = jdbi.withHandle(h -> servers.find(h, server.id())).orElseThrow(() ->
                NovaErrors.serverNotFound(server.id()));
        Requests.respond(ctx, 200, Json.object().set("server", view(ctx, caller).changed(updated, relatedOne(updated))));
    }

    /** The server as a change (update, rebuild) answers it to the caller. */
    ObjectNode changedView(Context ctx, AuthContext caller, Server server) {
        return view(ctx, caller).changed(server, relatedOne(server));
    }

    // One server's related rows, with its server groups, which its own view shows from 2.71.
    private ServerView.Related relatedOne(Server server) {
        return related(List.of(server)).get(server.id()).withServerGroups(serverGroups.groupsOf(server.id()));
    }

    /** The image a boot or a rebuild of {@code server}'s size may use, with the checks Nova makes. */
    ImageClient.ImageRef usableImage(AuthContext caller, String imageRef, int flavorDisk, int flavorRam) {
        ImageClient.ImageRef image = images.find(caller, imageRef)
                .orElseThrow(() -> NovaErrors.badRequest("Image " + imageRef + " could not be found."));
        if (!image.active()) {
            throw NovaErrors.badRequest("Image " + image.id() + " is not active.");
        }
        if (flavorDisk > 0 && image.minDisk() > flavorDisk) {
            throw NovaErrors.badRequest("Flavor's disk is too small for requested image. Flavor disk is "
                    + flavorDisk + " GiB, image requires " + image.minDisk() + " GiB.");
        }
        if (image.minRam() > flavorRam) {
            throw NovaErrors.badRequest("Flavor's memory is too small for requested image.");
        }
        return image;
    }

    /** The caller's key pair {@code name}, for a boot or a rebuild; 400 if it has none of that name. */
    Keypair keypair(AuthContext caller, String name) {
        return keypairs.forServer(caller, name);
    }

    /** Whether the server's host runs instances of the image's hypervisor_type (the scheduler's image filter). */
    boolean hostRuns(Server server, ImageClient.ImageRef image) {
        return server.host().flatMap(host -> jdbi.withHandle(h -> hosts.find(h, host)))
                .map(host -> dev.portside.compute.scheduler.Scheduler.runs(host.hypervisorType(), image.hypervisorType()))
                .orElse(true);
    }

    // Ports, their groups and tags of each server, read for all of them at once.
    private Map<String, ServerView.Related> related(List<Server> shown) {
        List<String> ids = shown.stream().map(Server::id).toList();
        Map<String, List<ServerVif>> vifs = new java.util.HashMap<>(jdbi.withHandle(h -> servers.vifs(h, ids)));
        ids.forEach(id -> vifs.putIfAbsent(id, List.of()));
        Map<String, List<String>> tags = jdbi.withHandle(h -> servers.tags(h, ids));
        Map<String, List<String>> groups = securityGroups.shown(vifs);
        Map<String, ServerView.Related> related = new java.util.HashMap<>();
        ids.forEach(id -> related.put(id, new ServerView.Related(vifs.get(id), groups.getOrDefault(id, List.of()),
                tags.getOrDefault(id, List.of()), Optional.empty())));
        return related;
    }

    /**
     * DELETE /servers/{id}: with a reclaim_instance_interval, a server that has run and is doing
     * nothing is soft-deleted (powered off, restorable until reclaimed); any other is deleted at once,
     * as Nova falls back to a delete when a soft delete may not start.
     */
    public void delete(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        Server server = changeable(caller, ctx.pathParam("server_id"), "os_compute_api:servers:delete");
        if (!(manager.defersDeletes() && softDelete(ctx, caller, server))) {
            delete(ctx, caller, server);
        }
        ctx.status(204);
    }

    private boolean softDelete(Context ctx, AuthContext caller, Server server) {
        PowerAction soft = PowerAction.SOFT_DELETE;
        if (server.launchedAt().isEmpty() || server.host().isEmpty()) {
            return false;
        }
        boolean started = jdbi.inTransaction(h -> {
            if (!servers.startTask(h, server.id(), soft.from, soft.taskState, now())) {
                return false;
            }
            servers.setSoftDeleted(h, server.id(), Optional.of(now()));
            instanceActions.record(h, ctx, server.id(), "delete", caller);
            return true;
        });
        if (started) {
            manager.power(server.id(), soft);
        }
        return started;
    }

    /** Deletes the server, whatever it is doing (a task sees it at its next step). */
    void delete(Context ctx, AuthContext caller, Server server) {
        jdbi.useTransaction(h -> {
            servers.markDeleting(h, server.id(), now());
            instanceActions.record(h, ctx, server.id(), "delete", caller);
        });
        manager.delete(server.id(), Optional.of(caller));
    }

    /**
     * The server, if the caller may act on it with {@code rule}. As in Nova, a server the caller cannot
     * see (another project's) is 404, and one it can see but not act on (a reader's write) is 403.
     */
    Server visible(AuthContext caller, String id, String rule) {
        Server server = jdbi.withHandle(h -> servers.find(h, id)).orElseThrow(() -> NovaErrors.serverNotFound(id));
        if (!policy.allows("os_compute_api:servers:show", caller, server.target())) {
            throw NovaErrors.serverNotFound(id);
        }
        policy.enforce(rule, caller, server.target());
        return server;
    }

    /**
     * The server, as {@link #visible}, if it may be changed: a locked server changes only for an
     * admin (Nova's check_instance_lock), whoever locked it.
     */
    Server changeable(AuthContext caller, String id, String rule) {
        Server server = visible(caller, id, rule);
        if (server.locked() && !policy.allows("context_is_admin", caller, Map.of())) {
            throw NovaErrors.conflict("Instance " + id + " is locked");
        }
        return server;
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    /** Why a task could not claim the server: Nova's InstanceInvalidState, naming the task running or the state. */
    dev.portside.common.http.ApiException notStartable(String method, String id) {
        Server current = jdbi.withHandle(h -> servers.find(h, id)).orElseThrow(() -> NovaErrors.serverNotFound(id));
        return current.taskState().isPresent()
                ? NovaErrors.invalidState(method, id, "task_state", current.taskState().get())
                : NovaErrors.invalidState(method, id, "vm_state", current.vmState());
    }

    private ServerView view(Context ctx, AuthContext caller) {
        return new ServerView(baseUrl, Microversion.of(ctx),
                policy.allows("os_compute_api:os-extended-server-attributes", caller, Map.of()));
    }

    // oslo's strict bool_from_string, as Nova reads the locked filter.
    private static boolean strictBoolean(String value) {
        String v = value.strip().toLowerCase(java.util.Locale.ROOT);
        if (Set.of("1", "t", "true", "on", "y", "yes").contains(v)) {
            return true;
        }
        if (Set.of("0", "f", "false", "off", "n", "no").contains(v)) {
            return false;
        }
        throw NovaErrors.badRequest("Unrecognized value '" + value + "', acceptable values are: '0', '1', 'f',"
                + " 'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes'");
    }

    // From 2.75 a query parameter Nova's list schema does not name is refused, not ignored.
    private static void refuseUnknownQuery(Context ctx) {
        if (!Microversion.of(ctx).atLeast(75)) {
            return;
        }
        for (String name : ctx.queryParamMap().keySet()) {
            if (!LIST_QUERY.contains(name)) {
                throw NovaErrors.badRequest("Invalid input for query parameters " + name + ". Value: "
                        + ctx.queryParam(name) + ". Additional properties are not allowed ('" + name
                        + "' was unexpected)");
            }
        }
    }

    private static boolean isTrue(String value) {
        return value != null && Set.of("1", "true", "t", "yes", "y", "on").contains(value.toLowerCase(java.util.Locale.ROOT));
    }

    // Nova's reservation ids: "r-" and eight characters, one per create request.
    private static String reservationId() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder id = new StringBuilder("r-");
        java.security.SecureRandom random = new java.security.SecureRandom();
        for (int i = 0; i < 8; i++) {
            id.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return id.toString();
    }

    static String password() {
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            password.append(PASSWORD_CHARACTERS.charAt(RANDOM.nextInt(PASSWORD_CHARACTERS.length())));
        }
        return password.toString();
    }

}
