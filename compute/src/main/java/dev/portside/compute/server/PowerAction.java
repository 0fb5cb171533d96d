package dev.portside.compute.server;

import dev.portside.agent.Power;

import java.util.Set;

/**
 * The power actions of {@code POST /servers/{id}/action}, as Nova defines them: the action's name in
 * Nova's InstanceInvalidState message, its policy rule, the vm_states it may start from, the
 * task_state it runs under, and the vm_state and power_state it ends in. Recovery at start-up reads
 * the same table to finish a task that was in flight.
 */
enum PowerAction {
    STOP("os-stop", "stop", "os_compute_api:servers:stop", Set.of(Server.ACTIVE, Server.ERROR), "powering-off",
            Server.STOPPED),
    START("os-start", "start", "os_compute_api:servers:start", Set.of(Server.STOPPED), "powering-on", Server.ACTIVE),
    SOFT_REBOOT("reboot", "reboot", "os_compute_api:servers:reboot", Set.of(Server.ACTIVE), "rebooting", Server.ACTIVE),
    HARD_REBOOT("reboot", "reboot", "os_compute_api:servers:reboot",
            Set.of(Server.ACTIVE, Server.STOPPED, Server.PAUSED, Server.SUSPENDED, Server.ERROR), "rebooting_hard",
            Server.ACTIVE),
    PAUSE("pause", "pause", "os_compute_api:os-pause-server:pause", Set.of(Server.ACTIVE), "pausing", Server.PAUSED),
    UNPAUSE("unpause", "unpause", "os_compute_api:os-pause-server:unpause", Set.of(Server.PAUSED), "unpausing",
            Server.ACTIVE),
    SUSPEND("suspend", "suspend", "os_compute_api:os-suspend-server:suspend", Set.of(Server.ACTIVE), "suspending",
            Server.SUSPENDED),
    RESUME("resume", "resume", "os_compute_api:os-suspend-server:resume", Set.of(Server.SUSPENDED), "resuming",
            Server.ACTIVE),
    // Nova's deferred delete: DELETE /servers/{id} of a server that has run, when reclaim_instance_interval
    // is set, powers it off and keeps it (ports, host) until it is restored or reclaimed.
    SOFT_DELETE("delete", "soft_delete", "os_compute_api:servers:delete",
            Set.of(Server.ACTIVE, Server.STOPPED, Server.PAUSED, Server.SUSPENDED, Server.ERROR), "soft-deleting",
            Server.SOFT_DELETED),
    RESTORE("restore", "restore", "os_compute_api:os-deferred-delete:restore", Set.of(Server.SOFT_DELETED),
            "restoring", Server.ACTIVE);

    final String action;
    final String method;
    final String rule;
    final Set<String> from;
    final String taskState;
    final String to;

    PowerAction(String action, String method, String rule, Set<String> from, String taskState, String to) {
        this.action = action;
        this.method = method;
        this.rule = rule;
        this.from = Set.copyOf(from);
        this.taskState = taskState;
        this.to = to;
    }

    /** The action a task_state belongs to, if it is a power action's. */
    static java.util.Optional<PowerAction> ofTask(String taskState) {
        return java.util.Arrays.stream(values()).filter(a -> a.taskState.equals(taskState)).findFirst();
    }

    /**
     * The body's action name for the API: "os-stop", "pause", ...; reboot is read from its type, a
     * soft delete is a DELETE, and a restore claims quota first.
     */
    static java.util.Optional<PowerAction> ofAction(String action) {
        return java.util.Arrays.stream(values()).filter(a -> a.action.equals(action)
                && !java.util.Set.of(SOFT_REBOOT, HARD_REBOOT, SOFT_DELETE, RESTORE).contains(a)).findFirst();
    }

    /** Nova's power_state of a server in vm_state {@code vmState}. */
    static int powerState(String vmState) {
        return switch (vmState) {
            case Server.ACTIVE -> Server.RUNNING;
            case Server.PAUSED -> Server.PAUSED_POWER;
            case Server.SUSPENDED -> Server.SUSPENDED_POWER;
            default -> Server.SHUTDOWN;
        };
    }

    /** How the host should hold an instance of a server in vm_state {@code vmState}. */
    static Power hostPower(String vmState) {
        return switch (vmState) {
            case Server.ACTIVE -> Power.RUNNING;
            case Server.PAUSED, Server.SUSPENDED -> Power.PAUSED;
            default -> Power.SHUTDOWN;
        };
    }
}
