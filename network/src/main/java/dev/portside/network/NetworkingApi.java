package dev.portside.network;

import dev.portside.network.api.ResourceApi;
import dev.portside.network.l3.RouterActionsApi;
import dev.portside.network.port.PortBindingsApi;
import dev.portside.network.quota.QuotaApi;
import dev.portside.network.trunk.TrunkActionsApi;
import io.javalin.Javalin;

import java.util.List;

import static dev.portside.common.http.Access.PUBLIC;

/** Every Networking v2.0 route Portside serves, in one place: each resource's, then the sub-resources'. */
public record NetworkingApi(VersionApi versions, List<ResourceApi<?>> resources, PortBindingsApi bindings,
                            TrunkActionsApi trunkActions, RouterActionsApi routerActions, TagApi tags, QuotaApi quotas) {

    public void register(Javalin app) {
        app.get("/", versions::versions, PUBLIC);
        app.get("/v2.0", versions::v2);
        app.get("/v2.0/extensions", versions::extensions);
        app.get("/v2.0/extensions/{alias}", versions::extension);

        resources.forEach(resource -> resource.register(app));

        app.post("/v2.0/ports/{port_id}/bindings", bindings::create);
        app.get("/v2.0/ports/{port_id}/bindings", bindings::list);
        app.get("/v2.0/ports/{port_id}/bindings/{host}", bindings::show);
        app.put("/v2.0/ports/{port_id}/bindings/{host}/activate", bindings::activate);
        app.delete("/v2.0/ports/{port_id}/bindings/{host}", bindings::delete);

        trunkActions.register(app);
        routerActions.register(app);

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
