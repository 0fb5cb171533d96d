package dev.portside.network;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.http.ApiException;
import dev.portside.common.http.ErrorFormat;
import dev.portside.common.json.Json;

/** Neutron's error body, {"NeutronError": {"type", "message", "detail"}}, and Neutron's error types. */
public final class NeutronErrors implements ErrorFormat {

    @Override
    public ObjectNode render(ApiException error) {
        ObjectNode body = Json.object();
        body.putObject("NeutronError")
                .put("type", neutronType(error))
                .put("message", error.getMessage())
                .put("detail", "");
        return body;
    }

    // Errors raised by the shared plumbing carry generic types; Neutron names them after webob's exceptions.
    private static String neutronType(ApiException error) {
        return switch (error.type()) {
            case "ValidationError", "BadRequest", "UnsupportedMediaType" -> "HTTPBadRequest";
            case "NotFound" -> "HTTPNotFound";
            case "MethodNotAllowed" -> "HTTPMethodNotAllowed";
            case "RequestEntityTooLarge" -> "HTTPRequestEntityTooLarge";
            case "Unauthorized" -> "HTTPUnauthorized";
            case "Forbidden" -> "PolicyNotAuthorized";
            default -> error.type();
        };
    }

    public static ApiException networkNotFound(String id) {
        return new ApiException(404, "NetworkNotFound", "Network " + id + " could not be found.");
    }

    public static ApiException subnetNotFound(String id) {
        return new ApiException(404, "SubnetNotFound", "Subnet " + id + " could not be found.");
    }

    public static ApiException portNotFound(String id) {
        return new ApiException(404, "PortNotFound", "Port " + id + " could not be found.");
    }

    /** Neutron's InvalidInput: "Invalid input for operation: ...". */
    public static ApiException invalidInput(String why) {
        return new ApiException(400, "InvalidInput", "Invalid input for operation: " + why);
    }

    /** Neutron's attribute validation error: "Invalid input for X. Reason: ...". */
    public static ApiException invalidAttribute(String attribute, String reason) {
        return new ApiException(400, "HTTPBadRequest", "Invalid input for " + attribute + ". Reason: " + reason);
    }

    public static ApiException revisionMismatch(long expected, long current) {
        return new ApiException(412, "RevisionNumberConstraintFailed",
                "Constrained to " + expected + ", but current revision is " + current);
    }
}
