package dev.portside.network.port;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.portside.common.json.Json;
import dev.portside.network.api.Listing;
import dev.portside.network.binding.Binding;
import dev.portside.network.binding.PortBinding;
import dev.portside.network.trunk.TrunkDetails;
import org.jdbi.v3.core.Handle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Ports and the addresses they hold, in the database. */
public final class PortStore {

    public Optional<Port> find(Handle h, String id) {
        return select(h, new Listing.Selection("p", "WHERE p.id = :id", "", 0, Map.of("id", id))).stream().findFirst();
    }

    /** The port, row-locked until the transaction ends, for a read-modify-write that must not lose a concurrent one. */
    public Optional<Port> findForUpdate(Handle h, String id) {
        boolean exists = h.createQuery("SELECT id FROM network_port WHERE id = :id FOR UPDATE").bind("id", id)
                .mapTo(String.class).findOne().isPresent();
        return exists ? find(h, id) : Optional.empty();
    }

    /** Which ports a list starts from: a project's own, and every port on its networks; all for an admin. */
    public static Listing.Scope scope(Optional<String> projectId) {
        return projectId.map(p -> new Listing.Scope("p.project_id = :project OR p.network_id IN"
                + " (SELECT n.id FROM network_network n WHERE n.project_id = :project)", Map.of("project", p)))
                .orElse(Listing.Scope.ALL);
    }

    /** Every port, for the host's filtering. */
    public List<Port> all(Handle h) {
        return select(h, new Listing.Selection("p", "", "ORDER BY p.id", 0, Map.of()));
    }

    /** Whether any port is on the network (it cannot be deleted then). */
    public boolean anyOnNetwork(Handle h, String networkId) {
        return h.createQuery("SELECT COUNT(*) FROM network_port WHERE network_id = :network").bind("network", networkId)
                .mapTo(Long.class).one() > 0;
    }

    public boolean macInUse(Handle h, String networkId, String mac) {
        return h.createQuery("SELECT COUNT(*) FROM network_port WHERE network_id = :network AND mac_address = :mac")
                .bind("network", networkId).bind("mac", mac).mapTo(Long.class).one() > 0;
    }

    public boolean addressInUse(Handle h, String networkId, String ip) {
        return h.createQuery("SELECT COUNT(*) FROM network_ip_allocation WHERE network_id = :network AND ip_address = :ip")
                .bind("network", networkId).bind("ip", ip).mapTo(Long.class).one() > 0;
    }

    public void insert(Handle h, Port p) {
        h.createUpdate("INSERT INTO network_port (id, network_id, project_id, name, description, mac_address,"
                        + " admin_state_up, status, device_id, device_owner, ip_allocation, port_security_enabled,"
                        + " binding_host_id, binding_vif_type, binding_vif_details, binding_vnic_type, binding_profile,"
                        + " created_at, updated_at, revision_number) VALUES (:id, :network, :project, :name, :description,"
                        + " :mac, :up, :status, :device, :owner, :allocation, :security, :host, :vifType, :vifDetails,"
                        + " :vnicType, :profile, :created, :updated, :revision)")
                .bind("id", p.id()).bind("network", p.networkId()).bind("project", p.projectId()).bind("name", p.name())
                .bind("description", p.description()).bind("mac", p.macAddress()).bind("up", p.adminStateUp())
                .bind("status", p.status()).bind("device", p.deviceId()).bind("owner", p.deviceOwner())
                .bind("allocation", p.ipAllocation()).bind("security", p.portSecurityEnabled())
                .bindMap(bindingColumns(p.binding()))
                .bind("created", p.createdAt()).bind("updated", p.updatedAt()).bind("revision", p.revisionNumber())
                .execute();
    }

    public void update(Handle h, Port p) {
        h.createUpdate("UPDATE network_port SET name = :name, description = :description, admin_state_up = :up, status = :status,"
                        + " device_id = :device, device_owner = :owner, port_security_enabled = :security,"
                        + " binding_host_id = :host, binding_vif_type = :vifType, binding_vif_details = :vifDetails,"
                        + " binding_vnic_type = :vnicType, binding_profile = :profile,"
                        + " updated_at = :updated, revision_number = :revision WHERE id = :id")
                .bind("id", p.id()).bind("name", p.name()).bind("description", p.description())
                .bind("up", p.adminStateUp()).bind("status", p.status()).bind("device", p.deviceId())
                .bind("owner", p.deviceOwner()).bind("security", p.portSecurityEnabled()).bind("updated", p.updatedAt())
                .bindMap(bindingColumns(p.binding()))
                .bind("revision", p.revisionNumber())
                .execute();
    }

    private static Map<String, Object> bindingColumns(PortBinding binding) {
        return Map.of("host", binding.hostId(), "vifType", binding.binding().vifType(),
                "vifDetails", Json.write(Json.MAPPER.valueToTree(binding.binding().vifDetails())),
                "vnicType", binding.vnicType(), "profile", Json.write(Json.MAPPER.valueToTree(binding.profile())));
    }

    private static Map<String, Object> jsonObject(String text) {
        if (text.equals("{}")) {
            return Map.of();
        }
        try {
            return Json.MAPPER.readValue(text, new TypeReference<Map<String, Object>>() {
            });
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public void delete(Handle h, String id) {
        h.createUpdate("DELETE FROM network_port WHERE id = :id").bind("id", id).execute();
    }

    public List<PortBinding> inactiveBindings(Handle h, String portId) {
        return h.createQuery("SELECT * FROM network_port_inactive_binding WHERE port_id = :port ORDER BY host")
                .bind("port", portId)
                .map((rs, ctx) -> new PortBinding(rs.getString("host"), rs.getString("vnic_type"),
                        jsonObject(rs.getString("profile")), new Binding(rs.getString("vif_type"),
                        jsonObject(rs.getString("vif_details")))))
                .list();
    }

    public void addInactiveBinding(Handle h, String portId, PortBinding binding) {
        h.createUpdate("INSERT INTO network_port_inactive_binding (port_id, host, vnic_type, profile, vif_type, vif_details)"
                        + " VALUES (:port, :host, :vnicType, :profile, :vifType, :vifDetails)")
                .bind("port", portId).bindMap(bindingColumns(binding)).execute();
    }

    public boolean removeInactiveBinding(Handle h, String portId, String host) {
        return h.createUpdate("DELETE FROM network_port_inactive_binding WHERE port_id = :port AND host = :host")
                .bind("port", portId).bind("host", host).execute() > 0;
    }

    /** Records a new port's security groups, address pairs and allowed ethertypes. */
    public void addSecurity(Handle h, Port p) {
        for (String group : p.securityGroups()) {
            h.createUpdate("INSERT INTO network_port_security_group (port_id, security_group_id) VALUES (:port, :group)")
                    .bind("port", p.id()).bind("group", group).execute();
        }
        for (AddressPair pair : p.allowedAddressPairs()) {
            h.createUpdate("INSERT INTO network_allowed_address_pair (port_id, ip_address, mac_address)"
                            + " VALUES (:port, :ip, :mac)")
                    .bind("port", p.id()).bind("ip", pair.ipAddress()).bind("mac", pair.macAddress()).execute();
        }
        for (int ethertype : p.allowedEthertypes()) {
            h.createUpdate("INSERT INTO network_port_ethertype (port_id, ethertype) VALUES (:port, :ethertype)")
                    .bind("port", p.id()).bind("ethertype", ethertype).execute();
        }
    }

    /** Replaces an existing port's security groups, address pairs and ethertypes with the ones it now has. */
    public void replaceSecurity(Handle h, Port p) {
        h.createUpdate("DELETE FROM network_port_security_group WHERE port_id = :port").bind("port", p.id()).execute();
        h.createUpdate("DELETE FROM network_allowed_address_pair WHERE port_id = :port").bind("port", p.id()).execute();
        h.createUpdate("DELETE FROM network_port_ethertype WHERE port_id = :port").bind("port", p.id()).execute();
        addSecurity(h, p);
    }

    public void addAllocation(Handle h, String networkId, String portId, FixedIp ip) {
        h.createUpdate("INSERT INTO network_ip_allocation (network_id, ip_address, subnet_id, port_id)"
                        + " VALUES (:network, :ip, :subnet, :port)")
                .bind("network", networkId).bind("ip", ip.ipAddress()).bind("subnet", ip.subnetId()).bind("port", portId)
                .execute();
    }

    public void removeAllocation(Handle h, String networkId, String ip) {
        h.createUpdate("DELETE FROM network_ip_allocation WHERE network_id = :network AND ip_address = :ip")
                .bind("network", networkId).bind("ip", ip).execute();
    }

    /**
     * One page of a list (rows aliased {@code p}), with the rows kept beside each port that the caller
     * will see. Those are read by id for a page, and for a long list by the list's own WHERE (a bound
     * id list has a size limit).
     */
    public List<Port> select(Handle h, Listing.Selection selection) {
        var query = h.createQuery(selection.select("p.*", "network_port"));
        selection.params().forEach(query::bind);
        List<Port> ports = query.map((rs, ctx) -> port(rs)).list();
        if (ports.isEmpty()) {
            return ports;
        }
        boolean byId = ports.size() <= BY_ID;
        Map<String, Object> params = byId ? Map.of() : selection.params();
        String where = byId ? " WHERE x.port_id IN (<ids>)"
                : " WHERE x.port_id IN (SELECT p.id FROM network_port p " + selection.where() + ")";
        List<String> ids = ports.stream().map(Port::id).toList();
        Map<String, List<FixedIp>> ips = !selection.wants("fixed_ips") ? Map.of() : beside(h, "SELECT x.port_id, x.subnet_id, x.ip_address FROM network_ip_allocation x"
                + where + " ORDER BY x.subnet_id, x.ip_address", ids, params, (rs, ctx) -> Map.entry(rs.getString(1),
                new FixedIp(rs.getString(2), rs.getString(3))));
        Map<String, List<String>> groups = !selection.wants("security_groups") ? Map.of() : beside(h, "SELECT x.port_id, x.security_group_id"
                + " FROM network_port_security_group x" + where + " ORDER BY x.security_group_id", ids, params,
                (rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)));
        Map<String, List<AddressPair>> pairs = !selection.wants("allowed_address_pairs") ? Map.of() : beside(h, "SELECT x.port_id, x.ip_address, x.mac_address"
                + " FROM network_allowed_address_pair x" + where + " ORDER BY x.ip_address, x.mac_address", ids, params,
                (rs, ctx) -> Map.entry(rs.getString(1), new AddressPair(rs.getString(2), rs.getString(3))));
        Map<String, List<Integer>> ethertypes = !selection.wants("allowed_ethertypes") ? Map.of() : beside(h, "SELECT x.port_id, x.ethertype FROM network_port_ethertype x"
                + where + " ORDER BY x.ethertype", ids, params, (rs, ctx) -> Map.entry(rs.getString(1), rs.getInt(2)));
        // A trunk's parent shows its trunk: one row per sub-port (none for a trunk without any).
        Map<String, List<TrunkRow>> trunks = !selection.wants("trunk_details")
                ? Map.of() : beside(h, "SELECT x.port_id, x.id, s.port_id, s.segmentation_type, s.segmentation_id,"
                + " sp.mac_address FROM network_trunk x LEFT JOIN network_trunk_subport s ON s.trunk_id = x.id"
                + " LEFT JOIN network_port sp ON sp.id = s.port_id" + where
                + " ORDER BY s.segmentation_type, s.segmentation_id", ids, params, (rs, ctx) -> {
                    String subPort = rs.getString(3);
                    Optional<TrunkDetails.SubPortDetail> detail = subPort == null ? Optional.empty()
                            : Optional.of(new TrunkDetails.SubPortDetail(subPort, rs.getString(4), rs.getInt(5), rs.getString(6)));
                    return Map.entry(rs.getString(1), new TrunkRow(rs.getString(2), detail));
                });
        return ports.stream().map(p -> p.with(ips.getOrDefault(p.id(), List.of()), groups.getOrDefault(p.id(), List.of()),
                pairs.getOrDefault(p.id(), List.of()), ethertypes.getOrDefault(p.id(), List.of()),
                Optional.ofNullable(trunks.get(p.id())).map(rows -> new TrunkDetails(rows.getFirst().trunkId(),
                        rows.stream().flatMap(row -> row.subPort().stream()).toList())))).toList();
    }

    private record TrunkRow(String trunkId, Optional<TrunkDetails.SubPortDetail> subPort) {
    }

    // Past this many ports, the rows beside them are read by the list's WHERE rather than by a list of ids.
    private static final int BY_ID = 1000;

    private static <V> Map<String, List<V>> beside(Handle h, String sql, List<String> ids, Map<String, Object> params,
                                                   org.jdbi.v3.core.mapper.RowMapper<Map.Entry<String, V>> row) {
        var query = h.createQuery(sql);
        if (sql.contains("<ids>")) {
            query.bindList("ids", ids);
        }
        params.forEach(query::bind);
        Map<String, List<V>> byPort = new HashMap<>();
        query.map(row).forEach(e -> byPort.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return byPort;
    }

    private static Port port(ResultSet rs) throws SQLException {
        return new Port(rs.getString("id"), rs.getString("network_id"), rs.getString("project_id"), rs.getString("name"),
                rs.getString("description"), rs.getString("mac_address"), rs.getBoolean("admin_state_up"),
                rs.getString("status"), rs.getString("device_id"), rs.getString("device_owner"),
                rs.getString("ip_allocation"), rs.getBoolean("port_security_enabled"), List.of(),
                new PortBinding(rs.getString("binding_host_id"), rs.getString("binding_vnic_type"),
                        jsonObject(rs.getString("binding_profile")), new Binding(rs.getString("binding_vif_type"),
                        jsonObject(rs.getString("binding_vif_details")))), List.of(), List.of(), List.of(),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant(),
                rs.getLong("revision_number"), Optional.empty());
    }
}
