package dev.portside.compute.network;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.portside.common.json.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads Networking v2.0 JSON (a port, a network, a security group) into compute's view of them, for every NetworkClient. */
public final class NeutronJson {
    private NeutronJson() {
    }

    public static NetworkPort port(JsonNode port) {
        List<NetworkPort.FixedIp> ips = new ArrayList<>();
        port.path("fixed_ips").forEach(ip -> ips.add(new NetworkPort.FixedIp(ip.path("subnet_id").asText(),
                ip.path("ip_address").asText())));
        Map<String, Object> details = port.hasNonNull("binding:vif_details")
                ? Json.MAPPER.convertValue(port.get("binding:vif_details"), new TypeReference<Map<String, Object>>() {
                })
                : Map.of();
        List<String> groups = new ArrayList<>();
        port.path("security_groups").forEach(g -> groups.add(g.asText()));
        List<NetworkPort.TrunkSubPort> subPorts = new ArrayList<>();
        port.path("trunk_details").path("sub_ports").forEach(s -> subPorts.add(new NetworkPort.TrunkSubPort(
                s.path("port_id").asText(), s.path("segmentation_id").asInt())));
        return new NetworkPort(port.path("id").asText(), port.path("network_id").asText(),
                port.path("project_id").asText(port.path("tenant_id").asText()), port.path("mac_address").asText(),
                port.path("status").asText(), port.path("device_id").asText(), port.path("device_owner").asText(),
                port.path("ip_allocation").asText("immediate"), ips, port.path("port_security_enabled").asBoolean(true),
                groups, port.path("binding:host_id").asText(""),
                port.path("binding:vif_type").asText("unbound"), details, subPorts);
    }

    public static SubnetInfo subnet(JsonNode subnet) {
        List<String> dns = new ArrayList<>();
        subnet.path("dns_nameservers").forEach(d -> dns.add(d.asText()));
        return new SubnetInfo(subnet.path("id").asText(), subnet.path("ip_version").asInt(), subnet.path("cidr").asText(),
                subnet.hasNonNull("gateway_ip") ? java.util.Optional.of(subnet.get("gateway_ip").asText())
                        : java.util.Optional.empty(), dns);
    }

    public static NetworkInfo network(JsonNode network) {
        List<String> subnets = new ArrayList<>();
        network.path("subnets").forEach(s -> subnets.add(s.asText()));
        return new NetworkInfo(network.path("id").asText(), network.path("name").asText(),
                network.path("project_id").asText(network.path("tenant_id").asText()), network.path("shared").asBoolean(),
                network.path("router:external").asBoolean(false), network.path("mtu").asInt(1500), network.path("port_security_enabled").asBoolean(true), subnets);
    }

    public static SecurityGroupInfo securityGroup(JsonNode group) {
        List<SecurityGroupInfo.Rule> rules = new ArrayList<>();
        group.path("security_group_rules").forEach(rule -> rules.add(securityGroupRule(rule)));
        return new SecurityGroupInfo(group.path("id").asText(), group.path("name").asText(),
                group.path("description").asText(""), group.path("project_id").asText(group.path("tenant_id").asText()),
                rules);
    }

    public static SecurityGroupInfo.Rule securityGroupRule(JsonNode rule) {
        return new SecurityGroupInfo.Rule(rule.path("id").asText(), rule.path("direction").asText(), text(rule, "protocol"),
                number(rule, "port_range_min"), number(rule, "port_range_max"), text(rule, "remote_group_id"),
                text(rule, "remote_ip_prefix"));
    }

    private static java.util.Optional<String> text(JsonNode node, String field) {
        return node.hasNonNull(field) ? java.util.Optional.of(node.get(field).asText()) : java.util.Optional.empty();
    }

    private static java.util.Optional<Integer> number(JsonNode node, String field) {
        return node.hasNonNull(field) ? java.util.Optional.of(node.get(field).asInt()) : java.util.Optional.empty();
    }
}
