package dev.portside.compute.virt;

import dev.portside.agent.Power;

import java.util.List;

/**
 * The hypervisor side of compute (Nova's virt driver): it reports the hosts it runs instances on and
 * makes instances exist there. A driver wires an instance's interfaces; the host's agent then reports
 * each port's device up to the network service, which tells compute (network-vif-plugged). Methods
 * throw {@link VirtException} when the host cannot do what is asked.
 */
public interface VirtDriver {

    /** The hosts this driver serves and their capacity; each becomes a compute service. */
    List<HostResources> hosts();

    void spawn(String host, InstanceSpec instance, List<Vif> vifs);

    /** Removes the instance and its interfaces; an instance that is not there is not an error. */
    void destroy(String host, InstanceSpec instance);

    void powerOff(String host, InstanceSpec instance);

    void powerOn(String host, InstanceSpec instance);

    void reboot(String host, InstanceSpec instance, boolean hard);

    /**
     * Stops the instance where it is, memory kept (Nova's pause; Portside's suspend too, which keeps
     * the memory with the instance rather than writing it to disk).
     */
    void pause(String host, InstanceSpec instance);

    /** Lets a paused instance run on from where it stopped. */
    void unpause(String host, InstanceSpec instance);

    /**
     * Writes a copy of the instance's root disk, as a self-contained image, to {@code target} and
     * returns its disk_format (Nova's snapshot); a driver whose instances have no disk writes nothing
     * and returns empty. The instance ends as it was, running, paused or shut down.
     */
    java.util.Optional<String> snapshot(String host, InstanceSpec instance, java.nio.file.Path target);

    /**
     * Gives the instance the vCPUs, RAM and root disk in {@code instance} (Nova's resize, on the same
     * host), keeping what it had until {@link #confirmResize} or {@link #revertResize}; it ends running
     * or shut down as it was.
     */
    void resize(String host, InstanceSpec instance);

    /** Drops what a resize kept for a revert. */
    void confirmResize(String host, InstanceSpec instance);

    /** Gives the instance back what it had before the resize; nothing to revert is not an error. */
    void revertResize(String host, InstanceSpec instance);

    void attachInterface(String host, InstanceSpec instance, Vif vif);

    /** Removes one interface; one that is not there is not an error. */
    void detachInterface(String host, InstanceSpec instance, Vif vif);

    /** What the instance has printed on its console so far. */
    String consoleLog(String host, InstanceSpec instance);

    /**
     * After a restart (Nova's init_host): makes {@code host} hold exactly {@code instances}, each
     * running, paused or shut down as the value says, rebuilding what is missing and removing
     * instances Portside no longer knows.
     */
    void recover(String host, java.util.Map<InstanceSpec, Power> instances);
}
