package dev.portside.identity.catalog;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.json.Json;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * The service catalog: the services this Portside serves, each reachable at one URL that is listed
 * under the public, internal and admin interfaces of one region.
 */
public record Catalog(String region, List<Service> services) {
    private static final List<String> INTERFACES = List.of("public", "internal", "admin");

    /** A catalog entry, e.g. type "network", name "neutron", url "http://127.0.0.1:9696". */
    public record Service(String type, String name, String url) {
    }

    public Catalog {
        services = List.copyOf(services);
    }

    /** The catalog as Keystone puts it in a token and in {@code GET /v3/auth/catalog}. */
    public ArrayNode render() {
        ArrayNode catalog = Json.array();
        for (Service service : services) {
            ObjectNode entry = catalog.addObject();
            ArrayNode endpoints = entry.putArray("endpoints");
            for (String anInterface : INTERFACES) {
                endpoints.addObject()
                        .put("id", stableId(service.type() + "/" + anInterface))
                        .put("interface", anInterface)
                        .put("region", region)
                        .put("region_id", region)
                        .put("url", service.url());
            }
            entry.put("id", stableId(service.type()));
            entry.put("type", service.type());
            entry.put("name", service.name());
        }
        return catalog;
    }

    /** The id a service has in the catalog and in {@code /v3/services}. */
    public static String id(Service service) {
        return stableId(service.type());
    }

    // Endpoints are configuration, not rows: ids derived from what they name stay the same across restarts.
    private static String stableId(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
    }
}
