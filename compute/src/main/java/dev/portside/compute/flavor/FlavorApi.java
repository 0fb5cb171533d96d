package dev.portside.compute.flavor;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.db.Constraints;
import dev.portside.common.http.Requests;
import dev.portside.common.json.Fields;
import dev.portside.common.json.Json;
import dev.portside.common.paging.Page;
import dev.portside.common.policy.Policy;
import dev.portside.compute.Microversion;
import dev.portside.compute.NovaErrors;
import io.javalin.http.Context;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@code /flavors}: everyone lists and shows public flavors; admins create, describe (2.55) and
 * delete. Portside's flavors have no extra specs: the list of them is empty, and shown as such in a
 * flavor from 2.61.
 */
public final class FlavorApi {
    private static final Set<String> CREATE = Set.of("name", "id", "ram", "vcpus", "disk", "OS-FLV-EXT-DATA:ephemeral",
            "swap", "rxtx_factor", "os-flavor-access:is_public");
    private static final Pattern ID = Pattern.compile("[\\w.\\- ]{1,255}");

    private final Jdbi jdbi;
    private final FlavorStore flavors;
    private final Policy policy;
    private final String baseUrl;

    public FlavorApi(Jdbi jdbi, FlavorStore flavors, Policy policy, String baseUrl) {
        this.jdbi = jdbi;
        this.flavors = flavors;
        this.policy = policy;
        this.baseUrl = baseUrl;
    }

    public void list(Context ctx) {
        respondList(ctx, false);
    }

    public void detail(Context ctx) {
        respondList(ctx, true);
    }

    private void respondList(Context ctx, boolean detail) {
        AuthContext caller = Requests.auth(ctx);
        boolean admin = policy.allows("context_is_admin", caller, Map.of());
        String isPublic = Optional.ofNullable(ctx.queryParam("is_public")).orElse("true").toLowerCase(java.util.Locale.ROOT);
        List<Flavor> all = jdbi.withHandle(flavors::all).stream()
                .filter(f -> switch (isPublic) {
                    case "none" -> admin || f.isPublic();
                    case "false", "0", "no" -> admin && !f.isPublic();
                    default -> f.isPublic();
                })
                .filter(f -> ctx.queryParam("minRam") == null || f.ram() >= integer(ctx.queryParam("minRam"), "minRam"))
                .filter(f -> ctx.queryParam("minDisk") == null || f.disk() >= integer(ctx.queryParam("minDisk"), "minDisk"))
                .sorted(order(ctx)).toList();
        int limit = Optional.ofNullable(ctx.queryParam("limit")).map(text -> integer(text, "limit"))
                .filter(n -> n >= 0).orElse(Integer.MAX_VALUE);
        String marker = ctx.queryParam("marker");
        Page<Flavor> page = Page.after(all, Flavor::id, Optional.ofNullable(marker), limit,
                () -> NovaErrors.badRequest("marker [" + marker + "] not found"));
        ObjectNode body = Json.object();
        ArrayNode items = body.putArray("flavors");
        Microversion version = Microversion.of(ctx);
        page.items().forEach(f -> items.add(detail ? render(f, version) : brief(f, version)));
        if (ctx.queryParam("limit") != null && page.more() && !page.items().isEmpty()) {
            body.putArray("flavors_links").addObject().put("rel", "next").put("href", baseUrl + "/v2.1/flavors"
                    + (detail ? "/detail" : "") + "?limit=" + ctx.queryParam("limit") + "&marker="
                    + page.items().getLast().id());
        }
        Requests.respond(ctx, 200, body);
    }

    // Nova's sort_key (flavorid by default) and sort_dir (asc by default), ties broken by flavorid.
    private static Comparator<Flavor> order(Context ctx) {
        String key = Optional.ofNullable(ctx.queryParam("sort_key")).orElse("flavorid");
        Comparator<Flavor> by = switch (key) {
            case "flavorid", "id" -> Comparator.comparing(Flavor::id);
            case "name" -> Comparator.comparing(Flavor::name);
            case "memory_mb" -> Comparator.comparingInt(Flavor::ram);
            case "vcpus" -> Comparator.comparingInt(Flavor::vcpus);
            case "root_gb" -> Comparator.comparingInt(Flavor::disk);
            case "ephemeral_gb" -> Comparator.comparingInt(Flavor::ephemeral);
            case "swap" -> Comparator.comparingInt(Flavor::swap);
            case "rxtx_factor" -> Comparator.comparingDouble(Flavor::rxtxFactor);
            case "is_public" -> Comparator.comparing(Flavor::isPublic);
            default -> throw NovaErrors.badRequest("Invalid input for query parameters sort_key. Value: " + key
                    + ". '" + key + "' is not one of the flavor's sort keys");
        };
        String dir = Optional.ofNullable(ctx.queryParam("sort_dir")).orElse("asc");
        if (!dir.equals("asc") && !dir.equals("desc")) {
            throw NovaErrors.badRequest("Invalid input for query parameters sort_dir. Value: " + dir
                    + ". '" + dir + "' is not one of ['asc', 'desc']");
        }
        return (dir.equals("desc") ? by.reversed() : by).thenComparing(Flavor::id);
    }

    private static int integer(String text, String name) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw NovaErrors.badRequest("Invalid " + name + " filter [" + text + "]");
        }
    }

    public void show(Context ctx) {
        Requests.auth(ctx);
        String id = ctx.pathParam("flavor_id");
        Flavor flavor = jdbi.withHandle(h -> flavors.find(h, id)).orElseThrow(() -> notFound(id));
        Requests.respond(ctx, 200, Json.object().set("flavor", render(flavor, Microversion.of(ctx))));
    }

    public void extraSpecs(Context ctx) {
        Requests.auth(ctx);
        String id = ctx.pathParam("flavor_id");
        jdbi.withHandle(h -> flavors.find(h, id)).orElseThrow(() -> notFound(id));
        Requests.respond(ctx, 200, Json.object().set("extra_specs", Json.object()));
    }

    public void create(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        policy.enforce("os_compute_api:os-flavor-manage:create", caller, Map.of());
        Microversion version = Microversion.of(ctx);
        Set<String> allowed = new java.util.HashSet<>(CREATE);
        if (version.atLeast(55)) {
            allowed.add("description");
        }
        Fields fields = Fields.wrapped(Requests.jsonBody(ctx), "flavor", allowed);
        String name = fields.requiredString("name", 255).trim();
        if (name.isEmpty()) {
            throw NovaErrors.badRequest("Invalid input for field/attribute name. Value: " + name + ". '' is too short");
        }
        String id = fields.nullableString("id", 255).flatMap(o -> o).orElseGet(() -> UUID.randomUUID().toString());
        if (!ID.matcher(id).matches()) {
            throw NovaErrors.badRequest("Invalid input for field/attribute id. Value: " + id + ".");
        }
        Flavor flavor = new Flavor(id, name, positive(fields, "vcpus", 1), positive(fields, "ram", 1),
                positive(fields, "disk", 0), fields.integer("OS-FLV-EXT-DATA:ephemeral").map(v -> atLeast("OS-FLV-EXT-DATA:ephemeral", v, 0)).orElse(0),
                fields.integer("swap").map(v -> atLeast("swap", v, 0)).orElse(0), 1.0,
                fields.bool("os-flavor-access:is_public").orElse(true), description(fields));
        try {
            jdbi.useTransaction(h -> {
                if (flavors.find(h, id).isPresent()) {
                    throw NovaErrors.conflict("Flavor with ID " + id + " already exists.");
                }
                if (flavors.all(h).stream().anyMatch(f -> f.name().equals(name))) {
                    throw NovaErrors.conflict("Flavor with name " + name + " already exists.");
                }
                flavors.insert(h, flavor);
            });
        } catch (UnableToExecuteStatementException e) {
            if (Constraints.isUniqueViolation(e)) {
                throw NovaErrors.conflict("Flavor with name " + name + " or ID " + id + " already exists.");
            }
            throw e;
        }
        Requests.respond(ctx, 200, Json.object().set("flavor", render(flavor, version)));
    }

    /** PUT /flavors/{id} (2.55): a flavor's description is the one thing that changes once it is made. */
    public void update(Context ctx) {
        Microversion version = Microversion.of(ctx);
        if (!version.atLeast(55)) {
            throw NovaErrors.notFound("The resource could not be found.");
        }
        AuthContext caller = Requests.auth(ctx);
        policy.enforce("os_compute_api:os-flavor-manage:update", caller, Map.of());
        Fields fields = Fields.wrapped(Requests.jsonBody(ctx), "flavor", Set.of("description"));
        if (!fields.has("description")) {
            throw NovaErrors.badRequest("Invalid input for field/attribute flavor. Value: " + fields.node()
                    + ". 'description' is a required property");
        }
        Optional<String> description = description(fields);
        String id = ctx.pathParam("flavor_id");
        Flavor updated = jdbi.inTransaction(h -> {
            if (!flavors.setDescription(h, id, description)) {
                throw notFound(id);
            }
            return flavors.find(h, id).orElseThrow(() -> notFound(id));
        });
        Requests.respond(ctx, 200, Json.object().set("flavor", render(updated, version)));
    }

    // Nova's flavor description: a string of up to 65535 printable characters, or null for none.
    private static Optional<String> description(Fields fields) {
        Optional<String> description = fields.nullableString("description", 65535).flatMap(d -> d);
        description.filter(d -> d.codePoints().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\t'
                && c != '\r')).ifPresent(d -> {
            throw NovaErrors.badRequest("Invalid input for field/attribute description. Value: " + d
                    + ". It has characters that are not printable");
        });
        return description;
    }

    public void delete(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        policy.enforce("os_compute_api:os-flavor-manage:delete", caller, Map.of());
        String id = ctx.pathParam("flavor_id");
        if (!jdbi.inTransaction(h -> flavors.delete(h, id))) {
            throw notFound(id);
        }
        ctx.status(202);
    }

    private static int positive(Fields fields, String name, int minimum) {
        int value = fields.integer(name).orElseThrow(() -> NovaErrors.badRequest(
                "Invalid input for field/attribute flavor. Value: {}. '" + name + "' is a required property"));
        return atLeast(name, value, minimum);
    }

    private static int atLeast(String name, int value, int minimum) {
        if (value < minimum) {
            throw NovaErrors.badRequest("Invalid input for field/attribute " + name + ". Value: " + value + ". "
                    + value + " is less than the minimum of " + minimum);
        }
        return value;
    }

    private static dev.portside.common.http.ApiException notFound(String id) {
        return NovaErrors.notFound("Flavor " + id + " could not be found.");
    }

    private ObjectNode brief(Flavor f, Microversion version) {
        ObjectNode json = Json.object().put("id", f.id()).put("name", f.name());
        if (version.atLeast(55)) {
            json.put("description", f.description().orElse(null));
        }
        links(json, f.id());
        return json;
    }

    private ObjectNode render(Flavor f, Microversion version) {
        ObjectNode json = brief(f, version);
        json.put("ram", f.ram()).put("disk", f.disk()).put("vcpus", f.vcpus())
                .put("OS-FLV-EXT-DATA:ephemeral", f.ephemeral()).put("OS-FLV-DISABLED:disabled", false)
                .put("rxtx_factor", f.rxtxFactor()).put("os-flavor-access:is_public", f.isPublic());
        // Before 2.75 Nova shows no swap as "", some as a number of MiB; from 2.75 always a number.
        if (f.swap() == 0 && !version.atLeast(75)) {
            json.put("swap", "");
        } else {
            json.put("swap", f.swap());
        }
        if (version.atLeast(61)) {
            json.putObject("extra_specs");
        }
        return json;
    }

    private void links(ObjectNode json, String id) {
        ArrayNode links = json.putArray("links");
        links.addObject().put("rel", "self").put("href", baseUrl + "/v2.1/flavors/" + id);
        links.addObject().put("rel", "bookmark").put("href", baseUrl + "/flavors/" + id);
    }
}
