package dev.portside.common.http;

import dev.portside.common.auth.AuthContext;
import dev.portside.common.json.Fields;
import dev.portside.common.json.Json;
import dev.portside.common.testing.Http;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What every service's server does for every request, whatever its routes. */
class ApiServerTest {
    static final ErrorFormat FORMAT = error -> {
        var body = Json.object();
        body.putObject("fault").put("status", error.status()).put("type", error.type()).put("message", error.getMessage());
        return body;
    };

    ApiServer server;
    Http http;

    @BeforeEach
    void start() {
        int port = Http.freePort();
        AuthContext alice = new AuthContext("alice", "alice", "default", Optional.empty(), Optional.empty(), Set.of(),
                List.of("password"), Instant.now().plusSeconds(60), List.of("a"));
        server = new ApiServer(new ApiServer.Settings("test", "127.0.0.1", port, 1000), FORMAT,
                token -> token.equals("good") ? Optional.of(alice) : Optional.empty(), app -> {
            app.get("/open", ctx -> ctx.result("open"), Access.PUBLIC);
            app.get("/closed", ctx -> ctx.result("hello " + Requests.auth(ctx).userId()));
            app.post("/echo", ctx -> Requests.respond(ctx, 201,
                    Json.object().put("name", Fields.wrapped(Requests.jsonBody(ctx), "thing", Set.of("name"))
                            .requiredString("name", 10))), Access.PUBLIC);
            app.get("/bug", ctx -> {
                throw new IllegalStateException("secret internals");
            }, Access.PUBLIC);
        }).start();
        http = new Http("http://127.0.0.1:" + port);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void everyResponseCarriesARequestId() {
        assertThat(http.get("/open", null).header(ApiServer.REQUEST_ID_HEADER)).hasValueSatisfying(id ->
                assertThat(id).matches("req-[0-9a-f-]{36}"));
        assertThat(http.get("/nowhere", null).header(ApiServer.REQUEST_ID_HEADER)).isPresent();
    }

    @Test
    void routesNeedAValidTokenUnlessPublic() {
        assertThat(http.get("/open", null).status()).isEqualTo(200);
        Http.Reply refused = http.get("/closed", "bad");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().at("/fault/status").asInt()).isEqualTo(401);
        assertThat(refused.header("WWW-Authenticate")).isPresent();
        assertThat(http.get("/closed", "good").text()).isEqualTo("hello alice");
    }

    @Test
    void unknownPathsAndMethodsAreAnsweredInTheServicesFormat() {
        Http.Reply missing = http.get("/nowhere", "good");
        Http.Reply wrongMethod = http.send("DELETE", "/open", "good", null);

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().at("/fault/status").asInt()).isEqualTo(404);
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.json().at("/fault/status").asInt()).isEqualTo(405);
    }

    @Test
    void anOversizedBodyIsRefusedWith413() {
        Http.Reply reply = http.post("/echo", null, "{\"thing\": {\"name\": \"" + "x".repeat(2000) + "\"}}");

        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.json().at("/fault/status").asInt()).isEqualTo(413);
    }

    @Test
    void aBugIsA500ThatRevealsNothingInternal() {
        Http.Reply reply = http.get("/bug", null);

        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.text()).doesNotContain("secret internals").doesNotContain("IllegalStateException");
        assertThat(reply.json().at("/fault/status").asInt()).isEqualTo(500);
    }

    @Test
    void validationErrorsNameTheFieldAndNeverTheParser() {
        assertThat(http.post("/echo", null, "{\"thing\": {\"name\": \"ok\"}}").status()).isEqualTo(201);
        assertThat(http.post("/echo", null, "{\"thing\": {\"name\": \"far too long\"}}").json().at("/fault/message")
                .asText()).contains("thing/name").contains("too long");
        assertThat(http.post("/echo", null, "{\"thing\": {\"nam\": \"x\"}}").json().at("/fault/message").asText())
                .contains("'nam' was unexpected");
        assertThat(http.post("/echo", null, "{\"thing\": ").json().at("/fault/message").asText())
                .startsWith("Malformed JSON");
    }

    @Test
    void aPortInUseFailsStartWithABindError() {
        assertThatThrownBy(() -> new ApiServer(new ApiServer.Settings("again", "127.0.0.1", server.port(), 1000), FORMAT,
                token -> Optional.empty(), app -> { }).start())
                .hasMessageContaining("Port already in use");
    }
}
