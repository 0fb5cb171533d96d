package dev.portside.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portside.common.http.ApiServer;
import dev.portside.common.testing.Http;
import dev.portside.common.testing.Keystone;
import dev.portside.common.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The policy table: every route of the four APIs, called by an admin, a member of the project that
 * owns the resource, a reader of that project, a member of another project and a caller with no token,
 * answers as the OpenStack secure-RBAC defaults say - readers read, members write, admins do anything,
 * another project sees nothing of it. Each (route, caller) gets fresh resources and a fresh token, so a
 * delete or a revocation in one row cannot decide another.
 */
@ParameterizedClass(name = "on {0}")
@MethodSource("dev.portside.common.testing.TestDatabase#configured")
class PolicyMatrixTest {
    @Parameter
    TestDatabase kind;
    @TempDir
    Path dataDir;
    Cloud cloud;

    /** How a call ended, as far as policy can tell: let through, refused, hidden, or unauthenticated. */
    enum Outcome { PASS, DENY, HIDE, UNAUTH }

    enum Caller { ADMIN, MEMBER, READER, OTHER, NONE }

    static final Outcome P = Outcome.PASS, D = Outcome.DENY, H = Outcome.HIDE, U = Outcome.UNAUTH;

    // One expectation per caller, in Caller's order.
    static final List<Outcome> PUBLIC = List.of(P, P, P, P, P);
    static final List<Outcome> ANY = List.of(P, P, P, P, U);
    static final List<Outcome> READ = List.of(P, P, P, H, U);
    static final List<Outcome> WRITE = List.of(P, P, D, H, U);
    static final List<Outcome> CREATE = List.of(P, P, D, P, U);
    static final List<Outcome> ADMIN = List.of(P, D, D, D, U);
    // Reading a project's own settings (quotas, the project itself): another project is refused, not hidden.
    static final List<Outcome> PROJECT_READ = List.of(P, P, P, D, U);
    // Identity's own-user rules: only the user (or an admin) reads the user.
    static final List<Outcome> SELF = List.of(P, P, D, D, U);
    // Key pairs belong to a user; anyone else, an admin included, looks up their own of that name.
    static final List<Outcome> OWN_KEYPAIR = List.of(H, P, H, H, U);

    record Request(String method, String path, String body, Map<String, String> headers) {
        static Request of(String method, String path) {
            return new Request(method, path, null, Map.of());
        }

        static Request of(String method, String path, String body) {
            return new Request(method, path, body, Map.of());
        }
    }

    record Case(String service, String method, String route, List<Outcome> expected, Function<Fixture, Request> request) {
    }

    @AfterEach
    void stop() {
        cloud.close();
    }

    @Test
    void everyRouteAnswersEachCallerAsTheDefaultPolicySays() throws Exception {
        cloud = new Cloud(kind, dataDir, "fake_hosts: [{name: host1, vcpus: 512, memory_mb: 1048576, local_gb: 100000}]\n");
        String alphaId = projectId("alpha");
        cloud.identity.post("/v3/users", cloud.admin, "{\"user\": {\"name\": \"alpha-reader\", \"password\": \"pw\"}}");
        grant("alpha", "alpha-reader", "reader");
        // The table makes many of alpha's resources; the limits are the quota tests' business.
        assertThat(cloud.network.send("PUT", "/v2.0/quotas/" + alphaId, cloud.admin, "{\"quota\": {\"network\": -1,"
                + " \"subnet\": -1, \"port\": -1, \"security_group\": -1, \"security_group_rule\": -1, \"router\": -1,"
                + " \"floatingip\": -1}}").status()).isEqualTo(200);
        assertThat(cloud.compute.send("PUT", "/os-quota-sets/" + alphaId, cloud.admin,
                "{\"quota_set\": {\"instances\": -1, \"cores\": -1, \"ram\": -1}}").status()).isEqualTo(200);

        List<Case> cases = cases();
        assertThat(covered(cases)).as("every route is in the table").isEqualTo(registered());

        List<String> wrong = new ArrayList<>();
        for (Case c : cases) {
            for (Caller caller : Caller.values()) {
                Fixture fixture = new Fixture(cloud, alphaId);
                Request request = c.request().apply(fixture);
                String token = token(caller);
                Http.Reply reply = http(c.service()).send(request.method(), request.path(), token, request.body(),
                        request.headers().isEmpty() ? Map.of() : fixture.headers(request.headers(), token));
                assertThat(reply.status()).as(c.method() + " " + c.route() + " as " + caller + ": " + reply)
                        .isLessThan(500);
                Outcome outcome = outcome(reply.status());
                Outcome expected = c.expected().get(caller.ordinal());
                if (outcome != expected) {
                    wrong.add(c.method() + " " + c.route() + " as " + caller + ": expected " + expected + ", got " + reply);
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    private static Outcome outcome(int status) {
        return switch (status) {
            case 401 -> Outcome.UNAUTH;
            case 403 -> Outcome.DENY;
            case 404 -> Outcome.HIDE;
            default -> Outcome.PASS;
        };
    }

    private List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        // Identity
        cases.add(new Case("identity", "GET", "/", PUBLIC, f -> Request.of("GET", "/")));
        cases.add(new Case("identity", "GET", "/v3", PUBLIC, f -> Request.of("GET", "/v3")));
        cases.add(new Case("identity", "POST", "/v3/auth/tokens", PUBLIC, f -> Request.of("POST", "/v3/auth/tokens",
                "{\"auth\": {\"identity\": {\"methods\": [\"password\"], \"password\": {\"user\": {\"name\": \"beta-user\","
                        + " \"domain\": {\"id\": \"default\"}, \"password\": \"pw\"}}}}}")));
        for (String method : List.of("GET", "HEAD", "DELETE")) {
            cases.add(new Case("identity", method, "/v3/auth/tokens", ANY, f -> new Request(method, "/v3/auth/tokens",
                    null, Map.of("X-Subject-Token", "self"))));
        }
        for (String path : List.of("/v3/auth/catalog", "/v3/auth/projects", "/v3/auth/domains")) {
            cases.add(new Case("identity", "GET", path, ANY, f -> Request.of("GET", path)));
        }
        cases.add(new Case("identity", "GET", "/v3/domains", ADMIN, f -> Request.of("GET", "/v3/domains")));
        cases.add(new Case("identity", "GET", "/v3/domains/{domain_id}", ANY, f -> Request.of("GET", "/v3/domains/default")));
        cases.add(new Case("identity", "POST", "/v3/projects", ADMIN, f -> Request.of("POST", "/v3/projects",
                "{\"project\": {\"name\": \"p-" + f.unique() + "\"}}")));
        cases.add(new Case("identity", "GET", "/v3/projects", ADMIN, f -> Request.of("GET", "/v3/projects")));
        cases.add(new Case("identity", "GET", "/v3/projects/{project_id}", PROJECT_READ,
                f -> Request.of("GET", "/v3/projects/" + f.alpha)));
        cases.add(new Case("identity", "PATCH", "/v3/projects/{project_id}", ADMIN,
                f -> Request.of("PATCH", "/v3/projects/" + f.project(), "{\"project\": {\"description\": \"d\"}}")));
        cases.add(new Case("identity", "DELETE", "/v3/projects/{project_id}", ADMIN,
                f -> Request.of("DELETE", "/v3/projects/" + f.project())));
        cases.add(new Case("identity", "POST", "/v3/users", ADMIN, f -> Request.of("POST", "/v3/users",
                "{\"user\": {\"name\": \"u-" + f.unique() + "\", \"password\": \"pw\"}}")));
        cases.add(new Case("identity", "GET", "/v3/users", ADMIN, f -> Request.of("GET", "/v3/users")));
        cases.add(new Case("identity", "GET", "/v3/users/{user_id}", SELF,
                f -> Request.of("GET", "/v3/users/" + f.memberUser())));
        cases.add(new Case("identity", "PATCH", "/v3/users/{user_id}", ADMIN,
                f -> Request.of("PATCH", "/v3/users/" + f.user(), "{\"user\": {\"enabled\": true}}")));
        cases.add(new Case("identity", "DELETE", "/v3/users/{user_id}", ADMIN, f -> Request.of("DELETE", "/v3/users/" + f.user())));
        cases.add(new Case("identity", "GET", "/v3/users/{user_id}/projects", SELF,
                f -> Request.of("GET", "/v3/users/" + f.memberUser() + "/projects")));
        cases.add(new Case("identity", "POST", "/v3/roles", ADMIN, f -> Request.of("POST", "/v3/roles",
                "{\"role\": {\"name\": \"r-" + f.unique() + "\"}}")));
        cases.add(new Case("identity", "GET", "/v3/roles", ADMIN, f -> Request.of("GET", "/v3/roles")));
        cases.add(new Case("identity", "GET", "/v3/roles/{role_id}", ADMIN, f -> Request.of("GET", "/v3/roles/" + f.role())));
        cases.add(new Case("identity", "DELETE", "/v3/roles/{role_id}", ADMIN, f -> Request.of("DELETE", "/v3/roles/" + f.role())));
        String onProject = "/v3/projects/{project_id}/users/{user_id}/roles";
        String onDomain = "/v3/domains/{domain_id}/users/{user_id}/roles";
        for (String target : List.of(onProject, onDomain)) {
            Function<Fixture, String> base = f -> target.startsWith("/v3/projects")
                    ? "/v3/projects/" + f.project() + "/users/" + f.user() + "/roles"
                    : "/v3/domains/default/users/" + f.user() + "/roles";
            cases.add(new Case("identity", "GET", target, ADMIN, f -> Request.of("GET", base.apply(f))));
            cases.add(new Case("identity", "PUT", target + "/{role_id}", ADMIN,
                    f -> Request.of("PUT", base.apply(f) + "/" + f.role())));
            cases.add(new Case("identity", "HEAD", target + "/{role_id}", ADMIN,
                    f -> Request.of("HEAD", f.granted(base.apply(f)))));
            cases.add(new Case("identity", "GET", target + "/{role_id}", ADMIN,
                    f -> Request.of("GET", f.granted(base.apply(f)))));
            cases.add(new Case("identity", "DELETE", target + "/{role_id}", ADMIN,
                    f -> Request.of("DELETE", f.granted(base.apply(f)))));
        }
        cases.add(new Case("identity", "GET", "/v3/role_assignments", ADMIN, f -> Request.of("GET", "/v3/role_assignments")));
        cases.add(new Case("identity", "GET", "/v3/services", ADMIN, f -> Request.of("GET", "/v3/services")));
        cases.add(new Case("identity", "GET", "/v3/services/{service_id}", ADMIN,
                f -> Request.of("GET", "/v3/services/" + f.imageService())));
        cases.add(new Case("identity", "GET", "/v3/limits/model", ANY, f -> Request.of("GET", "/v3/limits/model")));
        cases.add(new Case("identity", "POST", "/v3/registered_limits", ADMIN, f -> Request.of("POST", "/v3/registered_limits",
                "{\"registered_limits\": [{\"service_id\": \"" + f.imageService() + "\", \"resource_name\": \"r-"
                        + f.unique() + "\", \"default_limit\": 5}]}")));
        cases.add(new Case("identity", "GET", "/v3/registered_limits", ANY, f -> Request.of("GET", "/v3/registered_limits")));
        cases.add(new Case("identity", "GET", "/v3/registered_limits/{registered_limit_id}", ANY,
                f -> Request.of("GET", "/v3/registered_limits/" + f.registeredLimit())));
        cases.add(new Case("identity", "PATCH", "/v3/registered_limits/{registered_limit_id}", ADMIN,
                f -> Request.of("PATCH", "/v3/registered_limits/" + f.registeredLimit(),
                        "{\"registered_limit\": {\"default_limit\": 7}}")));
        cases.add(new Case("identity", "DELETE", "/v3/registered_limits/{registered_limit_id}", ADMIN,
                f -> Request.of("DELETE", "/v3/registered_limits/" + f.registeredLimit())));
        cases.add(new Case("identity", "POST", "/v3/limits", ADMIN, f -> Request.of("POST", "/v3/limits",
                "{\"limits\": [{\"service_id\": \"" + f.imageService() + "\", \"project_id\": \"" + f.alpha
                        + "\", \"resource_name\": \"" + f.registeredResource(true) + "\", \"resource_limit\": 3}]}")));
        cases.add(new Case("identity", "GET", "/v3/limits", ANY, f -> Request.of("GET", "/v3/limits")));
        cases.add(new Case("identity", "GET", "/v3/limits/{limit_id}", PROJECT_READ,
                f -> Request.of("GET", "/v3/limits/" + f.limit())));
        cases.add(new Case("identity", "PATCH", "/v3/limits/{limit_id}", ADMIN, f -> Request.of("PATCH",
                "/v3/limits/" + f.limit(), "{\"limit\": {\"resource_limit\": 4}}")));
        cases.add(new Case("identity", "DELETE", "/v3/limits/{limit_id}", ADMIN,
                f -> Request.of("DELETE", "/v3/limits/" + f.limit())));

        // Networking
        cases.add(new Case("network", "GET", "/", PUBLIC, f -> Request.of("GET", "/")));
        cases.add(new Case("network", "GET", "/v2.0", ANY, f -> Request.of("GET", "/v2.0")));
        cases.add(new Case("network", "GET", "/v2.0/extensions", ANY, f -> Request.of("GET", "/v2.0/extensions")));
        cases.add(new Case("network", "GET", "/v2.0/extensions/{alias}", ANY, f -> Request.of("GET", "/v2.0/extensions/quotas")));
        cases.add(new Case("network", "POST", "/v2.0/networks", CREATE, f -> Request.of("POST", "/v2.0/networks",
                "{\"network\": {\"name\": \"n\"}}")));
        cases.add(new Case("network", "GET", "/v2.0/networks", ANY, f -> Request.of("GET", "/v2.0/networks")));
        cases.add(new Case("network", "GET", "/v2.0/networks/{network_id}", READ, f -> Request.of("GET", "/v2.0/networks/" + f.network())));
        cases.add(new Case("network", "PUT", "/v2.0/networks/{network_id}", WRITE, f -> Request.of("PUT",
                "/v2.0/networks/" + f.network(), "{\"network\": {\"name\": \"renamed\"}}")));
        cases.add(new Case("network", "DELETE", "/v2.0/networks/{network_id}", WRITE,
                f -> Request.of("DELETE", "/v2.0/networks/" + f.network())));
        cases.add(new Case("network", "POST", "/v2.0/subnets", WRITE, f -> Request.of("POST", "/v2.0/subnets",
                "{\"subnet\": {\"network_id\": \"" + f.network() + "\", \"ip_version\": 4, \"cidr\": \"10.1.0.0/24\"}}")));
        cases.add(new Case("network", "GET", "/v2.0/subnets", ANY, f -> Request.of("GET", "/v2.0/subnets")));
        cases.add(new Case("network", "GET", "/v2.0/subnets/{subnet_id}", READ, f -> Request.of("GET", "/v2.0/subnets/" + f.subnet())));
        cases.add(new Case("network", "PUT", "/v2.0/subnets/{subnet_id}", WRITE, f -> Request.of("PUT",
                "/v2.0/subnets/" + f.subnet(), "{\"subnet\": {\"name\": \"renamed\"}}")));
        cases.add(new Case("network", "DELETE", "/v2.0/subnets/{subnet_id}", WRITE,
                f -> Request.of("DELETE", "/v2.0/subnets/" + f.subnet())));
        cases.add(new Case("network", "POST", "/v2.0/ports", WRITE, f -> Request.of("POST", "/v2.0/ports",
                "{\"port\": {\"network_id\": \"" + f.network() + "\", \"fixed_ips\": []}}")));
        cases.add(new Case("network", "GET", "/v2.0/ports", ANY, f -> Request.of("GET", "/v2.0/ports")));
        cases.add(new Case("network", "GET", "/v2.0/ports/{port_id}", READ, f -> Request.of("GET", "/v2.0/ports/" + f.port())));
        cases.add(new Case("network", "PUT", "/v2.0/ports/{port_id}", WRITE, f -> Request.of("PUT",
                "/v2.0/ports/" + f.port(), "{\"port\": {\"name\": \"renamed\"}}")));
        cases.add(new Case("network", "DELETE", "/v2.0/ports/{port_id}", WRITE, f -> Request.of("DELETE", "/v2.0/ports/" + f.port())));
        String bindings = "/v2.0/ports/{port_id}/bindings";
        cases.add(new Case("network", "POST", bindings, ADMIN, f -> Request.of("POST", "/v2.0/ports/" + f.port() + "/bindings",
                "{\"binding\": {\"host\": \"host1\"}}")));
        cases.add(new Case("network", "GET", bindings, ADMIN, f -> Request.of("GET", "/v2.0/ports/" + f.port() + "/bindings")));
        cases.add(new Case("network", "GET", bindings + "/{host}", ADMIN,
                f -> Request.of("GET", "/v2.0/ports/" + f.boundPort() + "/bindings/host1")));
        cases.add(new Case("network", "PUT", bindings + "/{host}/activate", ADMIN,
                f -> Request.of("PUT", "/v2.0/ports/" + f.boundPort() + "/bindings/host1/activate")));
        cases.add(new Case("network", "DELETE", bindings + "/{host}", ADMIN,
                f -> Request.of("DELETE", "/v2.0/ports/" + f.boundPort() + "/bindings/host1")));
        cases.add(new Case("network", "POST", "/v2.0/security-groups", CREATE, f -> Request.of("POST", "/v2.0/security-groups",
                "{\"security_group\": {\"name\": \"g\"}}")));
        cases.add(new Case("network", "GET", "/v2.0/security-groups", ANY, f -> Request.of("GET", "/v2.0/security-groups")));
        cases.add(new Case("network", "GET", "/v2.0/security-groups/{security_group_id}", READ,
                f -> Request.of("GET", "/v2.0/security-groups/" + f.group())));
        cases.add(new Case("network", "PUT", "/v2.0/security-groups/{security_group_id}", WRITE, f -> Request.of("PUT",
                "/v2.0/security-groups/" + f.group(), "{\"security_group\": {\"description\": \"d\"}}")));
        cases.add(new Case("network", "DELETE", "/v2.0/security-groups/{security_group_id}", WRITE,
                f -> Request.of("DELETE", "/v2.0/security-groups/" + f.group())));
        cases.add(new Case("network", "POST", "/v2.0/security-group-rules", WRITE, f -> Request.of("POST",
                "/v2.0/security-group-rules", "{\"security_group_rule\": {\"security_group_id\": \"" + f.group()
                        + "\", \"direction\": \"ingress\", \"protocol\": \"tcp\", \"port_range_min\": 22}}")));
        cases.add(new Case("network", "GET", "/v2.0/security-group-rules", ANY, f -> Request.of("GET", "/v2.0/security-group-rules")));
        cases.add(new Case("network", "GET", "/v2.0/security-group-rules/{security_group_rule_id}", READ,
                f -> Request.of("GET", "/v2.0/security-group-rules/" + f.rule())));
        cases.add(new Case("network", "DELETE", "/v2.0/security-group-rules/{security_group_rule_id}", WRITE,
                f -> Request.of("DELETE", "/v2.0/security-group-rules/" + f.rule())));
        cases.add(new Case("network", "POST", "/v2.0/trunks", WRITE, f -> Request.of("POST", "/v2.0/trunks",
                "{\"trunk\": {\"port_id\": \"" + f.port() + "\"}}")));
        cases.add(new Case("network", "GET", "/v2.0/trunks", ANY, f -> Request.of("GET", "/v2.0/trunks")));
        cases.add(new Case("network", "GET", "/v2.0/trunks/{trunk_id}", READ, f -> Request.of("GET", "/v2.0/trunks/" + f.trunk())));
        cases.add(new Case("network", "PUT", "/v2.0/trunks/{trunk_id}", WRITE, f -> Request.of("PUT",
                "/v2.0/trunks/" + f.trunk(), "{\"trunk\": {\"name\": \"renamed\"}}")));
        cases.add(new Case("network", "DELETE", "/v2.0/trunks/{trunk_id}", WRITE,
                f -> Request.of("DELETE", "/v2.0/trunks/" + f.trunk())));
        cases.add(new Case("network", "PUT", "/v2.0/trunks/{trunk_id}/add_subports", WRITE, f -> Request.of("PUT",
                "/v2.0/trunks/" + f.trunk() + "/add_subports", "{\"sub_ports\": [{\"port_id\": \"" + f.port()
                        + "\", \"segmentation_type\": \"vlan\", \"segmentation_id\": 200}]}")));
        cases.add(new Case("network", "PUT", "/v2.0/trunks/{trunk_id}/remove_subports", WRITE, f -> Request.of("PUT",
                "/v2.0/trunks/" + f.trunk() + "/remove_subports", "{\"sub_ports\": [{\"port_id\": \"" + f.subPort()
                        + "\"}]}")));
        cases.add(new Case("network", "GET", "/v2.0/trunks/{trunk_id}/get_subports", READ,
                f -> Request.of("GET", "/v2.0/trunks/" + f.trunk() + "/get_subports")));
        cases.add(new Case("network", "POST", "/v2.0/routers", CREATE, f -> Request.of("POST", "/v2.0/routers",
                "{\"router\": {\"name\": \"r\"}}")));
        cases.add(new Case("network", "GET", "/v2.0/routers", ANY, f -> Request.of("GET", "/v2.0/routers")));
        cases.add(new Case("network", "GET", "/v2.0/routers/{router_id}", READ,
                f -> Request.of("GET", "/v2.0/routers/" + f.router())));
        cases.add(new Case("network", "PUT", "/v2.0/routers/{router_id}", WRITE, f -> Request.of("PUT",
                "/v2.0/routers/" + f.router(), "{\"router\": {\"name\": \"renamed\"}}")));
        cases.add(new Case("network", "DELETE", "/v2.0/routers/{router_id}", WRITE,
                f -> Request.of("DELETE", "/v2.0/routers/" + f.router())));
        cases.add(new Case("network", "PUT", "/v2.0/routers/{router_id}/add_router_interface", WRITE, f -> Request.of("PUT",
                "/v2.0/routers/" + f.router() + "/add_router_interface", "{\"subnet_id\": \"" + f.subnet() + "\"}")));
        cases.add(new Case("network", "PUT", "/v2.0/routers/{router_id}/remove_router_interface", WRITE, f -> Request.of(
                "PUT", "/v2.0/routers/" + f.routedRouter() + "/remove_router_interface", "{\"subnet_id\": \""
                        + f.subnet() + "\"}")));
        cases.add(new Case("network", "PUT", "/v2.0/routers/{router_id}/add_extraroutes", WRITE, f -> Request.of("PUT",
                "/v2.0/routers/" + f.routedRouter() + "/add_extraroutes", "{\"router\": {\"routes\": [{\"destination\":"
                        + " \"192.168.0.0/24\", \"nexthop\": \"10.2.0.9\"}]}}")));
        cases.add(new Case("network", "PUT", "/v2.0/routers/{router_id}/remove_extraroutes", WRITE, f -> Request.of("PUT",
                "/v2.0/routers/" + f.routedRouter() + "/remove_extraroutes", "{\"router\": {\"routes\": [{\"destination\":"
                        + " \"192.168.0.0/24\", \"nexthop\": \"10.2.0.9\"}]}}")));
        cases.add(new Case("network", "POST", "/v2.0/floatingips", CREATE, f -> Request.of("POST", "/v2.0/floatingips",
                "{\"floatingip\": {\"floating_network_id\": \"" + f.externalNetwork() + "\"}}")));
        cases.add(new Case("network", "GET", "/v2.0/floatingips", ANY, f -> Request.of("GET", "/v2.0/floatingips")));
        cases.add(new Case("network", "GET", "/v2.0/floatingips/{floatingip_id}", READ,
                f -> Request.of("GET", "/v2.0/floatingips/" + f.floatingIp())));
        cases.add(new Case("network", "PUT", "/v2.0/floatingips/{floatingip_id}", WRITE, f -> Request.of("PUT",
                "/v2.0/floatingips/" + f.floatingIp(), "{\"floatingip\": {\"description\": \"d\"}}")));
        cases.add(new Case("network", "DELETE", "/v2.0/floatingips/{floatingip_id}", WRITE,
                f -> Request.of("DELETE", "/v2.0/floatingips/" + f.floatingIp())));
        for (String collection : List.of("networks", "subnets", "ports", "security-groups", "trunks", "routers",
                "floatingips")) {
            String tags = "/v2.0/" + collection + "/{id}/tags";
            Function<Fixture, String> of = f -> "/v2.0/" + collection + "/" + f.tagged(collection) + "/tags";
            cases.add(new Case("network", "GET", tags, READ, f -> Request.of("GET", of.apply(f))));
            cases.add(new Case("network", "PUT", tags, WRITE, f -> Request.of("PUT", of.apply(f), "{\"tags\": [\"a\"]}")));
            cases.add(new Case("network", "DELETE", tags, WRITE, f -> Request.of("DELETE", of.apply(f))));
            cases.add(new Case("network", "GET", tags + "/{tag}", READ, f -> Request.of("GET", of.apply(f) + "/t")));
            cases.add(new Case("network", "PUT", tags + "/{tag}", WRITE, f -> Request.of("PUT", of.apply(f) + "/u")));
            cases.add(new Case("network", "DELETE", tags + "/{tag}", WRITE, f -> Request.of("DELETE", of.apply(f) + "/t")));
        }
        cases.add(new Case("network", "GET", "/v2.0/quotas", ADMIN, f -> Request.of("GET", "/v2.0/quotas")));
        cases.add(new Case("network", "GET", "/v2.0/quotas/{project_id}", PROJECT_READ,
                f -> Request.of("GET", "/v2.0/quotas/" + f.alpha)));
        cases.add(new Case("network", "PUT", "/v2.0/quotas/{project_id}", ADMIN, f -> Request.of("PUT",
                "/v2.0/quotas/" + f.alpha, "{\"quota\": {\"network\": -1}}")));
        cases.add(new Case("network", "DELETE", "/v2.0/quotas/{project_id}", ADMIN,
                f -> Request.of("DELETE", "/v2.0/quotas/" + f.project())));
        cases.add(new Case("network", "GET", "/v2.0/quotas/{project_id}/default", PROJECT_READ,
                f -> Request.of("GET", "/v2.0/quotas/" + f.alpha + "/default")));
        cases.add(new Case("network", "GET", "/v2.0/quotas/{project_id}/details", PROJECT_READ,
                f -> Request.of("GET", "/v2.0/quotas/" + f.alpha + "/details")));

        // Image
        cases.add(new Case("image", "GET", "/", PUBLIC, f -> Request.of("GET", "/")));
        cases.add(new Case("image", "GET", "/versions", PUBLIC, f -> Request.of("GET", "/versions")));
        cases.add(new Case("image", "POST", "/v2/images", CREATE, f -> Request.of("POST", "/v2/images",
                "{\"name\": \"i\", \"disk_format\": \"raw\", \"container_format\": \"bare\"}")));
        cases.add(new Case("image", "GET", "/v2/images", ANY, f -> Request.of("GET", "/v2/images")));
        cases.add(new Case("image", "GET", "/v2/images/{image_id}", READ, f -> Request.of("GET", "/v2/images/" + f.image())));
        cases.add(new Case("image", "PATCH", "/v2/images/{image_id}", WRITE, f -> new Request("PATCH", "/v2/images/" + f.image(),
                "[{\"op\": \"replace\", \"path\": \"/name\", \"value\": \"renamed\"}]",
                Map.of("Content-Type", "application/openstack-images-v2.1-json-patch"))));
        cases.add(new Case("image", "DELETE", "/v2/images/{image_id}", WRITE, f -> Request.of("DELETE", "/v2/images/" + f.image())));
        cases.add(new Case("image", "PUT", "/v2/images/{image_id}/file", WRITE, f -> new Request("PUT",
                "/v2/images/" + f.image() + "/file", "data", Map.of("Content-Type", "application/octet-stream"))));
        cases.add(new Case("image", "GET", "/v2/images/{image_id}/file", WRITE,
                f -> Request.of("GET", "/v2/images/" + f.activeImage() + "/file")));

        // Compute
        cases.add(new Case("compute-root", "GET", "/", PUBLIC, f -> Request.of("GET", "/")));
        cases.add(new Case("compute-root", "GET", "/v2.1", PUBLIC, f -> Request.of("GET", "/v2.1")));
        for (String path : List.of("/v2.1/flavors", "/v2.1/flavors/detail", "/v2.1/flavors/{flavor_id}",
                "/v2.1/flavors/{flavor_id}/os-extra_specs")) {
            cases.add(new Case("compute", "GET", path, ANY, f -> Request.of("GET", path.replace("/v2.1", "")
                    .replace("{flavor_id}", "1"))));
        }
        cases.add(new Case("compute", "POST", "/v2.1/flavors", ADMIN, f -> Request.of("POST", "/flavors",
                "{\"flavor\": {\"name\": \"f-" + f.unique() + "\", \"ram\": 64, \"vcpus\": 1, \"disk\": 0}}")));
        cases.add(new Case("compute", "PUT", "/v2.1/flavors/{flavor_id}", ADMIN,
                f -> new Request("PUT", "/flavors/1", "{\"flavor\": {\"description\": \"small\"}}",
                        Map.of("OpenStack-API-Version", "compute 2.55"))));
        cases.add(new Case("compute", "DELETE", "/v2.1/flavors/{flavor_id}", ADMIN,
                f -> Request.of("DELETE", "/flavors/" + f.flavor())));
        cases.add(new Case("compute", "GET", "/v2.1/os-keypairs", ANY, f -> Request.of("GET", "/os-keypairs")));
        cases.add(new Case("compute", "POST", "/v2.1/os-keypairs", ANY, f -> Request.of("POST", "/os-keypairs",
                "{\"keypair\": {\"name\": \"k-" + f.unique() + "\"}}")));
        cases.add(new Case("compute", "GET", "/v2.1/os-keypairs/{keypair_name}", OWN_KEYPAIR,
                f -> Request.of("GET", "/os-keypairs/" + f.keypair())));
        cases.add(new Case("compute", "DELETE", "/v2.1/os-keypairs/{keypair_name}", OWN_KEYPAIR,
                f -> Request.of("DELETE", "/os-keypairs/" + f.keypair())));
        cases.add(new Case("compute", "POST", "/v2.1/servers", CREATE, f -> new Request("POST", "/servers",
                "{\"server\": {\"name\": \"s\", \"imageRef\": \"" + cloud.defaultImage + "\", \"flavorRef\": \"1\","
                        + " \"networks\": \"none\"}}", Map.of("OpenStack-API-Version", "compute 2.37"))));
        cases.add(new Case("compute", "GET", "/v2.1/servers", ANY, f -> Request.of("GET", "/servers")));
        cases.add(new Case("compute", "GET", "/v2.1/servers/detail", ANY, f -> Request.of("GET", "/servers/detail")));
        cases.add(new Case("compute", "GET", "/v2.1/servers/{server_id}", READ, f -> Request.of("GET", "/servers/" + f.server())));
        cases.add(new Case("compute", "DELETE", "/v2.1/servers/{server_id}", WRITE,
                f -> Request.of("DELETE", "/servers/" + f.server())));
        cases.add(new Case("compute", "POST", "/v2.1/servers/{server_id}/action", WRITE,
                f -> Request.of("POST", "/servers/" + f.server() + "/action", "{\"os-stop\": null}")));
        cases.add(new Case("compute", "PUT", "/v2.1/servers/{server_id}", WRITE,
                f -> Request.of("PUT", "/servers/" + f.server(), "{\"server\": {\"name\": \"renamed\"}}")));
        Map<String, String> tagsVersion = Map.of("OpenStack-API-Version", "compute 2.26");
        String tags = "/v2.1/servers/{server_id}/tags";
        cases.add(new Case("compute", "GET", tags, READ,
                f -> new Request("GET", "/servers/" + f.server() + "/tags", null, tagsVersion)));
        cases.add(new Case("compute", "PUT", tags, WRITE,
                f -> new Request("PUT", "/servers/" + f.server() + "/tags", "{\"tags\": [\"a\"]}", tagsVersion)));
        cases.add(new Case("compute", "DELETE", tags, WRITE,
                f -> new Request("DELETE", "/servers/" + f.server() + "/tags", null, tagsVersion)));
        // GET of a tag the server lacks is 404 for everyone; PUT first makes it there for the check.
        cases.add(new Case("compute", "GET", tags + "/{tag}", READ,
                f -> new Request("GET", "/servers/" + f.taggedServer() + "/tags/t", null, tagsVersion)));
        cases.add(new Case("compute", "PUT", tags + "/{tag}", WRITE,
                f -> new Request("PUT", "/servers/" + f.server() + "/tags/t", null, tagsVersion)));
        cases.add(new Case("compute", "DELETE", tags + "/{tag}", WRITE,
                f -> new Request("DELETE", "/servers/" + f.taggedServer() + "/tags/t", null, tagsVersion)));
        String metadata = "/v2.1/servers/{server_id}/metadata";
        cases.add(new Case("compute", "GET", metadata, READ, f -> Request.of("GET", "/servers/" + f.server() + "/metadata")));
        cases.add(new Case("compute", "POST", metadata, WRITE, f -> Request.of("POST", "/servers/" + f.server()
                + "/metadata", "{\"metadata\": {\"k\": \"v\"}}")));
        cases.add(new Case("compute", "PUT", metadata, WRITE, f -> Request.of("PUT", "/servers/" + f.server()
                + "/metadata", "{\"metadata\": {\"k\": \"v\"}}")));
        cases.add(new Case("compute", "GET", metadata + "/{key}", READ,
                f -> Request.of("GET", "/servers/" + f.taggedServer() + "/metadata/role")));
        cases.add(new Case("compute", "PUT", metadata + "/{key}", WRITE, f -> Request.of("PUT", "/servers/" + f.server()
                + "/metadata/k", "{\"meta\": {\"k\": \"v\"}}")));
        cases.add(new Case("compute", "DELETE", metadata + "/{key}", WRITE,
                f -> Request.of("DELETE", "/servers/" + f.taggedServer() + "/metadata/role")));
        cases.add(new Case("compute", "GET", "/v2.1/extensions", ANY, f -> Request.of("GET", "/extensions")));
        cases.add(new Case("compute", "GET", "/v2.1/extensions/{alias}", ANY, f -> Request.of("GET", "/extensions/OS-DCF")));
        String instanceActions = "/v2.1/servers/{server_id}/os-instance-actions";
        cases.add(new Case("compute", "GET", instanceActions, READ,
                f -> Request.of("GET", "/servers/" + f.server() + "/os-instance-actions")));
        cases.add(new Case("compute", "GET", instanceActions + "/{request_id}", READ,
                f -> Request.of("GET", "/servers/" + f.server() + "/os-instance-actions/" + f.createRequest())));
        cases.add(new Case("compute", "GET", "/v2.1/servers/{server_id}/os-server-password", READ,
                f -> Request.of("GET", "/servers/" + f.server() + "/os-server-password")));
        cases.add(new Case("compute", "DELETE", "/v2.1/servers/{server_id}/os-server-password", WRITE,
                f -> Request.of("DELETE", "/servers/" + f.server() + "/os-server-password")));
        // Allowed, then refused as a cloud with Neutron refuses it (400).
        cases.add(new Case("compute", "GET", "/v2.1/servers/{server_id}/os-virtual-interfaces", READ,
                f -> Request.of("GET", "/servers/" + f.server() + "/os-virtual-interfaces")));
        // Nova's images proxy: the image service's rules, seen through compute.
        cases.add(new Case("compute", "GET", "/v2.1/images", ANY, f -> Request.of("GET", "/images")));
        cases.add(new Case("compute", "GET", "/v2.1/images/detail", ANY, f -> Request.of("GET", "/images/detail")));
        String image = "/v2.1/images/{image_id}";
        cases.add(new Case("compute", "GET", image, READ, f -> Request.of("GET", "/images/" + f.image())));
        cases.add(new Case("compute", "DELETE", image, WRITE, f -> Request.of("DELETE", "/images/" + f.image())));
        cases.add(new Case("compute", "GET", image + "/metadata", READ,
                f -> Request.of("GET", "/images/" + f.image() + "/metadata")));
        cases.add(new Case("compute", "POST", image + "/metadata", WRITE, f -> Request.of("POST", "/images/" + f.image()
                + "/metadata", "{\"metadata\": {\"k\": \"v\"}}")));
        cases.add(new Case("compute", "PUT", image + "/metadata", WRITE, f -> Request.of("PUT", "/images/" + f.image()
                + "/metadata", "{\"metadata\": {\"k\": \"v\"}}")));
        cases.add(new Case("compute", "GET", image + "/metadata/{key}", READ,
                f -> Request.of("GET", "/images/" + f.image() + "/metadata/role")));
        cases.add(new Case("compute", "PUT", image + "/metadata/{key}", WRITE, f -> Request.of("PUT", "/images/"
                + f.image() + "/metadata/k", "{\"meta\": {\"k\": \"v\"}}")));
        cases.add(new Case("compute", "DELETE", image + "/metadata/{key}", WRITE,
                f -> Request.of("DELETE", "/images/" + f.image() + "/metadata/role")));
        cases.add(new Case("compute-root", "GET", "/v2", PUBLIC, f -> Request.of("GET", "/v2")));
        cases.add(new Case("compute", "GET", "/v2.1/os-availability-zone", ANY,
                f -> Request.of("GET", "/os-availability-zone")));
        cases.add(new Case("compute", "GET", "/v2.1/os-availability-zone/detail", ADMIN,
                f -> Request.of("GET", "/os-availability-zone/detail")));
        cases.add(new Case("compute", "GET", "/v2.1/servers/{server_id}/ips", READ,
                f -> Request.of("GET", "/servers/" + f.server() + "/ips")));
        cases.add(new Case("compute", "GET", "/v2.1/servers/{server_id}/topology", READ,
                f -> new Request("GET", "/servers/" + f.server() + "/topology", null,
                        Map.of("OpenStack-API-Version", "compute 2.78"))));
        cases.add(new Case("compute", "GET", "/v2.1/servers/{server_id}/ips/{network_label}", READ,
                f -> Request.of("GET", "/servers/" + f.server() + "/ips/fixture-addressed")));
        cases.add(new Case("compute", "GET", "/v2.1/os-server-groups", ANY, f -> Request.of("GET", "/os-server-groups")));
        cases.add(new Case("compute", "POST", "/v2.1/os-server-groups", CREATE, f -> Request.of("POST", "/os-server-groups",
                "{\"server_group\": {\"name\": \"g-" + f.unique() + "\", \"policies\": [\"affinity\"]}}")));
        cases.add(new Case("compute", "GET", "/v2.1/os-server-groups/{server_group_id}", READ,
                f -> Request.of("GET", "/os-server-groups/" + f.serverGroup())));
        cases.add(new Case("compute", "DELETE", "/v2.1/os-server-groups/{server_group_id}", WRITE,
                f -> Request.of("DELETE", "/os-server-groups/" + f.serverGroup())));
        cases.add(new Case("compute", "GET", "/v2.1/os-security-groups", ANY, f -> Request.of("GET", "/os-security-groups")));
        cases.add(new Case("compute", "GET", "/v2.1/os-security-groups/{security_group_id}", READ,
                f -> Request.of("GET", "/os-security-groups/" + f.group())));
        cases.add(new Case("compute", "POST", "/v2.1/os-security-groups", CREATE, f -> Request.of("POST", "/os-security-groups",
                "{\"security_group\": {\"name\": \"g-" + f.unique() + "\", \"description\": \"d\"}}")));
        cases.add(new Case("compute", "PUT", "/v2.1/os-security-groups/{security_group_id}", WRITE,
                f -> Request.of("PUT", "/os-security-groups/" + f.group(),
                        "{\"security_group\": {\"name\": \"renamed\", \"description\": \"d\"}}")));
        cases.add(new Case("compute", "DELETE", "/v2.1/os-security-groups/{security_group_id}", WRITE,
                f -> Request.of("DELETE", "/os-security-groups/" + f.group())));
        cases.add(new Case("compute", "POST", "/v2.1/os-security-group-rules", WRITE,
                f -> Request.of("POST", "/os-security-group-rules", "{\"security_group_rule\": {\"parent_group_id\": \""
                        + f.group() + "\", \"ip_protocol\": \"tcp\", \"from_port\": 1, \"to_port\": 2}}")));
        cases.add(new Case("compute", "DELETE", "/v2.1/os-security-group-rules/{security_group_rule_id}", WRITE,
                f -> Request.of("DELETE", "/os-security-group-rules/" + f.rule())));
        cases.add(new Case("compute", "GET", "/v2.1/servers/{server_id}/os-security-groups", READ,
                f -> Request.of("GET", "/servers/" + f.server() + "/os-security-groups")));
        String interfaces = "/v2.1/servers/{server_id}/os-interface";
        cases.add(new Case("compute", "GET", interfaces, READ, f -> Request.of("GET", "/servers/" + f.server() + "/os-interface")));
        cases.add(new Case("compute", "POST", interfaces, WRITE, f -> Request.of("POST", "/servers/" + f.server() + "/os-interface",
                "{\"interfaceAttachment\": {\"net_id\": \"" + f.addressedNetwork() + "\"}}")));
        cases.add(new Case("compute", "GET", interfaces + "/{port_id}", READ,
                f -> Request.of("GET", "/servers/" + f.server() + "/os-interface/" + f.serverPort())));
        cases.add(new Case("compute", "DELETE", interfaces + "/{port_id}", WRITE,
                f -> Request.of("DELETE", "/servers/" + f.server() + "/os-interface/" + f.serverPort())));
        cases.add(new Case("compute", "POST", "/v2.1/os-server-external-events", ADMIN, f -> Request.of("POST",
                "/os-server-external-events", "{\"events\": [{\"name\": \"network-changed\", \"server_uuid\": \""
                        + f.server() + "\"}]}")));
        cases.add(new Case("compute", "GET", "/v2.1/os-services", ADMIN, f -> Request.of("GET", "/os-services")));
        cases.add(new Case("compute", "PUT", "/v2.1/os-services/{action}", ADMIN, f -> Request.of("PUT", "/os-services/enable",
                "{\"host\": \"host1\", \"binary\": \"nova-compute\"}")));
        cases.add(new Case("compute", "GET", "/v2.1/os-hypervisors", ADMIN, f -> Request.of("GET", "/os-hypervisors")));
        cases.add(new Case("compute", "GET", "/v2.1/os-hypervisors/detail", ADMIN, f -> Request.of("GET", "/os-hypervisors/detail")));
        cases.add(new Case("compute", "GET", "/v2.1/os-hypervisors/{hypervisor_id}", ADMIN,
                f -> Request.of("GET", "/os-hypervisors/1")));
        cases.add(new Case("compute", "GET", "/v2.1/os-quota-sets/{tenant_id}", PROJECT_READ,
                f -> Request.of("GET", "/os-quota-sets/" + f.alpha)));
        cases.add(new Case("compute", "PUT", "/v2.1/os-quota-sets/{tenant_id}", ADMIN, f -> Request.of("PUT",
                "/os-quota-sets/" + f.alpha, "{\"quota_set\": {\"instances\": -1}}")));
        cases.add(new Case("compute", "DELETE", "/v2.1/os-quota-sets/{tenant_id}", ADMIN,
                f -> Request.of("DELETE", "/os-quota-sets/" + f.project())));
        cases.add(new Case("compute", "GET", "/v2.1/os-quota-sets/{tenant_id}/detail", PROJECT_READ,
                f -> Request.of("GET", "/os-quota-sets/" + f.alpha + "/detail")));
        cases.add(new Case("compute", "GET", "/v2.1/os-quota-sets/{tenant_id}/defaults", ANY,
                f -> Request.of("GET", "/os-quota-sets/" + f.alpha + "/defaults")));
        cases.add(new Case("compute", "GET", "/v2.1/limits", ANY, f -> Request.of("GET", "/limits")));
        return cases;
    }

    private Set<String> covered(List<Case> cases) {
        return cases.stream().map(c -> c.service().replace("-root", "") + " " + c.method() + " " + c.route())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private Set<String> registered() {
        Set<String> routes = new TreeSet<>();
        cloud.routes().forEach((service, list) -> list.forEach((ApiServer.Route r) ->
                routes.add(service + " " + r.method() + " " + r.path())));
        return routes;
    }

    private Http http(String service) {
        return switch (service) {
            case "identity" -> cloud.identity;
            case "network" -> cloud.network;
            case "image" -> cloud.image;
            case "compute-root" -> cloud.computeRoot;
            default -> cloud.compute;
        };
    }

    private String token(Caller caller) {
        Keystone keystone = new Keystone(cloud.identity);
        return switch (caller) {
            case ADMIN -> cloud.freshAdminToken();
            case MEMBER -> keystone.token("alpha-user", "pw", "alpha");
            case READER -> keystone.token("alpha-reader", "pw", "alpha");
            case OTHER -> keystone.token("beta-user", "pw", "beta");
            case NONE -> null;
        };
    }

    private String projectId(String name) {
        return cloud.identity.get("/v3/projects?name=" + name, cloud.admin).json().at("/projects/0/id").asText();
    }

    private void grant(String project, String user, String role) {
        String userId = cloud.identity.get("/v3/users?name=" + user, cloud.admin).json().at("/users/0/id").asText();
        String roleId = cloud.identity.get("/v3/roles?name=" + role, cloud.admin).json().at("/roles/0/id").asText();
        assertThat(cloud.identity.send("PUT", "/v3/projects/" + projectId(project) + "/users/" + userId + "/roles/" + roleId,
                cloud.admin, null).status()).isEqualTo(204);
    }

    /** Resources one row of the table acts on, made on first need by alpha's member (or the admin). */
    static final class Fixture {
        private static int counter;
        final String alpha;
        private final Cloud cloud;
        private final String member;
        private final Map<String, String> made = new HashMap<>();

        Fixture(Cloud cloud, String alpha) {
            this.cloud = cloud;
            this.alpha = alpha;
            this.member = new Keystone(cloud.identity).token("alpha-user", "pw", "alpha");
        }

        synchronized String unique() {
            return Integer.toString(++counter) + "-" + System.nanoTime();
        }

        /** A header asking about the caller's own token, where the request names one. */
        Map<String, String> headers(Map<String, String> asked, String token) {
            Map<String, String> headers = new HashMap<>(asked);
            if (token == null) {
                headers.values().removeIf("self"::equals);
            }
            headers.replaceAll((k, v) -> v.equals("self") ? token : v);
            return headers;
        }

        private String once(String key, java.util.function.Supplier<String> make) {
            // Not computeIfAbsent: making one resource often makes another first (a subnet, its network).
            String value = made.get(key);
            if (value == null) {
                value = make.get();
                made.put(key, value);
            }
            return value;
        }

        private static String created(Http.Reply reply, String pointer) {
            assertThat(reply.status()).as(reply.toString()).isBetween(200, 299);
            return reply.json().at(pointer).asText();
        }

        String network() {
            return once("network", () -> cloud.network(member, "fixture"));
        }

        String addressedNetwork() {
            return once("addressed", () -> cloud.network(member, "fixture-addressed", "10.9.0.0/24"));
        }

        String subnet() {
            return once("subnet", () -> created(cloud.network.post("/v2.0/subnets", member, "{\"subnet\": {\"network_id\": \""
                    + network() + "\", \"ip_version\": 4, \"cidr\": \"10.2.0.0/24\"}}"), "/subnet/id"));
        }

        String port() {
            return once("port", () -> cloud.port(member, network(), "\"fixed_ips\": []"));
        }

        String boundPort() {
            return once("bound", () -> {
                String port = cloud.port(member, network(), "\"fixed_ips\": []");
                created(cloud.network.post("/v2.0/ports/" + port + "/bindings", cloud.admin,
                        "{\"binding\": {\"host\": \"host1\"}}"), "/binding/host");
                return port;
            });
        }

        String group() {
            return once("group", () -> created(cloud.network.post("/v2.0/security-groups", member,
                    "{\"security_group\": {\"name\": \"fixture\"}}"), "/security_group/id"));
        }

        String rule() {
            return once("rule", () -> created(cloud.network.post("/v2.0/security-group-rules", member,
                    "{\"security_group_rule\": {\"security_group_id\": \"" + group() + "\", \"direction\": \"ingress\","
                            + " \"protocol\": \"udp\", \"port_range_min\": 53}}"), "/security_group_rule/id"));
        }

        String subPort() {
            return once("subport", () -> cloud.port(member, network(), "\"fixed_ips\": []"));
        }

        /** A trunk on a parent of its own, with {@link #subPort()} on VLAN 100. */
        String trunk() {
            return once("trunk", () -> created(cloud.network.post("/v2.0/trunks", member, "{\"trunk\": {\"port_id\": \""
                    + cloud.port(member, network(), "\"fixed_ips\": []") + "\", \"sub_ports\": [{\"port_id\": \""
                    + subPort() + "\", \"segmentation_type\": \"vlan\", \"segmentation_id\": 100}]}}"), "/trunk/id"));
        }

        String router() {
            return once("router", () -> created(cloud.network.post("/v2.0/routers", member,
                    "{\"router\": {\"name\": \"fixture\"}}"), "/router/id"));
        }

        /** {@link #router()} with an interface on {@link #subnet()}. */
        String routedRouter() {
            return once("routed", () -> {
                created(cloud.network.send("PUT", "/v2.0/routers/" + router() + "/add_router_interface", member,
                        "{\"subnet_id\": \"" + subnet() + "\"}"), "/port_id");
                return router();
            });
        }

        /** An external network the admin made, with a subnet floating IPs come from. */
        String externalNetwork() {
            return once("external", () -> {
                String id = created(cloud.network.post("/v2.0/networks", cloud.admin, "{\"network\": {\"name\":"
                        + " \"public\", \"router:external\": true}}"), "/network/id");
                created(cloud.network.post("/v2.0/subnets", cloud.admin, "{\"subnet\": {\"network_id\": \"" + id
                        + "\", \"ip_version\": 4, \"cidr\": \"172.24.4.0/24\"}}"), "/subnet/id");
                return id;
            });
        }

        String floatingIp() {
            return once("floatingip", () -> created(cloud.network.post("/v2.0/floatingips", member,
                    "{\"floatingip\": {\"floating_network_id\": \"" + externalNetwork() + "\"}}"), "/floatingip/id"));
        }

        String tagged(String collection) {
            String id = switch (collection) {
                case "networks" -> network();
                case "routers" -> router();
                case "floatingips" -> floatingIp();
                case "subnets" -> subnet();
                case "ports" -> port();
                case "trunks" -> trunk();
                default -> group();
            };
            assertThat(cloud.network.send("PUT", "/v2.0/" + collection + "/" + id + "/tags/t", member, null).status())
                    .isEqualTo(201);
            return id;
        }

        String project() {
            return once("project", () -> created(cloud.identity.post("/v3/projects", cloud.admin,
                    "{\"project\": {\"name\": \"fixture-" + unique() + "\"}}"), "/project/id"));
        }

        String user() {
            return once("user", () -> created(cloud.identity.post("/v3/users", cloud.admin,
                    "{\"user\": {\"name\": \"fixture-" + unique() + "\", \"password\": \"pw\"}}"), "/user/id"));
        }

        String memberUser() {
            return cloud.identity.get("/v3/users?name=alpha-user", cloud.admin).json().at("/users/0/id").asText();
        }

        String role() {
            return once("role", () -> created(cloud.identity.post("/v3/roles", cloud.admin,
                    "{\"role\": {\"name\": \"fixture-" + unique() + "\"}}"), "/role/id"));
        }

        /** {@code roles} with the fixture role granted; returns the grant's path. */
        String granted(String roles) {
            String grant = roles + "/" + role();
            assertThat(cloud.identity.send("PUT", grant, cloud.admin, null).status()).isEqualTo(204);
            return grant;
        }

        String imageService() {
            return cloud.identity.get("/v3/services?type=image", cloud.admin).json().at("/services/0/id").asText();
        }

        String registeredResource() {
            return once("resource", () -> "r-" + unique());
        }

        /** The resource name of a registered limit that exists (a project limit needs one). */
        String registeredResource(boolean registered) {
            if (registered) {
                registeredLimit();
            }
            return registeredResource();
        }

        String registeredLimit() {
            return once("registered", () -> created(cloud.identity.post("/v3/registered_limits", cloud.admin,
                    "{\"registered_limits\": [{\"service_id\": \"" + imageService() + "\", \"resource_name\": \""
                            + registeredResource() + "\", \"default_limit\": 5}]}"), "/registered_limits/0/id"));
        }

        String limit() {
            return once("limit", () -> {
                registeredLimit();
                return created(cloud.identity.post("/v3/limits", cloud.admin, "{\"limits\": [{\"service_id\": \""
                        + imageService() + "\", \"project_id\": \"" + alpha + "\", \"resource_name\": \""
                        + registeredResource() + "\", \"resource_limit\": 2}]}"), "/limits/0/id");
            });
        }

        String image() {
            return once("image", () -> created(cloud.image.post("/v2/images", member,
                    "{\"name\": \"fixture\", \"disk_format\": \"raw\", \"container_format\": \"bare\", \"role\": \"fixture\"}"),
                    "/id"));
        }

        String activeImage() {
            return once("active", () -> {
                String id = image();
                Http.Reply upload = cloud.image.send("PUT", "/v2/images/" + id + "/file", member, "bytes",
                        Map.of("Content-Type", "application/octet-stream"));
                assertThat(upload.status()).as(upload.toString()).isEqualTo(204);
                return id;
            });
        }

        String flavor() {
            return once("flavor", () -> created(cloud.compute.post("/flavors", cloud.admin,
                    "{\"flavor\": {\"name\": \"fixture-" + unique() + "\", \"ram\": 64, \"vcpus\": 1, \"disk\": 0}}"),
                    "/flavor/id"));
        }

        String keypair() {
            return once("keypair", () -> created(cloud.compute.post("/os-keypairs", member,
                    "{\"keypair\": {\"name\": \"fixture-" + unique() + "\"}}"), "/keypair/name"));
        }

        /** The request id that created the fixture server, from its instance actions. */
        String createRequest() {
            return once("createRequest", () -> cloud.compute.get("/servers/" + server() + "/os-instance-actions",
                    cloud.admin).json().at("/instanceActions/0/request_id").asText());
        }

        String server() {
            return once("server", () -> {
                String id = cloud.bootOk(member, "fixture", "[{\"uuid\": \"" + addressedNetwork() + "\"}]");
                JsonNode server = cloud.settled(member, id);
                assertThat(server.get("status").asText()).isEqualTo("ACTIVE");
                return id;
            });
        }

        String serverGroup() {
            return once("serverGroup", () -> created(cloud.compute.post("/os-server-groups", member,
                    "{\"server_group\": {\"name\": \"fixture-" + unique() + "\", \"policies\": [\"affinity\"]}}"),
                    "/server_group/id"));
        }

        /** The fixture server with tag "t" and metadata item "role". */
        String taggedServer() {
            return once("taggedServer", () -> {
                String id = server();
                assertThat(cloud.compute.send("PUT", "/servers/" + id + "/tags/t", member, null,
                        Map.of("OpenStack-API-Version", "compute 2.26")).status()).isEqualTo(201);
                assertThat(cloud.compute.post("/servers/" + id + "/metadata", member,
                        "{\"metadata\": {\"role\": \"r\"}}").status()).isEqualTo(200);
                return id;
            });
        }

        String serverPort() {
            return once("serverPort", () -> cloud.compute.get("/servers/" + server() + "/os-interface", member).json()
                    .at("/interfaceAttachments/0/port_id").asText());
        }
    }
}
