package dev.portside.compute.keypair;

import org.jdbi.v3.core.Handle;

import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;

/** Key pairs in the database; names are unique per user (a unique key). */
public final class KeypairStore {

    public Optional<Keypair> find(Handle h, String userId, String name) {
        return h.createQuery("SELECT * FROM compute_keypair WHERE user_id = :user AND name = :name")
                .bind("user", userId).bind("name", name).map((rs, ctx) -> row(rs)).findOne();
    }

    public List<Keypair> ofUser(Handle h, String userId) {
        return h.createQuery("SELECT * FROM compute_keypair WHERE user_id = :user ORDER BY name").bind("user", userId)
                .map((rs, ctx) -> row(rs)).list();
    }

    public Keypair insert(Handle h, String userId, String name, String type, String publicKey, String fingerprint,
                          java.time.Instant now) {
        long id = h.createUpdate("INSERT INTO compute_keypair (user_id, name, type, public_key, fingerprint, created_at)"
                        + " VALUES (:user, :name, :type, :key, :fingerprint, :now)")
                .bind("user", userId).bind("name", name).bind("type", type).bind("key", publicKey)
                .bind("fingerprint", fingerprint).bind("now", Timestamp.from(now))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        return new Keypair(id, userId, name, type, publicKey, fingerprint, now);
    }

    public boolean delete(Handle h, String userId, String name) {
        return h.createUpdate("DELETE FROM compute_keypair WHERE user_id = :user AND name = :name")
                .bind("user", userId).bind("name", name).execute() == 1;
    }

    private static Keypair row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Keypair(rs.getLong("id"), rs.getString("user_id"), rs.getString("name"), rs.getString("type"),
                rs.getString("public_key"), rs.getString("fingerprint"), rs.getTimestamp("created_at").toInstant());
    }
}
