package dev.portside.compute.server;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A server (Nova's instance): what was asked for (flavor resources, image, key, user data,
 * metadata, networks, the ids of the security groups for the ports compute makes), what the user
 * set on it since (access addresses, a lock), where it runs ({@code host}, empty until a host is claimed, after a
 * failed boot and while shelved), its states as Nova keeps them (vm_state, task_state, power_state,
 * fault), the snapshot it is unshelved from, and the flavor it had before a resize not yet
 * confirmed or reverted.
 */
public record Server(String id, long number, String projectId, String userId, String name,
                     Optional<String> description, Sizing flavor, String imageId, Optional<String> keyName, Optional<String> keyData, Optional<String> userData,
                     Map<String, String> metadata, List<RequestedNetwork> requestedNetworks,
                     List<String> securityGroups, AccessIps accessIps, Optional<Lock> lock,
                     Optional<String> requestedHost, Optional<String> host, String vmState, Optional<String> taskState,
                     int powerState, Optional<Fault> fault, Instant createdAt, Instant updatedAt,
                     Optional<Instant> launchedAt, Optional<String> shelvedImageId, Optional<Sizing> oldFlavor,
                     String reservationId, String diskConfig) {
    public static final String BUILDING = "building";
    public static final String ACTIVE = "active";
    public static final String STOPPED = "stopped";
    public static final String PAUSED = "paused";
    public static final String SUSPENDED = "suspended";
    public static final String ERROR = "error";
    public static final String DELETING = "deleting";
    public static final String RESIZED = "resized";
    public static final String SHELVED = "shelved";
    public static final String SHELVED_OFFLOADED = "shelved_offloaded";
    /** Deleted with a reclaim_instance_interval: powered off, restorable until it is reclaimed. */
    public static final String SOFT_DELETED = "soft-delete";
    public static final int NOSTATE = 0;
    public static final int RUNNING = 1;
    public static final int PAUSED_POWER = 3;
    public static final int SHUTDOWN = 4;
    public static final int SUSPENDED_POWER = 7;

    public Server {
        metadata = Map.copyOf(metadata);
        requestedNetworks = List.copyOf(requestedNetworks);
        securityGroups = List.copyOf(securityGroups);
    }

    public String flavorId() {
        return flavor.flavorId();
    }

    public int vcpus() {
        return flavor.vcpus();
    }

    public int memoryMb() {
        return flavor.memoryMb();
    }

    public int rootGb() {
        return flavor.rootGb();
    }

    /** The hypervisor's name for it, as Nova's instance_name_template makes it. */
    public String instanceName() {
        return String.format("instance-%08x", number);
    }

    /** The API status Nova derives from vm_state and task_state. */
    public String status() {
        if (taskState.filter(t -> t.startsWith("rebuild")).isPresent()) {
            return "REBUILD";
        }
        if (taskState.equals(Optional.of("resize_reverting"))) {
            return "REVERT_RESIZE";
        }
        if (taskState.filter(t -> t.startsWith("resize_")).isPresent()) {
            return "RESIZE";
        }
        return switch (vmState) {
            case BUILDING -> "BUILD";
            case STOPPED -> "SHUTOFF";
            case PAUSED -> "PAUSED";
            case SUSPENDED -> "SUSPENDED";
            case ERROR -> "ERROR";
            case RESIZED -> "VERIFY_RESIZE";
            case SHELVED -> "SHELVED";
            case SHELVED_OFFLOADED -> "SHELVED_OFFLOADED";
            case SOFT_DELETED -> "SOFT_DELETED";
            case ACTIVE -> switch (taskState.orElse("")) {
                case "rebooting" -> "REBOOT";
                case "rebooting_hard" -> "HARD_REBOOT";
                default -> "ACTIVE";
            };
            default -> "UNKNOWN";
        };
    }

    public boolean deleting() {
        return taskState.equals(Optional.of(DELETING));
    }

    /** What policy rules see: the owning project and user. */
    public Map<String, String> target() {
        return Map.of("project_id", projectId, "user_id", userId);
    }

    /** accessIPv4 and accessIPv6: addresses the user records for the server; Portside does nothing with them. */
    public record AccessIps(Optional<String> v4, Optional<String> v6) {
        public static final AccessIps NONE = new AccessIps(Optional.empty(), Optional.empty());
    }

    /** A lock, as Nova keeps it: by the server's own project ("owner") or by an admin of another ("admin"). */
    public record Lock(String lockedBy, Optional<String> reason) {
        public static final String OWNER = "owner";
        public static final String ADMIN = "admin";
    }

    public boolean locked() {
        return lock.isPresent();
    }

    /**
     * A flavor as a server holds a copy of it (Nova's instance.flavor): which one, its name then,
     * vCPUs, RAM (MiB), root and ephemeral disks (GiB) and swap (MiB). The copy outlives the flavor.
     */
    public record Sizing(String flavorId, String name, int vcpus, int memoryMb, int rootGb, int ephemeralGb,
                         int swapMb) {
        public static Sizing of(dev.portside.compute.flavor.Flavor flavor) {
            return new Sizing(flavor.id(), flavor.name(), flavor.vcpus(), flavor.ram(), flavor.disk(),
                    flavor.ephemeral(), flavor.swap());
        }
    }

    /** Why a server went to ERROR, as Nova records it. */
    public record Fault(int code, String message, String details, Instant created) {
    }

    /**
     * One entry of the request's "networks": a pre-made port, or a network (optionally with an
     * address) for a port compute makes; either with the device tag the guest will see.
     */
    public record RequestedNetwork(Optional<String> portId, Optional<String> networkId, Optional<String> fixedIp,
                                   Optional<String> tag) {
    }
}
