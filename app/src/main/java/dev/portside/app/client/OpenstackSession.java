package dev.portside.app.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.json.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** A token from Identity v3 (password, project scope) and one service's endpoint from its catalog. */
public final class OpenstackSession {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final String token;
    private final String endpoint;

    private OpenstackSession(HttpClient http, String token, String endpoint) {
        this.http = http;
        this.token = token;
        this.endpoint = endpoint;
    }

    static OpenstackSession login(CloudOptions cloud, String serviceType) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        ObjectNode body = Json.object();
        ObjectNode auth = body.putObject("auth");
        ObjectNode identity = auth.putObject("identity");
        identity.putArray("methods").add("password");
        identity.putObject("password").putObject("user").put("name", cloud.username).put("password", cloud.password)
                .putObject("domain").put("name", cloud.userDomainName);
        auth.putObject("scope").putObject("project").put("name", cloud.projectName)
                .putObject("domain").put("name", cloud.projectDomainName);
        String authUrl = cloud.authUrl.replaceAll("/+$", "");
        HttpResponse<String> issued = send(http, HttpRequest.newBuilder(URI.create(authUrl + "/auth/tokens"))
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))));
        JsonNode catalog = read(issued).at("/token/catalog");
        String token = issued.headers().firstValue("X-Subject-Token")
                .orElseThrow(() -> new ClientException("the identity service issued no token"));
        for (JsonNode service : catalog) {
            if (!service.path("type").asText().equals(serviceType)) {
                continue;
            }
            for (JsonNode endpoint : service.path("endpoints")) {
                boolean region = cloud.regionName == null || cloud.regionName.isBlank()
                        || cloud.regionName.equals(endpoint.path("region_id").asText(endpoint.path("region").asText()));
                if (region && endpoint.path("interface").asText().equals(cloud.endpointInterface)) {
                    return new OpenstackSession(http, token, endpoint.path("url").asText().replaceAll("/+$", ""));
                }
            }
        }
        throw new ClientException("no " + cloud.endpointInterface + " " + serviceType + " endpoint in the catalog");
    }

    public JsonNode get(String path) {
        return read(send(http, request(path).GET()));
    }

    public JsonNode put(String path, JsonNode body) {
        return read(send(http, request(path).PUT(HttpRequest.BodyPublishers.ofString(Json.write(body)))));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(endpoint + path)).header("X-Auth-Token", token);
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request) {
        HttpRequest built = request.timeout(TIMEOUT).header("Content-Type", "application/json")
                .header("Accept", "application/json").build();
        try {
            return http.send(built, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ClientException("cannot reach " + built.uri() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException("interrupted");
        }
    }

    // Errors carry the service's own message: Neutron's NeutronError, Keystone's error, Nova's fault.
    private static JsonNode read(HttpResponse<String> response) {
        JsonNode json = Json.object();
        try {
            if (!response.body().isBlank()) {
                json = Json.MAPPER.readTree(response.body());
            }
        } catch (IOException e) {
            if (response.statusCode() < 400) {
                throw new ClientException("not JSON from " + response.uri() + ": " + response.body());
            }
        }
        if (response.statusCode() >= 400) {
            JsonNode error = json;
            String message = Optional.ofNullable(error.at("/NeutronError/message").textValue())
                    .or(() -> Optional.ofNullable(error.at("/error/message").textValue()))
                    .orElse(response.body().strip());
            throw new ClientException(message + " (HTTP " + response.statusCode() + ")");
        }
        return json;
    }
}
