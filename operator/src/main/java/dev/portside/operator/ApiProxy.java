package dev.portside.operator;

import dev.portside.common.http.Access;
import dev.portside.common.http.ApiException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The page's way to the public APIs: {@code /api/{service}/...} is passed on, token and all, to
 * that service's endpoint, so the page reads exactly what the API shows its user and needs no
 * cross-origin access to the services' own ports. Read only, but for issuing and revoking the
 * page's own token: the operator's port is not a second way to change the cloud.
 */
final class ApiProxy {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> REQUEST_HEADERS = List.of("X-Auth-Token", "X-Subject-Token", "Content-Type",
            "Accept", "OpenStack-API-Version", "X-OpenStack-Nova-API-Version");
    private static final List<String> RESPONSE_HEADERS = List.of("Content-Type", "X-Subject-Token",
            "OpenStack-API-Version");
    private static final String TOKENS = "v3/auth/tokens";

    private final Map<String, URI> services;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    /** {@code services}: each service's endpoint by its catalog type (identity, network, compute). */
    ApiProxy(Map<String, URI> services) {
        this.services = Map.copyOf(services);
    }

    void register(Javalin app) {
        app.get("/api/{service}/<path>", this::forward, Access.PUBLIC);
        app.post("/api/identity/" + TOKENS, ctx -> forward(ctx, "identity", TOKENS), Access.PUBLIC);
        app.delete("/api/identity/" + TOKENS, ctx -> forward(ctx, "identity", TOKENS), Access.PUBLIC);
    }

    private void forward(Context ctx) throws IOException, InterruptedException {
        String service = ctx.pathParam("service");
        // The path as the client encoded it, passed on as it came (the decoded one may not be a URI).
        String prefix = "/api/" + service + "/";
        int start = ctx.path().indexOf(prefix);
        if (start < 0) {
            throw new ApiException(404, "NotFound", "The resource could not be found.");
        }
        forward(ctx, service, ctx.path().substring(start + prefix.length()));
    }

    private void forward(Context ctx, String service, String path) throws IOException, InterruptedException {
        String query = ctx.queryString() == null ? "" : "?" + ctx.queryString();
        HttpRequest.Builder request = request(service, path + query);
        for (String header : REQUEST_HEADERS) {
            String value = ctx.header(header);
            if (value != null) {
                request.header(header, value);
            }
        }
        request.method(ctx.method().name(), ctx.method() == HandlerType.POST
                ? HttpRequest.BodyPublishers.ofByteArray(ctx.bodyAsBytes()) : HttpRequest.BodyPublishers.noBody());
        HttpResponse<byte[]> response = send(service, request);
        ctx.status(response.statusCode());
        for (String header : RESPONSE_HEADERS) {
            response.headers().firstValue(header).ifPresent(value -> ctx.header(header, value));
        }
        ctx.result(response.body());
    }

    /** {@code GET} of {@code pathAndQuery} from {@code service}, as the holder of {@code token} asks it. */
    HttpResponse<byte[]> get(String service, String pathAndQuery, String token) throws IOException, InterruptedException {
        return send(service, request(service, pathAndQuery).header("X-Auth-Token", token).GET());
    }

    private HttpRequest.Builder request(String service, String pathAndQuery) {
        URI endpoint = services.get(service);
        if (endpoint == null) {
            throw new ApiException(404, "NotFound", "No service " + service + " is served here.");
        }
        try {
            return HttpRequest.newBuilder(URI.create(stripSlash(endpoint.toString()) + "/" + pathAndQuery)).timeout(TIMEOUT);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "BadRequest", "The path or query is not a valid URI: " + e.getMessage());
        }
    }

    private HttpResponse<byte[]> send(String service, HttpRequest.Builder request) throws IOException, InterruptedException {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new ApiException(502, "BadGateway", "The " + service + " service does not answer: " + e.getMessage());
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
