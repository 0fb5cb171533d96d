package dev.portside.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.http.ApiException;
import dev.portside.common.http.Requests;
import dev.portside.common.json.Json;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /v1/port-counters}: what each port the caller may see carried and dropped, read from
 * the dataplane now. Which ports those are, the network API says, asked with the caller's own token
 * (and {@code project_id}, as an admin narrows a listing): the counters show no port that
 * {@code openstack port list} would not.
 */
final class CountersApi {
    private final ApiProxy api;
    private final PortCounters counters;
    private final Clock clock;

    /** {@code api}: how the ports the caller sees are asked of the network service. */
    CountersApi(ApiProxy api, PortCounters counters, Clock clock) {
        this.api = api;
        this.counters = counters;
        this.clock = clock;
    }

    void register(Javalin app) {
        app.get("/v1/port-counters", this::list);
    }

    private void list(Context ctx) throws IOException, InterruptedException {
        List<String> visible = visiblePorts(ctx.header("X-Auth-Token"), Optional.ofNullable(ctx.queryParam("project_id")));
        Map<String, PortCounters.Traffic> read = counters.read(visible);
        ObjectNode body = Json.object();
        body.put("time", clock.instant().toString());
        ArrayNode ports = body.putArray("port_counters");
        for (String id : visible) {
            PortCounters.Traffic traffic = read.get(id);
            if (traffic == null) {
                continue;
            }
            ObjectNode port = ports.addObject().put("port_id", id);
            flow(port.putObject("ingress"), traffic.ingress());
            flow(port.putObject("egress"), traffic.egress());
            ObjectNode dropped = port.putObject("dropped");
            traffic.dropped().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> dropped.put(e.getKey(), e.getValue()));
        }
        Requests.respond(ctx, 200, body);
    }

    private List<String> visiblePorts(String token, Optional<String> project) throws IOException, InterruptedException {
        String query = "?fields=id" + project.map(p -> "&project_id=" + URLEncoder.encode(p, StandardCharsets.UTF_8))
                .orElse("");
        HttpResponse<byte[]> response = api.get("network", "v2.0/ports" + query, token);
        if (response.statusCode() != 200) {
            throw new ApiException(response.statusCode() >= 500 ? 502 : response.statusCode(), "PortListRefused",
                    "The network service refused the port listing (" + response.statusCode() + ").");
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode port : Json.MAPPER.readTree(response.body()).path("ports")) {
            ids.add(port.path("id").asText());
        }
        return ids;
    }

    private static void flow(ObjectNode node, PortCounters.Flow flow) {
        node.put("packets", flow.packets()).put("bytes", flow.bytes());
    }
}
