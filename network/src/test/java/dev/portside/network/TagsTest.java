package dev.portside.network;

import dev.portside.common.testing.Http;
import dev.portside.common.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.portside.network.NetworkServer.assertNeutronError;
import static org.assertj.core.api.Assertions.assertThat;

@ParameterizedClass(name = "on {0}")
@MethodSource("dev.portside.common.testing.TestDatabase#configured")
class TagsTest {
    @Parameter
    TestDatabase kind;
    NetworkServer neutron;
    Http http;
    String net;

    @BeforeEach
    void start() {
        neutron = new NetworkServer(kind);
        http = neutron.http;
        net = neutron.network(neutron.alpha, "net");
    }

    @AfterEach
    void stop() {
        neutron.close();
    }

    @Test
    void anUpdateAnswersWithTheResourcesTags() {
        neutron.subnet(neutron.alpha, net, "10.0.0.0/24");
        String subnet = http.get("/v2.0/subnets", neutron.alpha).json().at("/subnets/0/id").asText();
        String port = neutron.create(neutron.alpha, "port", "\"network_id\": \"" + net + "\"").get("id").asText();
        String group = http.post("/v2.0/security-groups", neutron.alpha, "{\"security_group\": {\"name\": \"web\"}}")
                .json().at("/security_group/id").asText();
        java.util.Map<String, String> resources = java.util.Map.of("networks", net, "subnets", subnet, "ports", port,
                "security-groups", group);

        resources.forEach((collection, id) -> {
            assertThat(http.send("PUT", "/v2.0/" + collection + "/" + id + "/tags/red", neutron.alpha, null).status())
                    .isEqualTo(201);
            String member = collection.equals("security-groups") ? "security_group" : collection.substring(0,
                    collection.length() - 1);
            Http.Reply updated = http.send("PUT", "/v2.0/" + collection + "/" + id, neutron.alpha, "{\"" + member
                    + "\": {\"description\": \"changed\"}}");

            assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
            assertThat(updated.json().at("/" + member + "/tags").toString()).as(collection).isEqualTo("[\"red\"]");
            assertThat(updated.json().at("/" + member + "/description").asText()).isEqualTo("changed");
        });
    }

    @Test
    void tagsAreAddedCheckedListedReplacedAndRemoved() {
        String tags = "/v2.0/networks/" + net + "/tags";

        assertThat(http.send("PUT", tags + "/red", neutron.alpha, null).status()).isEqualTo(201);
        assertThat(http.send("PUT", tags + "/red", neutron.alpha, null).status()).isEqualTo(201);
        assertThat(http.send("PUT", tags + "/blue", neutron.alpha, null).status()).isEqualTo(201);
        assertThat(http.get(tags + "/red", neutron.alpha).status()).isEqualTo(204);
        assertNeutronError(http.get(tags + "/green", neutron.alpha), 404, "TagNotFound");
        assertThat(http.get(tags, neutron.alpha).json().get("tags").toString()).isEqualTo("[\"blue\",\"red\"]");
        assertThat(http.get("/v2.0/networks/" + net, neutron.alpha).json().at("/network/tags").toString())
                .isEqualTo("[\"blue\",\"red\"]");

        Http.Reply replaced = http.send("PUT", tags, neutron.alpha, "{\"tags\": [\"a\", \"b\"]}");
        assertThat(replaced.json().get("tags").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(http.send("DELETE", tags + "/a", neutron.alpha, null).status()).isEqualTo(204);
        assertThat(http.send("DELETE", tags, neutron.alpha, null).status()).isEqualTo(204);
        assertThat(http.get(tags, neutron.alpha).json().get("tags")).isEmpty();
    }

    @Test
    void listsFilterByTagsAllAnyAndNot() {
        String other = neutron.network(neutron.alpha, "other");
        http.send("PUT", "/v2.0/networks/" + net + "/tags", neutron.alpha, "{\"tags\": [\"red\", \"blue\"]}");
        http.send("PUT", "/v2.0/networks/" + other + "/tags", neutron.alpha, "{\"tags\": [\"red\"]}");

        assertThat(names("tags=red,blue")).containsExactly("net");
        assertThat(names("tags-any=blue,green")).containsExactly("net");
        assertThat(names("tags=red")).containsExactlyInAnyOrder("net", "other");
        assertThat(names("not-tags=blue")).containsExactly("other");
        assertThat(names("not-tags-any=red")).isEmpty();
    }

    @Test
    void portsSubnetsAndGroupsAreTaggableToo() {
        String subnet = neutron.subnet(neutron.alpha, net, "10.0.0.0/24");
        String port = neutron.create(neutron.alpha, "port", "\"network_id\": \"" + net + "\"").get("id").asText();

        for (String path : new String[] {"/v2.0/subnets/" + subnet, "/v2.0/ports/" + port}) {
            assertThat(http.send("PUT", path + "/tags/x", neutron.alpha, null).status()).isEqualTo(201);
            assertThat(http.get(path, neutron.alpha).json().findValue("tags").toString()).isEqualTo("[\"x\"]");
        }
    }

    @Test
    void anotherProjectCannotSeeOrTagAProjectsResources() {
        assertNeutronError(http.send("PUT", "/v2.0/networks/" + net + "/tags/mine", neutron.beta, null), 404, "NetworkNotFound");
        assertNeutronError(http.get("/v2.0/networks/" + net + "/tags", neutron.beta), 404, "NetworkNotFound");
        String shared = neutron.create(neutron.admin, "network", "\"name\": \"pub\", \"shared\": true").get("id").asText();
        assertNeutronError(http.send("PUT", "/v2.0/networks/" + shared + "/tags/mine", neutron.beta, null), 403,
                "PolicyNotAuthorized");
    }

    java.util.List<String> names(String query) {
        return http.get("/v2.0/networks?" + query, neutron.alpha).json().get("networks").findValuesAsText("name");
    }
}
