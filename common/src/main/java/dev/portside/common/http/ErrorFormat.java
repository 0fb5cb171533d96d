package dev.portside.common.http;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** How one OpenStack API spells an error body (Keystone, Neutron, Nova and Glance each differ). */
public interface ErrorFormat {
    ObjectNode render(ApiException error);
}
