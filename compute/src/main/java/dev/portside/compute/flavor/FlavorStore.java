package dev.portside.compute.flavor;

import org.jdbi.v3.core.Handle;

import java.util.List;
import java.util.Optional;

/** Flavors in the database. */
public final class FlavorStore {

    public Optional<Flavor> find(Handle h, String id) {
        return h.createQuery("SELECT * FROM compute_flavor WHERE id = :id").bind("id", id).map((rs, ctx) -> row(rs))
                .findOne();
    }

    public List<Flavor> all(Handle h) {
        return h.createQuery("SELECT * FROM compute_flavor").map((rs, ctx) -> row(rs)).list();
    }

    public void insert(Handle h, Flavor f) {
        h.createUpdate("INSERT INTO compute_flavor (id, name, vcpus, ram, disk, ephemeral, swap, rxtx_factor, is_public,"
                        + " description) VALUES (:id, :name, :vcpus, :ram, :disk, :ephemeral, :swap, :rxtx, :public,"
                        + " :description)")
                .bind("id", f.id()).bind("name", f.name()).bind("vcpus", f.vcpus()).bind("ram", f.ram())
                .bind("disk", f.disk()).bind("ephemeral", f.ephemeral()).bind("swap", f.swap())
                .bind("rxtx", f.rxtxFactor()).bind("public", f.isPublic()).bind("description", f.description().orElse(null))
                .execute();
    }

    public boolean setDescription(Handle h, String id, Optional<String> description) {
        return h.createUpdate("UPDATE compute_flavor SET description = :description WHERE id = :id").bind("id", id)
                .bind("description", description.orElse(null)).execute() == 1;
    }

    public boolean delete(Handle h, String id) {
        return h.createUpdate("DELETE FROM compute_flavor WHERE id = :id").bind("id", id).execute() == 1;
    }

    private static Flavor row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Flavor(rs.getString("id"), rs.getString("name"), rs.getInt("vcpus"), rs.getInt("ram"),
                rs.getInt("disk"), rs.getInt("ephemeral"), rs.getInt("swap"), rs.getDouble("rxtx_factor"),
                rs.getBoolean("is_public"), Optional.ofNullable(rs.getString("description")));
    }
}
