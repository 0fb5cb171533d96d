package dev.portside.network;

import dev.portside.network.net.NetworkApi;
import dev.portside.network.port.PortApi;
import dev.portside.network.port.PortBindingsApi;
import dev.portside.network.quota.QuotaApi;
import dev.portside.network.secgroup.SecurityGroupApi;
import dev.portside.network.subnet.SubnetApi;
import io.javalin.Javalin;

import static dev.portside.common.http.Access.PUBLIC;

/** Every Networking v2.0 route Portside serves, in one place. */
public record NetworkingApi(VersionApi versions, NetworkApi networks, SubnetApi subnets, PortApi ports,
                            PortBindingsApi bindings, SecurityGroupApi securityGroups, TagApi tags, QuotaApi quotas) {

    public void register(Javalin app) {
        app.get("/", versions::versions, PUBLIC);
        app.get("/v2.0", versions::v2);
        app.get("/v2.0/extensions", versions::extensions);
        app.get("/v2.0/extensions/{alias}", versions::extension);

        app.post("/v2.0/networks", networks::create);
        app.get("/v2.0/networks", networks::list);
        app.get("/v2.0/networks/{network_id}", networks::show);
        app.put("/v2.0/networks/{network_id}", networks::update);
        app.delete("/v2.0/networks/{network_id}", networks::delete);

        app.post("/v2.0/subnets", subnets::create);
        app.get("/v2.0/subnets", subnets::list);
        app.get("/v2.0/subnets/{subnet_id}", subnets::show);
        app.put("/v2.0/subnets/{subnet_id}", subnets::update);
        app.delete("/v2.0/subnets/{subnet_id}", subnets::delete);

        app.post("/v2.0/ports", ports::create);
        app.get("/v2.0/ports", ports::list);
        app.get("/v2.0/ports/{port_id}", ports::show);
        app.put("/v2.0/ports/{port_id}", ports::update);
        app.delete("/v2.0/ports/{port_id}", ports::delete);

        app.post("/v2.0/ports/{port_id}/bindings", bindings::create);
        app.get("/v2.0/ports/{port_id}/bindings", bindings::list);
        app.get("/v2.0/ports/{port_id}/bindings/{host}", bindings::show);
        app.put("/v2.0/ports/{port_id}/bindings/{host}/activate", bindings::activate);
        app.delete("/v2.0/ports/{port_id}/bindings/{host}", bindings::delete);

        app.post("/v2.0/security-groups", securityGroups::create);
        app.get("/v2.0/security-groups", securityGroups::list);
        app.get("/v2.0/security-groups/{security_group_id}", securityGroups::show);
        app.put("/v2.0/security-groups/{security_group_id}", securityGroups::update);
        app.delete("/v2.0/security-groups/{security_group_id}", securityGroups::delete);

        app.post("/v2.0/security-group-rules", securityGroups::createRule);
        app.get("/v2.0/security-group-rules", securityGroups::listRules);
        app.get("/v2.0/security-group-rules/{rule_id}", securityGroups::showRule);
        app.delete("/v2.0/security-group-rules/{rule_id}", securityGroups::deleteRule);

        app.get("/v2.0/quotas", quotas::list);
        app.get("/v2.0/quotas/{project_id}", quotas::show);
        app.put("/v2.0/quotas/{project_id}", quotas::update);
        app.delete("/v2.0/quotas/{project_id}", quotas::delete);
        app.get("/v2.0/quotas/{project_id}/default", quotas::defaults);
        app.get("/v2.0/quotas/{project_id}/details", quotas::details);

        for (String collection : tags.collections()) {
            String path = "/v2.0/" + collection + "/{id}/tags";
            app.get(path, ctx -> tags.list(ctx, collection));
            app.put(path, ctx -> tags.replace(ctx, collection));
            app.delete(path, ctx -> tags.removeAll(ctx, collection));
            app.get(path + "/{tag}", ctx -> tags.check(ctx, collection));
            app.put(path + "/{tag}", ctx -> tags.add(ctx, collection));
            app.delete(path + "/{tag}", ctx -> tags.remove(ctx, collection));
        }
    }
}
