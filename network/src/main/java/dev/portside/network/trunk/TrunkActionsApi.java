package dev.portside.network.trunk;

import dev.portside.common.auth.AuthContext;
import dev.portside.common.http.Requests;
import dev.portside.common.json.Json;
import dev.portside.network.api.ResourceApi;
import io.javalin.Javalin;
import io.javalin.http.Context;

/**
 * The trunk extension's member actions, beside the resource's own routes: sub-ports join and leave a
 * trunk only through these. As Neutron answers an action, add and remove answer the trunk itself,
 * not wrapped in {"trunk": ...}.
 */
public record TrunkActionsApi(TrunkService trunks, ResourceApi<Trunk> resource) {

    public void register(Javalin app) {
        app.put("/v2.0/trunks/{trunk_id}/add_subports", this::add);
        app.put("/v2.0/trunks/{trunk_id}/remove_subports", this::remove);
        app.get("/v2.0/trunks/{trunk_id}/get_subports", this::subPorts);
    }

    void add(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        Trunk trunk = trunks.addSubPorts(caller, ctx.pathParam("trunk_id"), Requests.jsonBody(ctx).get("sub_ports"));
        Requests.respond(ctx, 200, resource.shown(trunk, caller));
    }

    void remove(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        Trunk trunk = trunks.removeSubPorts(caller, ctx.pathParam("trunk_id"), Requests.jsonBody(ctx).get("sub_ports"));
        Requests.respond(ctx, 200, resource.shown(trunk, caller));
    }

    // The sub-ports as the trunk itself shows them: one wire shape, the definition's.
    void subPorts(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        Trunk trunk = trunks.withSubPortsFor(caller, ctx.pathParam("trunk_id"));
        Requests.respond(ctx, 200, Json.object().set("sub_ports", resource.shown(trunk, caller).get("sub_ports")));
    }
}
