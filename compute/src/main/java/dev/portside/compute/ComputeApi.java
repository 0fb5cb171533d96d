package dev.portside.compute;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.http.Requests;
import dev.portside.common.json.Json;
import dev.portside.compute.flavor.FlavorApi;
import dev.portside.compute.host.HostApi;
import dev.portside.compute.image.ImageProxyApi;
import dev.portside.compute.keypair.KeypairApi;
import dev.portside.compute.quota.QuotaSetApi;
import dev.portside.compute.server.Servers;
import dev.portside.compute.servergroup.ServerGroupApi;
import io.javalin.Javalin;
import io.javalin.http.Context;

import static dev.portside.common.http.Access.PUBLIC;

/** Every Compute v2.1 route Portside serves, in one place, each answered at the negotiated microversion. */
record ComputeApi(String baseUrl, FlavorApi flavors, KeypairApi keypairs, HostApi hosts, Servers servers,
                  QuotaSetApi quotas, ServerGroupApi serverGroups, ImageProxyApi images) {

    void register(Javalin app) {
        app.before(Microversion::negotiate);
        app.before(ComputeApi::noTrailingSlash);
        // Nova names the request id in its own header too; clients read either.
        app.before(ctx -> ctx.header("x-compute-request-id", dev.portside.common.http.ApiServer.requestId(ctx)));
        app.get("/", this::versions, PUBLIC);
        app.get("/v2.1", this::version, PUBLIC);
        app.get("/v2", this::legacyVersion, PUBLIC);
        Extensions extensions = new Extensions();
        app.get("/v2.1/extensions", extensions::list);
        app.get("/v2.1/extensions/{alias}", extensions::show);

        app.get("/v2.1/flavors", flavors::list);
        app.get("/v2.1/flavors/detail", flavors::detail);
        app.get("/v2.1/flavors/{flavor_id}", flavors::show);
        app.get("/v2.1/flavors/{flavor_id}/os-extra_specs", flavors::extraSpecs);
        app.post("/v2.1/flavors", flavors::create);
        app.put("/v2.1/flavors/{flavor_id}", flavors::update);
        app.delete("/v2.1/flavors/{flavor_id}", flavors::delete);

        app.get("/v2.1/images", images::list);
        app.get("/v2.1/images/detail", images::detail);
        app.get("/v2.1/images/{image_id}", images::show);
        app.delete("/v2.1/images/{image_id}", images::delete);
        app.get("/v2.1/images/{image_id}/metadata", images::metadata);
        app.post("/v2.1/images/{image_id}/metadata", images::mergeMetadata);
        app.put("/v2.1/images/{image_id}/metadata", images::replaceMetadata);
        app.get("/v2.1/images/{image_id}/metadata/{key}", images::metadataItem);
        app.put("/v2.1/images/{image_id}/metadata/{key}", images::putMetadataItem);
        app.delete("/v2.1/images/{image_id}/metadata/{key}", images::deleteMetadataItem);

        app.get("/v2.1/os-keypairs", keypairs::list);
        app.post("/v2.1/os-keypairs", keypairs::create);
        app.get("/v2.1/os-keypairs/{keypair_name}", keypairs::show);
        app.delete("/v2.1/os-keypairs/{keypair_name}", keypairs::delete);

        var serverApi = servers.api();
        app.post("/v2.1/servers", serverApi::create);
        app.get("/v2.1/servers", serverApi::list);
        app.get("/v2.1/servers/detail", serverApi::detail);
        app.get("/v2.1/servers/{server_id}", serverApi::show);
        app.put("/v2.1/servers/{server_id}", serverApi::update);
        app.delete("/v2.1/servers/{server_id}", serverApi::delete);
        app.post("/v2.1/servers/{server_id}/action", serverApi::action);

        var interfaces = servers.interfaces();
        app.get("/v2.1/servers/{server_id}/os-interface", interfaces::list);
        app.post("/v2.1/servers/{server_id}/os-interface", interfaces::attach);
        app.get("/v2.1/servers/{server_id}/os-interface/{port_id}", interfaces::show);
        app.delete("/v2.1/servers/{server_id}/os-interface/{port_id}", interfaces::detach);

        var tags = servers.tags();
        app.get("/v2.1/servers/{server_id}/tags", tags::list);
        app.put("/v2.1/servers/{server_id}/tags", tags::replace);
        app.delete("/v2.1/servers/{server_id}/tags", tags::clear);
        app.get("/v2.1/servers/{server_id}/tags/{tag}", tags::check);
        app.put("/v2.1/servers/{server_id}/tags/{tag}", tags::add);
        app.delete("/v2.1/servers/{server_id}/tags/{tag}", tags::remove);

        var metadata = servers.metadata();
        app.get("/v2.1/servers/{server_id}/metadata", metadata::list);
        app.post("/v2.1/servers/{server_id}/metadata", metadata::merge);
        app.put("/v2.1/servers/{server_id}/metadata", metadata::replace);
        app.get("/v2.1/servers/{server_id}/metadata/{key}", metadata::show);
        app.put("/v2.1/servers/{server_id}/metadata/{key}", metadata::put);
        app.delete("/v2.1/servers/{server_id}/metadata/{key}", metadata::delete);

        var securityGroups = servers.securityGroups();
        app.get("/v2.1/os-security-groups", securityGroups::list);
        app.get("/v2.1/os-security-groups/{security_group_id}", securityGroups::show);
        app.post("/v2.1/os-security-groups", securityGroups::create);
        app.put("/v2.1/os-security-groups/{security_group_id}", securityGroups::update);
        app.delete("/v2.1/os-security-groups/{security_group_id}", securityGroups::delete);
        app.post("/v2.1/os-security-group-rules", securityGroups::createRule);
        app.delete("/v2.1/os-security-group-rules/{security_group_rule_id}", securityGroups::deleteRule);
        app.get("/v2.1/servers/{server_id}/os-security-groups", securityGroups::server);
        app.get("/v2.1/servers/{server_id}/ips", serverApi::ips);
        app.get("/v2.1/servers/{server_id}/topology", serverApi::topology);
        app.get("/v2.1/servers/{server_id}/os-instance-actions", servers.instanceActions()::list);
        app.get("/v2.1/servers/{server_id}/os-instance-actions/{request_id}", servers.instanceActions()::show);
        app.get("/v2.1/servers/{server_id}/os-server-password", serverApi::password);
        app.delete("/v2.1/servers/{server_id}/os-server-password", serverApi::clearPassword);
        app.get("/v2.1/servers/{server_id}/os-virtual-interfaces", serverApi::virtualInterfaces);
        app.get("/v2.1/servers/{server_id}/ips/{network_label}", serverApi::ipsOf);

        app.get("/v2.1/os-server-groups", serverGroups::list);
        app.post("/v2.1/os-server-groups", serverGroups::create);
        app.get("/v2.1/os-server-groups/{server_group_id}", serverGroups::show);
        app.delete("/v2.1/os-server-groups/{server_group_id}", serverGroups::delete);

        app.post("/v2.1/os-server-external-events", servers.events()::create);

        app.get("/v2.1/os-services", hosts::services);
        app.put("/v2.1/os-services/{action}", hosts::update);
        app.get("/v2.1/os-availability-zone", hosts::zones);
        app.get("/v2.1/os-availability-zone/detail", hosts::zoneDetails);
        app.get("/v2.1/os-hypervisors", hosts::hypervisors);
        app.get("/v2.1/os-hypervisors/detail", hosts::hypervisorDetails);
        app.get("/v2.1/os-hypervisors/{hypervisor_id}", hosts::hypervisor);

        app.get("/v2.1/os-quota-sets/{tenant_id}", quotas::show);
        app.put("/v2.1/os-quota-sets/{tenant_id}", quotas::update);
        app.delete("/v2.1/os-quota-sets/{tenant_id}", quotas::delete);
        app.get("/v2.1/os-quota-sets/{tenant_id}/detail", quotas::detail);
        app.get("/v2.1/os-quota-sets/{tenant_id}/defaults", quotas::defaults);
        app.get("/v2.1/limits", quotas::limits);
    }

    // Nova's routes end without a slash: "/os-security-groups/" (a DELETE that forgot its id) names
    // no resource, 404, where the HTTP server would quietly answer for the collection.
    private static void noTrailingSlash(Context ctx) {
        String path = ctx.path();
        if (path.length() > 1 && path.endsWith("/") && !path.equals("/v2.1/") && !path.equals("/v2/")) {
            throw NovaErrors.notFound("The resource could not be found.");
        }
    }

    private void versions(Context ctx) {
        ObjectNode body = Json.object();
        ArrayNode versions = body.putArray("versions");
        ObjectNode v2 = versions.addObject().put("id", "v2.0").put("status", "SUPPORTED").put("version", "")
                .put("min_version", "").put("updated", "2011-01-21T11:33:21Z");
        v2.putArray("links").addObject().put("rel", "self").put("href", baseUrl + "/v2/");
        versions.add(current());
        Requests.respond(ctx, 200, body);
    }

    // Nova still answers for its v2.0 API at /v2 (the same API without microversions); Portside serves
    // only v2.1, and says so here as Nova's version document does.
    private void legacyVersion(Context ctx) {
        ObjectNode version = Json.object().put("id", "v2.0").put("status", "SUPPORTED").put("version", "")
                .put("min_version", "").put("updated", "2011-01-21T11:33:21Z");
        version.putArray("links").addObject().put("rel", "self").put("href", baseUrl + "/v2/");
        version.putArray("media-types").addObject().put("base", "application/json")
                .put("type", "application/vnd.openstack.compute+json;version=2");
        Requests.respond(ctx, 200, Json.object().set("version", version));
    }

    private void version(Context ctx) {
        Requests.respond(ctx, 200, Json.object().set("version", current()));
    }

    private ObjectNode current() {
        ObjectNode version = Json.object().put("id", "v2.1").put("status", "CURRENT")
                .put("version", Microversion.MAX.toString()).put("min_version", Microversion.MIN.toString())
                .put("updated", "2013-07-23T11:33:21Z");
        version.putArray("links").addObject().put("rel", "self").put("href", baseUrl + "/v2.1/");
        version.putArray("media-types").addObject().put("base", "application/json")
                .put("type", "application/vnd.openstack.compute+json;version=2.1");
        return version;
    }
}
