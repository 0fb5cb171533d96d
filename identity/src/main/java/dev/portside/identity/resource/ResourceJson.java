package dev.portside.identity.resource;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.json.Json;
import dev.portside.identity.Links;

/** Domains and projects as Keystone renders them. */
public record ResourceJson(Links links) {
    public ObjectNode domain(Domain domain) {
        ObjectNode json = Json.object()
                .put("id", domain.id())
                .put("name", domain.name())
                .put("description", domain.description().orElse(""))
                .put("enabled", domain.enabled());
        json.putArray("tags");
        json.putObject("options");
        json.set("links", links.self("/v3/domains/" + domain.id()));
        return json;
    }

    public ObjectNode project(Project project) {
        ObjectNode json = Json.object()
                .put("id", project.id())
                .put("name", project.name())
                .put("domain_id", project.domainId())
                .put("description", project.description().orElse(""))
                .put("enabled", project.enabled())
                .put("parent_id", project.domainId())
                .put("is_domain", false);
        ArrayNode tags = json.putArray("tags");
        project.tags().forEach(tags::add);
        json.putObject("options");
        json.set("links", links.self("/v3/projects/" + project.id()));
        return json;
    }
}
