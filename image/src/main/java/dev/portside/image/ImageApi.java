package dev.portside.image;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.http.ApiException;
import dev.portside.common.http.Requests;
import dev.portside.common.json.Json;
import dev.portside.common.paging.Page;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import static dev.portside.common.http.Access.PUBLIC;

/** Every Image v2 route Portside serves: version discovery and {@code /v2/images}. */
final class ImageApi {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Set<String> PATCH_TYPES = Set.of("application/openstack-images-v2.1-json-patch",
            "application/openstack-images-v2.0-json-patch");
    private static final Set<String> SORT_KEYS = Set.of("name", "status", "created_at", "updated_at", "size", "id",
            "visibility");
    private static final int DEFAULT_LIMIT = 25;
    // The list's own parameters; each other one names a custom property to filter by.
    private static final Set<String> LIST_PARAMETERS = Set.of("name", "status", "owner", "disk_format",
            "container_format", "tag", "visibility", "sort_key", "sort_dir", "sort", "limit", "marker",
            "member_status", "os_hidden", "protected", "size_min", "size_max", "created_at", "updated_at", "id");

    private final Images images;
    private final String baseUrl;

    ImageApi(Images images, String baseUrl) {
        this.images = images;
        this.baseUrl = baseUrl;
    }

    void register(Javalin app) {
        app.get("/", this::versions, PUBLIC);
        app.get("/versions", this::versions, PUBLIC);
        app.post("/v2/images", this::create);
        app.get("/v2/images", this::list);
        app.get("/v2/images/{image_id}", this::show);
        app.patch("/v2/images/{image_id}", this::patch);
        app.delete("/v2/images/{image_id}", this::delete);
        app.put("/v2/images/{image_id}/file", this::upload);
        app.get("/v2/images/{image_id}/file", this::download);
    }

    // Glance answers "/" with 300 Multiple Choices and "/versions" with 200, both listing the versions.
    private void versions(Context ctx) {
        ObjectNode body = Json.object();
        ArrayNode versions = body.putArray("versions");
        for (String id : List.of("v2.9", "v2.8", "v2.7", "v2.6", "v2.5", "v2.4", "v2.3", "v2.2", "v2.1", "v2.0")) {
            ObjectNode version = versions.addObject().put("id", id).put("status", id.equals("v2.9") ? "CURRENT" : "SUPPORTED");
            version.putArray("links").addObject().put("rel", "self").put("href", baseUrl + "/v2/");
        }
        Requests.respond(ctx, ctx.path().equals("/") ? 300 : 200, body);
    }

    private void create(Context ctx) {
        Image image = images.create(Requests.auth(ctx), Requests.jsonBody(ctx));
        ctx.header("Location", baseUrl + "/v2/images/" + image.id());
        Requests.respond(ctx, 201, render(image));
    }

    private void list(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        List<Image> visible = new ArrayList<>(images.list(caller, Optional.ofNullable(ctx.queryParam("visibility"))));
        for (String attribute : List.of("name", "status", "owner", "disk_format", "container_format")) {
            String wanted = ctx.queryParam(attribute);
            if (wanted != null) {
                visible.removeIf(i -> !wanted.equals(text(render(i), attribute)));
            }
        }
        ctx.queryParams("tag").forEach(tag -> visible.removeIf(i -> !i.tags().contains(tag)));
        // Any other parameter filters by a custom property of that name, as Glance's list does
        // (`openstack image list --property instance_uuid=...`).
        ctx.queryParamMap().forEach((name, values) -> {
            if (!LIST_PARAMETERS.contains(name)) {
                visible.removeIf(i -> !values.getFirst().equals(i.properties().get(name)));
            }
        });
        String sortKey = Optional.ofNullable(ctx.queryParam("sort_key")).orElse("created_at");
        if (!SORT_KEYS.contains(sortKey)) {
            throw ApiException.badRequest("Unsupported sort_key. Acceptable values: " + new java.util.TreeSet<>(SORT_KEYS));
        }
        String direction = Optional.ofNullable(ctx.queryParam("sort_dir")).orElse("desc");
        if (!direction.equals("asc") && !direction.equals("desc")) {
            throw ApiException.badRequest("Invalid sort direction: " + direction);
        }
        // Times sort as stored (to the millisecond), not as shown (to the second), so images made within
        // one second keep the order they were made in.
        Comparator<Image> order = switch (sortKey) {
            case "created_at" -> Comparator.comparing(Image::createdAt);
            case "updated_at" -> Comparator.comparing(Image::updatedAt);
            default -> Comparator.comparing((Image i) -> text(render(i), sortKey),
                    Comparator.nullsLast(Comparator.naturalOrder()));
        };
        order = direction.equals("asc") ? order.thenComparing(Image::id) : order.reversed().thenComparing(Image::id);
        visible.sort(order);
        int limit = limit(ctx.queryParam("limit"));
        String marker = ctx.queryParam("marker");
        Page<Image> page = Page.after(visible, Image::id, Optional.ofNullable(marker), limit,
                () -> ApiException.badRequest("marker not found: " + marker));
        ObjectNode body = Json.object();
        ArrayNode items = body.putArray("images");
        page.items().forEach(i -> items.add(render(i)));
        body.put("first", "/v2/images").put("schema", "/v2/schemas/images");
        if (page.more() && !page.items().isEmpty()) {
            body.put("next", "/v2/images?marker=" + page.items().getLast().id() + "&limit=" + limit);
        }
        Requests.respond(ctx, 200, body);
    }

    private static int limit(String text) {
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 0) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw ApiException.badRequest("limit param must be an integer");
    }

    private void show(Context ctx) {
        Requests.respond(ctx, 200, render(images.find(Requests.auth(ctx), ctx.pathParam("image_id"))));
    }

    private void patch(Context ctx) {
        String type = Optional.ofNullable(ctx.contentType()).orElse("").toLowerCase(Locale.ROOT).split(";")[0].trim();
        if (!PATCH_TYPES.contains(type)) {
            throw new ApiException(415, "UnsupportedMediaType", "Unsupported Content-Type " + type
                    + "; use application/openstack-images-v2.1-json-patch.");
        }
        Image image = images.patch(Requests.auth(ctx), ctx.pathParam("image_id"), Json.parseArray(ctx.body()));
        Requests.respond(ctx, 200, render(image));
    }

    private void delete(Context ctx) {
        images.delete(Requests.auth(ctx), ctx.pathParam("image_id"));
        ctx.status(204);
    }

    private void upload(Context ctx) {
        String type = Optional.ofNullable(ctx.contentType()).orElse("application/octet-stream");
        if (!type.toLowerCase(Locale.ROOT).startsWith("application/octet-stream")) {
            throw new ApiException(415, "UnsupportedMediaType", "Unsupported Content-Type " + type
                    + "; image data is sent as application/octet-stream.");
        }
        try {
            images.upload(Requests.auth(ctx), ctx.pathParam("image_id"), ctx.req().getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ctx.status(204);
    }

    private void download(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        String id = ctx.pathParam("image_id");
        Optional<Path> data = images.data(caller, id);
        if (data.isEmpty()) {
            ctx.status(204);
            return;
        }
        Image image = images.find(caller, id);
        try {
            ctx.status(200).contentType("application/octet-stream");
            image.checksum().ifPresent(sum -> ctx.header("Content-MD5", sum));
            ctx.header("Content-Length", String.valueOf(Files.size(data.get())));
            ctx.result(Files.newInputStream(data.get()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(ObjectNode json, String attribute) {
        var value = json.get(attribute);
        return value == null || value.isNull() ? null : value.isNumber() ? String.format("%020d", value.asLong()) : value.asText();
    }

    static ObjectNode render(Image i) {
        ObjectNode json = Json.object();
        i.properties().forEach(json::put);
        json.put("id", i.id())
                .put("name", i.name().orElse(null))
                .put("status", i.status())
                .put("visibility", i.visibility())
                .put("protected", i.isProtected())
                .put("os_hidden", i.osHidden())
                .put("checksum", i.checksum().orElse(null))
                .put("os_hash_algo", i.osHashAlgo().orElse(null))
                .put("os_hash_value", i.osHashValue().orElse(null))
                .put("owner", i.owner())
                .put("min_ram", i.minRam())
                .put("min_disk", i.minDisk())
                .put("disk_format", i.diskFormat().orElse(null))
                .put("container_format", i.containerFormat().orElse(null))
                .put("created_at", TIME.format(i.createdAt()))
                .put("updated_at", TIME.format(i.updatedAt()))
                .putNull("virtual_size");
        if (i.size().isPresent()) {
            json.put("size", i.size().getAsLong());
        } else {
            json.putNull("size");
        }
        ArrayNode tags = json.putArray("tags");
        i.tags().forEach(tags::add);
        json.put("self", "/v2/images/" + i.id()).put("file", "/v2/images/" + i.id() + "/file")
                .put("schema", "/v2/schemas/image");
        return json;
    }
}
