package dev.portside.network.secgroup;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.http.ApiException;
import dev.portside.common.json.Fields;
import dev.portside.common.paging.Page;
import dev.portside.network.NeutronErrors;
import dev.portside.network.StandardAttributes;
import dev.portside.network.Tags;
import dev.portside.network.api.Definitions;
import dev.portside.network.api.ListRequest;
import dev.portside.network.api.Request;
import dev.portside.network.api.ResourceDefinition;
import dev.portside.network.api.ResourceService;
import dev.portside.network.api.ServiceContext;
import dev.portside.network.net.NetworkStore;
import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Security groups: named sets of allow rules that ports are filtered by. */
public final class SecurityGroupService implements ResourceService<SecurityGroup> {
    private final ServiceContext context;
    private final SecurityGroupStore store;
    private final SecurityGroups groups;

    public SecurityGroupService(ServiceContext context, SecurityGroupStore store, SecurityGroups groups) {
        this.context = context;
        this.store = store;
        this.groups = groups;
    }

    @Override
    public ResourceDefinition<SecurityGroup> definition() {
        return Definitions.SECURITY_GROUP;
    }

    @Override
    public SecurityGroup create(AuthContext caller, Request request) {
        Fields fields = request.fields();
        String project = StandardAttributes.owner(fields, caller, context.policy());
        String name = StandardAttributes.text(fields, "name").orElseThrow();
        if (name.equals("default")) {
            throw new ApiException(409, "SecurityGroupDefaultAlreadyExists", "Default security group already exists.");
        }
        if (!fields.bool("stateful").orElseThrow()) {
            throw NeutronErrors.invalidInput("stateless security groups are not supported by Portside");
        }
        Instant now = NetworkStore.now(context.clock());
        return context.tx().inTransaction((h, changes) -> {
            context.quotas().claim(h, project, "security_group", 1);
            groups.ensureDefault(h, project);
            String id = StandardAttributes.newId();
            // Neutron gives every new group the same egress rules as the default group.
            SecurityGroup group = new SecurityGroup(id, project, name, StandardAttributes.text(fields, "description")
                    .orElseThrow(), true, List.of(egress(id, project, "IPv4", now), egress(id, project, "IPv6", now)),
                    now, now, 1);
            context.policy().enforce("create_security_group", caller, group.target());
            request.enforceAttributes(context.policy(), caller, group.target());
            store.insert(h, group);
            return group;
        });
    }

    @Override
    public Page<SecurityGroup> list(AuthContext caller, ListRequest request) {
        // A project's default group exists from its first look at its groups, as in Neutron.
        caller.projectId().ifPresent(project -> context.tx().inTransaction((h, changes) -> groups.ensureDefault(h, project)));
        return context.tx().read(h -> context.listing().page(h, Definitions.SECURITY_GROUP, "g", request,
                SecurityGroupStore.scope(StandardAttributes.listScope(context.policy(), caller)), store::select,
                g -> context.policy().allows("get_security_group", caller, g.target())));
    }

    @Override
    public SecurityGroup show(AuthContext caller, String id) {
        return context.tx().read(h -> groups.visible(h, caller, id));
    }

    @Override
    public SecurityGroup update(AuthContext caller, String id, ObjectNode body, Optional<String> ifMatch) {
        return context.tx().inTransaction((h, changes) -> {
            SecurityGroup group = groups.visible(h, caller, id);
            Request request = Definitions.SECURITY_GROUP.forUpdate(body, group);
            Fields fields = request.fields();
            context.policy().enforce("update_security_group", caller, group.target());
            StandardAttributes.checkRevision(ifMatch, group.revisionNumber());
            request.enforceAttributes(context.policy(), caller, group.target());
            Optional<String> name = StandardAttributes.text(fields, "name");
            if (name.isPresent() && store.isDefault(h, group.id()) && !name.get().equals("default")) {
                throw new ApiException(409, "SecurityGroupCannotUpdateDefault", "Updating default security group not allowed.");
            }
            if (name.isPresent() && name.get().equals("default") && !store.isDefault(h, group.id())) {
                throw new ApiException(409, "SecurityGroupDefaultAlreadyExists", "Default security group already exists.");
            }
            SecurityGroup changed = new SecurityGroup(group.id(), group.projectId(), name.orElse(group.name()),
                    StandardAttributes.text(fields, "description").orElse(group.description()), group.stateful(),
                    group.rules(), group.createdAt(), NetworkStore.now(context.clock()), group.revisionNumber() + 1);
            store.update(h, changed);
            return changed;
        });
    }

    @Override
    public void delete(AuthContext caller, String id, Optional<String> ifMatch) {
        context.tx().inTransaction((h, changes) -> {
            SecurityGroup group = groups.visible(h, caller, id);
            context.policy().enforce("delete_security_group", caller, group.target());
            StandardAttributes.checkRevision(ifMatch, group.revisionNumber());
            if (store.isDefault(h, group.id()) && !context.policy().allows("context_is_admin", caller, Map.of())) {
                throw new ApiException(409, "SecurityGroupCannotRemoveDefault", "Removing default security group not allowed.");
            }
            if (store.inUse(h, group.id())) {
                throw new ApiException(409, "SecurityGroupInUse", "Security Group " + group.id() + " in use.");
            }
            context.tags().replace(h, group.id(), List.of());
            store.delete(h, group.id());
            return id;
        });
    }

    /** Tags of a resource: seen by whoever sees it, changed by whoever may update it. */
    public void authorizeTags(Handle h, AuthContext caller, String id, boolean change) {
        SecurityGroup group = groups.visible(h, caller, id);
        if (change) {
            context.policy().enforce("update_security_group", caller, group.target());
        }
    }

    private static SecurityGroupRule egress(String groupId, String projectId, String ethertype, Instant now) {
        return new SecurityGroupRule(StandardAttributes.newId(), groupId, projectId, "egress", ethertype, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), "", now, now, 1);
    }
}
