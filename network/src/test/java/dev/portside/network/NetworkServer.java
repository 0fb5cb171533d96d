package dev.portside.network;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portside.common.http.ApiServer;
import dev.portside.common.testing.Http;
import dev.portside.common.testing.Keystone;
import dev.portside.common.testing.TestClock;
import dev.portside.common.testing.TestDatabase;
import dev.portside.identity.Identity;
import dev.portside.identity.catalog.Catalog;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Identity and Networking on real ports over one fresh database, for one functional test: the
 * admin, and two projects ("alpha", "beta") each with a member, to test isolation.
 */
public final class NetworkServer implements AutoCloseable {
    /** The physical networks tests may put provider networks on: physnet1 with VLANs 100-102, physnet2. */
    public static final dev.portside.network.net.PhysicalNetworks PHYSICAL_NETWORKS =
            new dev.portside.network.net.PhysicalNetworks(java.util.Set.of("physnet1", "physnet2"),
                    java.util.Map.of("physnet1", new dev.portside.network.net.PhysicalNetworks.VlanRange(100, 102)));
    public final Http identity;
    public final Http http;
    public final String admin;
    public final String alpha;
    public final String beta;
    public final TestDatabase.Instance database;
    public final dev.portside.identity.Bootstrap.AdminCredentials adminCredentials;
    public final String identityUrl;
    private final ApiServer identityServer;
    private final ApiServer networkServer;

    public NetworkServer(TestDatabase kind) {
        this(kind, PHYSICAL_NETWORKS);
    }

    /** With other segments to give networks (VXLAN ids, for a Portside of several hosts). */
    public NetworkServer(TestDatabase kind, dev.portside.network.net.PhysicalNetworks segments) {
        this.database = kind.create();
        TestClock clock = new TestClock();
        int identityPort = Http.freePort();
        int networkPort = Http.freePort();
        String identityUrl = "http://127.0.0.1:" + identityPort;
        String networkUrl = "http://127.0.0.1:" + networkPort;
        Catalog catalog = new Catalog("RegionOne", List.of(new Catalog.Service("identity", "keystone", identityUrl + "/v3"),
                new Catalog.Service("network", "neutron", networkUrl)));
        Identity identityService = new Identity(database.database(), new Identity.Settings(identityUrl, Duration.ofHours(1),
                4, catalog, Map.of()), clock);
        this.adminCredentials = identityService.bootstrap().orElseThrow();
        var credentials = adminCredentials;
        this.identityServer = new ApiServer(new ApiServer.Settings("identity", "127.0.0.1", identityPort, 1 << 20),
                identityService.errors(), identityService.tokens(), identityService::register).start();
        // Every host binds with linuxbridge, except "routed-host", an L3 backend, and "mixed-host", which tries routed first.
        Networking networking = new Networking(database.database(), new Networking.Settings(networkUrl,
                Networking.Settings.NEUTRON_BASE_MAC, 1500, Map.of("routed-host", List.of("routed"),
                "mixed-host", List.of("routed", "linuxbridge")), Networking.Settings.DEFAULT_DRIVERS, Map.of(),
                dev.portside.network.firewall.FilterSettings.DEFAULTS, segments), clock);
        this.networkServer = new ApiServer(new ApiServer.Settings("network", "127.0.0.1", networkPort, 1 << 20),
                networking.errors(), identityService.tokens(), networking::register).start();
        this.identity = new Http(identityUrl);
        this.identityUrl = identityUrl;
        this.http = new Http(networkUrl);
        Keystone keystone = new Keystone(identity);
        this.admin = keystone.token(credentials.userName(), credentials.password(), credentials.projectName());
        this.alpha = keystone.member(admin, "alpha");
        this.beta = keystone.member(admin, "beta");
    }

    /** POSTs {"kind": body} and returns the created resource; fails the test on anything but 201. */
    public JsonNode create(String token, String kind, String attributes) {
        Http.Reply reply = http.post("/v2.0/" + kind + "s", token, "{\"" + kind + "\": {" + attributes + "}}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().get(kind);
    }

    public String network(String token, String name) {
        return create(token, "network", "\"name\": \"" + name + "\"").get("id").asText();
    }

    public String subnet(String token, String networkId, String cidr) {
        int version = cidr.contains(":") ? 6 : 4;
        return create(token, "subnet", "\"network_id\": \"" + networkId + "\", \"ip_version\": " + version
                + ", \"cidr\": \"" + cidr + "\"").get("id").asText();
    }

    public static void assertNeutronError(Http.Reply reply, int status, String type) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.json().at("/NeutronError/type").asText()).as(reply.toString()).isEqualTo(type);
        assertThat(reply.json().at("/NeutronError/message").asText()).isNotBlank();
        assertThat(reply.json().at("/NeutronError").has("detail")).isTrue();
    }

    @Override
    public void close() {
        networkServer.close();
        identityServer.close();
        database.close();
    }
}
