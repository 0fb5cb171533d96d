package dev.portside.network;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.json.Json;

import java.util.List;
import java.util.Optional;

/**
 * The API extensions this Portside really implements, as data: {@code GET /v2.0/extensions} is made
 * from this list, and nothing is listed that a client cannot use.
 */
public final class Extensions {
    /** One extension, as neutron-lib's API definitions describe it. */
    public record Extension(String alias, String name, String description, String updated) {
    }

    /** Portside's extension: the port attribute {@code allowed_ethertypes}. */
    public static final String ALLOWED_ETHERTYPES = "port-allowed-ethertypes";

    public static final List<Extension> LOADED = List.of(
            new Extension("allowed-address-pairs", "Allowed Address Pairs",
                    "Provides allowed address pairs", "2013-07-23T10:00:00-00:00"),
            new Extension("quotas", "Quota management support",
                    "Expose functions for quotas management per project", "2012-07-29T10:00:00-00:00"),
            new Extension("quota_details", "Quota details management support",
                    "Expose functions for quotas usage statistics per project", "2017-02-10T10:00:00-00:00"),
            new Extension("security-group", "security-group",
                    "The security groups extension.", "2012-10-05T10:00:00-00:00"),
            new Extension("binding", "Port Binding",
                    "Expose port bindings of a virtual port to external application", "2014-02-03T10:00:00-00:00"),
            new Extension("binding-extended", "Port Bindings Extended",
                    "Expose port bindings of a virtual port to external application", "2017-07-17T10:00:00-00:00"),
            new Extension("ip_allocation", "IP Allocation",
                    "IP allocation extension.", "2016-06-10T23:00:00-00:00"),
            new Extension("port-security", "Port Security",
                    "Provides port security", "2012-07-23T10:00:00-00:00"),
            new Extension("project-id", "project_id field enabled",
                    "Extension that indicates that project_id field is enabled.", "2016-09-09T09:09:09-09:09"),
            new Extension("standard-attr-description", "standard-attr-description",
                    "Extension to add descriptions to standard attributes", "2016-02-10T10:00:00-00:00"),
            new Extension("standard-attr-revisions", "Resource revision numbers",
                    "This extension will display the revision number of neutron resources.", "2016-04-11T10:00:00-00:00"),
            new Extension("revision-if-match", "If-Match constraints based on revision_number",
                    "Extension indicating that If-Match based on revision_number is supported.", "2016-12-11T00:00:00-00:00"),
            new Extension("standard-attr-tag", "Tag support for resources with standard attribute: subnet, trunk, router,"
                    + " network, policy, subnetpool, port, security_group, floatingip",
                    "Enables to set tag on resources with standard attribute.", "2017-01-01T00:00:00-00:00"),
            new Extension("standard-attr-timestamp", "Resource timestamps",
                    "Adds created_at and updated_at fields to all Neutron resources that have Neutron standard attributes.",
                    "2016-09-12T10:00:00-00:00"),
            new Extension("fields", "Fields",
                    "Support for the fields query parameter on list and show requests.", "2016-01-01T00:00:00-00:00"),
            new Extension("pagination", "Pagination support", "Extension that indicates that pagination is enabled.",
                    "2016-06-12T00:00:00-00:00"),
            new Extension("sorting", "Sorting support", "Extension that indicates that sorting is enabled.",
                    "2016-06-12T00:00:00-00:00"),
            // Portside's own: not in neutron-lib.
            new Extension(ALLOWED_ETHERTYPES, "Port allowed ethertypes", "Ethertypes besides ARP, IPv4 and IPv6 that a port"
                    + " with port security may send and receive (allowed_ethertypes); Portside's extension.",
                    "2026-11-25T00:00:00-00:00"));

    private Extensions() {
    }

    public static Optional<Extension> find(String alias) {
        return LOADED.stream().filter(e -> e.alias().equals(alias)).findFirst();
    }

    public static ObjectNode render(Extension extension) {
        ObjectNode json = Json.object()
                .put("alias", extension.alias())
                .put("name", extension.name())
                .put("description", extension.description())
                .put("updated", extension.updated());
        json.putArray("links");
        return json;
    }

    public static ArrayNode renderAll() {
        ArrayNode all = Json.array();
        LOADED.forEach(e -> all.add(render(e)));
        return all;
    }
}
