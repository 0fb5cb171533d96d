package dev.portside.image;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.http.ApiException;
import dev.portside.common.http.ErrorFormat;
import dev.portside.common.http.HttpStatusTitles;
import dev.portside.common.json.Json;

/** Glance's error body: {"message", "code": "404 Not Found", "title": "Not Found"}. */
public final class GlanceErrors implements ErrorFormat {

    @Override
    public ObjectNode render(ApiException error) {
        String title = HttpStatusTitles.of(error.status());
        return Json.object().put("message", error.getMessage()).put("code", error.status() + " " + title)
                .put("title", title);
    }

    public static ApiException notFound(String id) {
        return new ApiException(404, "NotFound", "No image found with ID " + id);
    }

    public static ApiException readOnly(String attribute) {
        return ApiException.forbidden("Attribute '" + attribute + "' is read-only.");
    }

    public static ApiException invalid(String message) {
        return ApiException.badRequest(message);
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, "Conflict", message);
    }
}
