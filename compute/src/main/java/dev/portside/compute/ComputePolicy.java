package dev.portside.compute;

import java.util.Map;

/**
 * Nova's default policy for what Portside implements (nova/policies): a project acts on its own
 * servers; flavors are managed, and hosts, services, hypervisors and host attributes of servers are
 * seen, by admins only; key pairs belong to their user.
 */
public final class ComputePolicy {
    private ComputePolicy() {
    }

    public static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("context_is_admin", "role:admin"),
            Map.entry("project_member_or_admin", "rule:context_is_admin or (role:member and project_id:%(project_id)s)"),
            Map.entry("project_reader_or_admin", "rule:context_is_admin or (role:reader and project_id:%(project_id)s)"),
            Map.entry("os_compute_api:servers:create", "rule:project_member_or_admin"),
            Map.entry("os_compute_api:servers:create:forced_host", "rule:context_is_admin"),
            Map.entry("os_compute_api:servers:index", "rule:project_reader_or_admin"),
            Map.entry("os_compute_api:servers:index:get_all_tenants", "rule:context_is_admin"),
            Map.entry("os_compute_api:servers:show", "rule:project_reader_or_admin"),
            Map.entry("os_compute_api:os-extended-server-attributes", "rule:context_is_admin"),
            Map.entry("os_compute_api:servers:update", "rule:project_member_or_admin"),
            Map.entry("os_compute_api:servers:rebuild", "rule:project_member_or_admin"),
            Map.entry("os_compute_api:servers:delete", "rule:project_member_or_admin"),
            Map.entry("os_compute_api:servers:start", "rule:project_member_or_admin"),
            Map.entry("os_compute_api:servers:stop", "rule:project_member_or_admin"),
            Map.entry("os_compute_api:servers:reboot", "rule:project_member_or_admin"),
            Map.entry("os_compute_api:os-pause-server:pause", "rule:project_member_or_admin"),
            Map.entry("os_compute_api:os-pause-server:unpause", "rule:project_member_or_admin"),
            Map.entry("os_compute_api:os-suspend-server:suspend", "rule:project_member_or_admin"),
            Map.entry("os_compute_api:os-suspend-server:resume", "rule:project_member_or_admin"),
            Map.entry("os_compute_api:os-console-output", "rule:project_member_or_admin"),
            Map.entry("os_compute_api:os-server-tags:index", "rule:project_reader_or_admin"),
            Map.entry("os_compute_api:os-server-tags:show", "rule:project_reader_or_admin"),
            Map.entry("os_compute_api:os-server-tags:update", "rule:project_member_or_admin"),
            Map.entry("os_compute_api:os-server-tags:update_all", "rule:project_member_or_admin"),
            Map.entry("os_compute_api:os-server-tags:delete", "rule:project_member_or_admin"),
            Map.entry("os_compute_api:os-server-tags:delete_all", "rule:project_member_or_admin"),
            Map.entry("os_compute_api:server-metadata:index", "rule:project_reader_or_admin"),
            Map.entry("os_compute_api:server-metadata:show", "rule:project_reader_or_admin"),
            Map.entry("os_compute_api:server-metadata:create", "rule:project_member_or_admin"),
            Map.entry("os_compute_api:server-metadata:update", "rule:project_member_or_admin"),
            Map.entry("os_compute_api:server-metadata:update_all", "rule:project_member_or_admin"),
            Map.entry("os_compute_api:server-metadata:delete", "rule:project_member_or_admin"),
            Map.entry("os_compute_api:os-server-groups:create", "rule:project_member_or_admin"),
            Map.entry("os_compute_api:os-server-groups:index", "rule:project_reader_or_admin"),
            Map.entry("os_compute_api:os-server-groups:index:all_projects", "rule:context_is_admin"),
            Map.entry("os_compute_api:os-server-groups:show", "rule:project_reader_or_admin"),
            Map.entry("os_compute_api:os-server-groups:delete", "rule:project_member_or_admin"),
            Map.entry("os_compute_api:os-lock-server:lock", "rule:project_member_or_admin"),
            Map.entry("os_compute_api:os-lock-server:unlock", "rule:project_member_or_admin"),
            Map.entry("os_compute_api:os-lock-server:unlock:unlock_override", "rule:context_is_admin"),
            Map.entry("os_compute_api:os-security-groups:get", "rule:project_reader_or_admin"),
            Map.entry("os_compute_api:os-security-groups:show", "rule:project_reader_or_admin"),
            Map.entry("os_compute_api:os-security-groups:list", "rule:project_reader_or_admin"),
            Map.entry("os_compute_api:os-security-groups:add", "rule:project_member_or_admin"),
            Map.entry("os_compute_api:os-security-groups:remove", "rule:project_member_or_admin"),
            Map.entry("os_compute_api:os-attach-interfaces:list", "rule:project_reader_or_admin"),
            Map.entry("os_compute_api:os-attach-interfaces:show", "rule:project_reader_or_admin"),
            Map.entry("os_compute_api:os-attach-interfaces:create", "rule:project_member_or_admin"),
            Map.entry("os_compute_api:os-attach-interfaces:delete", "rule:project_member_or_admin"),
            Map.entry("os_compute_api:os-flavor-manage:create", "rule:context_is_admin"),
            Map.entry("os_compute_api:os-flavor-manage:delete", "rule:context_is_admin"),
            Map.entry("os_compute_api:os-keypairs:index", "rule:context_is_admin or user_id:%(user_id)s"),
            Map.entry("os_compute_api:os-keypairs:create", "rule:context_is_admin or user_id:%(user_id)s"),
            Map.entry("os_compute_api:os-keypairs:show", "rule:context_is_admin or user_id:%(user_id)s"),
            Map.entry("os_compute_api:os-keypairs:delete", "rule:context_is_admin or user_id:%(user_id)s"),
            Map.entry("os_compute_api:os-services:list", "rule:context_is_admin"),
            Map.entry("os_compute_api:os-services:update", "rule:context_is_admin"),
            Map.entry("os_compute_api:os-hypervisors:list", "rule:context_is_admin"),
            Map.entry("os_compute_api:os-availability-zone:list", ""),
            Map.entry("os_compute_api:os-availability-zone:detail", "rule:context_is_admin"),
            Map.entry("os_compute_api:ips:index", "rule:project_reader_or_admin"),
            Map.entry("os_compute_api:ips:show", "rule:project_reader_or_admin"),
            Map.entry("os_compute_api:os-server-external-events:create", "rule:context_is_admin"),
            Map.entry("os_compute_api:os-quota-sets:show", "rule:project_reader_or_admin"),
            Map.entry("os_compute_api:os-quota-sets:defaults", ""),
            Map.entry("os_compute_api:os-quota-sets:update", "rule:context_is_admin"),
            Map.entry("os_compute_api:os-quota-sets:delete", "rule:context_is_admin"),
            Map.entry("os_compute_api:limits", "rule:project_reader_or_admin"));
}
