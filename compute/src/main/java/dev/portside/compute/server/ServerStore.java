package dev.portside.compute.server;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.json.Json;
import dev.portside.compute.network.NetworkPort;
import org.jdbi.v3.core.Handle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Servers and the ports they hold, in the database. */
public final class ServerStore {

    public Optional<Server> find(Handle h, String id) {
        return h.createQuery("SELECT * FROM compute_server WHERE id = :id").bind("id", id).map((rs, ctx) -> row(rs))
                .findOne();
    }

    /** Servers of one project, or of every project when empty (an admin's all_tenants). */
    public List<Server> list(Handle h, Optional<String> projectId) {
        var query = h.createQuery("SELECT * FROM compute_server" + (projectId.isPresent() ? " WHERE project_id = :project" : "")
                + " ORDER BY created_at DESC, id");
        projectId.ifPresent(project -> query.bind("project", project));
        return query.map((rs, ctx) -> row(rs)).list();
    }

    /** Inserts the server; returns the number the database gave it (its instance name comes from it). */
    public long insert(Handle h, Server s) {
        return h.createUpdate("INSERT INTO compute_server (id, project_id, user_id, name, description, flavor_id, flavor_name,"
                        + " vcpus, memory_mb, root_gb, ephemeral_gb, swap_mb, image_id, key_name, key_data, user_data, metadata, requested_networks,"
                        + " security_groups, access_ip_v4, access_ip_v6, requested_host, host, vm_state, task_state, power_state, created_at, updated_at,"
                        + " reservation_id, disk_config) VALUES (:id,"
                        + " :project, :user, :name, :description, :flavor, :flavorName, :vcpus, :ram, :disk, :ephemeral, :swap, :image, :keyName, :keyData,"
                        + " :userData, :metadata, :networks, :groups, :v4, :v6, :requestedHost, NULL, :vmState, :taskState, :power, :created,"
                        + " :updated, :reservation, :diskConfig)")
                .bind("id", s.id()).bind("project", s.projectId()).bind("user", s.userId()).bind("name", s.name())
                .bind("description", s.description().orElse(null)).bindMap(sizing(s.flavor()))
                .bind("image", s.imageId()).bind("keyName", s.keyName().orElse(null))
                .bind("keyData", s.keyData().orElse(null)).bind("userData", s.userData().orElse(null))
                .bind("metadata", Json.write(Json.MAPPER.valueToTree(s.metadata())))
                .bind("networks", Json.write(networks(s.requestedNetworks())))
                .bind("groups", Json.write(Json.MAPPER.valueToTree(s.securityGroups())))
                .bind("v4", s.accessIps().v4().orElse(null)).bind("v6", s.accessIps().v6().orElse(null))
                .bind("requestedHost", s.requestedHost().orElse(null)).bind("vmState", s.vmState())
                .bind("taskState", s.taskState().orElse(null)).bind("power", s.powerState())
                .bind("created", Timestamp.from(s.createdAt())).bind("updated", Timestamp.from(s.updatedAt()))
                .bind("reservation", s.reservationId()).bind("diskConfig", s.diskConfig())
                .executeAndReturnGeneratedKeys("number").mapTo(Long.class).one();
    }

    /**
     * Sets the task state only if the server is in one of {@code vmStates} with no task running:
     * how an action claims a server, so two actions cannot both start. False when it was not.
     */
    public boolean startTask(Handle h, String id, Set<String> vmStates, String taskState, Instant now) {
        return h.createUpdate("UPDATE compute_server SET task_state = :task, updated_at = :now WHERE id = :id"
                        + " AND task_state IS NULL AND vm_state IN (<states>)")
                .bind("id", id).bind("task", taskState).bind("now", Timestamp.from(now))
                .bindList("states", List.copyOf(vmStates)).execute() == 1;
    }

    /** When the server was soft-deleted (the reclaim interval counts from it), or none once restored. */
    public void setSoftDeleted(Handle h, String id, Optional<Instant> at) {
        h.createUpdate("UPDATE compute_server SET soft_deleted_at = :at WHERE id = :id").bind("id", id)
                .bind("at", at.map(Timestamp::from).orElse(null)).execute();
    }

    /** The soft-deleted servers, with no task running, deleted before {@code cutoff}: the ones to reclaim. */
    public List<String> softDeletedBefore(Handle h, Instant cutoff) {
        return h.createQuery("SELECT id FROM compute_server WHERE vm_state = :state AND task_state IS NULL"
                        + " AND soft_deleted_at <= :cutoff ORDER BY soft_deleted_at")
                .bind("state", Server.SOFT_DELETED).bind("cutoff", Timestamp.from(cutoff)).mapTo(String.class).list();
    }

    /** Marks the server for deletion whatever it is doing; the running task sees it at its next step. */
    public boolean markDeleting(Handle h, String id, Instant now) {
        return h.createUpdate("UPDATE compute_server SET task_state = 'deleting', updated_at = :now WHERE id = :id")
                .bind("id", id).bind("now", Timestamp.from(now)).execute() == 1;
    }

    /** Records a step of a task (task_state), unless the server is being deleted. */
    public boolean setTask(Handle h, String id, String taskState, Instant now) {
        return h.createUpdate("UPDATE compute_server SET task_state = :task, updated_at = :now WHERE id = :id"
                        + " AND (task_state IS NULL OR task_state <> 'deleting')")
                .bind("id", id).bind("task", taskState).bind("now", Timestamp.from(now)).execute() == 1;
    }

    /** Ends a task with the server in {@code vmState}; a server being deleted stays so. */
    public boolean finish(Handle h, String id, String vmState, int powerState, Optional<Server.Fault> fault,
                          Optional<Instant> launchedAt, Instant now) {
        return h.createUpdate("UPDATE compute_server SET vm_state = :vm, task_state = NULL, power_state = :power,"
                        + " fault = :fault, launched_at = COALESCE(:launched, launched_at), updated_at = :now"
                        + " WHERE id = :id AND (task_state IS NULL OR task_state <> 'deleting')")
                .bind("id", id).bind("vm", vmState).bind("power", powerState)
                .bind("fault", fault.map(ServerStore::faultJson).orElse(null))
                .bind("launched", launchedAt.map(Timestamp::from).orElse(null)).bind("now", Timestamp.from(now))
                .execute() == 1;
    }

    /** What PUT /servers/{id} changes: the name, the description, the access addresses. */
    public void update(Handle h, String id, String name, Optional<String> description, Server.AccessIps accessIps,
                       Instant now) {
        h.createUpdate("UPDATE compute_server SET name = :name, description = :description, access_ip_v4 = :v4,"
                        + " access_ip_v6 = :v6, updated_at = :now WHERE id = :id")
                .bind("id", id).bind("name", name).bind("description", description.orElse(null))
                .bind("v4", accessIps.v4().orElse(null)).bind("v6", accessIps.v6().orElse(null))
                .bind("now", Timestamp.from(now)).execute();
    }

    /** What a rebuild records: the new image and what the request changed beside it. */
    public void rebuild(Handle h, String id, String imageId, String name, Optional<String> description,
                        Server.AccessIps accessIps, Map<String, String> metadata, Instant now) {
        h.createUpdate("UPDATE compute_server SET image_id = :image, metadata = :metadata, updated_at = :now"
                        + " WHERE id = :id")
                .bind("id", id).bind("image", imageId)
                .bind("metadata", Json.write(Json.MAPPER.valueToTree(new java.util.TreeMap<>(metadata))))
                .bind("now", Timestamp.from(now)).execute();
        update(h, id, name, description, accessIps, now);
    }

    /** The key pair a rebuild gives the server (2.54), or none. */
    public void setKey(Handle h, String id, Optional<String> name, Optional<String> publicKey) {
        h.createUpdate("UPDATE compute_server SET key_name = :name, key_data = :data WHERE id = :id").bind("id", id)
                .bind("name", name.orElse(null)).bind("data", publicKey.orElse(null)).execute();
    }

    /** The user data a rebuild gives the server (2.57), or none. */
    public void setUserData(Handle h, String id, Optional<String> userData) {
        h.createUpdate("UPDATE compute_server SET user_data = :data WHERE id = :id").bind("id", id)
                .bind("data", userData.orElse(null)).execute();
    }

    /** OS-DCF:diskConfig as a create, update, rebuild or resize gave it. */
    public void setDiskConfig(Handle h, String id, String diskConfig) {
        h.createUpdate("UPDATE compute_server SET disk_config = :config WHERE id = :id").bind("id", id)
                .bind("config", diskConfig).execute();
    }

    /** Locks the server, or (empty) unlocks it. */
    public void lock(Handle h, String id, Optional<Server.Lock> lock, Instant now) {
        h.createUpdate("UPDATE compute_server SET locked_by = :by, locked_reason = :reason, updated_at = :now"
                        + " WHERE id = :id")
                .bind("id", id).bind("by", lock.map(Server.Lock::lockedBy).orElse(null))
                .bind("reason", lock.flatMap(Server.Lock::reason).orElse(null)).bind("now", Timestamp.from(now))
                .execute();
    }

    /** The server's row, locked for the rest of the transaction: read-modify-write of its metadata. */
    public Optional<Server> findForUpdate(Handle h, String id) {
        return h.createQuery("SELECT * FROM compute_server WHERE id = :id FOR UPDATE").bind("id", id)
                .map((rs, ctx) -> row(rs)).findOne();
    }

    public void setMetadata(Handle h, String id, Map<String, String> metadata, Instant now) {
        h.createUpdate("UPDATE compute_server SET metadata = :metadata, updated_at = :now WHERE id = :id")
                .bind("id", id).bind("metadata", Json.write(Json.MAPPER.valueToTree(new java.util.TreeMap<>(metadata))))
                .bind("now", Timestamp.from(now)).execute();
    }

    /** The server's tags, sorted. */
    public List<String> tags(Handle h, String id) {
        return h.createQuery("SELECT tag FROM compute_server_tag WHERE server_id = :id ORDER BY tag").bind("id", id)
                .mapTo(String.class).list();
    }

    /** The tags of many servers at once, for listings. */
    public Map<String, List<String>> tags(Handle h, Collection<String> serverIds) {
        Map<String, List<String>> byServer = new HashMap<>();
        if (!serverIds.isEmpty()) {
            h.createQuery("SELECT server_id, tag FROM compute_server_tag WHERE server_id IN (<ids>) ORDER BY tag")
                    .bindList("ids", List.copyOf(serverIds))
                    .map((rs, ctx) -> Map.entry(rs.getString("server_id"), rs.getString("tag")))
                    .forEach(e -> byServer.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        }
        return byServer;
    }

    public void replaceTags(Handle h, String id, Collection<String> tags) {
        h.createUpdate("DELETE FROM compute_server_tag WHERE server_id = :id").bind("id", id).execute();
        for (String tag : new java.util.TreeSet<>(tags)) {
            addTag(h, id, tag);
        }
    }

    public void addTag(Handle h, String id, String tag) {
        h.createUpdate("INSERT INTO compute_server_tag (server_id, tag) VALUES (:id, :tag)").bind("id", id)
                .bind("tag", tag).execute();
    }

    public boolean removeTag(Handle h, String id, String tag) {
        return h.createUpdate("DELETE FROM compute_server_tag WHERE server_id = :id AND tag = :tag").bind("id", id)
                .bind("tag", tag).execute() == 1;
    }

    /** Records the server's claim on {@code host}: what the host's usage counts. */
    /** Gives the server the flavor {@code to}, keeping the one it had as its old flavor. */
    public void resize(Handle h, String id, Server.Sizing to) {
        h.createUpdate("UPDATE compute_server SET old_flavor_id = flavor_id, old_flavor_name = flavor_name,"
                        + " old_vcpus = vcpus, old_memory_mb = memory_mb, old_root_gb = root_gb,"
                        + " old_ephemeral_gb = ephemeral_gb, old_swap_mb = swap_mb, flavor_id = :flavor,"
                        + " flavor_name = :flavorName, vcpus = :vcpus, memory_mb = :ram, root_gb = :disk,"
                        + " ephemeral_gb = :ephemeral, swap_mb = :swap WHERE id = :id")
                .bind("id", id).bindMap(sizing(to)).execute();
    }

    /** Ends a resize: kept ({@code revert} false) the old flavor is forgotten; reverted the server has it again. */
    public void endResize(Handle h, String id, boolean revert) {
        String back = revert ? "flavor_id = old_flavor_id, flavor_name = old_flavor_name, vcpus = old_vcpus,"
                + " memory_mb = old_memory_mb, root_gb = old_root_gb, ephemeral_gb = old_ephemeral_gb,"
                + " swap_mb = old_swap_mb, " : "";
        h.createUpdate("UPDATE compute_server SET " + back + "old_flavor_id = NULL, old_flavor_name = NULL,"
                + " old_vcpus = NULL, old_memory_mb = NULL, old_root_gb = NULL, old_ephemeral_gb = NULL,"
                + " old_swap_mb = NULL WHERE id = :id AND old_flavor_id IS NOT NULL")
                .bind("id", id).execute();
    }

    /** Records (or, empty, forgets) the snapshot a shelved server is unshelved from. */
    public void setShelvedImage(Handle h, String id, Optional<String> imageId) {
        h.createUpdate("UPDATE compute_server SET shelved_image_id = :image WHERE id = :id")
                .bind("id", id).bind("image", imageId.orElse(null)).execute();
    }

    public void claimHost(Handle h, String id, String host) {
        h.createUpdate("UPDATE compute_server SET host = :host WHERE id = :id").bind("host", host).bind("id", id).execute();
    }

    /** Gives back the server's claim on its host. */
    public void releaseHost(Handle h, String id) {
        h.createUpdate("UPDATE compute_server SET host = NULL WHERE id = :id").bind("id", id).execute();
    }

    public void delete(Handle h, String id) {
        h.createUpdate("DELETE FROM compute_server WHERE id = :id").bind("id", id).execute();
    }

    /** Claims a port for a server; a port another server holds breaks the key, and the caller answers PortInUse. */
    public void insertVif(Handle h, ServerVif vif) {
        h.createUpdate("INSERT INTO compute_vif (port_id, server_id, position, created_by_compute, network_id,"
                        + " network_label, mac_address, fixed_ips, attached_at, tag) VALUES (:port, :server, :position,"
                        + " :created, :network, :label, :mac, :ips, :at, :tag)")
                .bind("tag", vif.tag().orElse(null))
                .bind("port", vif.portId()).bind("server", vif.serverId()).bind("position", vif.position())
                .bind("created", vif.createdByCompute()).bind("network", vif.networkId())
                .bind("label", vif.networkLabel()).bind("mac", vif.macAddress()).bind("ips", fixedIpsJson(vif.fixedIps()))
                .bind("at", Timestamp.from(vif.attachedAt())).execute();
    }

    public void updateVif(Handle h, ServerVif vif) {
        h.createUpdate("UPDATE compute_vif SET mac_address = :mac, fixed_ips = :ips WHERE port_id = :port")
                .bind("port", vif.portId()).bind("mac", vif.macAddress()).bind("ips", fixedIpsJson(vif.fixedIps()))
                .execute();
    }

    public void deleteVif(Handle h, String portId) {
        h.createUpdate("DELETE FROM compute_vif WHERE port_id = :port").bind("port", portId).execute();
    }

    public List<ServerVif> vifs(Handle h, String serverId) {
        return h.createQuery("SELECT * FROM compute_vif WHERE server_id = :server ORDER BY position")
                .bind("server", serverId).map((rs, ctx) -> vif(rs)).list();
    }

    public int nextPosition(Handle h, String serverId) {
        return h.createQuery("SELECT COALESCE(MAX(position), -1) + 1 FROM compute_vif WHERE server_id = :server")
                .bind("server", serverId).mapTo(Integer.class).one();
    }

    /** The ports of many servers at once, for listings. */
    public Map<String, List<ServerVif>> vifs(Handle h, Collection<String> serverIds) {
        Map<String, List<ServerVif>> byServer = new HashMap<>();
        if (serverIds.isEmpty()) {
            return byServer;
        }
        h.createQuery("SELECT * FROM compute_vif WHERE server_id IN (<ids>) ORDER BY position")
                .bindList("ids", List.copyOf(serverIds)).map((rs, ctx) -> vif(rs))
                .forEach(v -> byServer.computeIfAbsent(v.serverId(), k -> new ArrayList<>()).add(v));
        return byServer;
    }

    private static String faultJson(Server.Fault fault) {
        return Json.write(Json.object().put("code", fault.code()).put("message", fault.message())
                .put("details", fault.details()).put("created", fault.created().toString()));
    }

    private static String fixedIpsJson(List<NetworkPort.FixedIp> ips) {
        ArrayNode array = Json.array();
        ips.forEach(ip -> array.addObject().put("subnet_id", ip.subnetId()).put("ip_address", ip.ipAddress()));
        return Json.write(array);
    }

    private static ArrayNode networks(List<Server.RequestedNetwork> requested) {
        ArrayNode array = Json.array();
        for (Server.RequestedNetwork r : requested) {
            ObjectNode entry = array.addObject();
            r.portId().ifPresent(p -> entry.put("port", p));
            r.networkId().ifPresent(n -> entry.put("uuid", n));
            r.fixedIp().ifPresent(ip -> entry.put("fixed_ip", ip));
            r.tag().ifPresent(tag -> entry.put("tag", tag));
        }
        return array;
    }

    private static JsonNode tree(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ServerVif vif(ResultSet rs) throws SQLException {
        List<NetworkPort.FixedIp> ips = new ArrayList<>();
        tree(rs.getString("fixed_ips")).forEach(ip -> ips.add(new NetworkPort.FixedIp(ip.path("subnet_id").asText(),
                ip.path("ip_address").asText())));
        return new ServerVif(rs.getString("port_id"), rs.getString("server_id"), rs.getInt("position"),
                rs.getBoolean("created_by_compute"), rs.getString("network_id"), rs.getString("network_label"),
                rs.getString("mac_address"), ips, rs.getTimestamp("attached_at").toInstant(),
                Optional.ofNullable(rs.getString("tag")));
    }

    private static Server row(ResultSet rs) throws SQLException {
        List<Server.RequestedNetwork> requested = new ArrayList<>();
        tree(rs.getString("requested_networks")).forEach(n -> requested.add(new Server.RequestedNetwork(
                text(n, "port"), text(n, "uuid"), text(n, "fixed_ip"), text(n, "tag"))));
        Map<String, String> metadata = Json.MAPPER.convertValue(tree(rs.getString("metadata")),
                new TypeReference<Map<String, String>>() {
                });
        List<String> groups = Json.MAPPER.convertValue(tree(rs.getString("security_groups")),
                new TypeReference<List<String>>() {
                });
        Optional<String> lockReason = Optional.ofNullable(rs.getString("locked_reason"));
        Optional<Server.Lock> lock = Optional.ofNullable(rs.getString("locked_by")).map(by -> new Server.Lock(by, lockReason));
        Optional<Server.Fault> fault = Optional.ofNullable(rs.getString("fault")).map(ServerStore::tree)
                .map(f -> new Server.Fault(f.path("code").asInt(), f.path("message").asText(), f.path("details").asText(),
                        Instant.parse(f.path("created").asText())));
        Timestamp launched = rs.getTimestamp("launched_at");
        return new Server(rs.getString("id"), rs.getLong("number"), rs.getString("project_id"), rs.getString("user_id"),
                rs.getString("name"), Optional.ofNullable(rs.getString("description")),
                sizing(rs, "", rs.getString("flavor_id")), rs.getString("image_id"),
                Optional.ofNullable(rs.getString("key_name")), Optional.ofNullable(rs.getString("key_data")),
                Optional.ofNullable(rs.getString("user_data")), metadata, requested, groups,
                new Server.AccessIps(Optional.ofNullable(rs.getString("access_ip_v4")),
                        Optional.ofNullable(rs.getString("access_ip_v6"))),
                lock,
                Optional.ofNullable(rs.getString("requested_host")), Optional.ofNullable(rs.getString("host")),
                rs.getString("vm_state"), Optional.ofNullable(rs.getString("task_state")), rs.getInt("power_state"),
                fault, rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant(),
                Optional.ofNullable(launched).map(Timestamp::toInstant),
                Optional.ofNullable(rs.getString("shelved_image_id")),
                Optional.ofNullable(rs.getString("old_flavor_id")).map(old -> uncheckedSizing(rs, old)),
                // Servers made before reservations were kept show one of their own, as before.
                Optional.ofNullable(rs.getString("reservation_id")).orElse("r-" + rs.getString("id").substring(0, 8)),
                rs.getString("disk_config"));
    }

    private static Server.Sizing uncheckedSizing(java.sql.ResultSet rs, String flavorId) {
        try {
            return sizing(rs, "old_", flavorId);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> sizing(Server.Sizing f) {
        return Map.of("flavor", f.flavorId(), "flavorName", f.name(), "vcpus", f.vcpus(), "ram", f.memoryMb(),
                "disk", f.rootGb(), "ephemeral", f.ephemeralGb(), "swap", f.swapMb());
    }

    // The flavor copy in the columns named with {@code prefix}: "" the server's, "old_" the one before a resize.
    private static Server.Sizing sizing(java.sql.ResultSet rs, String prefix, String flavorId) throws java.sql.SQLException {
        return new Server.Sizing(flavorId, rs.getString(prefix + "flavor_name"), rs.getInt(prefix + "vcpus"),
                rs.getInt(prefix + "memory_mb"), rs.getInt(prefix + "root_gb"), rs.getInt(prefix + "ephemeral_gb"),
                rs.getInt(prefix + "swap_mb"));
    }

    private static Optional<String> text(JsonNode node, String field) {
        return node.hasNonNull(field) ? Optional.of(node.get(field).asText()) : Optional.empty();
    }
}
