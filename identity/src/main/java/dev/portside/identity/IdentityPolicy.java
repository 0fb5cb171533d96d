package dev.portside.identity;

import java.util.Map;

/**
 * Identity's default policy. Keystone's own defaults distinguish system scope; Portside has no system
 * scope yet, so "admin" is the admin role on the token's scope (Keystone's long-standing legacy
 * default), and users may read what is theirs: their own user, their projects, their own tokens.
 */
public final class IdentityPolicy {
    private IdentityPolicy() {
    }

    public static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("admin_required", "role:admin"),
            Map.entry("owner", "user_id:%(target.user.id)s"),
            Map.entry("token_subject", "user_id:%(target.token.user_id)s"),
            Map.entry("identity:get_domain", "rule:admin_required or domain_id:%(target.domain.id)s"
                    + " or project_domain_id:%(target.domain.id)s"),
            Map.entry("identity:list_domains", "rule:admin_required"),
            Map.entry("identity:get_project", "rule:admin_required or project_id:%(target.project.id)s"),
            Map.entry("identity:list_projects", "rule:admin_required"),
            Map.entry("identity:list_user_projects", "rule:admin_required or rule:owner"),
            Map.entry("identity:create_project", "rule:admin_required"),
            Map.entry("identity:update_project", "rule:admin_required"),
            Map.entry("identity:delete_project", "rule:admin_required"),
            Map.entry("identity:get_user", "rule:admin_required or rule:owner"),
            Map.entry("identity:list_users", "rule:admin_required"),
            Map.entry("identity:create_user", "rule:admin_required"),
            Map.entry("identity:update_user", "rule:admin_required"),
            Map.entry("identity:delete_user", "rule:admin_required"),
            Map.entry("identity:get_role", "rule:admin_required"),
            Map.entry("identity:list_roles", "rule:admin_required"),
            Map.entry("identity:create_role", "rule:admin_required"),
            Map.entry("identity:delete_role", "rule:admin_required"),
            Map.entry("identity:check_grant", "rule:admin_required"),
            Map.entry("identity:list_services", "rule:admin_required"),
            Map.entry("identity:get_service", "rule:admin_required"),
            Map.entry("identity:create_registered_limits", "rule:admin_required"),
            Map.entry("identity:update_registered_limit", "rule:admin_required"),
            Map.entry("identity:delete_registered_limit", "rule:admin_required"),
            // Keystone lets anyone read registered limits (they are defaults, not secrets).
            Map.entry("identity:list_registered_limits", ""),
            Map.entry("identity:get_registered_limit", ""),
            Map.entry("identity:create_limits", "rule:admin_required"),
            Map.entry("identity:update_limit", "rule:admin_required"),
            Map.entry("identity:delete_limit", "rule:admin_required"),
            Map.entry("identity:list_limits:all", "rule:admin_required"),
            Map.entry("identity:get_limit", "rule:admin_required or project_id:%(target.limit.project_id)s"),
            Map.entry("identity:list_grants", "rule:admin_required"),
            Map.entry("identity:create_grant", "rule:admin_required"),
            Map.entry("identity:revoke_grant", "rule:admin_required"),
            Map.entry("identity:list_role_assignments", "rule:admin_required"),
            Map.entry("identity:validate_token", "rule:admin_required or rule:token_subject"),
            Map.entry("identity:revoke_token", "rule:admin_required or rule:token_subject"));
}
