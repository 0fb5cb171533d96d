package dev.portside.compute.scheduler;

import dev.portside.compute.virt.FakeDriver;
import dev.portside.compute.virt.NamespaceDriver;
import dev.portside.compute.virt.QemuDriver;

import dev.portside.compute.host.ComputeHost;
import dev.portside.compute.host.HostStore;
import dev.portside.compute.host.Usage;
import dev.portside.compute.servergroup.ServerGroup;
import dev.portside.compute.servergroup.ServerGroupStore;
import org.jdbi.v3.core.Handle;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Nova's filter scheduler, reduced to what one cloud of a few hosts needs: filters (the host is
 * enabled, not already tried for this server, runs the kind of instance the image is for, has the
 * vCPUs, RAM and disk the flavor asks for, under the allocation ratios, and suits the server group's
 * affinity or anti-affinity), then weighers: a soft group policy first, then the most free RAM,
 * spreading servers.
 * Choosing is advisory; {@link #fitsLocked} is what holds, under the group's and the host's row locks.
 */
public final class Scheduler {
    private final AllocationRatios ratios;
    private final HostStore hosts;
    private final ServerGroupStore groups;

    /** How far each resource is overcommitted; Nova's initial_*_allocation_ratio defaults. */
    public record AllocationRatios(double cpu, double ram, double disk) {
        public static final AllocationRatios NOVA = new AllocationRatios(4.0, 1.0, 1.0);
    }

    /**
     * What a server needs, the hosts already tried for it, a host an admin forced, and the image's
     * {@code hypervisor_type} property.
     */
    public record Request(int vcpus, int memoryMb, int rootGb, Set<String> tried, Optional<String> forcedHost,
                          Optional<String> hypervisorType, Optional<Group> group) {
        public Request {
            tried = Set.copyOf(tried);
        }
    }

    /** The server group of the server being placed ({@code member}), its policy, and how many members a host may hold. */
    public record Group(String id, String policy, int maxServerPerHost, String member) {
    }

    public Scheduler(HostStore hosts, ServerGroupStore groups, AllocationRatios ratios) {
        this.hosts = hosts;
        this.groups = groups;
        this.ratios = ratios;
    }

    /** Hosts that pass every filter, best first; empty means no valid host. */
    public List<String> select(Handle h, Request request) {
        Map<String, Usage> usage = hosts.usage(h);
        Map<String, Integer> members = members(h, request);
        Comparator<ComputeHost> byGroup = Comparator.comparingInt(host -> groupWeight(request, members, host.host()));
        return hosts.all(h).stream()
                .filter(host -> request.forcedHost().map(host.host()::equals).orElse(host.enabled()))
                .filter(ComputeHost::up)
                .filter(host -> !request.tried().contains(host.host()))
                .filter(host -> runs(host.hypervisorType(), request.hypervisorType()))
                .filter(host -> fits(host, usage.getOrDefault(host.host(), Usage.NONE), request))
                .filter(host -> suitsGroup(request, members, host.host()))
                .sorted(byGroup.thenComparing(Comparator.comparingDouble((ComputeHost host) ->
                        freeRam(host, usage.getOrDefault(host.host(), Usage.NONE))).reversed())
                        .thenComparing(ComputeHost::host))
                .map(ComputeHost::host)
                .toList();
    }

    /**
     * Whether the request's resources still fit on {@code host}, with the host row locked until the
     * transaction ends: the caller records the claim (the server's host) in the same transaction, so a
     * concurrent claim sees it; false when a concurrent claim took the room.
     */
    public boolean fitsLocked(Handle h, String host, Request request) {
        // The group first, always: members placed at once see each other's claims, and the lock
        // order (group, then host) is the same in every transaction.
        if (request.group().isPresent() && groups.lock(h, request.group().get().id()).isEmpty()) {
            return false;
        }
        if (!suitsGroup(request, members(h, request), host)) {
            return false;
        }
        Optional<ComputeHost> locked = hosts.lock(h, host);
        return locked.isPresent() && fits(locked.get(), hosts.usage(h, host), request);
    }

    private Map<String, Integer> members(Handle h, Request request) {
        return request.group().map(g -> groups.membersByHost(h, g.id(), g.member())).orElse(Map.of());
    }

    /** Nova's ServerGroupAffinityFilter and ServerGroupAntiAffinityFilter. */
    static boolean suitsGroup(Request request, Map<String, Integer> members, String host) {
        return switch (request.group().map(Group::policy).orElse("")) {
            case ServerGroup.AFFINITY -> members.isEmpty() || members.containsKey(host);
            case ServerGroup.ANTI_AFFINITY -> members.getOrDefault(host, 0) < request.group().get().maxServerPerHost();
            default -> true;
        };
    }

    /** Nova's soft (anti-)affinity weighers: lower comes first. */
    static int groupWeight(Request request, Map<String, Integer> members, String host) {
        int here = members.getOrDefault(host, 0);
        return switch (request.group().map(Group::policy).orElse("")) {
            case ServerGroup.SOFT_AFFINITY -> -here;
            case ServerGroup.SOFT_ANTI_AFFINITY -> here;
            default -> 0;
        };
    }

    /**
     * Nova's ImagePropertiesFilter, for Portside's hypervisor types: an image that names a hypervisor
     * type runs only on hosts of that type (a QEMU host also takes "kvm"); one that names none is a
     * disk, which a namespace host cannot boot. The fake driver takes anything.
     */
    public static boolean runs(String hostType, Optional<String> wanted) {
        if (hostType.equals(FakeDriver.HYPERVISOR_TYPE)) {
            return true;
        }
        if (wanted.isEmpty()) {
            return !hostType.equals(NamespaceDriver.HYPERVISOR_TYPE);
        }
        String type = wanted.get();
        return type.equalsIgnoreCase(hostType)
                || hostType.equals(QemuDriver.HYPERVISOR_TYPE) && type.equalsIgnoreCase("kvm");
    }

    /** Why no host passes when the image's hypervisor type is what rules every host out (Nova's NoValidHost, with its reason). */
    public Optional<String> whyNone(Handle h, Request request) {
        List<ComputeHost> all = hosts.all(h);
        if (all.isEmpty() || all.stream().anyMatch(host -> runs(host.hypervisorType(), request.hypervisorType()))) {
            return Optional.empty();
        }
        String offered = all.stream().map(host -> host.host() + " (" + host.hypervisorType() + ")").distinct()
                .collect(java.util.stream.Collectors.joining(", "));
        return Optional.of("No valid host was found. " + request.hypervisorType()
                .map(type -> "No host runs images with hypervisor_type " + type + "; ")
                .orElse("The image is a disk and no host boots disks (set the image's hypervisor_type to run it "
                        + "elsewhere); ") + "hosts: " + offered + ".");
    }

    private boolean fits(ComputeHost host, Usage used, Request request) {
        return used.vcpus() + request.vcpus() <= host.vcpus() * ratios.cpu()
                && used.memoryMb() + request.memoryMb() <= host.memoryMb() * ratios.ram()
                && used.localGb() + request.rootGb() <= host.localGb() * ratios.disk();
    }

    private double freeRam(ComputeHost host, Usage used) {
        return host.memoryMb() * ratios.ram() - used.memoryMb();
    }
}
