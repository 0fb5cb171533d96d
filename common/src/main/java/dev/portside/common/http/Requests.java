package dev.portside.common.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.json.Json;
import io.javalin.http.Context;

import java.util.Locale;

/** Small, explicit accessors handlers use on a request. */
public final class Requests {
    static final String AUTH_ATTRIBUTE = "portside.auth";

    private Requests() {
    }

    /** The caller's validated token context; the server has already refused the request when there is none. */
    public static AuthContext auth(Context ctx) {
        AuthContext auth = ctx.attribute(AUTH_ATTRIBUTE);
        if (auth == null) {
            throw ApiException.unauthorized();
        }
        return auth;
    }

    /** The body as one JSON object; other media types are refused with 415, malformed JSON with 400. */
    public static ObjectNode jsonBody(Context ctx) {
        String type = ctx.contentType();
        if (type != null && !type.toLowerCase(Locale.ROOT).contains("json")) {
            throw new ApiException(415, "UnsupportedMediaType",
                    "The media type " + type + " is not supported; use application/json.");
        }
        return Json.parseObject(ctx.body());
    }

    public static void respond(Context ctx, int status, ObjectNode body) {
        ctx.status(status).contentType("application/json").result(Json.write(body));
    }

    /** The URL a client used to reach this server, for the "links" OpenStack puts in every resource. */
    public static String baseUrl(Context ctx) {
        String host = ctx.host();
        return ctx.scheme() + "://" + (host == null ? "127.0.0.1" : host);
    }
}
