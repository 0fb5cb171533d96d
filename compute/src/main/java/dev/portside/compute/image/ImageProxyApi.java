package dev.portside.compute.image;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.http.ApiException;
import dev.portside.common.http.Requests;
import dev.portside.common.json.Json;
import dev.portside.common.paging.Page;
import dev.portside.compute.MetadataItems;
import dev.portside.compute.Microversion;
import dev.portside.compute.NovaErrors;
import dev.portside.compute.quota.ComputeQuotas;
import io.javalin.http.Context;
import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Nova's images proxy ({@code /v2.1/images}, up to microversion 2.35; its metadata up to 2.38): the
 * image service's images in Compute's shape, seen and changed with the caller's own rights there.
 * Status is Nova's ({@code queued} and {@code saving} are SAVING), properties are the metadata, and
 * a snapshot names its server.
 */
public final class ImageProxyApi {
    private static final Microversion LAST_PROXY = new Microversion(2, 35);
    private static final Microversion LAST_METADATA = new Microversion(2, 38);

    private final Jdbi jdbi;
    private final ImageClient images;
    private final ComputeQuotas quotas;
    private final String baseUrl;

    public ImageProxyApi(Jdbi jdbi, ImageClient images, ComputeQuotas quotas, String baseUrl) {
        this.jdbi = jdbi;
        this.images = images;
        this.quotas = quotas;
        this.baseUrl = baseUrl;
    }

    public void list(Context ctx) {
        list(ctx, false);
    }

    public void detail(Context ctx) {
        list(ctx, true);
    }

    public void show(Context ctx) {
        proxied(ctx, LAST_PROXY);
        Requests.respond(ctx, 200, Json.object().set("image", detailed(image(ctx))));
    }

    public void delete(Context ctx) {
        proxied(ctx, LAST_PROXY);
        ImageClient.ImageRef image = image(ctx);
        try {
            images.delete(Requests.auth(ctx), image.id());
        } catch (ApiException e) {
            throw e.status() == 403 ? new ApiException(403, "Forbidden", "You are not allowed to delete the image.") : e;
        }
        ctx.status(204);
    }

    public void metadata(Context ctx) {
        proxied(ctx, LAST_METADATA);
        Requests.respond(ctx, 200, Json.object().set("metadata", MetadataItems.json(image(ctx).properties())));
    }

    public void metadataItem(Context ctx) {
        proxied(ctx, LAST_METADATA);
        String key = ctx.pathParam("key");
        String value = image(ctx).properties().get(key);
        if (value == null) {
            throw NovaErrors.notFound("Metadata item was not found");
        }
        Requests.respond(ctx, 200, Json.object().set("meta", Json.object().put(key, value)));
    }

    /** POST: the given items merged into the image's. */
    public void mergeMetadata(Context ctx) {
        proxied(ctx, LAST_METADATA);
        Map<String, String> given = MetadataItems.read(Requests.jsonBody(ctx), "metadata");
        ImageClient.ImageRef image = image(ctx);
        Map<String, String> merged = new LinkedHashMap<>(image.properties());
        merged.putAll(given);
        Requests.respond(ctx, 200, Json.object().set("metadata", MetadataItems.json(change(ctx, image, merged))));
    }

    /** PUT: the given items become all of the image's. */
    public void replaceMetadata(Context ctx) {
        proxied(ctx, LAST_METADATA);
        Map<String, String> given = MetadataItems.read(Requests.jsonBody(ctx), "metadata");
        change(ctx, image(ctx), given);
        Requests.respond(ctx, 200, Json.object().set("metadata", MetadataItems.json(given)));
    }

    /** PUT /metadata/{key} with {"meta": {key: value}}. */
    public void putMetadataItem(Context ctx) {
        proxied(ctx, LAST_METADATA);
        String key = ctx.pathParam("key");
        Map<String, String> given = MetadataItems.read(Requests.jsonBody(ctx), "meta");
        if (given.size() != 1 || !given.containsKey(key)) {
            throw NovaErrors.badRequest(given.size() > 1 ? "Request body contains too many items"
                    : "Request body and URI mismatch");
        }
        ImageClient.ImageRef image = image(ctx);
        Map<String, String> changed = new LinkedHashMap<>(image.properties());
        changed.putAll(given);
        change(ctx, image, changed);
        Requests.respond(ctx, 200, Json.object().set("meta", MetadataItems.json(given)));
    }

    public void deleteMetadataItem(Context ctx) {
        proxied(ctx, LAST_METADATA);
        String key = ctx.pathParam("key");
        ImageClient.ImageRef image = image(ctx);
        if (!image.properties().containsKey(key)) {
            throw NovaErrors.notFound("Invalid metadata key");
        }
        Map<String, String> changed = new LinkedHashMap<>(image.properties());
        changed.remove(key);
        change(ctx, image, changed);
        ctx.status(204);
    }

    private void list(Context ctx, boolean detail) {
        proxied(ctx, LAST_PROXY);
        AuthContext caller = Requests.auth(ctx);
        Predicate<ImageClient.ImageRef> wanted = filters(ctx);
        List<ImageClient.ImageRef> all = images.list(caller).stream().filter(wanted)
                .sorted(Comparator.comparing(ImageClient.ImageRef::createdAt).reversed()
                        .thenComparing(ImageClient.ImageRef::id)).toList();
        int limit = Optional.ofNullable(ctx.queryParam("limit")).map(ImageProxyApi::limit).orElse(Integer.MAX_VALUE);
        String marker = ctx.queryParam("marker");
        Page<ImageClient.ImageRef> page = Page.after(all, ImageClient.ImageRef::id, Optional.ofNullable(marker), limit,
                () -> NovaErrors.badRequest("marker [" + marker + "] not found"));
        ObjectNode body = Json.object();
        ArrayNode items = body.putArray("images");
        page.items().forEach(i -> items.add(detail ? detailed(i) : brief(i)));
        if (ctx.queryParam("limit") != null && page.more() && !page.items().isEmpty()) {
            body.putArray("images_links").addObject().put("rel", "next").put("href", baseUrl + "/v2.1/images"
                    + (detail ? "/detail" : "") + "?limit=" + limit + "&marker=" + page.items().getLast().id());
        }
        Requests.respond(ctx, 200, body);
    }

    // Nova's supported filters, as it hands them to Glance: exact name, status, server, type and
    // property-*; changes-since as updated_at >=; minRam and minDisk as lower bounds.
    private static Predicate<ImageClient.ImageRef> filters(Context ctx) {
        Predicate<ImageClient.ImageRef> all = i -> true;
        String name = ctx.queryParam("name");
        if (name != null) {
            all = all.and(i -> i.name().equals(name));
        }
        String status = ctx.queryParam("status");
        if (status != null) {
            all = all.and(i -> i.status().equalsIgnoreCase(status));
        }
        String server = ctx.queryParam("server");
        if (server != null) {
            String id = server.substring(server.lastIndexOf('/') + 1);
            all = all.and(i -> id.equals(i.properties().get("instance_uuid")));
        }
        String type = ctx.queryParam("type");
        if (type != null) {
            all = all.and(i -> type.equals(i.properties().get("image_type")));
        }
        for (Map.Entry<String, List<String>> param : ctx.queryParamMap().entrySet()) {
            if (param.getKey().startsWith("property-")) {
                String property = param.getKey().substring("property-".length());
                String value = param.getValue().getFirst();
                all = all.and(i -> value.equals(i.properties().get(property)));
            }
        }
        String since = ctx.queryParam("changes-since");
        if (since != null) {
            Instant from = dev.portside.compute.NovaQuery.dateTime("changes-since", since);
            all = all.and(i -> !i.updatedAt().isBefore(from));
        }
        String minRam = ctx.queryParam("minRam");
        if (minRam != null) {
            int ram = integer("minRam", minRam);
            all = all.and(i -> i.minRam() >= ram);
        }
        String minDisk = ctx.queryParam("minDisk");
        if (minDisk != null) {
            int disk = integer("minDisk", minDisk);
            all = all.and(i -> i.minDisk() >= disk);
        }
        return all;
    }

    private ObjectNode brief(ImageClient.ImageRef image) {
        ObjectNode json = Json.object().put("id", image.id()).put("name", image.name());
        json.set("links", links(image.id()));
        return json;
    }

    private ObjectNode detailed(ImageClient.ImageRef image) {
        ObjectNode json = Json.object().put("id", image.id()).put("name", image.name())
                .put("minRam", image.minRam()).put("minDisk", image.minDisk());
        json.set("metadata", MetadataItems.json(image.properties()));
        json.put("created", isoTime(image.createdAt())).put("updated", isoTime(image.updatedAt()))
                .put("status", status(image.status())).put("progress", progress(image.status()));
        if (image.size().isPresent()) {
            json.put("OS-EXT-IMG-SIZE:size", image.size().getAsLong());
        } else {
            json.putNull("OS-EXT-IMG-SIZE:size");
        }
        json.set("links", links(image.id()));
        Optional.ofNullable(image.properties().get("instance_uuid")).ifPresent(server -> {
            ObjectNode ref = json.putObject("server").put("id", server);
            ArrayNode links = ref.putArray("links");
            links.addObject().put("rel", "self").put("href", baseUrl + "/v2.1/servers/" + server);
            links.addObject().put("rel", "bookmark").put("href", baseUrl + "/servers/" + server);
        });
        Optional.ofNullable(image.properties().get("auto_disk_config")).ifPresent(auto ->
                json.put("OS-DCF:diskConfig", Boolean.parseBoolean(auto) || auto.equals("1")
                        || auto.equalsIgnoreCase("yes") || auto.equalsIgnoreCase("on") ? "AUTO" : "MANUAL"));
        return json;
    }

    private ArrayNode links(String id) {
        ArrayNode links = Json.array();
        links.addObject().put("rel", "self").put("href", baseUrl + "/v2.1/images/" + id);
        links.addObject().put("rel", "bookmark").put("href", baseUrl + "/images/" + id);
        links.addObject().put("rel", "alternate").put("type", "application/vnd.openstack.image")
                .put("href", images.endpoint() + "/images/" + id);
        return links;
    }

    private static String isoTime(Instant time) {
        return time.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    static String status(String glanceStatus) {
        return switch (glanceStatus) {
            case "active" -> "ACTIVE";
            case "queued", "saving" -> "SAVING";
            case "deleted", "pending_delete" -> "DELETED";
            case "killed" -> "ERROR";
            default -> "UNKNOWN";
        };
    }

    private static int progress(String glanceStatus) {
        return switch (glanceStatus) {
            case "queued" -> 25;
            case "saving" -> 50;
            case "active" -> 100;
            default -> 0;
        };
    }

    private ImageClient.ImageRef image(Context ctx) {
        return images.find(Requests.auth(ctx), ctx.pathParam("image_id"))
                .orElseThrow(() -> NovaErrors.notFound("Image not found."));
    }

    // Nova checks the items against the project's metadata_items before Glance sees them.
    private Map<String, String> change(Context ctx, ImageClient.ImageRef image, Map<String, String> properties) {
        AuthContext caller = Requests.auth(ctx);
        caller.projectId().ifPresent(project ->
                jdbi.useHandle(h -> quotas.checkMetadata(h, project, properties.size())));
        return images.setProperties(caller, image.id(), properties).properties();
    }

    // Past its last microversion a proxy route is gone, as Nova's VersionNotFoundForAPIMethod answers.
    private static void proxied(Context ctx, Microversion last) {
        if (Microversion.of(ctx).compareTo(last) > 0) {
            throw NovaErrors.notFound("The resource could not be found.");
        }
    }

    private static int limit(String text) {
        int limit = integer("limit", text);
        if (limit < 0) {
            throw NovaErrors.badRequest("limit param must be positive");
        }
        return limit;
    }

    private static int integer(String name, String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw NovaErrors.badRequest(name + " param must be an integer");
        }
    }
}
