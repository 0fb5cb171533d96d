package dev.portside.compute.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.json.Fields;
import dev.portside.common.json.Json;
import dev.portside.compute.Microversion;
import dev.portside.compute.NovaErrors;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A {@code POST /servers} body, read strictly as Nova's request schema at the negotiated
 * microversion: unknown attributes, wrong types and bad values are 400s that name the field.
 */
record ServerRequest(String name, Optional<String> description, String imageRef, String flavorRef,
                     Optional<String> keyName, Networks networks, List<String> securityGroups,
                     Server.AccessIps accessIps, Optional<String> userData,
                     Map<String, String> metadata, Optional<String> availabilityZone, int minCount, int maxCount,
                     Optional<String> group, Optional<String> adminPass, Optional<String> diskConfig,
                     boolean returnReservationId, Set<String> tags, Optional<String> host) {
    private static final Set<String> TOP = Set.of("server", "os:scheduler_hints", "OS-SCH-HNT:scheduler_hints");
    // The create body's fields that come and go with microversions: files to inject until 2.57, tags
    // from 2.52, trusted image certificates from 2.63, a host from 2.74.
    private static final List<Versioned> SERVER_VERSIONED = List.of(Versioned.since("description", 19),
            Versioned.until("personality", 57), Versioned.since("tags", 52),
            Versioned.since("trusted_image_certificates", 63), Versioned.since("host", 74),
            Versioned.since("hypervisor_hostname", 74));
    private static final Set<String> SERVER = Set.of("name", "imageRef", "flavorRef", "key_name", "networks",
            "user_data", "metadata", "availability_zone", "security_groups", "adminPass", "accessIPv4", "accessIPv6",
            "config_drive", "min_count", "max_count", "return_reservation_id", "OS-DCF:diskConfig",
            "block_device_mapping", "block_device_mapping_v2");
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}");
    private static final int MAX_USER_DATA = 65535;

    ServerRequest {
        securityGroups = List.copyOf(securityGroups);
        metadata = Map.copyOf(metadata);
        tags = Set.copyOf(tags);
    }

    /** The request's "networks": a list of entries, or (from 2.37) "auto" or "none". */
    record Networks(Kind kind, List<Server.RequestedNetwork> requested) {
        /** OMITTED: no "networks" before 2.37, which Nova treats as "auto" that may find nothing. */
        enum Kind { LIST, AUTO, NONE, OMITTED }
    }

    static ServerRequest read(ObjectNode body, Microversion version) {
        Set<String> allowed = Versioned.allowed(SERVER, SERVER_VERSIONED, version);
        Fields top = Fields.of(body, "", TOP);
        Fields server = top.requiredObject("server", allowed);
        String name = name(server.requiredString("name", 255));
        String imageRef = lastSegment(server.string("imageRef", 2048).orElse(""));
        if (imageRef.isEmpty()) {
            throw NovaErrors.badRequest("Invalid imageRef provided.");
        }
        String flavorRef = lastSegment(server.requiredString("flavorRef", 2048));
        if (server.node().has("block_device_mapping_v2") || server.node().has("block_device_mapping")) {
            throw NovaErrors.badRequest("Block device mappings are not supported: Portside has no volume service;"
                    + " servers boot from their image.");
        }
        refusePersonality(server);
        trustedCertificates(server);
        List<String> securityGroups = new ArrayList<>();
        server.objects("security_groups", Set.of("name")).ifPresent(groups -> groups.forEach(group -> {
            String groupName = group.requiredString("name", 255);
            if (groupName.isBlank()) {
                throw invalid("security_groups", server.node().get("security_groups").toString(),
                        "a security group name must not be empty");
            }
            if (!securityGroups.contains(groupName)) {
                securityGroups.add(groupName);
            }
        }));
        Optional<String> userData = server.string("user_data", MAX_USER_DATA).map(ServerRequest::base64);
        int minCount = count(server, "min_count");
        int maxCount = server.has("max_count") ? count(server, "max_count") : minCount;
        if (maxCount < minCount) {
            throw NovaErrors.badRequest("min_count must be <= max_count");
        }
        return new ServerRequest(name, server.string("description", 255), imageRef, flavorRef,
                server.string("key_name", 255), networks(server, version), securityGroups,
                readAccessIps(server, Server.AccessIps.NONE), userData, metadata(server),
                server.string("availability_zone", 255), minCount, maxCount, group(body),
                server.string("adminPass", 255), diskConfig(server), server.bool("return_reservation_id").orElse(false),
                server.has("tags") ? ServerTagApi.read(server.node().get("tags")) : Set.of(), host(server));
    }

    // Before 2.57 Nova injects personality files; Portside injects none, so it says so instead of dropping them.
    private static void refusePersonality(Fields server) {
        if (server.has("personality") && !server.node().get("personality").isEmpty()) {
            throw NovaErrors.badRequest("Personality files are not supported: Portside injects no files; give"
                    + " them as user data.");
        }
    }

    /**
     * trusted_image_certificates (2.63), checked as Nova's schema checks it. Nova verifies an image's
     * signature against them on hosts that can; Portside verifies no image signatures, so no host
     * could honour them and it says so at once (Nova would end the build in NoValidHost). null is none.
     */
    static void trustedCertificates(Fields body) {
        JsonNode certs = body.node().get("trusted_image_certificates");
        if (certs == null || certs.isNull()) {
            return;
        }
        boolean valid = certs.isArray() && !certs.isEmpty() && certs.size() <= 50;
        Set<String> seen = new java.util.HashSet<>();
        for (JsonNode cert : certs) {
            valid &= cert.isTextual() && !cert.asText().isEmpty() && seen.add(cert.asText());
        }
        if (!valid) {
            throw invalid("trusted_image_certificates", certs.toString(),
                    "it must be a list of 1 to 50 unique, non-empty certificate ids, or null");
        }
        throw NovaErrors.badRequest("Image signature verification is not supported: Portside verifies no image"
                + " signatures, so trusted_image_certificates cannot be honoured.");
    }

    // host and hypervisor_hostname (2.74): a requested destination, which is one name for Portside's hosts.
    private static Optional<String> host(Fields server) {
        Optional<String> host = server.string("host", 255);
        Optional<String> node = server.string("hypervisor_hostname", 255);
        if (host.isPresent() && node.isPresent() && !host.equals(node)) {
            throw NovaErrors.badRequest("Compute host " + host.get() + " has no node " + node.get() + ".");
        }
        return host.or(() -> node);
    }

    // The scheduler hint "group" (a server group's id); Portside reads no other hint.
    private static Optional<String> group(ObjectNode body) {
        JsonNode hints = body.has("os:scheduler_hints") ? body.get("os:scheduler_hints")
                : body.get("OS-SCH-HNT:scheduler_hints");
        if (hints == null || hints.isNull()) {
            return Optional.empty();
        }
        if (!hints.isObject()) {
            throw invalid("os:scheduler_hints", hints.toString(), "it is not of type 'object'");
        }
        JsonNode group = hints.get("group");
        if (group == null) {
            return Optional.empty();
        }
        if (!group.isTextual() || !UUID.matcher(group.asText()).matches()) {
            throw invalid("os:scheduler_hints/group", group.toString(), "it is not a 'uuid'");
        }
        return Optional.of(group.asText());
    }

    /** What a {@code PUT /servers/{id}} body makes of {@code current}: fields not given keep their values. */
    record Update(String name, Optional<String> description, Server.AccessIps accessIps, Optional<String> diskConfig) {
        private static final Set<String> FIELDS = Set.of("name", "accessIPv4", "accessIPv6", "OS-DCF:diskConfig");

        static Update read(ObjectNode body, Microversion version, Server current) {
            Set<String> allowed = Versioned.allowed(FIELDS, List.of(Versioned.since("description", 19)), version);
            Fields server = Fields.of(body, "", Set.of("server")).requiredObject("server", allowed);
            return new Update(server.string("name", 255).map(ServerRequest::name).orElse(current.name()),
                    server.nullableString("description", 255).orElse(current.description()),
                    readAccessIps(server, current.accessIps()), ServerRequest.diskConfig(server));
        }
    }

    /**
     * A {@code rebuild} action's body: the image to rebuild from and what changes with it (name,
     * description from 2.19, access addresses, metadata replacing the server's, the key pair from
     * 2.54 and user data from 2.57, either null to remove); fields not given keep their values. The admin password is answered back, as Nova does, and set nowhere
     * (Portside injects no passwords); preserve_ephemeral is read and, without ephemeral disks, moot.
     */
    record Rebuild(String imageRef, String name, Optional<String> description, Server.AccessIps accessIps,
                   Map<String, String> metadata, Optional<String> adminPass, Optional<String> diskConfig,
                   Optional<Optional<String>> keyName, Optional<Optional<String>> userData) {
        // Files to inject until 2.57, the key pair from 2.54, user data from 2.57, certificates from 2.63.
        private static final List<Versioned> VERSIONED = List.of(Versioned.since("description", 19),
                Versioned.until("personality", 57), Versioned.since("key_name", 54), Versioned.since("user_data", 57),
                Versioned.since("trusted_image_certificates", 63));
        private static final Set<String> FIELDS = Set.of("imageRef", "name", "adminPass", "metadata",
                "preserve_ephemeral", "OS-DCF:diskConfig", "accessIPv4", "accessIPv6");

        Rebuild {
            metadata = Map.copyOf(metadata);
        }

        static Rebuild read(JsonNode body, Microversion version, Server current) {
            if (body == null || !body.isObject()) {
                throw invalid("rebuild", String.valueOf(body), "it is not of type 'object'");
            }
            Set<String> allowed = Versioned.allowed(FIELDS, VERSIONED, version);
            ObjectNode wrapped = Json.object();
            wrapped.set("rebuild", body);
            Fields rebuild = Fields.of(wrapped, "", Set.of("rebuild")).requiredObject("rebuild", allowed);
            String imageRef = lastSegment(rebuild.requiredString("imageRef", 2048));
            if (imageRef.isEmpty()) {
                throw NovaErrors.badRequest("Invalid imageRef provided.");
            }
            refusePersonality(rebuild);
            trustedCertificates(rebuild);
            rebuild.bool("preserve_ephemeral");
            return new Rebuild(imageRef, rebuild.string("name", 255).map(ServerRequest::name).orElse(current.name()),
                    rebuild.nullableString("description", 255).orElse(current.description()),
                    readAccessIps(rebuild, current.accessIps()),
                    rebuild.has("metadata") ? ServerRequest.metadata(rebuild) : current.metadata(),
                    rebuild.string("adminPass", 255), ServerRequest.diskConfig(rebuild),
                    rebuild.nullableString("key_name", 255),
                    rebuild.nullableString("user_data", MAX_USER_DATA).map(data -> data.map(ServerRequest::base64)));
        }
    }

    // Nova's parameter_types.name: 1 to 255 characters, no leading or trailing whitespace.
    private static String name(String name) {
        if (name.isBlank() || !name.equals(name.strip())) {
            throw invalid("name", name, "the name must not be empty or begin or end with whitespace");
        }
        return name;
    }

    /** OS-DCF:diskConfig, AUTO or MANUAL, if given: kept and shown (Portside resizes no guest file system). */
    static Optional<String> diskConfig(Fields server) {
        Optional<String> config = server.string("OS-DCF:diskConfig", 16);
        config.filter(v -> !v.equals("AUTO") && !v.equals("MANUAL")).ifPresent(v -> {
            throw invalid("OS-DCF:diskConfig", v, "'" + v + "' is not one of ['AUTO', 'MANUAL']");
        });
        return config;
    }

    // accessIPv4/accessIPv6: an address of that family (Nova's 'ipv4' and 'ipv6' formats); given, it replaces.
    private static Server.AccessIps readAccessIps(Fields server, Server.AccessIps current) {
        return new Server.AccessIps(accessIp(server, "accessIPv4", "ipv4", 4).or(current::v4),
                accessIp(server, "accessIPv6", "ipv6", 6).or(current::v6));
    }

    private static Optional<String> accessIp(Fields server, String field, String format, int family) {
        return server.string(field, 64).map(text -> {
            IPAddress address = new IPAddressString(text).getAddress();
            boolean parses = address != null && !address.isPrefixed() && (family == 4 ? address.isIPv4() : address.isIPv6());
            if (!parses) {
                throw invalid(field, text, "'" + text + "' is not a '" + format + "'");
            }
            // Stored as Nova stores it, in the address's canonical form (RFC 5952 for IPv6).
            return family == 6 ? address.toCanonicalString() : text;
        });
    }

    private static Networks networks(Fields server, Microversion version) {
        JsonNode networks = server.node().get("networks");
        if (networks == null) {
            if (version.atLeast(37)) {
                throw NovaErrors.badRequest("Invalid input for field/attribute server. Value: "
                        + server.node() + ". 'networks' is a required property");
            }
            return new Networks(Networks.Kind.OMITTED, List.of());
        }
        if (networks.isTextual() && version.atLeast(37) && (networks.asText().equals("auto") || networks.asText().equals("none"))) {
            return new Networks(networks.asText().equals("auto") ? Networks.Kind.AUTO : Networks.Kind.NONE, List.of());
        }
        if (!networks.isArray()) {
            throw invalid("networks", networks.toString(), version.atLeast(37)
                    ? "it is not a list, 'auto' or 'none'" : "it is not of type 'array'");
        }
        List<Server.RequestedNetwork> requested = new ArrayList<>();
        // A device tag is taken from 2.32 to 2.36 and again from 2.42 (Nova lost it in between, by a bug).
        boolean tagged = version.atLeast(42) || (version.atLeast(32) && !version.atLeast(37));
        Set<String> keys = tagged ? Set.of("uuid", "port", "fixed_ip", "tag") : Set.of("uuid", "port", "fixed_ip");
        for (Fields entry : server.objects("networks", keys).orElseThrow()) {
            Optional<String> port = entry.string("port", 36).map(p -> uuid("port", p));
            Optional<String> network = entry.string("uuid", 36).map(n -> uuid("uuid", n));
            Optional<String> fixedIp = entry.string("fixed_ip", 64).map(ServerRequest::address);
            Optional<String> tag = entry.string("tag", 60).map(t -> deviceTag("networks", t));
            if (port.isPresent() && fixedIp.isPresent()) {
                throw NovaErrors.badRequest("Invalid input for field/attribute networks: a port and a fixed_ip cannot"
                        + " both be given; the port's own addresses are used.");
            }
            if (port.isEmpty() && network.isEmpty()) {
                throw NovaErrors.badRequest("Bad networks format: network uuid is not in proper format");
            }
            // A port decides its network; Nova ignores a uuid given beside it.
            requested.add(new Server.RequestedNetwork(port, port.isPresent() ? Optional.empty() : network, fixedIp, tag));
        }
        List<String> ports = requested.stream().flatMap(r -> r.portId().stream()).toList();
        if (ports.size() != Set.copyOf(ports).size()) {
            throw NovaErrors.badRequest("Bad networks format: a port is requested more than once.");
        }
        return new Networks(Networks.Kind.LIST, requested);
    }

    /** Nova's device tag: at most 60 characters, neither ',' nor '/'. */
    static String deviceTag(String field, String tag) {
        if (tag.contains(",") || tag.contains("/")) {
            throw invalid(field, tag, "'" + tag + "' does not match '^[^,/]*$'");
        }
        return tag;
    }

    private static Map<String, String> metadata(Fields server) {
        Map<String, String> metadata = new LinkedHashMap<>();
        server.freeObject("metadata").ifPresent(object -> object.properties().forEach(e -> {
            if (e.getKey().isEmpty() || e.getKey().length() > 255 || !e.getValue().isTextual()
                    || e.getValue().asText().length() > 255) {
                throw invalid("metadata", object.toString(), "keys are 1 to 255 characters, values strings of at most 255");
            }
            metadata.put(e.getKey(), e.getValue().asText());
        }));
        return metadata;
    }

    private static int count(Fields server, String name) {
        int count = server.integer(name).orElse(1);
        if (count < 1) {
            throw invalid(name, String.valueOf(count), count + " is less than the minimum of 1");
        }
        return count;
    }

    private static String base64(String text) {
        try {
            Base64.getMimeDecoder().decode(text);
            return text;
        } catch (IllegalArgumentException e) {
            throw NovaErrors.badRequest("User data needs to be valid base 64.");
        }
    }

    static String address(String text) {
        IPAddress address = new IPAddressString(text).getAddress();
        if (address == null || address.isPrefixed()) {
            throw NovaErrors.badRequest("Invalid fixed IP address (" + text + ")");
        }
        return text;
    }

    private static String uuid(String field, String value) {
        if (!UUID.matcher(value).matches()) {
            throw NovaErrors.badRequest("Bad networks format: " + field + " " + value + " is not in proper format");
        }
        return value;
    }

    // imageRef and flavorRef may be ids or links; Nova takes the last path segment.
    private static String lastSegment(String ref) {
        String trimmed = ref.endsWith("/") ? ref.substring(0, ref.length() - 1) : ref;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    private static dev.portside.common.http.ApiException invalid(String field, String value, String why) {
        return NovaErrors.badRequest("Invalid input for field/attribute " + field + ". Value: " + value + ". " + why);
    }

    /** A body field Nova's schemas accept from microversion 2.{@code from} and before 2.{@code until}. */
    private record Versioned(String field, int from, int until) {
        static Versioned since(String field, int from) {
            return new Versioned(field, from, Integer.MAX_VALUE);
        }

        static Versioned until(String field, int until) {
            return new Versioned(field, 0, until);
        }

        /** {@code always}, and the versioned fields {@code version} accepts. */
        static Set<String> allowed(Set<String> always, List<Versioned> versioned, Microversion version) {
            Set<String> allowed = new java.util.HashSet<>(always);
            versioned.stream().filter(v -> version.atLeast(v.from()) && !version.atLeast(v.until()))
                    .forEach(v -> allowed.add(v.field()));
            return allowed;
        }
    }
}
