package dev.portside.network.l3;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.http.Requests;
import dev.portside.common.json.Json;
import dev.portside.network.api.ResourceApi;
import io.javalin.Javalin;
import io.javalin.http.Context;

/**
 * The router's member actions (Neutron's router and extraroute-atomic extensions): interfaces join
 * and leave a router only through add_router_interface and remove_router_interface, which answer
 * the interface (not the router); add_extraroutes and remove_extraroutes answer the router.
 */
public record RouterActionsApi(RouterService routers, ResourceApi<Router> resource) {

    public void register(Javalin app) {
        app.put("/v2.0/routers/{router_id}/add_router_interface", this::addInterface);
        app.put("/v2.0/routers/{router_id}/remove_router_interface", this::removeInterface);
        app.put("/v2.0/routers/{router_id}/add_extraroutes", this::addExtraRoutes);
        app.put("/v2.0/routers/{router_id}/remove_extraroutes", this::removeExtraRoutes);
    }

    void addInterface(Context ctx) {
        RouterService.InterfaceInfo info = routers.addInterface(Requests.auth(ctx), ctx.pathParam("router_id"),
                Requests.jsonBody(ctx));
        Requests.respond(ctx, 200, render(info));
    }

    void removeInterface(Context ctx) {
        RouterService.InterfaceInfo info = routers.removeInterface(Requests.auth(ctx), ctx.pathParam("router_id"),
                Requests.jsonBody(ctx));
        Requests.respond(ctx, 200, render(info));
    }

    void addExtraRoutes(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        Router router = routers.addExtraRoutes(caller, ctx.pathParam("router_id"), Requests.jsonBody(ctx));
        Requests.respond(ctx, 200, Json.object().set("router", resource.shown(router, caller)));
    }

    void removeExtraRoutes(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        Router router = routers.removeExtraRoutes(caller, ctx.pathParam("router_id"), Requests.jsonBody(ctx));
        Requests.respond(ctx, 200, Json.object().set("router", resource.shown(router, caller)));
    }

    // As Neutron's _make_router_interface_info: the router's id, owner, the port, its network and subnets.
    private static ObjectNode render(RouterService.InterfaceInfo info) {
        ObjectNode json = Json.object().put("id", info.routerId()).put("tenant_id", info.projectId())
                .put("project_id", info.projectId()).put("port_id", info.portId()).put("network_id", info.networkId())
                .put("subnet_id", info.subnetIds().isEmpty() ? "" : info.subnetIds().getFirst());
        var subnetIds = json.putArray("subnet_ids");
        info.subnetIds().forEach(subnetIds::add);
        return json;
    }
}
