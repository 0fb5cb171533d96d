package dev.portside.network;

import dev.portside.common.db.Database;
import dev.portside.common.http.ErrorFormat;
import dev.portside.common.policy.Policy;
import dev.portside.network.ipam.Ipam;
import dev.portside.network.net.NetworkApi;
import dev.portside.network.net.NetworkStore;
import dev.portside.network.port.MacAddresses;
import dev.portside.network.port.PortApi;
import dev.portside.network.port.PortStore;
import dev.portside.network.subnet.SubnetApi;
import dev.portside.network.subnet.SubnetStore;
import io.javalin.Javalin;

import java.time.Clock;
import java.util.Map;

/** The network service, wired: its schema and its routes. */
public final class Networking {
    /** Where clients reach it, Neutron's base_mac, the MTU of new networks, and policy overrides. */
    public record Settings(String publicUrl, String baseMac, int defaultMtu, Map<String, String> policyOverrides) {
        public static final String NEUTRON_BASE_MAC = "fa:16:3e:00:00:00";
    }

    private final NetworkingApi api;

    public Networking(Database database, Settings settings, Clock clock) {
        database.migrate("network");
        var jdbi = database.jdbi();
        Policy policy = Policy.of(NetworkPolicy.DEFAULTS, settings.policyOverrides());
        NetworkStore networks = new NetworkStore();
        SubnetStore subnets = new SubnetStore();
        Ipam ipam = new Ipam();
        String url = settings.publicUrl();
        this.api = new NetworkingApi(
                new VersionApi(url),
                new NetworkApi(jdbi, networks, subnets, policy, clock, settings.defaultMtu(), url),
                new SubnetApi(jdbi, subnets, networks, ipam, policy, clock, url),
                new PortApi(jdbi, new PortStore(), networks, subnets, ipam, new MacAddresses(settings.baseMac()), policy,
                        clock, url));
    }

    public ErrorFormat errors() {
        return new NeutronErrors();
    }

    public void register(Javalin app) {
        api.register(app);
    }
}
