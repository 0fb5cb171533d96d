package dev.portside.network.trunk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.db.Constraints;
import dev.portside.common.http.ApiException;
import dev.portside.common.json.Fields;
import dev.portside.common.paging.Page;
import dev.portside.network.StandardAttributes;
import dev.portside.network.api.Definitions;
import dev.portside.network.api.ListRequest;
import dev.portside.network.api.Request;
import dev.portside.network.api.ResourceDefinition;
import dev.portside.network.api.ResourceService;
import dev.portside.network.api.ServiceContext;
import dev.portside.network.change.Change;
import dev.portside.network.net.NetworkStore;
import dev.portside.network.port.Port;
import dev.portside.network.port.PortService;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Trunks (Neutron's trunk extension): a parent port and its sub-ports, each tagged on the parent's
 * link with its segmentation id. A sub-port is bound where its parent is, owned by "trunk:subport",
 * and its frames stay its own: its network, its MAC, its port security.
 */
public final class TrunkService implements ResourceService<Trunk> {
    private final ServiceContext context;
    private final TrunkStore store;
    private final TrunkRules rules;
    private final PortService ports;

    public TrunkService(ServiceContext context, TrunkStore store, TrunkRules rules, PortService ports) {
        this.context = context;
        this.store = store;
        this.rules = rules;
        this.ports = ports;
    }

    @Override
    public ResourceDefinition<Trunk> definition() {
        return Definitions.TRUNK;
    }

    @Override
    public Trunk create(AuthContext caller, Request request) {
        Fields fields = request.fields();
        String project = StandardAttributes.owner(fields, caller, context.policy());
        String portId = StandardAttributes.uuid("port_id", fields.requiredString("port_id", 36));
        List<SubPortRequests.Asked> asked = SubPortRequests.parse(fields.node().get("sub_ports"));
        Map<String, String> target = Map.of("project_id", project);
        context.policy().enforce("create_trunk", caller, target);
        request.enforceAttributes(context.policy(), caller, target);
        return decidedByKeys("", (h, changes) -> {
            Map<String, Port> locked = lockPorts(h, caller, portId, asked);
            Port parent = locked.get(portId);
            rules.checkParent(h, parent);
            List<SubPort> subPorts = rules.subPorts(h, parent, asked, locked);
            var now = NetworkStore.now(context.clock());
            Trunk created = new Trunk(StandardAttributes.newId(), project, fields.string("name", 255).orElseThrow(),
                    fields.string("description", 255).orElseThrow(), fields.bool("admin_state_up").orElseThrow(),
                    Trunk.DOWN, portId, subPorts, now, now, 1);
            store.insert(h, created);
            return created;
        });
    }

    @Override
    public Page<Trunk> list(AuthContext caller, ListRequest request) {
        return context.tx().read(h -> context.listing().page(h, Definitions.TRUNK, "t", request,
                TrunkStore.scope(StandardAttributes.listScope(context.policy(), caller)), store::select,
                t -> context.policy().allows("get_trunk", caller, t.target())));
    }

    @Override
    public Trunk show(AuthContext caller, String id) {
        return context.tx().read(h -> visible(caller, id, store.find(h, id)));
    }

    @Override
    public Trunk update(AuthContext caller, String id, ObjectNode body, Optional<String> ifMatch) {
        return context.tx().inTransaction((h, changes) -> {
            Trunk trunk = visible(caller, id, store.findForUpdate(h, id));
            Request request = Definitions.TRUNK.forUpdate(body, trunk);
            Fields fields = request.fields();
            context.policy().enforce("update_trunk", caller, trunk.target());
            StandardAttributes.checkRevision(ifMatch, trunk.revisionNumber());
            request.enforceAttributes(context.policy(), caller, trunk.target());
            Trunk changed = trunk.changed(fields.string("name", 255).orElse(trunk.name()),
                    fields.string("description", 255).orElse(trunk.description()),
                    fields.bool("admin_state_up").orElse(trunk.adminStateUp()), trunk.status(), trunk.subPorts(),
                    NetworkStore.now(context.clock()));
            store.update(h, changed);
            return changed;
        });
    }

    @Override
    public void delete(AuthContext caller, String id, Optional<String> ifMatch) {
        context.tx().inTransaction((h, changes) -> {
            Trunk trunk = visible(caller, id, store.findForUpdate(h, id));
            context.policy().enforce("delete_trunk", caller, trunk.target());
            StandardAttributes.checkRevision(ifMatch, trunk.revisionNumber());
            TrunkRules.checkManageable(trunk);
            // The parent is locked so that it cannot be bound while its trunk goes.
            Port parent = ports.visibleForUpdate(h, caller, trunk.portId());
            if (!parent.binding().hostId().isEmpty()) {
                throw new ApiException(409, "TrunkInUse", "Trunk " + id + " is currently in use.");
            }
            context.tags().replace(h, id, List.of());
            store.delete(h, id);
            return id;
        });
    }

    /** PUT /v2.0/trunks/{id}/add_subports: the sub-ports join, bound at once where the parent is. */
    public Trunk addSubPorts(AuthContext caller, String id, JsonNode subPorts) {
        List<SubPortRequests.Asked> asked = SubPortRequests.parse(subPorts);
        return decidedByKeys(id, (h, changes) -> {
            Trunk trunk = visible(caller, id, store.findForUpdate(h, id));
            context.policy().enforce("add_subports", caller, trunk.target());
            Map<String, Port> locked = lockPorts(h, caller, trunk.portId(), asked);
            Port parent = locked.get(trunk.portId());
            List<SubPort> added = rules.subPorts(h, parent, asked, locked);
            TrunkRules.checkManageable(trunk);
            checkNotInError(trunk);
            TrunkRules.checkUnique(trunk, added);
            List<SubPort> all = new ArrayList<>(trunk.subPorts());
            all.addAll(added);
            Trunk changed = trunk.changed(trunk.name(), trunk.description(), trunk.adminStateUp(), Trunk.DOWN, all,
                    NetworkStore.now(context.clock()));
            store.update(h, changed);
            String host = parent.binding().hostId();
            for (SubPort subPort : added) {
                store.addSubPort(h, id, subPort);
                if (!host.isEmpty()) {
                    ports.followParent(h, changes, subPort.portId(), host);
                }
            }
            changes.accept(new Change.TrunkChange(id));
            return changed;
        });
    }

    /** PUT /v2.0/trunks/{id}/remove_subports: the sub-ports leave, unbound and free for any use again. */
    public Trunk removeSubPorts(AuthContext caller, String id, JsonNode subPorts) {
        List<SubPortRequests.Asked> asked = SubPortRequests.parse(subPorts);
        return context.tx().inTransaction((h, changes) -> {
            Trunk trunk = visible(caller, id, store.findForUpdate(h, id));
            context.policy().enforce("remove_subports", caller, trunk.target());
            TrunkRules.checkManageable(trunk);
            Map<String, SubPort> current = new LinkedHashMap<>();
            trunk.subPorts().forEach(s -> current.put(s.portId(), s));
            for (SubPortRequests.Asked one : asked) {
                if (current.remove(one.portId()) == null) {
                    throw new ApiException(404, "SubPortNotFound", "SubPort " + one.portId() + " on trunk " + id
                            + " could not be found.");
                }
            }
            Trunk changed = trunk.changed(trunk.name(), trunk.description(), trunk.adminStateUp(), Trunk.DOWN,
                    List.copyOf(current.values()), NetworkStore.now(context.clock()));
            store.update(h, changed);
            for (SubPortRequests.Asked one : asked) {
                store.removeSubPort(h, one.portId());
                ports.followParent(h, changes, one.portId(), "");
            }
            changes.accept(new Change.TrunkChange(id));
            return changed;
        });
    }

    /** GET /v2.0/trunks/{id}/get_subports: the trunk, if the caller may list its sub-ports. */
    public Trunk withSubPortsFor(AuthContext caller, String id) {
        Trunk trunk = show(caller, id);
        context.policy().enforce("get_subports", caller, trunk.target());
        return trunk;
    }

    /** Tags of a trunk: seen by whoever sees it, changed by whoever may update it. */
    public void authorizeTags(Handle h, AuthContext caller, String id, boolean change) {
        Trunk trunk = visible(caller, id, store.find(h, id));
        if (change) {
            context.policy().enforce("update_trunk", caller, trunk.target());
        }
    }

    // The parent and the asked sub-ports, each visible to the caller, row-locked in one order (by id) so
    // that two trunks reaching for the same port see each other, and never deadlock.
    private Map<String, Port> lockPorts(Handle h, AuthContext caller, String parentId, List<SubPortRequests.Asked> asked) {
        TreeSet<String> ids = new TreeSet<>();
        ids.add(parentId);
        asked.forEach(a -> ids.add(a.portId()));
        Map<String, Port> locked = new LinkedHashMap<>();
        ids.forEach(id -> locked.put(id, ports.visibleForUpdate(h, caller, id)));
        return locked;
    }

    private static void checkNotInError(Trunk trunk) {
        if (trunk.status().equals(Trunk.ERROR)) {
            throw new ApiException(409, "TrunkInErrorState", "Trunk " + trunk.id() + " is in error state. Attempt to"
                    + " resolve the error condition before proceeding.");
        }
    }

    private Trunk visible(AuthContext caller, String id, Optional<Trunk> found) {
        return found.filter(t -> context.policy().allows("get_trunk", caller, t.target()))
                .orElseThrow(() -> new ApiException(404, "TrunkNotFound", "Trunk " + id + " could not be found."));
    }

    // A transaction whose unique keys decide what its checks could not see (another transaction not yet
    // committed): a port made a parent or a sub-port twice at once, or one VLAN given twice on {@code trunkId}
    // (only an existing trunk's: a new trunk's VLANs are checked unique in the request itself).
    private <T> T decidedByKeys(String trunkId, dev.portside.network.change.Transactions.Work<T> work) {
        try {
            return context.tx().inTransaction(work);
        } catch (UnableToExecuteStatementException e) {
            if (!Constraints.isUniqueViolation(e)) {
                throw e;
            }
            String text = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (text.contains("network_trunk_segmentation")) {
                throw new ApiException(409, "DuplicateSubPort", "A segmentation asked for is already in use on trunk "
                        + trunkId + ".");
            }
            throw new ApiException(409, "TrunkPortInUse", "A port asked for is in use by another trunk.");
        }
    }
}
