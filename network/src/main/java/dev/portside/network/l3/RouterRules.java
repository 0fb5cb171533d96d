package dev.portside.network.l3;

import dev.portside.common.http.ApiException;
import dev.portside.common.json.Fields;
import dev.portside.network.NeutronErrors;
import dev.portside.network.ipam.Ip;
import dev.portside.network.port.FixedIp;
import dev.portside.network.subnet.Subnet;
import dev.portside.network.subnet.SubnetRules;
import inet.ipaddr.IPAddress;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The L3 plugin's checks on a router's interfaces and extra routes (neutron/db/l3_db.py,
 * extraroute_db.py), with Neutron's errors: pure functions of what the router is on.
 */
final class RouterRules {
    /** Neutron's max_routes. */
    static final int MAX_ROUTES = 30;

    private RouterRules() {
    }

    /** Neutron's BadRequest for a router: "Bad router request: ...". */
    static ApiException badRequest(String why) {
        return new ApiException(400, "BadRequest", "Bad router request: " + why + ".");
    }

    static ApiException notFound(String id) {
        return new ApiException(404, "RouterNotFound", "Router " + id + " could not be found.");
    }

    /** A subnet joins a router only if it has a gateway, is not on it yet and overlaps none of its subnets. */
    static void checkJoining(Subnet joining, List<Subnet> onRouter) {
        for (Subnet other : onRouter) {
            if (other.id().equals(joining.id())) {
                throw badRequest("Router already has a port on subnet " + joining.id());
            }
            if (other.ipVersion() == joining.ipVersion() && SubnetRules.block(other.cidr(), other.ipVersion())
                    .overlaps(SubnetRules.block(joining.cidr(), joining.ipVersion()))) {
                throw badRequest("Cidr " + joining.cidr() + " of subnet " + joining.id() + " overlaps with cidr "
                        + other.cidr() + " of subnet " + other.id());
            }
        }
    }

    /** The routes a request names, each a valid CIDR and address, in canonical form, without repeats. */
    static List<Router.Route> parse(List<Fields> asked) {
        Set<Router.Route> routes = new LinkedHashSet<>();
        for (Fields one : asked) {
            String destination = one.requiredString("destination", 64);
            String nexthop = one.requiredString("nexthop", 64);
            IPAddress cidr = Ip.cidr(destination).filter(c -> c.equals(c.toPrefixBlock())).orElseThrow(() ->
                    NeutronErrors.invalidAttribute("routes", "'" + destination + "' is not a valid IP subnet"));
            IPAddress next = Ip.address(nexthop).orElseThrow(() ->
                    NeutronErrors.invalidAttribute("routes", "'" + nexthop + "' is not a valid IP address"));
            routes.add(new Router.Route(cidr.toCanonicalString(), Ip.text(next)));
        }
        return new ArrayList<>(routes);
    }

    /** A router's extra routes, checked as a whole against the subnets it is on and its own addresses. */
    static List<Router.Route> check(java.util.Collection<Router.Route> routes, List<Subnet> onRouter,
                                    List<FixedIp> ownAddresses) {
        if (routes.size() > MAX_ROUTES) {
            throw new ApiException(400, "RoutesExhausted", "Unable to complete operation for the router. The number"
                    + " of routes exceeds the maximum " + MAX_ROUTES + ".");
        }
        for (Router.Route route : routes) {
            IPAddress next = Ip.address(route.nexthop()).orElseThrow();
            if (ownAddresses.stream().anyMatch(ip -> ip.ipAddress().equals(route.nexthop()))) {
                throw invalidRoutes(routes, "the nexthop is used by router");
            }
            boolean connected = onRouter.stream().anyMatch(s -> s.ipVersion() == Ip.version(next)
                    && SubnetRules.block(s.cidr(), s.ipVersion()).contains(Ip.value(next)));
            if (!connected) {
                throw invalidRoutes(routes, "the nexthop is not connected with router");
            }
        }
        return new ArrayList<>(routes);
    }

    /** Whether a route's nexthop is reached through {@code subnet} (it must not leave while the route is there). */
    static boolean reachedThrough(Router.Route route, Subnet subnet) {
        IPAddress next = Ip.address(route.nexthop()).orElseThrow();
        return subnet.ipVersion() == Ip.version(next)
                && SubnetRules.block(subnet.cidr(), subnet.ipVersion()).contains(Ip.value(next));
    }

    private static ApiException invalidRoutes(java.util.Collection<Router.Route> routes, String why) {
        return new ApiException(400, "InvalidRoutes", "Invalid format for routes: " + routes.stream()
                .map(r -> "{'destination': '" + r.destination() + "', 'nexthop': '" + r.nexthop() + "'}").toList()
                + ", " + why + ".");
    }
}
