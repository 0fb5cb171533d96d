package dev.portside.common.http;

import io.javalin.security.RouteRole;

/** Marks the few routes that need no token (version discovery, issuing a token). All others do. */
public enum Access implements RouteRole {
    PUBLIC
}
