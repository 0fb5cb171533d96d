package dev.portside.compute.virt;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Several drivers on one Portside, one per compute host (Nova runs a compute service per hypervisor
 * type): each call goes to the driver that serves the host it names.
 */
public final class HostDrivers implements VirtDriver {
    private final Map<String, VirtDriver> byHost = new LinkedHashMap<>();

    public HostDrivers(List<VirtDriver> drivers) {
        for (VirtDriver driver : drivers) {
            for (HostResources host : driver.hosts()) {
                if (byHost.putIfAbsent(host.host(), driver) != null) {
                    throw new IllegalArgumentException("two drivers serve host " + host.host());
                }
            }
        }
    }

    @Override
    public List<HostResources> hosts() {
        return byHost.values().stream().distinct().flatMap(d -> d.hosts().stream()).toList();
    }

    private VirtDriver on(String host) {
        VirtDriver driver = byHost.get(host);
        if (driver == null) {
            throw new VirtException("No driver serves host " + host + ".");
        }
        return driver;
    }

    @Override
    public void spawn(String host, InstanceSpec instance, List<Vif> vifs) {
        on(host).spawn(host, instance, vifs);
    }

    @Override
    public void destroy(String host, InstanceSpec instance) {
        on(host).destroy(host, instance);
    }

    @Override
    public void powerOff(String host, InstanceSpec instance) {
        on(host).powerOff(host, instance);
    }

    @Override
    public void powerOn(String host, InstanceSpec instance) {
        on(host).powerOn(host, instance);
    }

    @Override
    public void reboot(String host, InstanceSpec instance, boolean hard) {
        on(host).reboot(host, instance, hard);
    }

    @Override
    public void resize(String host, InstanceSpec instance) {
        on(host).resize(host, instance);
    }

    @Override
    public void confirmResize(String host, InstanceSpec instance) {
        on(host).confirmResize(host, instance);
    }

    @Override
    public void revertResize(String host, InstanceSpec instance) {
        on(host).revertResize(host, instance);
    }

    @Override
    public java.util.Optional<String> snapshot(String host, InstanceSpec instance, java.nio.file.Path target) {
        return on(host).snapshot(host, instance, target);
    }

    @Override
    public void pause(String host, InstanceSpec instance) {
        on(host).pause(host, instance);
    }

    @Override
    public void unpause(String host, InstanceSpec instance) {
        on(host).unpause(host, instance);
    }

    @Override
    public void attachInterface(String host, InstanceSpec instance, Vif vif) {
        on(host).attachInterface(host, instance, vif);
    }

    @Override
    public void detachInterface(String host, InstanceSpec instance, Vif vif) {
        on(host).detachInterface(host, instance, vif);
    }

    @Override
    public String consoleLog(String host, InstanceSpec instance) {
        return on(host).consoleLog(host, instance);
    }

    @Override
    public void recover(String host, Map<InstanceSpec, dev.portside.agent.Power> instances) {
        on(host).recover(host, instances);
    }
}
