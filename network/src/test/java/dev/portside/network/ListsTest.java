package dev.portside.network;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portside.common.testing.Http;
import dev.portside.common.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.portside.network.NetworkServer.assertNeutronError;
import static org.assertj.core.api.Assertions.assertThat;

/** Neutron's list parameters on ports: filters, fields, sorting and pages. */
class ListsTest {
    NetworkServer neutron;
    String net;

    @BeforeEach
    void start() {
        neutron = new NetworkServer(TestDatabase.configured().getFirst());
        net = neutron.network(neutron.alpha, "net");
        neutron.subnet(neutron.alpha, net, "10.0.0.0/24");
        for (String name : List.of("c", "a", "b", "e", "d")) {
            neutron.create(neutron.alpha, "port", "\"network_id\": \"" + net + "\", \"name\": \"" + name + "\"");
        }
        neutron.create(neutron.alpha, "port", "\"network_id\": \"" + net + "\", \"name\": \"bare\", \"fixed_ips\": []");
    }

    @AfterEach
    void stop() {
        neutron.close();
    }

    JsonNode list(String query) {
        Http.Reply reply = neutron.http.get("/v2.0/ports?" + query, neutron.alpha);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    @Test
    void filtersMatchAttributesIncludingInsideFixedIps() {
        assertThat(list("name=b").get("ports").findValuesAsText("name")).containsExactly("b");
        assertThat(list("name=a&name=e").get("ports").findValuesAsText("name")).containsExactlyInAnyOrder("a", "e");
        assertThat(list("fixed_ips=ip_address=10.0.0.3").get("ports").findValuesAsText("name")).containsExactly("a");
        assertThat(list("ip_allocation=none").get("ports").findValuesAsText("name")).containsExactly("bare");
        assertThat(list("network_id=" + net).get("ports")).hasSize(6);
        assertNeutronError(neutron.http.get("/v2.0/ports?colour=red", neutron.alpha), 400, "InvalidInput");
    }

    @Test
    void aPartOfAnAddressMatchesThePortsHoldingItLiterally() {
        assertThat(list("fixed_ips=ip_address_substr=0.0.3").get("ports").findValuesAsText("name")).containsExactly("a");
        assertThat(list("fixed_ips=ip_address_substr=10.0.0.").get("ports").findValuesAsText("name"))
                .containsExactlyInAnyOrder("a", "b", "c", "d", "e");
        assertThat(list("fixed_ips=ip_address_substr=0_0").get("ports")).as("_ is no wildcard").isEmpty();
        assertThat(list("fixed_ips=ip_address_substr=%25").get("ports")).as("nor is %").isEmpty();
        assertThat(list("fixed_ips=ip_address_substr=10.0&fixed_ips=ip_address=10.0.0.4").get("ports")
                .findValuesAsText("name")).hasSize(5);
    }

    @Test
    void fieldsTrimEachResource() {
        JsonNode port = list("fields=id&fields=name&name=a").at("/ports/0");

        assertThat(port.size()).isEqualTo(2);
        assertThat(port.has("id")).isTrue();
        assertThat(port.get("name").asText()).isEqualTo("a");
    }

    @Test
    void sortingAndPagingWalkThePortsInOrder() {
        assertThat(list("sort_key=name&sort_dir=desc").get("ports").findValuesAsText("name"))
                .containsExactly("e", "d", "c", "bare", "b", "a");

        JsonNode first = list("sort_key=name&sort_dir=asc&limit=4");
        assertThat(first.get("ports").findValuesAsText("name")).containsExactly("a", "b", "bare", "c");
        String next = first.at("/ports_links/0/href").asText();
        assertThat(first.at("/ports_links/0/rel").asText()).isEqualTo("next");
        String marker = next.substring(next.indexOf("marker=") + 7);

        JsonNode second = list("sort_key=name&sort_dir=asc&limit=4&marker=" + marker);
        assertThat(second.get("ports").findValuesAsText("name")).containsExactly("d", "e");
        assertThat(second.get("ports_links").findValuesAsText("rel")).containsExactly("previous");
    }
}
