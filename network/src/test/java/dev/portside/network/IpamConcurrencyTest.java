package dev.portside.network;

import dev.portside.common.testing.Http;
import dev.portside.common.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Many clients allocating from one /24 at once: never a duplicate, never more than the pool. */
@ParameterizedClass(name = "on {0}")
@MethodSource("dev.portside.common.testing.TestDatabase#configured")
class IpamConcurrencyTest {
    @Parameter
    TestDatabase kind;
    NetworkServer neutron;

    @BeforeEach
    void start() {
        neutron = new NetworkServer(kind);
    }

    @AfterEach
    void stop() {
        neutron.close();
    }

    @Test
    void sixteenClientsExhaustA24WithDistinctAddressesAndThenGetIpAddressGenerationFailure() throws Exception {
        String net = neutron.network(neutron.alpha, "busy");
        neutron.subnet(neutron.alpha, net, "10.0.0.0/24");
        String body = "{\"port\": {\"network_id\": \"" + net + "\"}}";
        List<Callable<List<Http.Reply>>> clients = new ArrayList<>();
        for (int c = 0; c < 16; c++) {
            clients.add(() -> {
                List<Http.Reply> replies = new ArrayList<>();
                for (int i = 0; i < 18; i++) {
                    replies.add(neutron.http.post("/v2.0/ports", neutron.alpha, body));
                }
                return replies;
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Http.Reply> replies = Collections.synchronizedList(new ArrayList<>());
        for (Future<List<Http.Reply>> client : pool.invokeAll(clients)) {
            replies.addAll(client.get());
        }
        pool.shutdown();

        List<String> addresses = replies.stream().filter(r -> r.status() == 201)
                .map(r -> r.json().at("/port/fixed_ips/0/ip_address").asText()).toList();
        List<Http.Reply> refused = replies.stream().filter(r -> r.status() != 201).toList();
        assertThat(replies).hasSize(16 * 18);
        assertThat(addresses).hasSize(253);
        assertThat(new HashSet<>(addresses)).hasSize(253);
        assertThat(refused).allSatisfy(r -> {
            assertThat(r.status()).as(r.toString()).isEqualTo(409);
            assertThat(r.json().at("/NeutronError/type").asText()).isEqualTo("IpAddressGenerationFailure");
        });
        neutron.database.database().jdbi().useHandle(h -> {
            assertThat(h.createQuery("SELECT COUNT(*) FROM network_ip_allocation").mapTo(Long.class).one()).isEqualTo(253);
            assertThat(h.createQuery("SELECT COUNT(*) FROM network_port").mapTo(Long.class).one()).isEqualTo(253);
            assertThat(h.createQuery("SELECT COUNT(*) FROM network_free_range").mapTo(Long.class).one()).isZero();
        });
    }
}
