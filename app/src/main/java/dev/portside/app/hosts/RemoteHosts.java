package dev.portside.app.hosts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portside.agent.Power;
import dev.portside.app.messaging.Bus;
import dev.portside.app.messaging.BusException;
import dev.portside.compute.virt.HostResources;
import dev.portside.compute.virt.InstanceSpec;
import dev.portside.compute.virt.VirtDriver;
import dev.portside.compute.virt.VirtException;
import dev.portside.compute.virt.Vif;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The controller's virt driver: every call goes to the compute host it names, over the broker, and
 * waits for the host's answer (the build and the power actions set the server's state from it).
 * A host that is not connected fails the call at once; one that does not answer within
 * {@code timeout} (oslo's rpc_response_timeout) fails it then. Hosts register themselves by
 * reporting, so this driver names none up front.
 */
public final class RemoteHosts implements VirtDriver {
    private final Bus bus;
    private final Duration timeout;

    public RemoteHosts(Bus bus, Duration timeout) {
        this.bus = bus;
        this.timeout = timeout;
    }

    private JsonNode call(String host, String method, Object args) {
        try {
            return bus.call(HostMessages.queueOf(host), method, args, timeout);
        } catch (BusException e) {
            throw new VirtException("compute host " + host + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<HostResources> hosts() {
        return List.of();
    }

    @Override
    public void spawn(String host, InstanceSpec instance, List<Vif> vifs) {
        call(host, "spawn", new HostMessages.Spawn(instance, vifs));
    }

    @Override
    public void destroy(String host, InstanceSpec instance) {
        call(host, "destroy", new HostMessages.Instance(instance));
    }

    @Override
    public void powerOff(String host, InstanceSpec instance) {
        call(host, "power_off", new HostMessages.Instance(instance));
    }

    @Override
    public void powerOn(String host, InstanceSpec instance) {
        call(host, "power_on", new HostMessages.Instance(instance));
    }

    @Override
    public void reboot(String host, InstanceSpec instance, boolean hard) {
        call(host, "reboot", new HostMessages.Reboot(instance, hard));
    }

    @Override
    public void pause(String host, InstanceSpec instance) {
        call(host, "pause", new HostMessages.Instance(instance));
    }

    @Override
    public void unpause(String host, InstanceSpec instance) {
        call(host, "unpause", new HostMessages.Instance(instance));
    }

    @Override
    public Optional<String> snapshot(String host, InstanceSpec instance, Path target) {
        JsonNode format = call(host, "snapshot", new HostMessages.Snapshot(instance, target.toString()));
        return format.isTextual() ? Optional.of(format.asText()) : Optional.empty();
    }

    @Override
    public void resize(String host, InstanceSpec instance) {
        call(host, "resize", new HostMessages.Instance(instance));
    }

    @Override
    public void confirmResize(String host, InstanceSpec instance) {
        call(host, "confirm_resize", new HostMessages.Instance(instance));
    }

    @Override
    public void revertResize(String host, InstanceSpec instance) {
        call(host, "revert_resize", new HostMessages.Instance(instance));
    }

    @Override
    public void attachInterface(String host, InstanceSpec instance, Vif vif) {
        call(host, "attach_interface", new HostMessages.Interface(instance, vif));
    }

    @Override
    public void detachInterface(String host, InstanceSpec instance, Vif vif) {
        call(host, "detach_interface", new HostMessages.Interface(instance, vif));
    }

    @Override
    public String consoleLog(String host, InstanceSpec instance) {
        return call(host, "console_log", new HostMessages.Instance(instance)).asText();
    }

    @Override
    public void recover(String host, Map<InstanceSpec, Power> instances) {
        call(host, "recover", new HostMessages.Recover(instances.entrySet().stream()
                .map(e -> new HostMessages.Expected(e.getKey(), e.getValue())).toList()));
    }
}
