package dev.portside.network.subnet;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.portside.common.json.Json;
import dev.portside.network.api.Listing;
import org.jdbi.v3.core.Handle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Subnets and their allocation pools in the database. */
public final class SubnetStore {

    public Optional<Subnet> find(Handle h, String id) {
        return list(h, "WHERE s.id = :id", Map.of("id", id)).stream().findFirst();
    }

    public List<Subnet> ofNetwork(Handle h, String networkId) {
        return list(h, "WHERE s.network_id = :network", Map.of("network", networkId));
    }

    /** Which subnets a list starts from: a project's own and those of shared networks; all for an admin. */
    public static Listing.Scope scope(Optional<String> projectId) {
        return projectId.map(p -> new Listing.Scope("s.project_id = :project OR s.network_id IN"
                + " (SELECT n.id FROM network_network n WHERE n.shared)", Map.of("project", p))).orElse(Listing.Scope.ALL);
    }

    /** One page of a list (rows aliased {@code s}). */
    public List<Subnet> select(Handle h, Listing.Selection selection) {
        var query = h.createQuery(selection.select("s.*", "network_subnet"));
        selection.params().forEach(query::bind);
        return subnets(h, query);
    }

    public void insert(Handle h, Subnet s) {
        h.createUpdate("INSERT INTO network_subnet (id, network_id, project_id, name, description, ip_version, cidr,"
                        + " gateway_ip, enable_dhcp, ipv6_ra_mode, ipv6_address_mode, dns_nameservers, host_routes,"
                        + " created_at, updated_at, revision_number) VALUES (:id, :network, :project, :name, :description,"
                        + " :version, :cidr, :gateway, :dhcp, :ra, :mode, :dns, :routes, :created, :updated, :revision)")
                .bind("id", s.id()).bind("network", s.networkId()).bind("project", s.projectId()).bind("name", s.name())
                .bind("description", s.description()).bind("version", s.ipVersion()).bind("cidr", s.cidr())
                .bind("gateway", s.gatewayIp().orElse(null)).bind("dhcp", s.enableDhcp())
                .bind("ra", s.ipv6RaMode().orElse(null)).bind("mode", s.ipv6AddressMode().orElse(null))
                .bind("dns", String.join("\n", s.dnsNameservers())).bind("routes", routesText(s.hostRoutes()))
                .bind("created", s.createdAt()).bind("updated", s.updatedAt()).bind("revision", s.revisionNumber())
                .execute();
        for (AllocationPool pool : s.allocationPools()) {
            h.createUpdate("INSERT INTO network_allocation_pool (subnet_id, first_ip, last_ip) VALUES (:subnet, :first, :last)")
                    .bind("subnet", s.id()).bind("first", pool.start()).bind("last", pool.end()).execute();
        }
    }

    /** Updates what may change after creation: not the CIDR, the version or the pools. */
    public void update(Handle h, Subnet s) {
        h.createUpdate("UPDATE network_subnet SET name = :name, description = :description, gateway_ip = :gateway,"
                        + " enable_dhcp = :dhcp, dns_nameservers = :dns, host_routes = :routes, updated_at = :updated,"
                        + " revision_number = :revision WHERE id = :id")
                .bind("id", s.id()).bind("name", s.name()).bind("description", s.description())
                .bind("gateway", s.gatewayIp().orElse(null)).bind("dhcp", s.enableDhcp())
                .bind("dns", String.join("\n", s.dnsNameservers())).bind("routes", routesText(s.hostRoutes()))
                .bind("updated", s.updatedAt()).bind("revision", s.revisionNumber())
                .execute();
    }

    public void delete(Handle h, String id) {
        h.createUpdate("DELETE FROM network_subnet WHERE id = :id").bind("id", id).execute();
    }

    public void replacePools(Handle h, String subnetId, List<AllocationPool> pools) {
        h.createUpdate("DELETE FROM network_allocation_pool WHERE subnet_id = :subnet").bind("subnet", subnetId).execute();
        for (AllocationPool pool : pools) {
            h.createUpdate("INSERT INTO network_allocation_pool (subnet_id, first_ip, last_ip) VALUES (:subnet, :first, :last)")
                    .bind("subnet", subnetId).bind("first", pool.start()).bind("last", pool.end()).execute();
        }
    }

    public List<String> addressesInUse(Handle h, String subnetId) {
        return h.createQuery("SELECT ip_address FROM network_ip_allocation WHERE subnet_id = :subnet")
                .bind("subnet", subnetId).mapTo(String.class).list();
    }

    public boolean hasAllocations(Handle h, String subnetId) {
        return h.createQuery("SELECT COUNT(*) FROM network_ip_allocation WHERE subnet_id = :subnet")
                .bind("subnet", subnetId).mapTo(Long.class).one() > 0;
    }

    /** The ports holding an address on the subnet. */
    public List<String> portsWithAllocations(Handle h, String subnetId) {
        return h.createQuery("SELECT DISTINCT port_id FROM network_ip_allocation WHERE subnet_id = :subnet ORDER BY port_id")
                .bind("subnet", subnetId).mapTo(String.class).list();
    }

    private List<Subnet> list(Handle h, String where, Map<String, String> params) {
        var query = h.createQuery("SELECT s.* FROM network_subnet s " + where + " ORDER BY s.created_at, s.id");
        params.forEach(query::bind);
        return subnets(h, query);
    }

    private List<Subnet> subnets(Handle h, org.jdbi.v3.core.statement.Query query) {
        List<Row> rows = query.map((rs, ctx) -> row(rs)).list();
        Map<String, List<AllocationPool>> pools = new HashMap<>();
        if (!rows.isEmpty()) {
            var poolQuery = h.createQuery("SELECT p.subnet_id, p.first_ip, p.last_ip FROM network_allocation_pool p"
                    + " WHERE p.subnet_id IN (<ids>)").bindList("ids", rows.stream().map(r -> r.id).toList());
            poolQuery.map((rs, ctx) -> Map.entry(rs.getString("subnet_id"),
                            new AllocationPool(rs.getString("first_ip"), rs.getString("last_ip"))))
                    .forEach(e -> pools.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        }
        return rows.stream().map(r -> r.subnet(pools.getOrDefault(r.id, List.of()))).toList();
    }

    private record Row(String id, String networkId, String projectId, String name, String description, int ipVersion,
                       String cidr, String gateway, boolean dhcp, String ra, String mode, String dns, String routes,
                       java.time.Instant created, java.time.Instant updated, long revision) {
        Subnet subnet(List<AllocationPool> pools) {
            List<AllocationPool> ordered = new ArrayList<>(pools);
            ordered.sort(java.util.Comparator.comparing(pool ->
                    dev.portside.network.ipam.Ip.address(pool.start()).orElseThrow().getValue()));
            return new Subnet(id, networkId, projectId, name, description, ipVersion, cidr, Optional.ofNullable(gateway),
                    dhcp, Optional.ofNullable(ra), Optional.ofNullable(mode),
                    dns.isEmpty() ? List.of() : Arrays.asList(dns.split("\n")), parseRoutes(routes), ordered, created, updated,
                    revision);
        }
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getString("id"), rs.getString("network_id"), rs.getString("project_id"), rs.getString("name"),
                rs.getString("description"), rs.getInt("ip_version"), rs.getString("cidr"), rs.getString("gateway_ip"),
                rs.getBoolean("enable_dhcp"), rs.getString("ipv6_ra_mode"), rs.getString("ipv6_address_mode"),
                rs.getString("dns_nameservers"), rs.getString("host_routes"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(), rs.getLong("revision_number"));
    }

    private static String routesText(List<HostRoute> routes) {
        try {
            return Json.MAPPER.writeValueAsString(routes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<HostRoute> parseRoutes(String text) {
        try {
            return Json.MAPPER.readValue(text, new TypeReference<List<HostRoute>>() {
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
