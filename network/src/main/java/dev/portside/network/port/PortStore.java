package dev.portside.network.port;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.portside.common.json.Json;
import dev.portside.network.binding.Binding;
import dev.portside.network.binding.PortBinding;
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
        return list(h, "WHERE p.id = :id", Map.of("id", id)).stream().findFirst();
    }

    /** The port, row-locked until the transaction ends, for a read-modify-write that must not lose a concurrent one. */
    public Optional<Port> findForUpdate(Handle h, String id) {
        boolean exists = h.createQuery("SELECT id FROM network_port WHERE id = :id FOR UPDATE").bind("id", id)
                .mapTo(String.class).findOne().isPresent();
        return exists ? find(h, id) : Optional.empty();
    }

    /** Ports a project may see: its own, and every port on its networks; all for an admin. */
    public List<Port> visible(Handle h, Optional<String> projectId) {
        if (projectId.isEmpty()) {
            return list(h, "", Map.of());
        }
        return list(h, "JOIN network_network n ON n.id = p.network_id WHERE p.project_id = :project OR n.project_id = :project",
                Map.of("project", projectId.get()));
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

    private List<Port> list(Handle h, String where, Map<String, String> params) {
        var query = h.createQuery("SELECT p.* FROM network_port p " + where + " ORDER BY p.created_at, p.id");
        params.forEach(query::bind);
        List<Port> ports = query.map((rs, ctx) -> port(rs)).list();
        if (ports.isEmpty()) {
            return ports;
        }
        Map<String, List<FixedIp>> ips = new HashMap<>();
        // The same selection again, joined to the addresses: one query whatever the number of ports.
        var addresses = h.createQuery("SELECT a.port_id, a.subnet_id, a.ip_address FROM network_ip_allocation a"
                + " JOIN network_port p ON p.id = a.port_id " + where + " ORDER BY a.subnet_id, a.ip_address");
        params.forEach(addresses::bind);
        addresses.map((rs, ctx) -> Map.entry(rs.getString("port_id"), new FixedIp(rs.getString("subnet_id"),
                        rs.getString("ip_address"))))
                .forEach(e -> ips.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        Map<String, List<String>> groups = new HashMap<>();
        var groupRows = h.createQuery("SELECT s.port_id, s.security_group_id FROM network_port_security_group s"
                + " JOIN network_port p ON p.id = s.port_id " + where + " ORDER BY s.security_group_id");
        params.forEach(groupRows::bind);
        groupRows.map((rs, ctx) -> Map.entry(rs.getString("port_id"), rs.getString("security_group_id")))
                .forEach(e -> groups.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        Map<String, List<AddressPair>> pairs = new HashMap<>();
        var pairRows = h.createQuery("SELECT a.port_id, a.ip_address, a.mac_address FROM network_allowed_address_pair a"
                + " JOIN network_port p ON p.id = a.port_id " + where + " ORDER BY a.ip_address, a.mac_address");
        params.forEach(pairRows::bind);
        pairRows.map((rs, ctx) -> Map.entry(rs.getString("port_id"), new AddressPair(rs.getString("ip_address"),
                        rs.getString("mac_address"))))
                .forEach(e -> pairs.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        Map<String, List<Integer>> ethertypes = new HashMap<>();
        var ethertypeRows = h.createQuery("SELECT e.port_id, e.ethertype FROM network_port_ethertype e"
                + " JOIN network_port p ON p.id = e.port_id " + where + " ORDER BY e.ethertype");
        params.forEach(ethertypeRows::bind);
        ethertypeRows.map((rs, ctx) -> Map.entry(rs.getString("port_id"), rs.getInt("ethertype")))
                .forEach(e -> ethertypes.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return ports.stream().map(p -> p.with(ips.getOrDefault(p.id(), List.of()), groups.getOrDefault(p.id(), List.of()),
                pairs.getOrDefault(p.id(), List.of()), ethertypes.getOrDefault(p.id(), List.of()))).toList();
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
                rs.getLong("revision_number"));
    }
}
