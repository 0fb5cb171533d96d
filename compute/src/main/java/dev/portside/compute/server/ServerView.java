package dev.portside.compute.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.json.Json;
import dev.portside.compute.Microversion;
import dev.portside.compute.network.NetworkPort;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** A server as Nova shows it at a microversion, with the host attributes admins see. */
record ServerView(String baseUrl, Microversion version, boolean admin) {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter LAUNCHED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS")
            .withZone(ZoneOffset.UTC);

    ObjectNode brief(Server s) {
        ObjectNode json = Json.object().put("id", s.id()).put("name", s.name());
        json.set("links", links("servers", s.id()));
        return json;
    }

    /**
     * What a detailed view shows beside the server's own row: its ports, the names of their security
     * groups (none: the key is left out, as in Nova) and its tags.
     */
    record Related(List<ServerVif> vifs, List<String> securityGroups, List<String> tags,
                   Optional<List<String>> serverGroups) {
        static final Related NONE = new Related(List.of(), List.of(), List.of(), Optional.empty());

        Related {
            vifs = List.copyOf(vifs);
            securityGroups = List.copyOf(securityGroups);
            tags = List.copyOf(tags);
            serverGroups = serverGroups.map(List::copyOf);
        }

        /** With the server's groups, which one server's view shows from 2.71 (a list's does not). */
        Related withServerGroups(List<String> groups) {
            return new Related(vifs, securityGroups, tags, Optional.of(groups));
        }
    }

    ObjectNode detail(Server s, Related related) {
        List<ServerVif> vifs = related.vifs();
        List<String> securityGroups = related.securityGroups();
        ObjectNode json = brief(s);
        json.put("status", s.status())
                .put("tenant_id", s.projectId())
                .put("user_id", s.userId())
                .put("hostId", hostId(s))
                .put("created", TIME.format(s.createdAt()))
                .put("updated", TIME.format(s.updatedAt()))
                .put("accessIPv4", s.accessIps().v4().orElse(""))
                .put("accessIPv6", s.accessIps().v6().orElse(""))
                .put("OS-DCF:diskConfig", s.diskConfig())
                .put("OS-EXT-AZ:availability_zone", s.host().isPresent() ? "nova" : "")
                .put("config_drive", "")
                .put("key_name", s.keyName().orElse(null))
                .put("OS-SRV-USG:launched_at", s.launchedAt().map(LAUNCHED::format).orElse(null))
                .putNull("OS-SRV-USG:terminated_at")
                .put("OS-EXT-STS:task_state", s.taskState().orElse(null))
                .put("OS-EXT-STS:vm_state", s.vmState())
                .put("OS-EXT-STS:power_state", s.powerState());
        if (s.status().equals("BUILD") || s.status().equals("ACTIVE")) {
            json.put("progress", s.status().equals("ACTIVE") ? 100 : 0);
        }
        json.set("metadata", Json.MAPPER.valueToTree(s.metadata()));
        ObjectNode image = json.putObject("image").put("id", s.imageId());
        image.set("links", bookmark("images", s.imageId()));
        json.set("flavor", flavor(s.flavor()));
        json.set("addresses", addresses(vifs));
        json.putArray("os-extended-volumes:volumes_attached");
        if (!securityGroups.isEmpty()) {
            ArrayNode groups = json.putArray("security_groups");
            securityGroups.forEach(name -> groups.addObject().put("name", name));
        }
        s.fault().filter(f -> s.vmState().equals(Server.ERROR)).ifPresent(f -> {
            ObjectNode fault = json.putObject("fault").put("code", f.code()).put("message", f.message())
                    .put("created", TIME.format(f.created()));
            if (admin || f.code() != 500) {
                fault.put("details", f.details());
            }
        });
        if (admin) {
            json.put("OS-EXT-SRV-ATTR:host", s.host().orElse(null))
                    .put("OS-EXT-SRV-ATTR:hypervisor_hostname", s.host().orElse(null))
                    .put("OS-EXT-SRV-ATTR:instance_name", s.instanceName());
            if (version.atLeast(3)) {
                json.put("OS-EXT-SRV-ATTR:reservation_id", s.reservationId())
                        .put("OS-EXT-SRV-ATTR:launch_index", 0)
                        .put("OS-EXT-SRV-ATTR:hostname", hostname(s.name()))
                        .put("OS-EXT-SRV-ATTR:kernel_id", "")
                        .put("OS-EXT-SRV-ATTR:ramdisk_id", "")
                        .put("OS-EXT-SRV-ATTR:root_device_name", "/dev/vda")
                        .put("OS-EXT-SRV-ATTR:user_data", s.userData().orElse(null));
            }
            if (version.atLeast(16)) {
                json.put("host_status", s.host().isPresent() ? "UP" : "");
            }
        }
        if (version.atLeast(9)) {
            json.put("locked", s.locked());
        }
        if (version.atLeast(19)) {
            json.put("description", s.description().orElse(null));
        }
        if (version.atLeast(26)) {
            ArrayNode tags = json.putArray("tags");
            related.tags().forEach(tags::add);
        }
        // Portside verifies no image signatures, so no server has trusted certificates (create refuses them).
        if (version.atLeast(63)) {
            json.putNull("trusted_image_certificates");
        }
        if (version.atLeast(71)) {
            related.serverGroups().ifPresent(ids -> {
                ArrayNode groups = json.putArray("server_groups");
                ids.forEach(groups::add);
            });
        }
        if (version.atLeast(73)) {
            json.put("locked_reason", s.lock().flatMap(Server.Lock::reason).orElse(null));
        }
        return json;
    }

    /**
     * The view PUT /servers/{id} and rebuild answer with: before 2.75, Nova leaves out the extended
     * attributes (availability zone, states, usage, config drive, key, volumes, security groups,
     * host attributes) and the addresses' type and MAC; from 2.75 it is the full view.
     */
    ObjectNode changed(Server s, Related related) {
        ObjectNode json = detail(s, related);
        if (version.atLeast(75)) {
            return json;
        }
        List<String> extended = new java.util.ArrayList<>();
        json.fieldNames().forEachRemaining(name -> {
            if (name.startsWith("OS-EXT-") || name.startsWith("OS-SRV-USG:") || List.of("config_drive", "key_name",
                    "os-extended-volumes:volumes_attached", "security_groups", "host_status").contains(name)) {
                extended.add(name);
            }
        });
        json.remove(extended);
        json.get("addresses").forEach(list -> list.forEach(address -> ((ObjectNode) address)
                .remove(List.of("OS-EXT-IPS:type", "OS-EXT-IPS-MAC:mac_addr"))));
        return json;
    }

    /**
     * The server's flavor: before 2.47 a link to the flavor; from 2.47 the server's own copy of it
     * (Nova's embedded flavor), which outlives the flavor. Portside's flavors have no extra specs.
     */
    private ObjectNode flavor(Server.Sizing f) {
        ObjectNode flavor = Json.object();
        if (!version.atLeast(47)) {
            flavor.put("id", f.flavorId()).set("links", bookmark("flavors", f.flavorId()));
            return flavor;
        }
        flavor.put("vcpus", f.vcpus()).put("ram", f.memoryMb()).put("disk", f.rootGb())
                .put("ephemeral", f.ephemeralGb()).put("swap", f.swapMb()).put("original_name", f.name());
        flavor.putObject("extra_specs");
        return flavor;
    }

    /** {"net1": [{"version", "addr", "OS-EXT-IPS:type", "OS-EXT-IPS-MAC:mac_addr"}]}; an unaddressed port's network is listed empty. */
    static ObjectNode addresses(List<ServerVif> vifs) {
        ObjectNode addresses = Json.object();
        for (ServerVif vif : vifs) {
            ArrayNode list = addresses.has(vif.networkLabel()) ? (ArrayNode) addresses.get(vif.networkLabel())
                    : addresses.putArray(vif.networkLabel());
            for (NetworkPort.FixedIp ip : vif.fixedIps()) {
                list.addObject().put("version", ip.version()).put("addr", ip.ipAddress())
                        .put("OS-EXT-IPS:type", "fixed").put("OS-EXT-IPS-MAC:mac_addr", vif.macAddress());
            }
        }
        return addresses;
    }

    ArrayNode links(String collection, String id) {
        ArrayNode links = Json.array();
        links.addObject().put("rel", "self").put("href", baseUrl + "/v2.1/" + collection + "/" + id);
        links.addObject().put("rel", "bookmark").put("href", baseUrl + "/" + collection + "/" + id);
        return links;
    }

    private ArrayNode bookmark(String collection, String id) {
        ArrayNode links = Json.array();
        links.addObject().put("rel", "bookmark").put("href", baseUrl + "/" + collection + "/" + id);
        return links;
    }

    // Nova's hostId: an opaque per-project hash of the host, so users can tell co-located servers apart.
    private static String hostId(Server s) {
        Optional<String> host = s.host();
        if (host.isEmpty()) {
            return "";
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-224").digest((s.projectId() + host.get())
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-224", e);
        }
    }

    /** The hostname Nova derives from a server's name (OS-EXT-SRV-ATTR:hostname), and its instance gets. */
    static String hostname(String name) {
        String hostname = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9.-]+", "-")
                .replaceAll("^[.-]+|[.-]+$", "");
        return hostname.isEmpty() ? "server" : hostname.substring(0, Math.min(63, hostname.length()));
    }
}
