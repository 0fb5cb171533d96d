package dev.portside.app;

import picocli.CommandLine.Command;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code portside train}: starts a throwaway Portside on a free port, sends it the requests a new
 * user sends, and stops. The launcher runs it once per build under {@code -XX:AOTCacheOutput}, so
 * the JVM records what start-up loads and links; {@code serve} then starts in about half the time.
 */
@Command(name = "train", hidden = true, description = "Exercise a throwaway Portside to record a JVM start-up cache.")
final class TrainCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("portside-train");
        // The fake driver: recording start-up must not touch the host (nor probe KVM).
        Path config = Files.writeString(dir.resolve("portside.yaml"), "compute_driver: fake\n");
        Settings settings = Settings.resolve(Settings.File.read(config), new Settings.Flags(Optional.of(dir), Optional.empty(),
                Optional.empty(), Optional.of(freePort()), Optional.of(freePort()), Optional.of(freePort()),
                Optional.of(freePort()), Optional.of(freePort()), false));
        try (Portside portside = Portside.start(settings, Clock.systemUTC())) {
            String password = Files.readAllLines(portside.openrc()).stream().filter(l -> l.contains("OS_PASSWORD="))
                    .map(l -> l.substring(l.indexOf('=') + 1).replace("'", "")).findFirst().orElseThrow();
            HttpClient http = HttpClient.newHttpClient();
            String base = settings.identityUrl();
            send(http, "GET", base + "/", null, null);
            send(http, "GET", base + "/v3", null, null);
            HttpResponse<String> issued = send(http, "POST", base + "/v3/auth/tokens", null, """
                    {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "admin",
                      "domain": {"name": "Default"}, "password": "%s"}}},
                      "scope": {"project": {"name": "admin", "domain": {"name": "Default"}}}}}""".formatted(password));
            String token = issued.headers().firstValue("X-Subject-Token").orElseThrow();
            send(http, "GET", base + "/v3/auth/catalog", token, null);
            send(http, "GET", base + "/v3/projects?name=admin", token, null);
            send(http, "POST", base + "/v3/projects", token, "{\"project\": {\"name\": \"train\"}}");
            send(http, "POST", base + "/v3/projects", token, "{\"project\": {\"name\": 1}}");
            send(http, "GET", base + "/v3/users?name=admin", token, null);
            send(http, "GET", base + "/v3/roles?name=member", token, null);
            send(http, "GET", base + "/v3/role_assignments?include_names=true", token, null);
            send(http, "GET", base + "/v3/nothing", token, null);
            String network = settings.networkUrl();
            HttpResponse<String> net = send(http, "POST", network + "/v2.0/networks", token, "{\"network\": {\"name\": \"train\"}}");
            String netId = dev.portside.common.json.Json.MAPPER.readTree(net.body()).at("/network/id").asText();
            send(http, "POST", network + "/v2.0/subnets", token, "{\"subnet\": {\"network_id\": \"" + netId
                    + "\", \"ip_version\": 4, \"cidr\": \"10.0.0.0/24\"}}");
            send(http, "POST", network + "/v2.0/ports", token, "{\"port\": {\"network_id\": \"" + netId + "\"}}");
            send(http, "POST", network + "/v2.0/ports", token, "{\"port\": {\"network_id\": \"" + netId
                    + "\", \"fixed_ips\": []}}");
            send(http, "GET", network + "/v2.0/ports?network_id=" + netId, token, null);
            send(http, "GET", network + "/v2.0/extensions", token, null);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        return 0;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static HttpResponse<String> send(HttpClient http, String method, String url, String token, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("X-Auth-Token", token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
