package dev.portside.identity.role;

/** A user holds a role on a project or on a domain. */
public record Assignment(String userId, Target target, String targetId, String roleId) {
    public enum Target {
        PROJECT, DOMAIN
    }
}
