package dev.portside.network.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.paging.Page;

import java.util.Optional;

/**
 * One resource's domain layer, under the generic handler ({@link ResourceApi}) and what in-process
 * callers use: it checks policy and the resource's rules, owns the transaction, and takes and
 * returns domain values. Each implementation is one resource (networks, subnets, ports, ...).
 */
public interface ResourceService<T extends StandardResource> {
    ResourceDefinition<T> definition();

    T create(AuthContext caller, Request request);

    Page<T> list(AuthContext caller, ListRequest request);

    /** The resource if {@code caller} may see it; otherwise the resource's 404, so its existence is not revealed. */
    T show(AuthContext caller, String id);

    /** {@code body} is the request's {"member": {...}}, checked against the definition and the current value. */
    T update(AuthContext caller, String id, ObjectNode body, Optional<String> ifMatch);

    void delete(AuthContext caller, String id, Optional<String> ifMatch);
}
