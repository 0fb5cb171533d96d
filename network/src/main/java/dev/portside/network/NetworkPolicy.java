package dev.portside.network;

import java.util.Map;

/**
 * Neutron's default policy for what Portside implements, in its secure-RBAC form
 * (neutron/conf/policies, enforce_new_defaults): a project's readers read its resources, its members
 * create and change them, admins do anything; anyone may read a shared network and its subnets; only
 * the network's owner (a member of its project, or an admin) picks addresses and MACs or changes port
 * security on it; only an admin shares a network or sets quotas.
 */
public final class NetworkPolicy {
    private NetworkPolicy() {
    }

    public static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("context_is_admin", "role:admin"),
            Map.entry("owner", "project_id:%(project_id)s"),
            Map.entry("project_member", "role:member and rule:owner"),
            Map.entry("project_reader", "role:reader and rule:owner"),
            // Writes: an admin, or a member of the resource's project.
            Map.entry("admin_or_owner", "rule:context_is_admin or rule:project_member"),
            // Reads: an admin, or anyone with a role in the resource's project (reader is implied by member).
            Map.entry("admin_or_reader", "rule:context_is_admin or rule:project_reader"),
            Map.entry("network_owner", "project_id:%(network.project_id)s"),
            Map.entry("admin_or_network_owner", "rule:context_is_admin or (role:member and rule:network_owner)"),
            Map.entry("network_reader", "role:reader and rule:network_owner"),
            Map.entry("shared", "'True':%(network.shared)s"),
            // Anyone may see an external network: it is where routers' gateways and floating IPs come from.
            Map.entry("external", "'True':%(network.router_external)s"),
            Map.entry("create_network", "rule:admin_or_owner"),
            Map.entry("create_network:router:external", "rule:context_is_admin"),
            Map.entry("update_network:router:external", "rule:context_is_admin"),
            Map.entry("create_network:shared", "rule:context_is_admin"),
            Map.entry("get_network", "rule:admin_or_reader or rule:shared or rule:external"),
            Map.entry("update_network", "rule:admin_or_owner"),
            Map.entry("update_network:shared", "rule:context_is_admin"),
            // Provider networks name the cloud's physical wiring: admins' to make and to see, as in Neutron.
            Map.entry("create_network:provider:network_type", "rule:context_is_admin"),
            Map.entry("create_network:provider:physical_network", "rule:context_is_admin"),
            Map.entry("create_network:provider:segmentation_id", "rule:context_is_admin"),
            Map.entry("get_network:provider:network_type", "rule:context_is_admin"),
            Map.entry("get_network:provider:physical_network", "rule:context_is_admin"),
            Map.entry("get_network:provider:segmentation_id", "rule:context_is_admin"),
            Map.entry("delete_network", "rule:admin_or_owner"),
            Map.entry("create_subnet", "rule:admin_or_network_owner"),
            Map.entry("get_subnet", "rule:admin_or_reader or rule:shared"),
            Map.entry("update_subnet", "rule:admin_or_network_owner"),
            Map.entry("delete_subnet", "rule:admin_or_network_owner"),
            Map.entry("create_port", "rule:admin_or_owner"),
            Map.entry("create_port:mac_address", "rule:admin_or_network_owner"),
            Map.entry("create_port:fixed_ips:ip_address", "rule:admin_or_network_owner"),
            // Turning a port's filtering off or widening it is for whoever owns the network, as in Neutron.
            Map.entry("create_port:port_security_enabled", "rule:admin_or_network_owner"),
            Map.entry("update_port:port_security_enabled", "rule:admin_or_network_owner"),
            Map.entry("create_port:allowed_address_pairs", "rule:admin_or_network_owner"),
            Map.entry("update_port:allowed_address_pairs", "rule:admin_or_network_owner"),
            // Portside's allowed ethertypes widen a port's filtering like address pairs do: the same owners decide.
            Map.entry("create_port:allowed_ethertypes", "rule:admin_or_network_owner"),
            Map.entry("update_port:allowed_ethertypes", "rule:admin_or_network_owner"),
            Map.entry("get_port", "rule:admin_or_reader or rule:network_reader"),
            Map.entry("update_port", "rule:admin_or_owner or rule:admin_or_network_owner"),
            Map.entry("update_port:fixed_ips:ip_address", "rule:admin_or_network_owner"),
            Map.entry("delete_port", "rule:admin_or_owner or rule:admin_or_network_owner"),
            Map.entry("create_for_another_project", "rule:context_is_admin"),
            Map.entry("get_quota", "rule:admin_or_reader"),
            Map.entry("get_quota:all", "rule:context_is_admin"),
            Map.entry("update_quota", "rule:context_is_admin"),
            Map.entry("delete_quota", "rule:context_is_admin"),
            Map.entry("create_security_group", "rule:admin_or_owner"),
            Map.entry("get_security_group", "rule:admin_or_reader"),
            Map.entry("update_security_group", "rule:admin_or_owner"),
            Map.entry("delete_security_group", "rule:admin_or_owner"),
            Map.entry("create_security_group_rule", "rule:admin_or_owner"),
            Map.entry("get_security_group_rule", "rule:admin_or_reader"),
            Map.entry("delete_security_group_rule", "rule:admin_or_owner"),
            // Trunks are their project's, as in Neutron's secure-RBAC defaults; the ports in them are checked
            // as the caller sees them.
            Map.entry("create_trunk", "rule:admin_or_owner"),
            Map.entry("get_trunk", "rule:admin_or_reader"),
            Map.entry("update_trunk", "rule:admin_or_owner"),
            Map.entry("delete_trunk", "rule:admin_or_owner"),
            Map.entry("get_subports", "rule:admin_or_reader"),
            Map.entry("add_subports", "rule:admin_or_owner"),
            Map.entry("remove_subports", "rule:admin_or_owner"),
            // Routers and floating IPs are their project's (neutron/conf/policies/router.py, floatingip.py);
            // choosing a gateway's addresses, its SNAT or a floating IP's address is the cloud's, an admin's.
            Map.entry("create_router", "rule:admin_or_owner"),
            Map.entry("create_router:external_gateway_info:enable_snat", "rule:context_is_admin"),
            Map.entry("create_router:external_gateway_info:external_fixed_ips", "rule:context_is_admin"),
            Map.entry("get_router", "rule:admin_or_reader"),
            Map.entry("update_router", "rule:admin_or_owner"),
            Map.entry("update_router:external_gateway_info:enable_snat", "rule:context_is_admin"),
            Map.entry("update_router:external_gateway_info:external_fixed_ips", "rule:context_is_admin"),
            Map.entry("delete_router", "rule:admin_or_owner"),
            Map.entry("add_router_interface", "rule:admin_or_owner"),
            Map.entry("remove_router_interface", "rule:admin_or_owner"),
            Map.entry("add_extraroutes", "rule:admin_or_owner"),
            Map.entry("remove_extraroutes", "rule:admin_or_owner"),
            Map.entry("create_floatingip", "rule:admin_or_owner"),
            Map.entry("create_floatingip:floating_ip_address", "rule:context_is_admin"),
            Map.entry("get_floatingip", "rule:admin_or_reader"),
            Map.entry("update_floatingip", "rule:admin_or_owner"),
            Map.entry("delete_floatingip", "rule:admin_or_owner"),
            // Binding is between the cloud and its compute hosts: only admins (and Nova's service user) see or set it.
            Map.entry("get_port:binding", "rule:context_is_admin"),
            Map.entry("port_bindings", "rule:context_is_admin"),
            Map.entry("create_port:binding:host_id", "rule:context_is_admin"),
            Map.entry("create_port:binding:profile", "rule:context_is_admin"),
            Map.entry("create_port:binding:vnic_type", "rule:admin_or_owner"),
            Map.entry("update_port:binding:host_id", "rule:context_is_admin"),
            Map.entry("update_port:binding:profile", "rule:context_is_admin"),
            Map.entry("update_port:binding:vnic_type", "rule:admin_or_owner"));
}
